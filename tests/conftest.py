"""Shared fixtures. Factories live in tests/<app>/factories.py."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from config.settings import env


@pytest.fixture(autouse=True)
def _eager_celery_for_unit_tests(settings):  # type: ignore[no-untyped-def]
    """Tasks enqueued by most tests run in-process; tests marked `worker` use a real worker."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _mail_through_the_outbound_queue(settings):  # type: ignore[no-untyped-def]
    """Django's test set-up swaps every mailer for the memory backend; keep the project's
    real path (queue on commit, deliver from a task) and deliver into `mail.outbox`."""
    settings.MAILERS = {
        "default": {"BACKEND": "config.email.CeleryEmailBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def require_service(host: str, port: int, name: str) -> None:
    """Skip when a local service is absent, unless REQUIRE_SERVICES (CI) makes it a failure."""
    if env.port_answers(host, port, timeout=1.0):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if settings.REQUIRE_SERVICES:
        pytest.fail(message + " and REQUIRE_SERVICES is set")
    pytest.skip(message)
