"""Settings shared by every environment. Each external system has one block and one on/off flag."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
CTODP_ENVIRONMENT = "base"  # each settings module names itself; seed_demo refuses "production"
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.apps.CtodpAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # /sitemap.xml's template (ADR 0028)
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here (no CDN)
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "agencies",
    "inventories",
    "access_plans",
    "sharing",
    "accounts",
    "publishing",
    "privacy",
    "upkeep",
    "catalog",
    "program",
    "operations",  # health, logs, metrics (ADR 0024)
]

MIDDLEWARE = [
    # First: the request id covers every log line, the timing covers every middleware (ADR 0024).
    "operations.logs.RequestIdMiddleware",
    "operations.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Holds people who owe a second factor at enrolment or verification (ADR 0014).
    "accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it inspects the response of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ctodp.urls"
WSGI_APPLICATION = "ctodp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL wins everywhere; the embedded default is a SQLite file.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
# Local passwords can be turned off (production with single sign-on): the login page then offers
# only the SSO button, password reset is gone, and no password is checked anywhere.
CTODP_LOCAL_LOGIN_ENABLED = env.bool("CTODP_LOCAL_LOGIN_ENABLED", default=True)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling; must come first
    "rules.permissions.ObjectPermissionBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if CTODP_LOCAL_LOGIN_ENABLED else []),
    "accounts.oidc.StateIdentityBackend",  # answers only when CTODP_OIDC_ENABLED
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Password reset by e-mail (local accounts): links last an hour; requests per address and per
# e-mail within an hour beyond this limit are dropped silently (the page says the same).
PASSWORD_RESET_TIMEOUT = env.int("CTODP_PASSWORD_RESET_TIMEOUT_SECONDS", default=3600)
CTODP_PASSWORD_RESET_LIMIT = env.int("CTODP_PASSWORD_RESET_LIMIT", default=5)

# Single sign-on, the second factor and login throttling: their own module (the block is long).
from ctodp.settings.accounts import *  # noqa: E402, F403

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

# --- Operations: logs, errors, health, metrics, upload storage, queues (ADR 0024) -----------
from ctodp.settings.operations import *  # noqa: E402, F403
from ctodp.settings.operations import UPLOAD_STORAGE  # noqa: E402

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "/static/"
# Filled by collectstatic in production; elsewhere WhiteNoise serves from the finders.
STATIC_ROOT = None
# Without collected files (make run, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("CTODP_MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": UPLOAD_STORAGE,  # CTODP_STORAGE=s3: ctodp/settings/operations.py
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads: bodies over the limit are refused before they are read into memory.
CTODP_MAX_UPLOAD_BYTES = env.int("CTODP_MAX_UPLOAD_MB", default=20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# The size is enforced while the body streams in (inventories/uploads.py, ADR 0017); the shape of
# a spreadsheet is checked before any parser opens it: columns, rows, and how far an XLSX expands.
FILE_UPLOAD_HANDLERS = [
    "inventories.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
CTODP_UPLOAD_MAX_COLUMNS = env.int("CTODP_UPLOAD_MAX_COLUMNS", default=1000)
CTODP_UPLOAD_MAX_ROWS = env.int("CTODP_UPLOAD_MAX_ROWS", default=1_000_000)
CTODP_XLSX_MAX_UNCOMPRESSED_BYTES = (
    env.int("CTODP_XLSX_MAX_UNCOMPRESSED_MB", default=200) * 1024 * 1024
)
CTODP_XLSX_MAX_RATIO = env.int("CTODP_XLSX_MAX_RATIO", default=100)
CTODP_INVENTORY_IMPORT_MAX_ROWS = env.int("CTODP_INVENTORY_IMPORT_MAX_ROWS", default=10_000)

# --- Security headers -----------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads nothing from it; the token travels in a meta tag
# Content Security Policy (django-csp 4): no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Hashed, revocable tokens (docs/adr/0012-api-tokens.md), not DRF's plain-text authtoken.
        # First, so that a call without credentials answers 401 with WWW-Authenticate.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Per client address (anonymous) or per user, in the default cache. DRF checks permissions
    # first, so an anonymous call to a signed-in endpoint still answers 401 before this counts;
    # the anonymous rate bites on what anyone may call (the schema at /api/schema/).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("CTODP_API_ANON_RATE", default="60/minute"),
        "user": env.str("CTODP_API_USER_RATE", default="10000/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ctodp API",
    "DESCRIPTION": "Open data governance: agencies, inventories, access plans and publishing.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Operations are tagged and named after the path below /api/v1 ("agencies_list").
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ctodp.openapi.document_errors",  # the 400/401/403/404 answers, as JSON
    ],
    # A plan item's priority and its override share one choice set.
    "ENUM_NAME_OVERRIDES": {
        "PriorityEnum": "access_plans.choices.Priority",
        # Choice sets with fields named "kind": each gets its own name.
        "ReminderKindEnum": "program.models.ReminderKind",
        "PublicationKindEnum": "publishing.models.Kind",
        "ScheduleKindEnum": "publishing.models.ScheduleKind",
        "RunStatusEnum": "publishing.models.RunStatus",
        "RequestStatusEnum": "program.models.RequestStatus",
        "AgreementStatusEnum": "sharing.models.AgreementStatus",
    },
    # Swagger UI at /api/docs/ from drf-spectacular-sidecar's files: no CDN, CSP stays strict.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery (tasks and schedules) -----------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
# Redis hands an unacknowledged task (acks_late) to another worker after this long; it must
# exceed the longest retry delay (SOCRATA_MAX_RETRY_AFTER). A run whose worker died is requeued
# sooner by the sweeper (CTODP_RUN_STUCK_AFTER_SECONDS); a redelivered duplicate does nothing.
CTODP_REDIS_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=3600)
}
CELERY_BROKER_TRANSPORT_OPTIONS: dict = dict(CTODP_REDIS_TRANSPORT_OPTIONS)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # a worker waits for Redis instead of exiting
# A run goes on when Redis goes away under it (its redelivered message would find it running and
# do nothing, leaving it to the sweeper); Celery 6 plans to cancel such tasks by default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# Sending a task while the broker is down fails within about a second (not Celery's default
# of retrying for longer): the request goes on and the run waits for the sweeper (outbox).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded default: a folder stands in for the broker, so `make run` needs no server.
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Kombu's default is a "control" folder in the working directory (it was committed once).
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    # The producer (web) and the consumer (worker) both need the folder before first use.
    _queue_dir.mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TASK_ALWAYS_EAGER = env.bool("CTODP_TASKS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Redis restarted under a busy worker (issue #17.1, ADR 0023): the worker reconnects for as long
# as it takes (Celery's default gives up after 100 tries), and its consumer survives Celery
# 5.7.0's double close of the broken connection (ctodp/celery_consumer.py).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CONSUMER = "ctodp.celery_consumer:Consumer"

# --- Socrata portal (publishing) and the Geo Data Portal (upkeep, ADR 0029): own modules ------
# --- and the program's own settings (public requests, data sharing, freshness) --------------
from ctodp.settings.geo import *  # noqa: E402, F403
from ctodp.settings.portal import *  # noqa: E402, F403
from ctodp.settings.program import *  # noqa: E402, F403

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ctodp <no-reply@localhost>")

# --- Audit history --------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# --- Inventories ----------------------------------------------------------------------------
# Annual inventory updates are due December 31 of their year (month, day).
CTODP_INVENTORY_DUE_MONTH_DAY = tuple(
    int(part) for part in env("CTODP_INVENTORY_DUE", default="12-31").split("-")
)
# The public portal datasets are published on (used to build landing pages and links).
CTODP_PORTAL_DOMAIN = env("CTODP_PORTAL_DOMAIN", default="data.ct.gov")
CTODP_PUBLIC_BASE_URL = env("CTODP_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# The agency (slug) whose inventory lists the CT Data Catalog and the retired-assets list as
# portal datasets: OPM houses the Chief Data Officer (ADR 0030).
CTODP_CATALOG_AGENCY = env("CTODP_CATALOG_AGENCY", default="opm")

# --- Publishing (sources, runs, the stuck-run sweeper) --------------------------------------


from ctodp.settings.sources import *  # noqa: E402, F403

# A queued or running run without a heartbeat for this long is requeued by the sweeper. A
# running run beats every CTODP_RUN_HEARTBEAT_SECONDS (a thread in the worker); its database
# writes wait up to CTODP_RUN_DB_WAIT_SECONDS for an unreachable database. See OPERATIONS.md.
CTODP_RUN_STUCK_AFTER = env.int("CTODP_RUN_STUCK_AFTER_SECONDS", default=15 * 60)
CTODP_RUN_MAX_ATTEMPTS = env.int("CTODP_RUN_MAX_ATTEMPTS", default=5)
CTODP_RUN_HEARTBEAT = env.float("CTODP_RUN_HEARTBEAT_SECONDS", default=30.0)
CTODP_RUN_DB_WAIT = env.float("CTODP_RUN_DB_WAIT_SECONDS", default=60.0)
# How often beat sends the sweeper (ADR 0023): a running run whose heartbeat is two beats late
# has lost its worker and is queued again at the next sweep, not after the stuck timeout.
CTODP_RUN_SWEEP = env.float("CTODP_RUN_SWEEP_SECONDS", default=60.0)
# A privacy screen queued or running without progress for this long is failed by the sweeper.
CTODP_SCREEN_STUCK_AFTER = env.int("CTODP_SCREEN_STUCK_AFTER_SECONDS", default=15 * 60)
# Aggregation with suppression runs in the request only for an uploaded file up to this size.
CTODP_SUPPRESS_SYNC_BYTES = env.int("CTODP_SUPPRESS_SYNC_BYTES", default=5 * 1024 * 1024)
CELERY_BEAT_SCHEDULE = {
    "publishing-sweep-stuck-runs": {
        "task": "publishing.sweep_stuck_runs",
        "schedule": CTODP_RUN_SWEEP,  # also the outbox: sends runs the broker was down for
    },
    "publishing-run-due-schedules": {
        "task": "publishing.run_due_schedules",
        "schedule": 60.0,
    },
    "publishing-retirements": {
        "task": "publishing.retirements_tick",
        "schedule": 3600.0,
    },
    "publishing-sweep-stuck-screens": {
        "task": "publishing.sweep_stuck_screens",
        "schedule": 300.0,
    },
    "program-send-reminders": {
        "task": "program.send_reminders",
        "schedule": 3600.0,
    },
    "publishing-sync-portal": {
        "task": "publishing.sync_portal",
        "schedule": 3600.0,
    },
    "sharing-agreement-expiry": {
        "task": "sharing.agreement_expiry",
        "schedule": 86400.0,  # daily: reminders before an agreement ends, then expiry (ADR 0026)
    },
    "upkeep-sync-geo-portal": {
        "task": "upkeep.sync_geo_portal",
        "schedule": 3600.0,
    },
}
