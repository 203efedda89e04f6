"""The compliance-rate vetting check, on the rate the officers' findings make."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shipments import officers, vetting_checks
from shippers.models import VettingCheck
from shippers.vetting.registry import registered_checks
from tests.accounts.factories import UserFactory
from tests.enforcement.factories import approved_respondent
from tests.shipments.officer_fixtures import make_shipment

pytestmark = pytest.mark.django_db
Status = VettingCheck.Status


@pytest.mark.parametrize(
    ("clean", "discrepancies", "status"),
    [
        (0, 0, Status.PASSED),  # nothing examined
        (1, 3, Status.PASSED),  # four examinations: too few to judge
        (9, 1, Status.PASSED),  # 90%: at or above the 80% floor
        (7, 3, Status.FLAGGED),  # 70%: under the floor
        (3, 7, Status.FAILED),  # 30%: under half the floor
    ],
)
def test_the_check_reads_the_filers_examinations(clean: int, discrepancies: int, status) -> None:  # type: ignore[no-untyped-def]
    officer = UserFactory(roles=["officer"])
    _user, organisation, application = approved_respondent(officer)
    for index in range(clean + discrepancies):
        officers.finding_record(
            actor=officer,
            shipment_id=make_shipment(organisation).pk,
            kind="no_discrepancy" if index < clean else "misdescribed",
            notes="Examined.",
            examined_at=timezone.now() - timedelta(days=1),
        )
    outcome = vetting_checks.compliance_rate_check(application)
    assert outcome.status == status
    assert outcome.evidence["examined"] == clean + discrepancies
    assert outcome.evidence["without_discrepancy"] == clean
    if clean + discrepancies >= 5:
        assert outcome.summary.startswith(f"Compliance rate {clean / (clean + discrepancies):.0%}")


def test_shipments_registers_the_check_with_vetting() -> None:
    assert "compliance_rate" in [spec.kind for spec in registered_checks()]
