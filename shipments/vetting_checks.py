"""The "compliance rate" vetting check: the share of a filer's examined shipments found
without discrepancy, registered with the vetting-check registry of ``shippers``.

The rate itself is ``shipments.selectors.filer_compliance_rate`` (the officer side, where
the findings are recorded)."""

from __future__ import annotations

from django.conf import settings

from shipments.selectors import filer_compliance_rate
from shippers.models import Application, VettingCheck
from shippers.vetting.outcome import Outcome
from shippers.vetting.registry import CheckSpec, register_check

COMPLIANCE_CHECK_KIND = "compliance_rate"
WINDOW_DAYS = 365


def compliance_rate_check(application: Application) -> Outcome:
    """Passes at or above the alert floor, or with too few examinations to judge; flagged
    below it; failed below half of it."""
    Status = VettingCheck.Status

    floor = float(getattr(settings, "SHIPMENTS_COMPLIANCE_ALERT_BELOW", 0.8))
    minimum = int(getattr(settings, "SHIPMENTS_COMPLIANCE_MIN_EXAMINED", 5))
    rate = filer_compliance_rate(application.organisation_id, days=WINDOW_DAYS)
    evidence = {
        "examined": rate.examined,
        "without_discrepancy": rate.without_discrepancy,
        "window_days": WINDOW_DAYS,
        "floor": floor,
        "minimum_examined": minimum,
    }
    if rate.rate is None or rate.examined < minimum:
        return Outcome(
            Status.PASSED,
            f"{rate.examined} shipment(s) examined in {WINDOW_DAYS} days: too few to judge.",
            f"A compliance rate is judged from {minimum} examinations on.",
            evidence=evidence,
        )
    summary = (
        f"Compliance rate {rate.rate:.0%}: {rate.without_discrepancy} of {rate.examined} "
        f"examined shipments without discrepancy in {WINDOW_DAYS} days."
    )
    explanation = (
        f"The program's floor is {floor:.0%}. Findings of officers at examination (misdescribed, "
        "undervalued, wrong origin, counterfeit, prohibited, seized) count against it."
    )
    if rate.rate >= floor:
        return Outcome(Status.PASSED, summary, explanation, score=rate.rate, evidence=evidence)
    status = Status.FAILED if rate.rate < floor / 2 else Status.FLAGGED
    return Outcome(status, summary, explanation, score=rate.rate, evidence=evidence)


def register() -> None:
    """Register the check with shippers' vetting registry (from `ShipmentsConfig.ready()`)."""
    register_check(
        CheckSpec(
            kind=COMPLIANCE_CHECK_KIND,
            label="Compliance rate of filed shipments",
            run=compliance_rate_check,
            severe_failure=False,
            order=90,
        )
    )
