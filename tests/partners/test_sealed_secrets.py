"""Webhook signing secrets are sealed at rest: a database dump does not give them away,
yet deliveries are still signed with them (checked by the real local receiver)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db import connection

from partners.models import WebhookEndpoint
from partners.services.endpoints import endpoint_register, endpoint_rotate_secret
from shippers import services as shipper_services
from shippers.models import Application
from tests.partners.factories import known_shipper, officer, partner
from tests.partners.receiver import Receiver, running_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:  # type: ignore[no-untyped-def]
    settings.PARTNERS_WEBHOOK_ALLOW_LOCAL_HTTP = True
    with running_receiver() as running:
        yield running


def stored_row(endpoint: WebhookEndpoint) -> str:
    """Every column of the endpoint's row, as a dump would show it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {WebhookEndpoint._meta.db_table} WHERE id = %s",  # noqa: S608
            [endpoint.pk],
        )
        return " ".join(str(value) for value in cursor.fetchone())


def suspend(certificate, capture) -> None:  # type: ignore[no-untyped-def]
    application = Application.objects.get(pk=certificate.application_id)
    with capture(execute=True):
        shipper_services.application_suspend(
            actor=officer(), application=application, reason="Undeclared goods."
        )


def test_the_stored_row_does_not_hold_the_secret_and_deliveries_verify(
    receiver, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    endpoint, old = endpoint_register(
        partner=partner(), url=receiver.url, events=["certificate.suspended"]
    )
    row = stored_row(endpoint)
    assert old not in row
    assert old.removeprefix("whsec_") not in row
    assert "whsec_" not in row
    endpoint, new = endpoint_rotate_secret(endpoint=endpoint, overlap_hours=24)
    row = stored_row(endpoint)
    assert old not in row
    assert new not in row
    receiver.secrets = [old, new]
    _, certificate = known_shipper()
    suspend(certificate, django_capture_on_commit_callbacks)
    [message] = receiver.received
    assert message["verified_by"] == [old, new]


def test_a_secret_sealed_with_a_retired_key_still_signs(settings) -> None:  # type: ignore[no-untyped-def]
    endpoint, secret = endpoint_register(
        partner=partner(), url="https://partner.example/hooks", events=["certificate.revoked"]
    )
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-for-this-deployment-" + "x" * 30
    endpoint.refresh_from_db()
    assert endpoint.signing_secrets() == [secret]


def test_the_migration_seals_secrets_stored_in_the_clear(
    receiver, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    endpoint, secret = endpoint_register(
        partner=partner(), url=receiver.url, events=["certificate.suspended"]
    )
    # A row as migration 0001 left it: the secret in the clear.
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(sealed_secret=secret)
    assert secret in stored_row(endpoint)
    migration = importlib.import_module("partners.migrations.0002_seal_webhook_secrets")
    migration.seal_existing(apps, None)
    migration.seal_existing(apps, None)  # a second run leaves sealed rows alone
    assert secret not in stored_row(endpoint)
    receiver.secrets = [secret]
    _, certificate = known_shipper()
    suspend(certificate, django_capture_on_commit_callbacks)
    [message] = receiver.received
    assert message["verified_by"] == [secret]
