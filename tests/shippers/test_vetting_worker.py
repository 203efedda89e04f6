"""The vetting path end to end on a real Celery worker and a real broker (Redis in CI):
submission -> start_vetting -> one task per check -> aggregation -> under review; and a
list update -> re-screening -> alert. Nothing eager, nothing mocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.services import list_import
from shippers import services
from shippers.models import Application, VettingCheck, VettingRun
from tests.accounts.factories import UserFactory
from tests.conftest import wait_for
from tests.shippers.factories import complete_application, owner_with_organisation

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
OFAC = Path(__file__).resolve().parent.parent / "screening" / "fixtures" / "ofac"
S = Application.Status


def status_of(application: Application) -> str:
    return Application.objects.get(pk=application.pk).status


def test_submission_is_vetted_on_the_worker_and_a_list_update_raises_an_alert(
    live_worker: None,
) -> None:
    list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])
    clean_owner, clean_organisation = owner_with_organisation(legal_name="Harbourline Parcels Ltd")
    clean = complete_application(clean_owner, clean_organisation)
    services.application_submit(actor=clean_owner, application=clean)
    assert wait_for(lambda: status_of(clean) == S.UNDER_REVIEW, timeout=60)

    listed_owner, listed_organisation = owner_with_organisation(
        legal_name="Golden Star Trading LLC", country="AE"
    )
    listed = complete_application(listed_owner, listed_organisation)
    services.application_submit(actor=listed_owner, application=listed)
    assert wait_for(lambda: status_of(listed) == S.UNDER_REVIEW, timeout=60)

    clean.refresh_from_db()
    listed.refresh_from_db()
    clean_run = clean.vetting_runs.get()
    assert clean_run.is_complete
    assert {check.status for check in clean_run.checks.all()} == {VettingCheck.Status.PASSED}
    assert all(check.attempts == 1 for check in clean_run.checks.all())
    assert listed.risk_level == Application.Risk.HIGH
    screening = listed.vetting_runs.get().checks.get(kind="screening")
    assert screening.status == VettingCheck.Status.FAILED
    assert screening.evidence["matches"][0]["source_id"] == "7010"

    # Approve the clean one; version 2 of the list adds a party that matches it.
    officer = UserFactory(roles=["officer"])
    services.application_approve(actor=officer, application=clean, tier=1)
    clean_organisation.legal_name = "Novaya Zvezda Shipping Ltd"
    clean_organisation.save(update_fields=["legal_name"])
    list_import(fmt="ofac", paths=[OFAC / "sdn_v2.csv"])
    assert wait_for(
        # The run is created, then aggregated in a second transaction: wait for both.
        lambda: clean.vetting_runs.filter(
            reason=VettingRun.Reason.LIST_UPDATE, finished_at__isnull=False
        ).exists(),
        timeout=60,
    )
    alert = clean.vetting_runs.get(reason=VettingRun.Reason.LIST_UPDATE)
    assert alert.needs_attention
    assert alert.checks.get().evidence["matches"][0]["source_id"] == "7011"
