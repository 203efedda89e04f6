"""Vetting check "mutual recognition": the applicant holds an authorisation of a program this
program recognises (identifier on the partner's current list, confirmed by name)."""

from __future__ import annotations

from partners.recognitions import recognition_candidates
from shippers.models import Application, VettingCheck
from shippers.vetting.outcome import Outcome
from shippers.vetting.registry import CheckSpec

Status = VettingCheck.Status
KIND = "mutual_recognition"


def check_mutual_recognition(application: Application) -> Outcome:
    rows = recognition_candidates([application.organisation]).get(application.organisation_id, [])
    evidence = {
        "recognitions": [
            {
                **row,
                "valid_from": str(row["valid_from"] or ""),
                "valid_to": str(row["valid_to"] or ""),
                "list_published_on": str(row["list_published_on"]),
            }
            for row in rows
        ]
    }
    confirmed = [row for row in rows if row["name_confirmed"]]
    if confirmed:
        names = ", ".join(
            f"{row['program_name']} {row['authorisation_type']}".strip() for row in confirmed
        )
        return Outcome(
            Status.PASSED,
            f"Holds a recognised authorisation: {names}.",
            "The identifier is on the partner's current list and the name on the list is "
            "the applicant's name (folded).",
            evidence=evidence,
        )
    if rows:
        return Outcome(
            Status.FLAGGED,
            "An identifier is on a partner's list under another name.",
            "The identifier matches but the name on the list is not the applicant's: check "
            "whether it is the same business before relying on the recognition.",
            evidence=evidence,
        )
    return Outcome(
        Status.PASSED,
        "No recognised authorisation (nothing to rely on, nothing against).",
        "None of the applicant's identifiers is on a recognised program's current list.",
        evidence=evidence,
    )


SPEC = CheckSpec(kind=KIND, label="Mutual recognition", run=check_mutual_recognition, order=95)
