"""The officer's shipment journey in a real browser: sign in with a second factor, open the
queue, review a held shipment with its reasons explained, record the examination's finding,
and see the rule's precision and the filer's compliance rate change."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from demo.accounts import current_totp_code
from shipments.models import ShipmentStatus
from shipments.models.examination import ExaminationFinding
from shipments.targeting.models import RuleHit, TargetingRuleVersion
from tests.accounts.factories import PASSWORD, UserFactory
from tests.shipments.officer_fixtures import HOLD_REASON, make_shipment
from tests.shippers.factories import owner_with_organisation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_officer_reviews_a_held_shipment_and_records_a_finding(page: Any) -> None:
    _owner, organisation = owner_with_organisation(legal_name="Shenzhen Example Trading Co")
    version = TargetingRuleVersion.objects.current().get(rule__code="vapes")
    reason = {
        **HOLD_REASON,
        "rule": "vapes",
        "title": "Vaping products",
        "explanation": "Item 1 'disposable vape pen' matched keyword 'vape*'.",
    }
    shipment = make_shipment(organisation, reasons=[reason], reference="VAPE-0001")
    RuleHit.objects.create(
        shipment_id=shipment.pk, rule_version=version, estimated_arrival=shipment.estimated_arrival
    )
    officer = UserFactory(roles=["officer"], email="officer@customs.example")
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)

    page.goto("/admin/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("#id_login").fill(officer.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("#id_code").fill(current_totp_code(secret))
    page.locator("#id_code").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))

    # The rule's precision before: one hold, no discrepancy found yet.
    page.goto("/admin/shipments/queuedshipment/rules/")
    row = page.locator("#rule-vapes")
    assert row.locator("td.precision").inner_text().strip() == "0%"

    # The queue, then the held shipment.
    page.goto("/admin/shipments/queuedshipment/")
    page.get_by_role("link", name="VAPE-0001").click()
    page.wait_for_url(re.compile(rf"/admin/shipments/queuedshipment/{shipment.pk}/change/"))
    reasons = page.locator("#reasons")
    assert "Vaping products" in reasons.inner_text()
    assert "matched keyword 'vape*'" in reasons.inner_text()
    assert "no examinations" in page.locator("#summary").inner_text()

    # Record the finding.
    form = page.locator("#finding-form")
    form.locator("select[name='kind']").select_option("misdescribed")
    form.locator("textarea[name='notes']").fill("Nicotine vapes declared as LED lights.")
    form.get_by_role("button", name="Record the finding").click()
    page.wait_for_url(re.compile(rf"/admin/shipments/queuedshipment/{shipment.pk}/change/"))
    assert "The finding was recorded" in page.locator(".messagelist").inner_text()
    assert "Misdescribed goods" in page.locator("#finding").inner_text()
    assert "Examined" in page.locator("#shipment-status").inner_text()
    assert "0%" in page.locator("#summary").inner_text()  # compliance: 0 of 1 without
    finding = ExaminationFinding.objects.get(shipment_id=shipment.pk)
    assert finding.recorded_by == officer
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.EXAMINED

    # The rule's precision after: one finding with a discrepancy for one hold.
    page.goto("/admin/shipments/queuedshipment/rules/")
    assert "100%" in page.locator("#rule-vapes td.precision").inner_text()
