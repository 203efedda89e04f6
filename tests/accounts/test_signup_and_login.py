"""Sign-up with mandatory e-mail verification, login, logout, password reset, e-mail change."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import OutboundEmail, User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _link_in_last_mail(path_part: str) -> str:
    body = mail.outbox[-1].body
    match = re.search(rf"https?://[^/\s]+({re.escape(path_part)}[^\s]*)", body)
    assert match, body
    return match.group(1)


def test_signup_requires_email_verification_before_login(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": "new.seller@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.seller@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    # The verification mail went through the outbound queue and the (eager) Celery task.
    assert OutboundEmail.objects.get(recipients="new.seller@example.org").status == "sent"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.seller@example.org"]

    client.logout()
    refused = client.post(
        "/accounts/login/", {"login": "new.seller@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 302
    assert refused["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    confirm_url = _link_in_last_mail("/accounts/confirm-email/")
    client.post(confirm_url)
    assert EmailAddress.objects.get(user=user).verified
    assert (
        client.post(
            "/accounts/login/", {"login": "new.seller@example.org", "password": PASSWORD}
        ).status_code
        == 302
    )
    assert int(client.session["_auth_user_id"]) == user.pk


def test_weak_password_is_refused_with_a_clear_error(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "weak@example.org", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html  # the error summary
    assert "This password is too short" in html or "too common" in html
    assert not User.objects.filter(email="weak@example.org").exists()


def test_login_and_logout(client: Client) -> None:
    user = UserFactory()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused(client: Client) -> None:
    user = UserFactory()
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "not-the-password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert (
        "The email address and/or password you specified are not correct."
        in response.content.decode()
    )


def test_password_reset(client: Client, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
    reset_url = _link_in_last_mail("/accounts/password/reset/key/")
    form_url = client.get(reset_url)["Location"]
    new_password = "a-brand-new-passphrase-2026"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_email_change_needs_verification_of_the_new_address(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/email/", {"action_add": "", "email": "changed@example.org"}
        )
    assert response.status_code == 302
    new_address = EmailAddress.objects.get(user=user, email="changed@example.org")
    assert not new_address.verified
    assert mail.outbox[-1].to == ["changed@example.org"]
