"""Bulk status: many certificate numbers or company identifiers answered at once, in input
order, with a bounded number of queries (identifiers, certificates, recognitions: 4 in
all, whatever the batch size). Entries are normalised as the portal does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from partners.recognitions import public_recognition, recognitions_of
from shippers import certificate_numbers
from shippers.identifiers import IdentifierError, IdentifierType, validate_identifier
from shippers.models import Certificate, Identifier
from shippers.selectors import verification_record

CERTIFICATE = "certificate_number"
# The identifiers a partner may look a shipper up by, in the order ambiguity is reported.
LOOKUP_TYPES = (
    IdentifierType.EORI,
    IdentifierType.US_EIN,
    IdentifierType.CA_BN,
    IdentifierType.AU_ABN,
    IdentifierType.NZ_NZBN,
)


@dataclass(frozen=True)
class Parsed:
    text: str
    candidates: tuple[tuple[str, str], ...]  # (type, canonical value)
    problem: str = ""


def parse_entry(text: str) -> Parsed:
    """What an entry may be: a certificate number, or one or more identifier types whose
    format and check digits it passes (a nine-digit number can be an EIN and a BN)."""
    compact = certificate_numbers.normalise(text)
    if not compact:
        return Parsed(text, (), "The entry is empty.")
    if compact.startswith("KS-"):
        problem = certificate_numbers.problem(compact)
        return Parsed(text, () if problem else ((CERTIFICATE, compact),), problem or "")
    candidates = []
    for kind in LOOKUP_TYPES:
        try:
            candidates.append((kind.value, validate_identifier(kind, text)))
        except IdentifierError:
            continue
    if not candidates:
        return Parsed(
            text,
            (),
            "Not a certificate number (e.g. KS-US-7Q4M-2KXD-R) nor a valid EORI, EIN, BN, "
            "ABN or NZBN.",
        )
    return Parsed(text, tuple(candidates))


def _answer(
    parsed: Parsed, certificate: Certificate, matched: tuple[str, str], recognitions: list[Any]
) -> dict[str, Any]:
    record = verification_record(certificate=certificate)
    return {
        "input": parsed.text,
        **record,
        "matched": {"type": matched[0], "value": matched[1]},
        "recognitions": [public_recognition(row) for row in recognitions],
        "error": None,
    }


def _unknown(parsed: Parsed) -> dict[str, Any]:
    error = {"code": "malformed", "message": parsed.problem} if parsed.problem else None
    return {"input": parsed.text, "status": "unknown", "matched": None, "error": error}


def bulk_status(entries: list[str]) -> list[dict[str, Any]]:
    parsed = [parse_entry(entry) for entry in entries]
    numbers = {value for p in parsed for kind, value in p.candidates if kind == CERTIFICATE}
    wanted = {(kind, value) for p in parsed for kind, value in p.candidates if kind != CERTIFICATE}
    owner_of: dict[tuple[str, str], int] = {}
    if wanted:
        for kind, value, organisation_id in Identifier.objects.filter(
            value__in={value for _, value in wanted}
        ).values_list("kind", "value", "organisation_id"):
            if (kind, value) in wanted:
                owner_of.setdefault((kind, value), organisation_id)
    by_number: dict[str, Certificate] = {}
    latest_of: dict[int, Certificate] = {}
    if numbers or owner_of:
        certificates = (
            Certificate.objects.filter(
                Q(number__in=numbers) | Q(organisation_id__in=set(owner_of.values()))
            )
            .select_related("organisation", "application")
            .order_by("issued_at", "pk")
        )
        for certificate in certificates:
            by_number[certificate.number] = certificate
            latest_of[certificate.organisation_id] = certificate
    organisations = {c.organisation_id: c.organisation for c in by_number.values()}
    recognitions = recognitions_of(organisations.values())
    answers = []
    for entry in parsed:
        found: tuple[Certificate, tuple[str, str]] | None = None
        for kind, value in entry.candidates:
            candidate = (
                by_number.get(value)
                if kind == CERTIFICATE
                else latest_of.get(owner_of.get((kind, value), -1))
            )
            if candidate is not None:
                found = (candidate, (kind, value))
                break
        if found is None:
            answers.append(_unknown(entry))
        else:
            certificate, matched = found
            answers.append(
                _answer(
                    entry, certificate, matched, recognitions.get(certificate.organisation_id, [])
                )
            )
    return answers
