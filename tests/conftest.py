"""Shared fixtures. Factories live in tests/<app>/factories.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit

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


@pytest.fixture
def live_worker() -> Iterator[None]:
    """A real Celery worker (threads) on the configured Redis or RabbitMQ broker."""
    broker = urlsplit(settings.CELERY_BROKER_URL)
    if broker.scheme not in {"redis", "amqp", "pyamqp"}:
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"the worker test needs a real broker, not {broker.scheme}://")
        pytest.skip("no real broker configured")
    require_service(broker.hostname or "127.0.0.1", broker.port or 6379, "the Celery broker")
    from celery.contrib.testing.worker import start_worker

    import accounts.tasks  # noqa: F401 - registers the tasks with the app
    import screening.tasks  # noqa: F401
    import shippers.tasks  # noqa: F401
    from config.celery import app

    app.conf.task_always_eager = False
    app.control.purge()  # leftovers of an interrupted earlier run
    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=10
    ):
        yield


def wait_for(condition, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
