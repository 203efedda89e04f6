"""Where people land after signing in, the account page and its menu, the shipper role
granted with an organisation, and account e-mails that name the program."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client

from accounts.models import User
from accounts.services import user_grant_role
from config.email import ReadableConsoleBackend
from core.models import AuditEvent
from shippers import services as shipper_services
from shippers.models import Invitation
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> str:
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


@pytest.mark.parametrize(
    ("roles", "landing"),
    [
        ([], "/portal/"),
        (["shipper"], "/portal/"),
        (["content_editor"], "/admin/education/"),
        (["officer"], "/admin/"),
        (["supervisor"], "/admin/"),
    ],
)
def test_after_sign_in_each_role_lands_on_its_page(
    client: Client, roles: list[str], landing: str
) -> None:
    user = UserFactory(roles=roles)
    assert _login(client, user) == landing


def test_a_next_page_still_wins_over_the_landing(client: Client) -> None:
    user = UserFactory(roles=["shipper"])
    response = client.post(
        "/accounts/login/?next=/guidance/", {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/guidance/"


def test_the_account_page_is_styled_with_the_account_menu(client: Client) -> None:
    user = UserFactory(roles=[])
    client.force_login(user)
    html = client.get("/accounts/").content.decode()
    assert "usa-sidenav" in html
    assert 'aria-label="Account menu"' in html
    assert user.email in html
    assert "register the organisation you act for" in html
    assert 'href="/portal/"' in html
    email_page = client.get("/accounts/email/").content.decode()
    assert "usa-sidenav" in email_page
    assert "usa-header" in email_page  # the site's layout, not allauth's bare page
    assert 'class="usa-input"' in email_page  # allauth's fields in USWDS dress
    assert client.get("/accounts/password/change/").status_code == 200
    assert "usa-sidenav" in client.get("/accounts/2fa/").content.decode()
    nav = client.get("/").content.decode()
    assert 'href="/accounts/"' in nav  # "Account" and "Go to your account"
    assert 'href="/accounts/email/"' not in nav


def test_the_account_page_needs_a_signed_in_user(client: Client) -> None:
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_registering_an_organisation_makes_the_user_a_shipper_on_the_record() -> None:
    user = UserFactory(roles=[])
    assert not user.has_role("shipper")
    shipper_services.organisation_create(user=user, legal_name="Harbourline Ltd", country="GB")
    assert user.has_role("shipper")
    event = AuditEvent.objects.get(action="user.change_roles", target_id=str(user.pk))
    assert event.detail["granted"] == ["shipper"]
    assert "Harbourline Ltd" in event.reason
    assert event.actor_id == user.pk
    # Granting again changes and records nothing.
    assert user_grant_role(user=user, role="shipper", actor=user, reason="again") is False
    assert (
        AuditEvent.objects.filter(action="user.change_roles", target_id=str(user.pk)).count() == 1
    )


def test_joining_by_invitation_makes_the_user_a_shipper() -> None:
    owner = UserFactory(roles=[])
    organisation = shipper_services.organisation_create(
        user=owner, legal_name="Cascadia Goods Co.", country="US"
    )
    joiner = UserFactory(roles=[], email="colleague@cascadia.example")
    invitation = shipper_services.invitation_create(
        actor=owner, organisation=organisation, email=joiner.email, role="member"
    )
    shipper_services.invitation_accept(
        user=joiner, token=Invitation.objects.get(pk=invitation.pk).token
    )
    assert joiner.has_role("shipper")


def test_a_stranger_cannot_accept_someone_elses_invitation() -> None:
    from django.core.exceptions import PermissionDenied

    owner = UserFactory(roles=[])
    organisation = shipper_services.organisation_create(
        user=owner, legal_name="Cascadia Goods Co.", country="US"
    )
    invitation = shipper_services.invitation_create(
        actor=owner, organisation=organisation, email="someone@cascadia.example", role="member"
    )
    stranger = UserFactory(roles=[])
    with pytest.raises(PermissionDenied):
        shipper_services.invitation_accept(user=stranger, token=invitation.token)
    assert not stranger.has_role("shipper")


def test_the_sign_up_e_mail_names_the_program_not_the_host(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {"email": "new.seller@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    message = mail.outbox[-1]
    assert settings.PROGRAM_NAME in message.body
    assert "testserver" not in message.body.split("http", 1)[0]  # only in the link itself
    assert message.subject.startswith(f"[{settings.PROGRAM_NAME}]")


def test_console_e_mail_is_logged_at_info_with_links_on_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    link = "http://127.0.0.1:8123/accounts/confirm-email/" + "Mg:1vQxyz" * 12 + "/"
    message = EmailMessage(
        "Confirm", f"Open this link:\n\n{link}\n", "a@x.example", ["b@x.example"]
    )
    with caplog.at_level(logging.INFO, logger="config.email"):
        assert ReadableConsoleBackend().send_messages([message]) == 1
    record = caplog.records[-1]
    assert record.levelno == logging.INFO
    assert link in record.getMessage()
