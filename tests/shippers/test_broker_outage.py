"""With the broker unreachable, a submission succeeds, nothing is lost, and vetting starts
once the relay can publish (core.outbox)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command

from config.celery import app
from core.models import OutboxMessage
from shippers.models import Application
from tests.shippers.factories import complete_application, owner_with_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Publishing goes to a port where nothing listens; restored afterwards."""
    saved_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.conf.broker_write_url = "redis://127.0.0.1:9/0"
    app.amqp._producer_pool = None
    app._pool = None
    yield
    app.conf.broker_write_url = None
    app.amqp._producer_pool = None
    app._pool = None
    app.conf.task_always_eager = saved_eager


@pytest.fixture
def owner_client(client):  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    client.force_login(user)
    return client, user, organisation


def test_submitting_while_the_broker_is_down_succeeds_and_vetting_follows_later(
    owner_client, broker_down, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client, user, organisation = owner_client
    application = complete_application(user, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/portal/applications/{application.pk}/steps/review/", {"action": "submit"}
        )
    # The shipper sees success, the submission is recorded, and so is the work it needs.
    assert response.status_code == 302
    assert response["Location"] == f"/portal/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    pending = OutboxMessage.objects.get(task_name="shippers.tasks.start_vetting")
    assert (pending.status, pending.args, pending.attempts) == ("pending", [application.pk], 1)
    assert "127.0.0.1:9" in pending.last_error or "refused" in pending.last_error.lower()

    # The broker is back (here: tasks run in-process); the relay publishes what waited.
    app.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("relay_outbox")
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    assert application.vetting_runs.get().is_complete
    assert not OutboxMessage.objects.filter(status="pending").exists()
