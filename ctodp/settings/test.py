"""Settings for the test suite. DATABASE_URL and REDIS_URL come from scripts/run_tests.py."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("CTODP_MEDIA_ROOT", default=VAR_DIR / "test-media")
CELERY_TASK_ALWAYS_EAGER = env.bool("CTODP_TASKS_EAGER", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CTODP_ENVIRONMENT = "test"

# Tests reach a sandbox portal on loopback over http; retry waits stay tiny.
SOCRATA_SCHEME = "http"
SOCRATA_USERNAME = "sandbox"
SOCRATA_PASSWORD = "sandbox"  # noqa: S105
SOCRATA_TIMEOUT = 10.0
SOCRATA_BACKOFF_BASE = 0.01
SOCRATA_BACKOFF_MAX = env.float("SOCRATA_BACKOFF_MAX", default=0.05)  # a worker test sets it
CTODP_GEO_BACKOFF_BASE, CTODP_GEO_BACKOFF_MAX = 0.01, 0.05

# Eager runs execute inside the test's transaction, where a heartbeat thread's own connection
# would wait on the test's row locks; the worker integration tests turn it on.
CTODP_RUN_HEARTBEAT = env.float("CTODP_RUN_HEARTBEAT_SECONDS", default=0.0)

# The second factor is proved in tests/accounts, which turn it on; elsewhere a signed-in CDO or
# portal administrator goes straight to the page under test.
CTODP_OTP_REQUIRED = False

# The tests serve URL sources from loopback; tests of the refusal empty this list.
CTODP_SOURCE_URL_ALLOWED_HOSTS = ["127.0.0.1"]

# schemathesis and the API tests call far faster than any client; the throttle test sets its own.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}
