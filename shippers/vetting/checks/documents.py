"""Required documents: every document the program requires of this type of business is
uploaded."""

from __future__ import annotations

from shippers import selectors
from shippers.models import Application, VettingCheck
from shippers.vetting.outcome import Outcome
from shippers.vetting.registry import CheckSpec

Status = VettingCheck.Status
KIND = "documents"


def check_documents(application: Application) -> Outcome:
    missing = selectors.missing_documents(application=application)
    uploaded = list(application.documents.values_list("doc_type", "original_name"))
    evidence = {
        "missing": [{"code": code, "name": name} for code, name in missing],
        "uploaded": [{"code": code, "file": name} for code, name in uploaded],
    }
    if missing:
        return Outcome(
            Status.FAILED,
            "Missing: " + ", ".join(name for _code, name in missing) + ".",
            "The documents a business of this type must provide are set by the program; "
            "request the missing ones.",
            evidence=evidence,
        )
    return Outcome(
        Status.PASSED,
        f"All required documents are present ({len(uploaded)} uploaded).",
        "Presence is checked here; an officer reads the documents themselves.",
        evidence=evidence,
    )


SPEC = CheckSpec(
    kind=KIND, label="Required documents", run=check_documents, order=60, remediable=True
)
