"""Shared fixtures. Factories live in tests/<app>/factories.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
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


def pass_mfa_in_session(client: Client, user) -> None:  # type: ignore[no-untyped-def]
    """Make `client`'s session one that passed MFA for `user`, as allauth's sign-in with a
    code would: the user gets a TOTP authenticator if it has none, and the session the
    password and "mfa" authentication records allauth writes."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
    from allauth.account.internal.userkit import user_id_to_str
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        totp = TOTP.activate(user, generate_totp_secret()).instance
    now = time.time()
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": totp.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


@pytest.fixture(autouse=True)
def _staff_force_login_passes_mfa(monkeypatch):  # type: ignore[no-untyped-def]
    """Test harness for the staff MFA rule (accounts.middleware): every request of a staff
    session must have passed MFA in this login. `Client.force_login(user)` skips allauth's
    sign-in, so for a staff user it also does what the sign-in with a code would (see
    `pass_mfa_in_session`): the many tests about what an officer may do need not repeat
    the second step. Tests of the rule itself opt out with `force_login(user, mfa=False)`
    (a session that signed in with a password only). Shippers are never touched.

    `APIClient.force_authenticate` bypasses DRF authentication altogether (no session, no
    token), so it stands for a credential that already passed every check; the MFA rule of
    the API is tested through real sessions and tokens (tests/accounts/test_staff_mfa.py)."""
    from accounts.staff_sessions import is_staff_account

    original = Client.force_login

    def force_login(self, user, backend=None, mfa=True):  # type: ignore[no-untyped-def]
        original(self, user, backend)
        if mfa and is_staff_account(user):
            pass_mfa_in_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


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
def postgresql() -> None:
    """For tests that need PostgreSQL itself (its locks, ending a backend): skipped on the
    SQLite fallback, unless REQUIRE_SERVICES makes that a failure."""
    if settings.TEST_DATABASE_VENDOR == "postgresql":
        return
    if settings.REQUIRE_SERVICES:
        pytest.fail("this test needs PostgreSQL and REQUIRE_SERVICES is set")
    pytest.skip("this test needs PostgreSQL")


@pytest.fixture
def unreachable_broker() -> Iterator[None]:
    """Publishing goes to a port where nothing listens (a live worker keeps its own
    connection); tasks are not run in-process meanwhile. Restored afterwards."""
    from config.celery import app

    saved_url, saved_eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    app.conf.broker_write_url = "redis://127.0.0.1:9/0"
    app.amqp._producer_pool = None
    app._pool = None
    yield
    app.conf.broker_url = saved_url
    app.conf.broker_write_url = None
    app.amqp._producer_pool = None
    app._pool = None
    app.conf.task_always_eager = saved_eager


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
