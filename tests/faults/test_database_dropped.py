"""The database connection of a request dropped half-way (the server ends its backend, as
a failover or an administrator would): the request fails cleanly, nothing of it is kept,
and the shipper's retry goes through once. A real server thread and a real PostgreSQL
backend being terminated; nothing mocked."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client

from config.celery import app
from core.models import OutboxMessage
from shippers.models import Application
from tests.faults.test_worker_killed import database_url
from tests.shippers.factories import (
    application_events,
    complete_application,
    owner_with_organisation,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _open(url: str, cookies: dict[str, str], data: bytes | None = None) -> tuple[int, str]:
    """One HTTP request to the live server, redirects not followed: (status, body)."""
    assert url.startswith("http://127.0.0.1:") or url.startswith("http://localhost:")
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie})  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def terminate_on_submit(postgresql: None) -> Iterator[list[int]]:
    """While the submission is being written (the application saved as submitted, its audit
    event and outbox message still to come), PostgreSQL ends the request's backend."""
    terminated: list[int] = []

    def drop_connection(sender: Any, instance: Application, **kwargs: Any) -> None:
        if instance.status != Application.Status.SUBMITTED or terminated:
            return
        pid = connection.connection.info.backend_pid  # the request thread's connection
        dsn = database_url().replace("postgres://", "postgresql://")
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        terminated.append(pid)

    post_save.connect(drop_connection, sender=Application, dispatch_uid="fault-drop")
    yield terminated
    post_save.disconnect(sender=Application, dispatch_uid="fault-drop")


def test_a_request_whose_connection_is_dropped_keeps_nothing_and_the_retry_succeeds(
    live_server: Any, terminate_on_submit: list[int]
) -> None:
    app.conf.task_always_eager = False  # the vetting tasks are only queued here
    owner, organisation = owner_with_organisation()
    application = complete_application(owner, organisation)
    events_before = application_events(application).count()
    browser = Client()
    browser.force_login(owner)
    review = f"{live_server.url}/portal/applications/{application.pk}/steps/review/"
    cookies = {settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value}
    status, body = _open(review, cookies)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token is not None

    def submit() -> int:
        data = urlencode({"csrfmiddlewaretoken": token.group(1), "action": "submit"}).encode()
        return _open(review, {**cookies, settings.CSRF_COOKIE_NAME: token.group(1)}, data)[0]

    assert submit() == 500
    assert len(terminate_on_submit) == 1
    # Nothing of the failed request was kept: no status change, event or queued work.
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application_events(application).count() == events_before
    assert not OutboxMessage.objects.filter(args=[application.pk]).exists()

    # The shipper tries again on a fresh connection: it goes through, once.
    assert submit() == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application_events(application, "submit").count() == 1
    assert (
        OutboxMessage.objects.filter(
            task_name="shippers.tasks.start_vetting", args=[application.pk]
        ).count()
        == 1
    )
    app.control.purge()
