"""Test run: PostgreSQL when `DATABASE_URL` points there or when the local server at
127.0.0.1:5432 answers, else SQLite; the choice is printed once at start-up."""

import sys

import dj_database_url

from config.settings import env
from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-any-deployment-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

_database_url = env.get("DATABASE_URL")
if _database_url is None and env.port_answers("127.0.0.1", 5432):
    _database_url = "postgres://postgres@127.0.0.1:5432/known_shipper"
if _database_url is None:
    _database_url = f"sqlite:///{VAR_DIR / 'test.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(_database_url)}
# Several checkouts may test against one server at once: each can pick its own test database.
DATABASES["default"]["TEST"] = {"NAME": env.get("TEST_DATABASE_NAME")}
TEST_DATABASE_VENDOR = DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
if "pytest" in sys.modules or "test" in sys.argv:
    print(f"Tests use {TEST_DATABASE_VENDOR} ({DATABASES['default'].get('HOST') or 'file'})")

# Tests that need a real broker (the worker tests) read CELERY_BROKER_URL, or the local Redis.
_broker = env.get("CELERY_BROKER_URL")
if _broker is None and env.port_answers("127.0.0.1", 6379):
    _broker = "redis://127.0.0.1:6379/15"
CELERY_BROKER_URL = _broker or "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
# The fault tests start a worker with a visibility timeout of a few seconds, scanned every
# second, to show a task of a killed worker delivered again (tests/faults).
if CELERY_BROKER_URL.startswith("redis") and env.get("CELERY_VISIBILITY_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.get_int("CELERY_VISIBILITY_TIMEOUT", 900),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = False
# When set (CI does), tests needing a real service fail instead of skipping.
REQUIRE_SERVICES = env.get_bool("REQUIRE_SERVICES", False)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# Tests roll their data back, which a shared page cache would outlive; the cache's own tests
# turn it on (tests/core/test_public_cache.py and the verify and guidance cache tests).
PUBLIC_CACHE_ENABLED = False
# Tests change settings and URLs that the chrome's fragments would outlive (the chrome's own
# test turns them on: tests/accounts/test_chrome_fragments.py).
CACHES = {
    **CACHES,  # noqa: F405
    "template_fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405

# Each test sees rule changes at once (production checks every few seconds).
SHIPMENTS_TARGETING_RELOAD_SECONDS = 0.0
# The in-process test workers (celery.contrib.testing) do not fork, and a preload there would
# freeze the test process's objects; tests/config/test_celery_preload.py turns it on.
SCREENING_PRELOAD_INDEX = False
