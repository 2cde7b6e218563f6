"""Operations (issue #17, ADR 0024): health, logs, errors, metrics, storage, per-agency queues.

Imported by base.py; production.py changes only the log format's default. Every block reads the
environment once, here, and nothing here talks to a network.
"""

from __future__ import annotations

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

# --- Health (/healthz liveness, /health/ readiness) -----------------------------------------
# Readiness fails when the free space under the media root (and the temporary folder) drops
# below this many megabytes, and when beat has sent no periodic task for this many seconds.
CTODP_HEALTH_MIN_FREE_MB = env.int("CTODP_HEALTH_MIN_FREE_MB", default=500)
CTODP_BEAT_STALE_AFTER = env.int("CTODP_BEAT_STALE_AFTER_SECONDS", default=180)
CTODP_HEALTH_CELERY_TIMEOUT = env.float("CTODP_HEALTH_CELERY_TIMEOUT", default=3.0)
# /health/ (details) and /metrics answer only `Authorization: Bearer <token>`; unset, they 404.
CTODP_OPS_TOKEN = env.str("CTODP_OPS_TOKEN", default="")
# Beat writes a periodic task's last run at once (not every 3 minutes): the beat check reads it.
CELERY_BEAT_SYNC_EVERY = 1

# --- Logs -----------------------------------------------------------------------------------
# "json" (one object a line: time, level, logger, message, request_id, task_id, agency) or
# "plain". production.py makes JSON the default; the Celery worker keeps Django's handlers.
CTODP_LOG_FORMAT = env.str("CTODP_LOG_FORMAT", default="plain")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False


def logging_config(log_format: str, level: str) -> dict:
    if log_format not in {"json", "plain"}:
        raise ImproperlyConfigured("CTODP_LOG_FORMAT must be json or plain")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "operations.logs.ContextFilter"}},
        "formatters": {
            "plain": {
                "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(task_id)s] "
                "%(message)s"
            },
            "json": {"()": "operations.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "axes": {"level": env("CTODP_AXES_LOG_LEVEL", default="WARNING")},
        },
    }


# --- Errors: Sentry, only with a DSN ---------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")


def configure_sentry(dsn: str, environment: str) -> bool:
    """Start sentry-sdk (Django, Celery and logging integrations are enabled by default) when a
    DSN is given. No personal data: no user, no cookies, no request bodies."""
    if not dsn:
        return False
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=env.str("SENTRY_ENVIRONMENT", default=environment),
        release=env.str("SENTRY_RELEASE", default="") or None,
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
    return True


LOGGING = logging_config(CTODP_LOG_FORMAT, env("DJANGO_LOG_LEVEL", default="INFO"))
configure_sentry(SENTRY_DSN, environment=env.str("DJANGO_SETTINGS_MODULE", default="local"))


# --- Uploads: the filesystem or an S3-compatible object store -------------------------------
# Workers on other hosts (an agency's own, ADR 0024) read uploaded sources through the storage,
# never a path: give them the same bucket, or the same shared volume.
CTODP_STORAGE = env.str("CTODP_STORAGE", default="filesystem")


def default_storage(kind: str) -> dict:
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured("CTODP_STORAGE must be filesystem or s3")
    bucket = env.str("CTODP_S3_BUCKET", default="")
    if not bucket:
        raise ImproperlyConfigured("CTODP_STORAGE=s3 needs CTODP_S3_BUCKET")
    options = {
        "bucket_name": bucket,
        "endpoint_url": env.str("CTODP_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("CTODP_S3_REGION", default="") or None,
        "access_key": env.str("CTODP_S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("CTODP_S3_SECRET_ACCESS_KEY", default="") or None,
        "location": env.str("CTODP_S3_PREFIX", default=""),
        # Sources are private: no public ACL, links signed and short-lived, names never reused.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "addressing_style": env.str("CTODP_S3_ADDRESSING_STYLE", default="") or None,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


UPLOAD_STORAGE = default_storage(CTODP_STORAGE)


# --- Per-agency task queues (the Open Data Hub model) ----------------------------------------
# "ocme:ocme-net,dph:dph-net": the tasks that read an agency's sources (runs, source checks,
# screens, aggregations) go to its queue, consumed by a worker inside its network
# (`celery -A ctodp worker -Q ocme-net`). Other agencies' tasks use the default queue.
def agency_queues(raw: str) -> dict[str, str]:
    queues = {}
    for piece in filter(None, (p.strip() for p in raw.split(","))):
        agency, _, queue = piece.partition(":")
        if not agency.strip() or not queue.strip():
            raise ImproperlyConfigured(f"CTODP_AGENCY_QUEUES: {piece!r} is not agency:queue")
        queues[agency.strip()] = queue.strip()
    return queues


CTODP_AGENCY_QUEUES = agency_queues(env.str("CTODP_AGENCY_QUEUES", default=""))
CELERY_TASK_DEFAULT_QUEUE = "celery"
