"""Production: every secret comes from the environment and nothing insecure has a default.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL,
EMAIL_URL. A missing one stops start-up with a message naming it.
"""

from config.settings import env
from config.settings.base import *  # noqa: F403

DEBUG = env.get_bool("DJANGO_DEBUG", False)
if DEBUG:
    raise env.ImproperlyConfiguredError("DJANGO_DEBUG", "must not be true in production")
SECRET_KEY = env.require("DJANGO_SECRET_KEY")
# Django's own check counts 5 distinct characters; "abcde" * 12 passes it. A random key of
# 50 characters has about 30 distinct ones, and no character repeats in long runs.
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 20
    or any(SECRET_KEY.count(SECRET_KEY[i : i + 5]) > 2 for i in range(len(SECRET_KEY) - 4))
):
    raise env.ImproperlyConfiguredError(
        "DJANGO_SECRET_KEY",
        "must be at least 50 random characters (generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)",
    )
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise env.ImproperlyConfiguredError("DJANGO_ALLOWED_HOSTS", "is required but not set")
env.require("DATABASE_URL")
env.require("CELERY_BROKER_URL")
env.require("EMAIL_URL")
env.require("DEFAULT_FROM_EMAIL")
# Several web processes must share rate limits and one-time-code replay markers.
env.require("CACHE_URL")

SECURE_SSL_REDIRECT = env.get_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.get_int("DJANGO_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
LOG_FORMAT = "json"
LOGGING = {**LOGGING}  # noqa: F405
LOGGING["handlers"] = {
    "console": {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "filters": ["request_id"],
    }
}
