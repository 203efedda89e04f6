"""The respondent's journey through a penalty case in a real browser, on a phone-sized
screen: find the case from the navigation, read the deadline and the notice, petition with a
document before the deadline, see the refusal after a deadline has passed, record a payment
reference; another organisation's member is refused."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from enforcement.models import Case, Payment, Petition
from tests.accounts.factories import PASSWORD, UserFactory
from tests.enforcement.factories import case_at, move_deadline
from tests.shippers.factories import PDF_BYTES, owner_with_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/$"))


def test_respondent_petitions_in_time_is_refused_late_and_records_a_payment(page: Any) -> None:
    officer = UserFactory(roles=["officer"])
    owner, organisation = owner_with_organisation(legal_name="Harbourline Parcels Ltd")
    case = case_at("penalty", actor=officer, organisation=organisation)
    late = case_at("penalty", actor=officer, organisation=organisation)
    move_deadline(late, "petition", timezone.localdate() - timedelta(days=1))

    sign_in(page, owner.email)
    # Phone-sized: the navigation sits behind the menu button.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Penalty cases").click()
    page.wait_for_url(re.compile(r"/portal/cases/$"))
    assert "(overdue)" in page.locator("table").inner_text()
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(re.compile(rf"/portal/cases/{case.pk}/$"))
    assert "Petition for relief: due by" in page.locator(".usa-alert").first.inner_text()
    notice = page.get_by_role("link", name=re.compile(r"^Penalty notice"))
    notice.click()
    assert "Notice of penalty" in page.locator("h1").inner_text()
    assert case.number in page.locator("main").inner_text()
    page.go_back()

    page.get_by_role("link", name="File a petition").click()
    page.wait_for_url(re.compile(rf"/portal/cases/{case.pk}/petition/$"))
    page.get_by_role("button", name="File the petition").click()  # empty: refused, explained
    assert page.locator("[data-error-summary]").count() == 1
    page.get_by_label("Your petition").fill(
        "The undervaluation came from a supplier's invoice error, corrected in March; we "
        "ask for mitigation as a first offence with full cooperation."
    )
    page.locator("input[name=documents]").set_input_files(
        {"name": "corrected-invoices.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="File the petition").click()
    page.wait_for_url(re.compile(rf"/portal/cases/{case.pk}/$"))
    assert "Your petition was filed" in page.content()
    assert "corrected-invoices.pdf" in page.locator("main").inner_text()
    petition = Petition.objects.get(case=case)
    assert petition.documents.count() == 1
    case.refresh_from_db()
    assert case.status == Case.Status.PETITION_FILED
    assert page.locator(".usa-tag").first.inner_text().lower() == "petition filed"

    # The late case: the portal explains and refuses, even when asked directly.
    page.goto(f"/portal/cases/{late.pk}/")
    assert "has passed" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="File a petition").count() == 0
    page.goto(f"/portal/cases/{late.pk}/petition/")
    assert "The portal cannot accept a petition" in page.locator("main").inner_text()
    assert not Petition.objects.filter(case=late).exists()

    # A payment reference on the late case (penalty notice: payment may be recorded).
    page.goto(f"/portal/cases/{late.pk}/")
    page.get_by_role("link", name="Record a payment").click()
    page.get_by_label("Amount paid (USD)").fill("15000.00")
    page.get_by_label("Payment reference").fill("WIRE-2026-11-0042")
    page.get_by_label("Date paid").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the payment").click()
    page.wait_for_url(re.compile(rf"/portal/cases/{late.pk}/$"))
    assert "WIRE-2026-11-0042" in page.locator("main").inner_text()
    assert Payment.objects.filter(case=late, reference="WIRE-2026-11-0042").exists()


def test_another_organisations_member_cannot_open_the_case(page: Any) -> None:
    officer = UserFactory(roles=["officer"])
    _owner, organisation = owner_with_organisation(legal_name="Harbourline Parcels Ltd")
    case = case_at("penalty", actor=officer, organisation=organisation)
    stranger, _other = owner_with_organisation(legal_name="Cascadia Goods Co.")
    sign_in(page, stranger.email)
    page.goto("/portal/cases/")
    assert case.number not in page.locator("main").inner_text()
    # Asked for directly (with the stranger's session; outside the page, whose 404s fail tests).
    response = page.request.get(f"/portal/cases/{case.pk}/")
    assert response.status == 404
    assert case.number not in response.text()
    document_free = page.request.get(f"/portal/cases/{case.pk}/petition/")
    assert document_free.status == 404
