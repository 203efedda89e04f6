"""Developer machine: `make run`. Embedded SQLite and filesystem broker unless the
environment says otherwise; an insecure key is acceptable only here."""

from config.settings import env
from config.settings.base import *  # noqa: F403
from config.settings.base import SECRET_KEY

DEBUG = env.get_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-a-secret-key-0123456789"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
