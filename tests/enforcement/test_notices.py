"""Notices are rendered once, stored with their SHA-256, escaped, and never re-rendered."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.test import Client

from enforcement import services
from enforcement.models import Notice
from tests.enforcement.factories import case_at, officer, open_case, respondent

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_a_notice_carries_the_figures_and_its_hash() -> None:
    staff = officer()
    _, organisation = respondent()
    case = case_at("prepenalty", actor=staff, organisation=organisation)
    notice = case.notices.get()
    assert notice.reference == f"{case.number}-PPN1"
    assert notice.sha256 == hashlib.sha256(notice.html.encode()).hexdigest()
    assert notice.is_intact
    assert "Pre-penalty notice" in notice.html
    assert "USD 15,000.00" in notice.html  # money written the same everywhere
    assert "2 x the loss USD 10,000.00 = USD 20,000.00" in notice.html
    assert "19 USC 1592(c)(3)(A)" in notice.html
    assert notice.calculation["statutory_maximum"] == "20000.00"
    assert "ABC-1234567-8" in notice.html


def test_an_issued_notice_cannot_be_changed() -> None:
    staff = officer()
    case = case_at("prepenalty", actor=staff, organisation=None)
    notice = case.notices.get()
    notice.html = "<p>forged</p>"
    with pytest.raises(ValueError, match="cannot be changed"):
        notice.save()
    assert Notice.objects.get(pk=notice.pk).html != "<p>forged</p>"


def test_the_printable_notice_is_the_stored_one_not_a_re_rendering(client: Client) -> None:
    staff = officer()
    member, organisation = respondent()
    case = case_at("prepenalty", actor=staff, organisation=organisation)
    notice = case.notices.get()
    services.case_update_facts(
        actor=staff, case=case, changes={"summary": "Rewritten after the notice."}
    )
    client.force_login(member)
    page = client.get(f"/portal/cases/{case.pk}/notices/{notice.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert notice.html in body
    assert "Rewritten after the notice." not in body
    assert notice.sha256 in body
    # Tampering in the database shows as a broken fingerprint.
    Notice.objects.filter(pk=notice.pk).update(html=notice.html.replace("15,000.00", "1.00"))
    assert not Notice.objects.get(pk=notice.pk).is_intact
    assert (
        "does not match the fingerprint"
        in client.get(f"/portal/cases/{case.pk}/notices/{notice.pk}/").content.decode()
    )


def test_text_typed_by_people_is_escaped_in_the_notice(client: Client) -> None:
    staff = officer()
    member, organisation = respondent()
    case = open_case(actor=staff, organisation=organisation)
    services.case_update_facts(
        actor=staff, case=case, changes={"summary": HOSTILE, "entry_references": [HOSTILE]}
    )
    services.case_start_investigation(actor=staff, case=case)
    notice = services.case_issue_prepenalty_notice(
        actor=staff, case=case, amount=Decimal("4000"), departure_reason=HOSTILE
    )
    assert "<script" not in notice.html
    assert "<img" not in notice.html
    assert "&lt;script&gt;" in notice.html
    client.force_login(member)
    body = client.get(f"/portal/cases/{case.pk}/notices/{notice.pk}/").content.decode()
    assert '<script>alert("x")' not in body
    assert "onerror=alert(1)>" not in body
