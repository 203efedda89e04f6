"""The yardstick of `bench/public_pages.py`: a bare Django page, two middlewares, no database,
served by the same gunicorn. `gunicorn bench.bare_django:application`."""

from __future__ import annotations

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

PAGE = "<!DOCTYPE html><html lang=en><title>Bare</title><p>" + "Hello, world. " * 40 + "</p>"


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


urlpatterns = [path("", page)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-bare-django-page-not-a-deployment-key-0123456789",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
    ],
    INSTALLED_APPS=[],
    DATABASES={},
)
django.setup()
application = get_wsgi_application()
