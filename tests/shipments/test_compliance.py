"""A filer's compliance rate and the re-vetting alert a falling rate raises."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from shipments import compliance, officers, selectors
from shippers.models import VettingRun
from tests.accounts.factories import UserFactory
from tests.enforcement.factories import approved_respondent
from tests.shipments.officer_fixtures import make_shipment

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():  # type: ignore[no-untyped-def]
    return UserFactory(roles=["officer"])


def _examine(officer, organisation, kind: str, days_ago: int = 0):  # type: ignore[no-untyped-def]
    return officers.finding_record(
        actor=officer,
        shipment_id=make_shipment(organisation).pk,
        kind=kind,
        notes="Examined.",
        examined_at=timezone.now() - timedelta(days=days_ago),
    )


def test_rate_counts_examined_without_discrepancy_in_the_window(officer) -> None:
    _user, organisation, _application = approved_respondent(officer)
    assert selectors.filer_compliance_rate(organisation.pk).rate is None
    _examine(officer, organisation, "no_discrepancy")
    _examine(officer, organisation, "no_discrepancy")
    _examine(officer, organisation, "minor_discrepancy")
    _examine(officer, organisation, "counterfeit", days_ago=400)  # outside the year
    rate = selectors.filer_compliance_rate(organisation.pk, days=365)
    assert (rate.examined, rate.without_discrepancy) == (3, 2)
    assert rate.percent == "67%"
    many = selectors.compliance_rates([organisation.pk])[organisation.pk]
    assert (many.examined, many.without_discrepancy) == (3, 2)


def test_a_falling_rate_raises_one_revetting_alert(
    officer, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SHIPMENTS_COMPLIANCE_MIN_EXAMINED = 3
    _user, organisation, application = approved_respondent(officer)
    _examine(officer, organisation, "no_discrepancy")
    runs_before = VettingRun.objects.filter(application=application).count()
    for kind in ("misdescribed", "wrong_origin", "counterfeit"):
        # Each finding runs the watch after commit.
        with django_capture_on_commit_callbacks(execute=True):
            _examine(officer, organisation, kind)
    alerts = AuditEvent.objects.filter(
        action="filer.compliance_alert", organisation_id=organisation.pk
    )
    assert alerts.count() == 1
    assert "Compliance rate 33% over 3 examinations" in alerts.get().reason
    assert alerts.get().internal is True
    assert (
        VettingRun.objects.filter(
            application=application, reason=VettingRun.Reason.PERIODIC
        ).count()
        == 1
    )
    assert VettingRun.objects.filter(application=application).count() == runs_before + 1
    # Within the cool-down nothing more is raised.
    assert "cool-down" in compliance.filer_compliance_watch(organisation_id=organisation.pk)
    assert alerts.count() == 1


def test_a_good_rate_or_too_few_examinations_raise_nothing(officer, settings) -> None:
    settings.SHIPMENTS_COMPLIANCE_MIN_EXAMINED = 3
    _user, organisation, _application = approved_respondent(officer)
    _examine(officer, organisation, "counterfeit")
    _examine(officer, organisation, "counterfeit")
    assert "no alert" in compliance.filer_compliance_watch(organisation_id=organisation.pk)
    for _ in range(8):
        _examine(officer, organisation, "no_discrepancy")
    assert "no alert" in compliance.filer_compliance_watch(organisation_id=organisation.pk)
    assert not AuditEvent.objects.filter(action="filer.compliance_alert").exists()
