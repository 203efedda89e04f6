"""Enforcement's vetting check: the applicant's compliance record, penalty cases against it
(or, before it registered, against its name, trade names, principals or identifiers) in the
last three years. Registered in `EnforcementConfig.ready()` (see
`shippers.vetting.registry`)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from enforcement.selectors import compliance_record, unregistered_party_record
from shippers.models import Application, VettingCheck
from shippers.vetting.outcome import Outcome
from shippers.vetting.registry import CheckSpec

Status = VettingCheck.Status
KIND = "compliance_record"
# How far back the compliance-record check looks (the EU AEO criterion: no serious or
# repeated infringements in the last three years).
COMPLIANCE_LOOKBACK_YEARS = 3


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def check_compliance_record(application: Application) -> Outcome:
    organisation = application.organisation
    since = _years_ago(timezone.localdate(), COMPLIANCE_LOOKBACK_YEARS)
    cases = compliance_record(organisation_ids=[organisation.pk], since=since)
    # Cases opened against the business, or its managers, before it registered here.
    names = [
        organisation.legal_name,
        *[str(name) for name in organisation.trade_names or []],
        *organisation.principals.values_list("full_name", flat=True),
    ]
    identifiers = list(organisation.identifiers.values_list("value", flat=True))
    cases += unregistered_party_record(names=names, identifiers=identifiers, since=since)
    rows = [
        {
            "case": case.case_number,
            "violation": case.violation_type,
            "status": case.status,
            "opened": case.opened_at.date().isoformat(),
            "decided": case.decided_at.date().isoformat() if case.decided_at else None,
            "culpability": case.culpability,
            "penalty": str(case.final_penalty_amount)
            if case.final_penalty_amount is not None
            else None,
            "currency": case.currency,
            "serious": case.is_serious,
            "against": "this organisation" if case.organisation_id else "an unregistered party",
        }
        for case in cases
    ]
    evidence = {"since": since.isoformat(), "cases": rows}
    if not cases:
        return Outcome(
            Status.PASSED,
            f"No penalty case since {since:%-d %B %Y}.",
            "Penalty cases opened or decided in the last three years against the "
            "organisation, or against an unregistered party with its name, a trade name, a "
            "principal's name or one of its identifiers, are counted; withdrawn and cancelled "
            "cases are not infringements.",
            evidence=evidence,
        )
    serious = [row for row in rows if row["serious"]]
    if serious:
        return Outcome(
            Status.FAILED,
            f"{len(serious)} serious or repeated infringement(s) since {since:%-d %B %Y}: "
            + ", ".join(str(row["case"]) for row in serious)
            + ".",
            "Fraud or gross negligence, or repeated violations, weigh against admission to "
            "the program (compare the EU AEO criterion of no serious or repeated "
            "infringements).",
            evidence=evidence,
        )
    return Outcome(
        Status.FLAGGED,
        f"{len(cases)} penalty case(s) since {since:%-d %B %Y}: "
        + ", ".join(str(row["case"]) for row in rows)
        + ".",
        "An isolated negligence case does not bar admission; an officer weighs it.",
        evidence=evidence,
    )


SPEC = CheckSpec(
    kind=KIND,
    label="Compliance record (3 years)",
    run=check_compliance_record,
    severe_failure=True,
    order=80,
)
