"""Settings for the test suite. DATABASE_URL and REDIS_URL come from scripts/run_tests.py."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

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
