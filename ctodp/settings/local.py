"""The embedded default used by `make run`: SQLite, a filesystem broker, e-mail on the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-a-secret")
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
CTODP_ENVIRONMENT = "local"

# The sandbox portal that `make run` starts speaks plain http on loopback with these credentials.
SOCRATA_SCHEME = env("SOCRATA_SCHEME", default="http")
SOCRATA_USERNAME = env("SOCRATA_USERNAME", default="sandbox")
SOCRATA_PASSWORD = env("SOCRATA_PASSWORD", default="sandbox")

# `make run` may read URL sources from servers on this machine (ADR 0017); production lists none.
CTODP_SOURCE_URL_ALLOWED_HOSTS = env.list(
    "CTODP_SOURCE_URL_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"]
)
