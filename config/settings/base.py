"""Settings shared by every environment. Environment values come only from ``env``."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from django.utils.csp import CSP

from config.settings import env

# Lets typed code write `admin.ModelAdmin[Model]`, `QuerySet[Model]` at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.get("KNOWN_SHIPPER_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")

PROGRAM_NAME = env.get("PROGRAM_NAME", "Known Shipper Program") or "Known Shipper Program"
# ISO 3166 code of the administration running the program; prefixes certificate numbers.
PROGRAM_COUNTRY = (env.get("PROGRAM_COUNTRY", "US") or "US").upper()
# Public address of the portal, for links in e-mails and certificates.
SITE_URL = (env.get("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
# Partner webhooks: first retry after this many seconds, doubling up to the cap, for at most
# the maximum age; a rotated secret keeps signing for the overlap; the receiver's timeout.
PARTNERS_WEBHOOK_RETRY_BASE_SECONDS = env.get_int("PARTNERS_WEBHOOK_RETRY_BASE_SECONDS", 30)
PARTNERS_WEBHOOK_RETRY_CAP_SECONDS = env.get_int("PARTNERS_WEBHOOK_RETRY_CAP_SECONDS", 6 * 3600)
PARTNERS_WEBHOOK_MAX_AGE_HOURS = env.get_int("PARTNERS_WEBHOOK_MAX_AGE_HOURS", 72)
PARTNERS_WEBHOOK_SECRET_OVERLAP_HOURS = env.get_int("PARTNERS_WEBHOOK_SECRET_OVERLAP_HOURS", 24)
PARTNERS_WEBHOOK_TIMEOUT_SECONDS = env.get_int("PARTNERS_WEBHOOK_TIMEOUT_SECONDS", 10)
# Plain-http endpoints on localhost (a developer's receiver); never in production.
PARTNERS_WEBHOOK_ALLOW_LOCAL_HTTP = env.get_bool(
    "PARTNERS_WEBHOOK_ALLOW_LOCAL_HTTP", env.get_bool("DJANGO_DEBUG", False)
)
PARTNERS_BULK_VERIFY_MAX = env.get_int("PARTNERS_BULK_VERIFY_MAX", 1000)
# Shipper program rules that an administration may set.
SHIPPERS_REAPPLY_AFTER_REJECTION_DAYS = env.get_int("SHIPPERS_REAPPLY_AFTER_REJECTION_DAYS", 180)
SHIPPERS_MAX_UPLOAD_BYTES = env.get_int("SHIPPERS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Denied-party screening: a score at or above the review threshold is flagged for an officer;
# at or above the hit threshold it is a likely hit (figures from bench/screening_quality.py).
SCREENING_REVIEW_THRESHOLD = float(env.get("SCREENING_REVIEW_THRESHOLD", "0.75") or 0.75)
SCREENING_HIT_THRESHOLD = float(env.get("SCREENING_HIT_THRESHOLD", "0.87") or 0.87)
# Lists fetched on a schedule: "format=url url ...;format=url" (e.g. "ofac=https://.../sdn.csv
# https://.../alt.csv https://.../add.csv;un=https://.../consolidated.xml"). Empty: none.
SCREENING_LIST_SOURCES = env.get("SCREENING_LIST_SOURCES", "") or ""
# Build the screening index when a Celery worker starts, before its pool forks (README).
SCREENING_PRELOAD_INDEX = env.get_bool("SCREENING_PRELOAD_INDEX", True)
# Shipment risk targeting (README "Risk targeting"): score -> decision, trust factor per
# known-shipper tier ("tier=factor,..."), rates to US dollars ("EUR=1.08,...": a currency
# without a rate is never judged by a value condition), how often a process checks for new
# rules, the window of the unit-value statistics and the shipments per screening task.
SHIPMENTS_REVIEW_SCORE = float(env.get("SHIPMENTS_REVIEW_SCORE", "40") or 40)
SHIPMENTS_HOLD_SCORE = float(env.get("SHIPMENTS_HOLD_SCORE", "80") or 80)
SHIPMENTS_TRUST_FACTORS = env.get("SHIPMENTS_TRUST_FACTORS", "1=0.75,2=0.5") or ""
SHIPMENTS_USD_RATES = env.get("SHIPMENTS_USD_RATES", "USD=1") or "USD=1"
SHIPMENTS_TARGETING_RELOAD_SECONDS = float(env.get("SHIPMENTS_TARGETING_RELOAD_SECONDS", "2") or 2)
SHIPMENTS_VALUE_STATISTICS_DAYS = env.get_int("SHIPMENTS_VALUE_STATISTICS_DAYS", 90)
SHIPMENTS_SCREENING_CHUNK = env.get_int("SHIPMENTS_SCREENING_CHUNK", 500)
# A known shipper whose compliance rate (examined shipments without a discrepancy) falls
# below this, on at least the minimum of examinations, is re-vetted (README "Officer queue").
SHIPMENTS_COMPLIANCE_ALERT_BELOW = float(env.get("SHIPMENTS_COMPLIANCE_ALERT_BELOW", "0.8") or 0.8)
SHIPMENTS_COMPLIANCE_MIN_EXAMINED = env.get_int("SHIPMENTS_COMPLIANCE_MIN_EXAMINED", 5)
# Guidance articles whose "last reviewed" date is older than this are due for review.
EDUCATION_REVIEW_INTERVAL_DAYS = env.get_int("EDUCATION_REVIEW_INTERVAL_DAYS", 365)
# "Was this helpful?" answers accepted per client address and hour.
EDUCATION_FEEDBACK_LIMIT_PER_HOUR = env.get_int("EDUCATION_FEEDBACK_LIMIT_PER_HOUR", 5)
# Penalty cases: a penalty notice above this amount needs a supervisor's approval.
ENFORCEMENT_SUPERVISOR_APPROVAL_ABOVE = (
    env.get("ENFORCEMENT_SUPERVISOR_APPROVAL_ABOVE", "50000.00") or "50000.00"
)
# A decided penalty unpaid this many days after it fell due suspends the shipper.
ENFORCEMENT_SUSPEND_UNPAID_AFTER_DAYS = env.get_int("ENFORCEMENT_SUSPEND_UNPAID_AFTER_DAYS", 30)
# Respondents are reminded this many days before a deadline.
ENFORCEMENT_REMINDER_DAYS_BEFORE = env.get_int("ENFORCEMENT_REMINDER_DAYS_BEFORE", 7)
# Officers are warned this many days before the 5-year statute of limitations runs out.
ENFORCEMENT_LIMITATIONS_WARNING_DAYS = env.get_int("ENFORCEMENT_LIMITATIONS_WARNING_DAYS", 180)
# Advance shipment data: the largest batch body accepted (bytes) and shipments per batch.
SHIPMENTS_MAX_BODY_BYTES = env.get_int("SHIPMENTS_MAX_BODY_BYTES", 32 * 1024 * 1024)
SHIPMENTS_MAX_BATCH = env.get_int("SHIPMENTS_MAX_BATCH", 5000)
# Reverse proxies in front of the web processes that append to X-Forwarded-For; the client
# address (rate limits, audit log) is read that many entries from the right. 0: REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.get_int("TRUSTED_PROXY_COUNT", 0)
# allauth's own limits (sign-in, sign-up, password reset) read the same count.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Staff sessions (officers, supervisors, editors) end after this long without a request, and
# this long after sign-in whatever the activity (README "Security").
STAFF_SESSION_IDLE_SECONDS = env.get_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)
STAFF_SESSION_MAX_SECONDS = env.get_int("STAFF_SESSION_MAX_SECONDS", 12 * 60 * 60)

DEBUG = env.get_bool("DJANGO_DEBUG", False)
SECRET_KEY = env.get("DJANGO_SECRET_KEY", "") or ""
# Older keys still accepted for signatures and sealed data while keys rotate.
SECRET_KEY_FALLBACKS = env.get_list("DJANGO_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.get_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "accounts",
    "shippers",
    "enforcement",
    "education",
    "apikeys",
    "shipments",
    "partners",
    "screening",
    "demo",  # last: demo data may use every app above
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "config.middleware.RejectNulMiddleware",
    # Anonymous hits on stored public pages are answered here, before the rest of the stack.
    "core.public_cache.PublicPageMiddleware",
    "config.middleware.UploadSizeLimitMiddleware",
    "core.middleware.AuditContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMfaRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.csp",
                "accounts.context_processors.navigation",
            ],
        },
    }
]
FORM_RENDERER = "config.forms.PortalFormRenderer"

# Embedded default: SQLite under var/, so `make run` needs no database server.
DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}") or "",
        conn_max_age=env.get_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and immediate transactions let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits (allauth, DRF) and one-time-code replay protection live in the cache, so
# every web process of a deployment must share it: CACHE_URL=redis://host:6379/1.
CACHES = {
    "default": env.parse_cache_url("CACHE_URL", env.get("CACHE_URL", "locmem://") or ""),
    # `{% cache %}` fragments of the page chrome (base.html) that depend only on the code
    # and settings (URLs, hashed static file names, the program name): kept in each
    # process's memory for its lifetime, which a deployment ends.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "TIMEOUT": None,
    },
}
# Anonymous public pages (guidance, verify) are kept in that cache until what they show
# changes (`core.public_cache`); the header figures tell browsers and a CDN how long to keep them.
# Shipments `manage.py seed_demo` files for the demo filer (make run).
DEMO_SHIPMENTS = env.get_int("DEMO_SHIPMENTS", 3000)
PUBLIC_CACHE_ENABLED = env.get_bool("PUBLIC_CACHE_ENABLED", True)
PUBLIC_CACHE_TIMEOUT = env.get_int("PUBLIC_CACHE_TIMEOUT", 86_400)
PUBLIC_CACHE_MAX_AGE = env.get_int("PUBLIC_CACHE_MAX_AGE", 60)
PUBLIC_CACHE_S_MAXAGE = env.get_int("PUBLIC_CACHE_S_MAXAGE", 300)
PUBLIC_CACHE_STALE_WHILE_REVALIDATE = env.get_int("PUBLIC_CACHE_STALE_WHILE_REVALIDATE", 60)
# Paths whose stored anonymous copies `core.public_cache.PublicPageMiddleware` answers before
# the rest of the middleware stack (only pages a view caches are ever stored).
PUBLIC_CACHE_PATH_PREFIXES = env.get_list(
    "PUBLIC_CACHE_PATH_PREFIXES", ["/guidance/", "/verify/", "/api/v1/verify/", "/sitemap.xml"]
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; verification is mandatory before first login.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # landing by role; e-mails name the program
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PROGRAM_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PROGRAM_NAME
# "Signed-in devices" (/accounts/sessions/): a session is recorded at sign-in. Tracking the
# last request of each session (and its middleware) would write a row on every request.
USERSESSIONS_TRACK_ACTIVITY = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.get("TIME_ZONE", "UTC") or "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # USWDS is installed from npm by the set-up and served as our own static files (no CDN).
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded documents are private: kept outside any public path, served only by views that
# check membership (never by the web server or whitenoise).
PRIVATE_MEDIA_ROOT = Path(env.get("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")) or "")
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/private-media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# Outgoing mail is queued on Celery after commit ("default"); the worker delivers it with
# the "delivery" mailer that EMAIL_URL describes (Django 6.1 MAILERS).
MAILERS = {
    "default": {"BACKEND": "config.email.CeleryEmailBackend"},
    "delivery": env.parse_email_url("EMAIL_URL", env.get("EMAIL_URL", "console://") or "").mailer(),
}
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "known-shipper@localhost") or ""
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. Embedded default: kombu's filesystem transport under var/, needing no broker server.
CELERY_BROKER_URL = env.get("CELERY_BROKER_URL", "filesystem://") or "filesystem://"
# Redis (and SQS) hand an unacknowledged task to another worker this many seconds after a
# worker host was lost; every countdown and retry back-off stays below it (README).
CELERY_VISIBILITY_TIMEOUT = env.get_int("CELERY_VISIBILITY_TIMEOUT", 900)
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_queue_dir / "control"),
        # The embedded transport polls its folder; kombu's default of 1 s made each vetting
        # step wait up to a second.
        "polling_interval": float(env.get("CELERY_BROKER_POLL_SECONDS", "0.1") or 0.1),
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://", "sqs://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND = env.get("CELERY_RESULT_BACKEND")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "partner-webhooks": {
        "task": "partners.tasks.deliver_due_webhooks",
        "schedule": crontab(minute="*"),
    },
    "outbox-relay": {
        "task": "core.tasks.relay_outbox",
        "schedule": crontab(minute="*"),
    },
    "worker-heartbeat": {
        "task": "accounts.tasks.record_worker_heartbeat",
        "schedule": crontab(minute="*"),
    },
    "certificate-expiry": {
        "task": "shippers.tasks.certificate_expiry_sweep",
        "schedule": crontab(hour=6, minute=0),
    },
    "overdue-information-requests": {
        "task": "shippers.tasks.rfi_overdue_sweep",
        "schedule": crontab(hour=6, minute=15),
    },
    "screening-list-refresh": {
        "task": "screening.tasks.refresh_screening_lists",
        "schedule": crontab(hour=5, minute=0),
    },
    "vetting-sweep": {
        "task": "shippers.tasks.vetting_sweep",
        "schedule": crontab(minute="*/10"),
    },
    "periodic-re-vetting": {
        "task": "shippers.tasks.revet_active_shippers",
        "schedule": crontab(day_of_month=1, hour=4, minute=0),
    },
    "education-review-reminders": {
        "task": "education.tasks.remind_review_due",
        "schedule": crontab(hour=6, minute=30),
    },
    "enforcement-deadline-sweep": {
        "task": "enforcement.tasks.deadline_sweep",
        "schedule": crontab(hour=6, minute=0),
    },
    "enforcement-consequences-sweep": {
        "task": "enforcement.tasks.consequences_sweep",
        "schedule": crontab(hour=6, minute=30),
    },
    "shipments-value-statistics": {
        "task": "shipments.tasks.refresh_value_statistics",
        "schedule": crontab(hour=3, minute=15),
    },
    "shipments-screening-sweep": {
        "task": "shipments.tasks.screening_sweep",
        "schedule": crontab(minute="*/5"),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: unauthenticated API calls get 401 with a WWW-Authenticate header.
        # Both keep the staff rules: MFA on sessions, no tokens for staff (accounts.authentication).
        "accounts.authentication.PartnerTokenAuthentication",
        "accounts.authentication.MfaSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonRateThrottle",
        "config.throttling.UserRateThrottle",
        "config.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.get("API_THROTTLE_ANON", "60/minute"),
        "user": env.get("API_THROTTLE_USER", "1000/minute"),
        "verify": env.get("API_THROTTLE_VERIFY", "30/minute"),
        "verify_bulk": env.get("API_THROTTLE_VERIFY_BULK", "120/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{PROGRAM_NAME} API",
    "DESCRIPTION": (
        "Advance shipment data, status verification for partner administrations and "
        "screening. Authenticate with a session, `Authorization: Token <key>`, or (for "
        "shipments) an organisation API key: `Authorization: Api-Key <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ShipmentStatusEnum": "shipments.models.ShipmentStatus",
        "ShipmentDecisionEnum": "shipments.models.Decision",
        "WebhookEventTypeEnum": "partners.events.EventType",
    },
}

# Content Security Policy (Django 6): no inline script anywhere, only our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LOG_FORMAT = env.get("LOG_FORMAT", "text") or "text"
LOG_LEVEL = (env.get("LOG_LEVEL", "INFO") or "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
    },
}
