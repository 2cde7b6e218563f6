"""The Socrata portal's settings, imported by base.py (one block, one on/off flag)."""

import environ

env = environ.Env()

# publishing/portal/ is the only reader. The default domain is the sandbox portal that
# `make run` starts (`python -m sandbox_portal --port 8001`); plain http is refused unless the
# domain is a loopback address (publishing.portal.PortalSettings checks it).
SOCRATA_ENABLED = env.bool("SOCRATA_ENABLED", default=True)
SOCRATA_DOMAIN = env("SOCRATA_DOMAIN", default="127.0.0.1:8001")
SOCRATA_SCHEME = env("SOCRATA_SCHEME", default="https")
SOCRATA_APP_TOKEN = env("SOCRATA_APP_TOKEN", default="")
SOCRATA_USERNAME = env("SOCRATA_USERNAME", default="")
SOCRATA_PASSWORD = env("SOCRATA_PASSWORD", default="")
SOCRATA_OAUTH_TOKEN = env("SOCRATA_OAUTH_TOKEN", default="")
# sodapy's own default is 10 s, too short for 10k-row upserts (SODA.md §2, afeld#67).
SOCRATA_TIMEOUT = env.float("SOCRATA_TIMEOUT", default=60.0)
SOCRATA_RETRIES = env.int("SOCRATA_RETRIES", default=5)  # attempts after the first one
SOCRATA_BACKOFF_BASE = env.float("SOCRATA_BACKOFF_BASE", default=1.0)  # seconds, doubled each try
SOCRATA_BACKOFF_MAX = env.float("SOCRATA_BACKOFF_MAX", default=60.0)
# A longer Retry-After than this fails the call as transient; the task reschedules itself.
SOCRATA_MAX_RETRY_AFTER = env.float("SOCRATA_MAX_RETRY_AFTER", default=300.0)
SOCRATA_CHUNK_SIZE = env.int("SOCRATA_CHUNK_SIZE", default=10_000)
