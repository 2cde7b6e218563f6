"""Where publication sources may come from (ADR 0017), imported by base.py: the SQL databases an
administrator configured and the limits on URL sources."""

import re

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

__all__ = [
    "CTODP_SOURCE_DATABASES",
    "CTODP_SOURCE_SQL_MAX_ROWS",
    "CTODP_SOURCE_SQL_TIMEOUT",
    "CTODP_SOURCE_URL_ALLOWED_HOSTS",
    "CTODP_SOURCE_URL_MAX_BYTES",
    "CTODP_SOURCE_URL_TIMEOUT",
]


def _source_databases(raw: str) -> dict[str, dict]:
    """`name=URL|agency,agency,name=URL|agency` → {name: {"url", "agencies"}}. A piece that
    starts `name=scheme://` starts a database; a piece without it continues the agency list. A
    database listed without agencies (the old `name=URL` form) is granted to none (ADR 0017)."""
    found: dict[str, dict] = {}
    current = None
    for piece in (p.strip() for p in raw.split(",")):
        if re.match(r"^[\w-]+=[a-z][\w+.-]*://", piece):
            name, value = piece.split("=", 1)
            url, _, agency = value.rpartition("|") if "|" in value else (value, "", "")
            current = found[name] = {"url": url, "agencies": [agency] if agency else []}
        elif piece and current is not None:
            current["agencies"].append(piece)
        elif piece:
            raise ImproperlyConfigured(f"CTODP_SOURCE_DATABASES: {piece!r} is not name=URL|agency")
    return found


# Databases a SQL source may query, by name, and the agencies (slugs) whose publishers may:
# CTODP_SOURCE_DATABASES="warehouse=postgresql://…|ocme,dph,gis=postgresql://…|dot". Only an
# administrator sets these; give each a read-only account (OPERATIONS.md). Queries run read-only,
# each fetch within CTODP_SOURCE_SQL_TIMEOUT seconds, at most CTODP_SOURCE_SQL_MAX_ROWS rows.
CTODP_SOURCE_DATABASES = _source_databases(env.str("CTODP_SOURCE_DATABASES", default=""))
CTODP_SOURCE_SQL_TIMEOUT = env.float("CTODP_SOURCE_SQL_TIMEOUT", default=30.0)
CTODP_SOURCE_SQL_MAX_ROWS = env.int("CTODP_SOURCE_SQL_MAX_ROWS", default=5_000_000)
# URL sources are untrusted (ADR 0017): one deadline for the whole download (redirects, headers,
# body), a size cap, and only public addresses unless a host is listed here (host or host:port;
# `make run` and the tests list their loopback servers).
CTODP_SOURCE_URL_TIMEOUT = env.float("CTODP_SOURCE_URL_TIMEOUT", default=60.0)
CTODP_SOURCE_URL_MAX_BYTES = (
    env.int("CTODP_SOURCE_URL_MAX_MB", default=env.int("CTODP_MAX_UPLOAD_MB", default=20))
    * 1024
    * 1024
)
CTODP_SOURCE_URL_ALLOWED_HOSTS = env.list("CTODP_SOURCE_URL_ALLOWED_HOSTS", default=[])
