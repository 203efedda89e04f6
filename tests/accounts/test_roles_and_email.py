from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from accounts import roles
from accounts.models import OutboundEmail, User
from accounts.services import outbound_email_deliver, outbound_email_queue
from config.email import serialize_message

pytestmark = pytest.mark.django_db


def test_every_role_exists_with_exactly_its_declared_permissions() -> None:
    for role, declared in roles.declared_role_permissions().items():
        group = Group.objects.get(name=role)
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert granted == set(declared), role


def test_sync_roles_reports_nothing_missing() -> None:
    assert roles.sync_roles() == {}


def test_roles_make_staff_only_for_staff_roles() -> None:
    from accounts.services import user_set_roles

    user = User.objects.create_user("someone@example.org", "a-long-enough-passphrase")
    user_set_roles(user=user, roles=[roles.SHIPPER])
    assert not user.is_staff
    user_set_roles(user=user, roles=[roles.OFFICER])
    assert user.is_staff
    assert user.has_perm("accounts.use_officer_pages")
    with pytest.raises(ValueError, match="Unknown roles: wizard"):
        user_set_roles(user=user, roles=["wizard"])


def test_delivery_is_idempotent(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from django.core.mail import EmailMessage

    payload = serialize_message(
        EmailMessage("Status changed", "Body", "from@example.org", ["to@example.org"])
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = outbound_email_queue(payload=payload)
    assert len(callbacks) == 1  # delivery waits for the commit
    assert email.status == OutboundEmail.Status.QUEUED
    assert mail.outbox == []
    outbound_email_deliver(email_id=email.pk)
    outbound_email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1
    assert len(mail.outbox) == 1


def test_a_failed_delivery_is_recorded_and_retried(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.mail import EmailMessage

    from accounts.services import EMAIL_SEAL_PURPOSE, EmailDeliveryError
    from core.sealing import seal

    settings.MAILERS = {
        **settings.MAILERS,
        "delivery": {  # nothing listens on port 1
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        },
    }
    payload = serialize_message(EmailMessage("Hi", "Body", "from@example.org", ["to@example.org"]))
    email = OutboundEmail.objects.create(
        recipients="to@example.org",
        subject="Hi",
        sealed_message=seal(payload, purpose=EMAIL_SEAL_PURPOSE),
    )
    with pytest.raises(EmailDeliveryError):
        outbound_email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error


def test_seed_demo_is_idempotent(settings, capsys) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert "officer@demo.example" in first
    assert "created" in first
    assert "created" not in second
    assert User.objects.filter(email__endswith="@demo.example").count() == 6
    officer = User.objects.get(email="officer@demo.example")
    assert officer.is_staff
    assert officer.has_role("officer")
    # One complete application is submitted for the officers' queue, once.
    from shippers.models import Application

    demo = Application.objects.get(organisation__legal_name="Cascadia Goods Co.")
    assert demo.status == Application.Status.SUBMITTED
    assert demo.documents.count() >= 1
    assert demo.documents.first().file.read().startswith(b"%PDF-1.4")  # type: ignore[union-attr]
    assert "submitted for Cascadia Goods Co." in first
    assert "exists (Submitted)" in second


def test_seed_demo_refuses_without_debug(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing with DEBUG off"):
        call_command("seed_demo")
