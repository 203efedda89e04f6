"""Stored e-mails never show staff a link that would take over an account."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test import Client

from accounts import roles
from accounts.demo import current_totp_code
from accounts.models import OutboundEmail
from core.sealing import SealBroken, seal, unseal
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _reset_key_path() -> str:
    match = re.search(r"(/accounts/password/reset/key/[^\s]+)", mail.outbox[-1].body)
    assert match
    return match.group(1)


def test_a_queued_reset_email_does_not_rest_readable(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/accounts/password/reset/", {"email": user.email})
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.QUEUED
    assert "reset" not in email.sealed_message.lower()
    assert "/accounts/password/reset/key/" not in str(
        OutboundEmail.objects.filter(pk=email.pk).values().get()
    )
    payload = unseal(email.sealed_message, purpose="outbound-email")
    assert "/accounts/password/reset/key/" in payload["body"]


def test_a_delivered_email_keeps_only_its_metadata(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
    key_path = _reset_key_path()
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.SENT
    assert email.sealed_message == ""
    assert key_path not in str(OutboundEmail.objects.filter(pk=email.pk).values().get())


def test_staff_see_metadata_not_the_message_in_the_admin(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    shipper = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/accounts/password/reset/", {"email": shipper.email})
    email = OutboundEmail.objects.get()
    officer = UserFactory(roles=[roles.OFFICER])
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": current_totp_code(secret)})
    page = client.get(f"/admin/accounts/outboundemail/{email.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert shipper.email in content  # who it went to and what about: metadata
    assert "/accounts/password/reset/key/" not in content
    assert email.sealed_message not in content


def test_a_tampered_seal_is_refused() -> None:
    token = seal({"a": 1}, purpose="test")
    assert unseal(token, purpose="test") == {"a": 1}
    with pytest.raises(SealBroken):
        unseal(token[:-4] + "AAAA", purpose="test")
    with pytest.raises(SealBroken):
        unseal(token, purpose="another purpose")


def test_a_rotated_secret_key_still_opens_older_seals(settings) -> None:  # type: ignore[no-untyped-def]
    token = seal({"a": 1}, purpose="test")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert unseal(token, purpose="test") == {"a": 1}
