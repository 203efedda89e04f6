"""Identifier validity: every company identifier has a valid format and check digits and is
issued by the country named."""

from __future__ import annotations

from shippers.identifiers import IdentifierError, validate_identifier
from shippers.models import Application, VettingCheck
from shippers.vetting.outcome import Outcome
from shippers.vetting.registry import CheckSpec

Status = VettingCheck.Status
KIND = "identifiers"


def check_identifiers(application: Application) -> Outcome:
    organisation = application.organisation
    identifiers = list(organisation.identifiers.all())
    if not identifiers:
        return Outcome(
            Status.FLAGGED,
            "No company identifier was given.",
            "Without a tax or customs number the business cannot be matched to a registry; "
            "ask the applicant for one.",
        )
    rows, invalid = [], 0
    for identifier in identifiers:
        country = identifier.issuing_country or organisation.country
        try:
            canonical = validate_identifier(identifier.kind, identifier.value, country)
            rows.append(
                {
                    "identifier": str(identifier),
                    "country": country,
                    "valid": True,
                    "canonical": canonical,
                }
            )
        except IdentifierError as error:
            invalid += 1
            rows.append(
                {
                    "identifier": str(identifier),
                    "country": country,
                    "valid": False,
                    "error": str(error),
                }
            )
    if invalid:
        return Outcome(
            Status.FAILED,
            f"{invalid} of {len(identifiers)} identifiers are not valid.",
            "Each identifier is checked for its format and check digits, and that the "
            "country named issues it. An invalid number is a typing error or a false one.",
            evidence={"identifiers": rows},
        )
    return Outcome(
        Status.PASSED,
        f"All {len(identifiers)} identifiers are valid.",
        "Format, check digits and issuing country agree for every identifier.",
        evidence={"identifiers": rows},
    )


SPEC = CheckSpec(
    kind=KIND, label="Identifier validity", run=check_identifiers, order=10, remediable=True
)
