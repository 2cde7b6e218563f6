"""Production: every secret comes from the environment, without defaults."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    CTODP_LOCAL_LOGIN_ENABLED,
    CTODP_OIDC_ENABLED,
    CTODP_REDIS_TRANSPORT_OPTIONS,
    UPLOAD_STORAGE,
    env,
)
from .operations import logging_config

DEBUG = False


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production")
    return value


SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in _required("DJANGO_ALLOWED_HOSTS").split(",")]
DATABASES = {"default": env.db_url_config(_required("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
REDIS_URL = _required("REDIS_URL")
# This site's public address: data.json identifiers and every link in an e-mail are built on
# it, so the local default (127.0.0.1) must never reach production.
CTODP_PUBLIC_BASE_URL = _required("CTODP_PUBLIC_BASE_URL")
if not CTODP_PUBLIC_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("CTODP_PUBLIC_BASE_URL must be an https:// address in production")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = dict(CTODP_REDIS_TRANSPORT_OPTIONS)  # not base's folder broker

STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": UPLOAD_STORAGE,  # a shared volume, or S3 (ADR 0024)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Transport security: HTTPS only, behind a proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The same proxy appends the client's address to X-Forwarded-For: sign-in throttling counts
# that address, not the proxy's (accounts/throttling.py). 0 only when nothing stands in front.
CTODP_TRUSTED_PROXY_COUNT = env.int("CTODP_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
# The portal: the real one over https only; the loopback sandbox default makes no sense here.
if env.bool("SOCRATA_ENABLED", default=True):
    SOCRATA_DOMAIN = _required("SOCRATA_DOMAIN")
    SOCRATA_SCHEME = "https"
# The Geo Data Portal (ADR 0029): off unless configured; then its real addresses are required.
CTODP_GEO_ENABLED = env.bool("CTODP_GEO_ENABLED", default=False)
if CTODP_GEO_ENABLED:
    CTODP_GEO_PORTAL_URL = _required("CTODP_GEO_PORTAL_URL")
    CTODP_GEO_API_URL = _required("CTODP_GEO_API_URL")
    CTODP_GEO_QUERY = _required("CTODP_GEO_QUERY")

# Accounts (ADR 0014): the second factor is not optional here; single sign-on, when on, needs
# every endpoint and the client; some way to sign in must remain.
CTODP_OTP_REQUIRED = True
if CTODP_OIDC_ENABLED:
    CTODP_OIDC_ISSUER = _required("CTODP_OIDC_ISSUER")
    OIDC_RP_CLIENT_ID = _required("CTODP_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _required("CTODP_OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = _required("CTODP_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = _required("CTODP_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _required("CTODP_OIDC_USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _required("CTODP_OIDC_JWKS_ENDPOINT")
    for _endpoint in ("AUTHORIZATION", "TOKEN", "USERINFO", "JWKS"):
        if not env(f"CTODP_OIDC_{_endpoint}_ENDPOINT").startswith("https://"):
            raise ImproperlyConfigured(f"CTODP_OIDC_{_endpoint}_ENDPOINT must be https")
elif not CTODP_LOCAL_LOGIN_ENABLED:
    raise ImproperlyConfigured("CTODP_LOCAL_LOGIN_ENABLED=0 needs CTODP_OIDC_ENABLED=1")
# Throttles (password reset) count across every web process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}
CTODP_ENVIRONMENT = "production"
# One JSON object a line for the log collector (ADR 0024); CTODP_LOG_FORMAT=plain to read by eye.
CTODP_LOG_FORMAT = env.str("CTODP_LOG_FORMAT", default="json")
LOGGING = logging_config(CTODP_LOG_FORMAT, env("DJANGO_LOG_LEVEL", default="INFO"))
