"""The demo data of `make run`: accounts for every role, organisations and one submitted
application, seeded idempotently and never with DEBUG off; the demo staff's current codes."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from accounts.models import User
from apikeys.models import OrganisationAPIKey
from demo.accounts import current_totp_code
from partners.models import PartnerAdministration, TrustedTraderListVersion
from partners.recognitions import recognitions_of
from shippers.models import Application, Organisation

pytestmark = pytest.mark.django_db


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
    demo = Application.objects.get(organisation__legal_name="Cascadia Goods Co.")
    assert demo.status == Application.Status.SUBMITTED
    assert demo.documents.count() >= 1
    assert demo.documents.first().file.read().startswith(b"%PDF-1.4")  # type: ignore[union-attr]
    assert "submitted for Cascadia Goods Co." in first
    assert "exists (Submitted)" in second
    assert_partners_demo(first, second)


def assert_partners_demo(first: str, second: str) -> None:
    """The partners step: CBSA under an MRA in force, the demo partner as its user, a key
    printed once, its PIP list on which the demo applicant is recognised; nothing doubled."""
    partner = PartnerAdministration.objects.get(name="Canada Border Services Agency")
    assert partner.mra_status == PartnerAdministration.MraStatus.IN_FORCE
    assert partner.organisation.memberships.filter(user__email="partner@demo.example").exists()
    [key] = OrganisationAPIKey.objects.filter(organisation=partner.organisation)
    assert set(key.scopes) == {"verify", "verify:bulk", "notifications"}
    printed = re.search(r"partner API key for .* \(shown once\): (\S+)", first)
    assert printed is not None
    answer = Client().post(
        "/api/v1/verify/bulk/",
        {"entries": ["872100003"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {printed.group(1)}",
    )
    assert answer.status_code == 200  # the printed key works
    assert "shown once" not in second
    assert f"partner API key {key.prefix}... of" in second
    [version] = TrustedTraderListVersion.objects.filter(program__code="ca-pip")
    assert version.is_current
    cascadia = Organisation.objects.get(legal_name="Cascadia Goods Co.")
    [recognition] = recognitions_of([cascadia])[cascadia.pk]
    assert recognition["identifier"] == "872100003"
    line = "Cascadia Goods Co. holds a recognised Partners in Protection (PIP) authorisation"
    assert line in first
    assert line in second
    assert "created (MRA in force)" in first
    assert "Canada Border Services Agency (CA) exists" in second
    # The applicant sees it on its application, with the areas it need not answer.
    client = Client()
    client.force_login(User.objects.get(email="shipper.two@demo.example"))
    application = Application.objects.get(organisation=cascadia)
    page = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert "Recognised authorisations" in page
    assert "872100003" in page


def test_seed_demo_refuses_without_debug(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing with DEBUG off"):
        call_command("seed_demo")


def test_demo_totp_prints_the_current_code_of_a_demo_staff_account(settings, capsys) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("seed_demo")
    capsys.readouterr()
    call_command("demo_totp", "officer@demo.example")
    printed = capsys.readouterr().out
    totp = Authenticator.objects.get(
        user__email="officer@demo.example", type=Authenticator.Type.TOTP
    )
    secret = get_adapter().decrypt(totp.data["secret"])
    assert printed.split()[0] == current_totp_code(secret)
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_totp", "shipper.one@demo.example")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG on"):
        call_command("demo_totp", "officer@demo.example")


def test_the_audit_chain_holds_over_the_demo_data_and_breaks_on_a_tampered_row(
    settings,
) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.db import connection

    from core.models import AuditEvent

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("audit_verify", stdout=out)
    count = AuditEvent.objects.count()
    assert count > 50
    assert f"verified: {count} events" in out.getvalue()
    victim = AuditEvent.objects.order_by("pk")[count // 2]
    with connection.cursor() as cursor:
        # A database superuser tampering: triggers off for this session.
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        cursor.execute("UPDATE core_auditevent SET reason = 'rewritten' WHERE id = %s", [victim.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")
    with pytest.raises(CommandError, match=f"broken at event {victim.pk}"):
        call_command("audit_verify")
