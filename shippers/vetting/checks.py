"""The background checks of vetting, one function per `VettingCheck.Kind`.

Each check reads the application and its organisation and returns an `Outcome`: a status
(passed, flagged for an officer, failed), a score where the check has one, a one-line
summary, an explanation an officer can follow and the evidence it rests on (JSON). Checks
write nothing; `shippers.vetting.services` stores their outcome. A check that cannot reach
what it needs raises, and the task retries it (then reports "error: manual check needed").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone

from config.text import fold
from core.reference.sanctions import sanctioned_country
from shippers import selectors
from shippers.identifiers import IdentifierError, validate_identifier
from shippers.models import (
    Address,
    Application,
    Identifier,
    Organisation,
    Principal,
    SecurityAnswer,
    SecurityQuestion,
    VettingCheck,
)

Status = VettingCheck.Status
Kind = VettingCheck.Kind

# How far back the compliance-record check looks (the EU AEO criterion: no serious or
# repeated infringements in the last three years).
COMPLIANCE_LOOKBACK_YEARS = 3


@dataclass
class Outcome:
    status: str
    summary: str
    explanation: str = ""
    score: float | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Subject:
    """Something of the organisation's that is screened against the lists."""

    role: str  # "organisation", "trade name", "principal", "supply-chain partner"
    name: str
    entity_type: str
    country: str = ""
    date_of_birth: str = ""
    address: str = ""
    identifiers: tuple[str, ...] = ()


# -- identifiers ---------------------------------------------------------------------------


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


# -- denied-party screening --------------------------------------------------------------


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
    from screening import selectors as screening_selectors
    from screening.services import suppressed_pairs

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


class NoScreeningListError(RuntimeError):
    """Screening cannot run: there is no active list version. Not retried."""


def screen_subjects(
    organisation: Organisation,
    *,
    index: Any,
    versions: list[int],
    suppressed: set[tuple[str, str, str]],
) -> Outcome:
    from screening import selectors as screening_selectors
    from screening.engine import fingerprint

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


# -- comprehensive-sanctions countries ---------------------------------------------------


def _region_code(address: Address) -> str | None:
    region = (address.region or "").strip().upper()
    if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", region):
        return region
    if re.fullmatch(r"[A-Z0-9]{1,3}", region):
        return f"{address.country.upper()}-{region}"
    return None


def check_sanctioned_countries(application: Application) -> Outcome:
    organisation = application.organisation
    today = timezone.localdate()
    places: list[tuple[str, str, str, bool]] = []  # (code, where, label, decisive)
    places.append((organisation.country, "country of registration", organisation.legal_name, True))
    for address in organisation.addresses.all():
        label = f"{address.get_kind_display()}: {address.one_line()}"
        places.append((address.country, "address", label, True))
        region = _region_code(address)
        if region:
            places.append((region, "address region", label, True))
    for principal in organisation.principals.all():
        places.append(
            (principal.nationality, "principal's nationality", principal.full_name, False)
        )
    for partner in organisation.partners.all():
        places.append((partner.country, "supply-chain partner", partner.name, False))
    for country in application.origin_countries or []:
        places.append((str(country), "origin of goods", str(country), False))

    findings = []
    for code, where, label, decisive in places:
        if not code:
            continue
        entry = sanctioned_country(code, today)
        if entry is None:
            continue
        findings.append(
            {
                "code": entry.code,
                "name": entry.name,
                "where": where,
                "what": label,
                "decisive": decisive and not entry.partial,
                "partial": entry.partial,
                "since": entry.effective_from.isoformat(),
                "citation": entry.citation,
                "url": entry.url,
            }
        )
    evidence = {"places_checked": len(places), "findings": findings, "on": today.isoformat()}
    if not findings:
        return Outcome(
            Status.PASSED,
            f"No place under comprehensive sanctions ({len(places)} places checked).",
            "Country of registration, addresses and their regions, principals' "
            "nationalities, supply-chain partners and origins of goods were compared with "
            "the comprehensive-sanctions list in force today.",
            evidence=evidence,
        )
    described = "; ".join(f"{f['where']} in {f['name']}" for f in findings[:4])
    if any(finding["decisive"] for finding in findings):
        return Outcome(
            Status.FAILED,
            f"The business is located in a comprehensively sanctioned area: {described}.",
            "Dealings with a comprehensively sanctioned country or region are prohibited "
            "without a licence; the citation of each programme is in the evidence.",
            evidence=evidence,
        )
    return Outcome(
        Status.FLAGGED,
        f"Links to comprehensively sanctioned areas: {described}.",
        "A principal's nationality, a partner or an origin of goods in a sanctioned area (or "
        "an address in a partly sanctioned country) is not prohibited as such but needs an "
        "officer's review of the licence position.",
        evidence=evidence,
    )


# -- duplicate or linked identities ------------------------------------------------------


def _address_key(address: Address) -> tuple[str, str, str]:
    return (fold(address.line1), re.sub(r"\s+", "", address.postal_code.upper()), address.country)


def check_linked_identities(application: Application) -> Outcome:
    organisation = application.organisation
    others = Organisation.objects.exclude(pk=organisation.pk)
    links: list[dict[str, Any]] = []

    pairs = list(organisation.identifiers.values_list("kind", "value"))
    if pairs:
        condition = Q()
        for kind, value in pairs:
            condition |= Q(kind=kind, value=value)
        for other_identifier in Identifier.objects.filter(condition).exclude(
            organisation=organisation
        ):
            links.append(
                {
                    "by": "identifier",
                    "what": str(other_identifier),
                    "organisation_id": other_identifier.organisation_id,
                }
            )

    own_addresses = {_address_key(address): address for address in organisation.addresses.all()}
    if own_addresses:
        countries = {key[2] for key in own_addresses}
        candidates = Address.objects.filter(country__in=countries).exclude(
            organisation=organisation
        )
        postcodes = {key[1] for key in own_addresses if key[1]}
        if postcodes:
            candidates = candidates.annotate(
                compact_postcode=Upper(Replace("postal_code", Value(" "), Value("")))
            ).filter(Q(compact_postcode__in=postcodes) | Q(postal_code=""))
        for other_address in candidates.iterator():
            key = _address_key(other_address)
            if key in own_addresses and key[0]:
                links.append(
                    {
                        "by": "address",
                        "what": other_address.one_line(),
                        "organisation_id": other_address.organisation_id,
                    }
                )

    for principal in organisation.principals.all():
        folded = fold(principal.full_name)
        same_name = Principal.objects.filter(full_name__iexact=principal.full_name.strip()).exclude(
            organisation=organisation
        )
        for other_principal in same_name:
            if fold(other_principal.full_name) != folded:
                continue
            if principal.date_of_birth and other_principal.date_of_birth:
                if principal.date_of_birth != other_principal.date_of_birth:
                    continue
            elif principal.nationality != other_principal.nationality:
                continue
            links.append(
                {
                    "by": "principal",
                    "what": f"{other_principal.full_name} ({other_principal.get_role_display()})",
                    "organisation_id": other_principal.organisation_id,
                }
            )

    if not links:
        return Outcome(
            Status.PASSED,
            "No other organisation shares an identifier, address or principal.",
            "Identifiers, addresses (street and postcode) and principals (name with date of "
            "birth, or nationality) were compared with every other organisation.",
            evidence={"links": []},
        )
    linked = {
        other.pk: other
        for other in others.filter(pk__in={link["organisation_id"] for link in links})
    }
    adverse = []
    for link in links:
        other = linked[link["organisation_id"]]
        standing = other.applications.order_by("-created_at").first()
        link["organisation"] = other.legal_name
        link["status"] = standing.status if standing else "none"
        if standing and standing.status in {
            Application.Status.REJECTED,
            Application.Status.REVOKED,
            Application.Status.SUSPENDED,
        }:
            adverse.append(link)
    evidence = {"links": links}
    names = ", ".join(sorted({link["organisation"] for link in links}))
    if adverse:
        return Outcome(
            Status.FAILED,
            f"Linked to an organisation that was rejected, suspended or revoked: {names}.",
            "A business refused or removed from the program may try again under another "
            "name. Check whether this is the same business before deciding.",
            evidence=evidence,
        )
    return Outcome(
        Status.FLAGGED,
        f"Shares identifiers, addresses or principals with: {names}.",
        "Related companies are common (a group, a shared warehouse), but a duplicate "
        "registration must be explained.",
        evidence=evidence,
    )


# -- security profile --------------------------------------------------------------------


def check_security_profile(application: Application) -> Outcome:
    questionnaire = application.questionnaire
    questions = list(questionnaire.questions.all())
    answers = {
        answer.question_id: answer
        for answer in SecurityAnswer.objects.filter(application=application)
    }
    must_total = must_met = should_total = should_met = 0
    unmet_must: list[dict[str, Any]] = []
    unanswered: list[str] = []
    for question in questions:
        answer = answers.get(question.pk)
        met = answer is not None and (
            answer.answer == SecurityAnswer.Answer.YES
            or (
                answer.answer == SecurityAnswer.Answer.NOT_APPLICABLE
                and question.allow_not_applicable
            )
        )
        if answer is None:
            unanswered.append(question.code)
        if question.requirement == SecurityQuestion.Requirement.MUST:
            must_total += question.weight
            if met:
                must_met += question.weight
            else:
                unmet_must.append(
                    {
                        "code": question.code,
                        "area": question.area_name,
                        "question": question.text,
                        "answer": answer.get_answer_display() if answer else "not answered",
                        "explanation": answer.explanation if answer else "",
                    }
                )
        else:
            should_total += question.weight
            if met:
                should_met += question.weight
    must_score = round(100 * must_met / must_total, 1) if must_total else 100.0
    should_score = round(100 * should_met / should_total, 1) if should_total else 100.0
    minimum = questionnaire.minimum_must_score
    evidence = {
        "questionnaire": str(questionnaire),
        "must_score": must_score,
        "should_score": should_score,
        "minimum_must_score": minimum,
        "unmet_must": unmet_must,
        "unanswered": unanswered,
    }
    explanation = (
        "The must score is the weighted share of 'must' criteria answered yes (or not "
        "applicable where allowed); it must reach the questionnaire's minimum. The should "
        "score is reported for the officer's judgement."
    )
    if must_score < minimum:
        return Outcome(
            Status.FAILED,
            f"Must criteria {must_score:g}% met, below the minimum of {minimum}% "
            f"({len(unmet_must)} not met).",
            explanation,
            score=must_score / 100,
            evidence=evidence,
        )
    if unmet_must or should_score < 50:
        return Outcome(
            Status.FLAGGED,
            f"Must criteria {must_score:g}% met (minimum {minimum}%); should criteria "
            f"{should_score:g}%.",
            explanation,
            score=must_score / 100,
            evidence=evidence,
        )
    return Outcome(
        Status.PASSED,
        f"Must criteria {must_score:g}% met (minimum {minimum}%); should criteria "
        f"{should_score:g}%.",
        explanation,
        score=must_score / 100,
        evidence=evidence,
    )


# -- documents ---------------------------------------------------------------------------


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


# -- training ----------------------------------------------------------------------------


def check_training(application: Application) -> Outcome:
    from education.selectors import required_training_status

    organisation = application.organisation
    user_ids = list(organisation.memberships.values_list("user_id", flat=True))
    status = required_training_status(user_ids=user_ids, business_type=organisation.business_type)
    evidence = {
        "required": [module.title for module in status.required],
        "completed": [
            {
                "module": module.title,
                "version": module.version,
                "by": module.completed_by,
                "at": module.completed_at.isoformat() if module.completed_at else None,
            }
            for module in status.completed
        ],
        "missing": [module.title for module in status.missing],
    }
    if not status.required:
        return Outcome(
            Status.PASSED,
            "No training is required for this type of business.",
            "Supervisors designate the modules required for each business type.",
            evidence=evidence,
        )
    if status.complete:
        return Outcome(
            Status.PASSED,
            f"All {len(status.required)} required training modules completed.",
            "A module counts when a member of the organisation passed its current version.",
            evidence=evidence,
        )
    return Outcome(
        Status.FAILED,
        "Not completed: " + ", ".join(module.title for module in status.missing) + ".",
        "A module counts when a member of the organisation passed its current version; the "
        "applicant sees what is still required in the portal.",
        evidence=evidence,
    )


# -- compliance record -------------------------------------------------------------------


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def check_compliance_record(application: Application) -> Outcome:
    from enforcement.selectors import compliance_record, unregistered_party_record

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


CHECKS: dict[str, Callable[[Application], Outcome]] = {
    Kind.IDENTIFIERS: check_identifiers,
    Kind.SCREENING: check_screening,
    Kind.SANCTIONED_COUNTRIES: check_sanctioned_countries,
    Kind.LINKED_IDENTITIES: check_linked_identities,
    Kind.SECURITY_PROFILE: check_security_profile,
    Kind.DOCUMENTS: check_documents,
    Kind.TRAINING: check_training,
    Kind.COMPLIANCE_RECORD: check_compliance_record,
}
