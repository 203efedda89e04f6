"""Denied-party screening: the organisation, its trade names, principals and supply-chain
partners against every active screening list, leaving out matches an officer cleared."""

from __future__ import annotations

from typing import Any

from screening import selectors as screening_selectors
from screening.engine import ScreeningIndex, fingerprint
from screening.services import suppressed_pairs
from shippers.models import Address, Application, Organisation, VettingCheck
from shippers.vetting.outcome import CheckCannotRun, Outcome, Subject
from shippers.vetting.registry import CheckSpec

Status = VettingCheck.Status
KIND = "screening"


def screening_subjects(organisation: Organisation) -> list[Subject]:
    """The organisation (with its registered address, country and identifiers as
    qualifiers), its trade names, principals and supply-chain partners."""
    addresses = list(organisation.addresses.all())
    registered = next(
        (address for address in addresses if address.kind == Address.Kind.REGISTERED),
        addresses[0] if addresses else None,
    )
    identifiers = tuple(identifier.value for identifier in organisation.identifiers.all())
    address_text = registered.one_line() if registered else ""
    subjects = [
        Subject(
            "organisation",
            organisation.legal_name,
            "entity",
            organisation.country,
            address=address_text,
            identifiers=identifiers,
        )
    ]
    for trade_name in organisation.trade_names or []:
        if str(trade_name).strip():
            subjects.append(
                Subject(
                    "trade name",
                    str(trade_name).strip(),
                    "entity",
                    organisation.country,
                    address=address_text,
                )
            )
    for principal in organisation.principals.all():
        subjects.append(
            Subject(
                "principal",
                principal.full_name,
                "individual",
                principal.nationality,
                date_of_birth=principal.date_of_birth.isoformat()
                if principal.date_of_birth
                else "",
            )
        )
    for partner in organisation.partners.all():
        subjects.append(Subject("supply-chain partner", partner.name, "entity", partner.country))
    return subjects


def check_screening(application: Application) -> Outcome:
    versions = screening_selectors.active_version_ids()
    if not versions:
        raise NoScreeningListError(
            "No screening list is loaded, so nobody was screened. Import the lists "
            "(python manage.py import_screening_list) and re-run vetting, or screen by hand."
        )
    index = screening_selectors.active_index()
    return screen_subjects(
        application.organisation,
        index=index,
        versions=list(versions),
        suppressed=suppressed_pairs(organisation_id=application.organisation_id),
    )


class NoScreeningListError(CheckCannotRun):
    """Screening cannot run: there is no active list version. Not retried."""


def screen_subjects(
    organisation: Organisation,
    *,
    index: ScreeningIndex,
    versions: list[int],
    suppressed: set[tuple[str, str, str]],
) -> Outcome:
    hit_threshold, review_threshold = screening_selectors.thresholds()
    subjects = screening_subjects(organisation)
    results: list[dict[str, Any]] = []
    cleared: list[dict[str, Any]] = []
    best = 0.0
    for subject in subjects:
        matches = index.search(
            subject.name,
            entity_type=subject.entity_type,
            country=subject.country or None,
            date_of_birth=subject.date_of_birth or None,
            identifiers=subject.identifiers,
            address=subject.address or None,
            limit=5,
            min_score=review_threshold,
        )
        for match in matches:
            row = {
                "subject": subject.role,
                "query": subject.name,
                **screening_selectors.match_json(match, review_threshold),
                "flag": screening_selectors.flag_of(match.score),
            }
            if (match.list_code, match.source_id, fingerprint(match.entry)) in suppressed:
                cleared.append(row)
                continue
            results.append(row)
            best = max(best, match.score)
    results.sort(key=lambda row: -row["score"])
    evidence = {
        "subjects": [
            {"role": subject.role, "name": subject.name, "country": subject.country}
            for subject in subjects
        ],
        "matches": results,
        "cleared": cleared,
        "list_versions": versions,
        "thresholds": {"hit": hit_threshold, "review": review_threshold},
    }
    screened = f"{len(subjects)} names screened"
    note = (
        f" {len(cleared)} match(es) an officer cleared earlier were left out (the listed "
        "entry has not changed since)."
        if cleared
        else ""
    )
    if not results:
        return Outcome(
            Status.PASSED,
            f"No match at or above {review_threshold:.2f}; {screened}.",
            "Every name was compared with every active list; country, date of birth, "
            "address and identifiers adjust the scores." + note,
            score=round(best, 4),
            evidence=evidence,
        )
    hits = [row for row in results if row["score"] >= hit_threshold]
    top = results[0]
    description = (
        f"{top['subject']} '{top['query']}' ~ {top['list']} {top['source_id']} "
        f"'{top['matched_name']}' ({top['score']:.2f})"
    )
    if hits:
        return Outcome(
            Status.FAILED,
            f"{len(hits)} likely hit(s) at or above {hit_threshold:.2f}: {description}.",
            "A likely hit is a listed party that the name matches closely and the qualifiers "
            "do not rule out. An officer must confirm or clear it (mark a false positive) "
            "before any approval." + note,
            score=round(best, 4),
            evidence=evidence,
        )
    return Outcome(
        Status.FLAGGED,
        f"{len(results)} possible match(es) to review: {description}.",
        "Possible matches score between the review and hit thresholds: similar names that "
        "an officer must look at." + note,
        score=round(best, 4),
        evidence=evidence,
    )


SPEC = CheckSpec(
    kind=KIND, label="Denied-party screening", run=check_screening, severe_failure=True, order=20
)
