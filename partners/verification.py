"""Bulk status: many certificate numbers or company identifiers answered at once, in input
order, with a bounded number of queries (identifiers, certificates, recognitions: 4 in
all, whatever the batch size). Entries are normalised as the portal does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from partners.recognitions import candidates_by_names, confirmed_only, public_recognition
from shippers import certificate_numbers
from shippers.identifiers import IdentifierError, IdentifierType, validate_identifier
from shippers.models import Certificate, Identifier
from shippers.selectors import VERIFICATION_STATUS

CERTIFICATE = "certificate_number"


_SEPARATORS = re.compile(r"[\s\-.]")
_BN_PROGRAM_ACCOUNT = re.compile(r"\d{9}[A-Z]{2}\d{4}")


def _plausible_types(compact: str) -> tuple[IdentifierType, ...]:
    """The types worth checking, by shape (the validators are the slow part of a batch):
    letters first is an EORI; otherwise by the number of digits."""
    bare = _SEPARATORS.sub("", compact)
    if bare[:2].isalpha():
        return (IdentifierType.EORI,)
    if _BN_PROGRAM_ACCOUNT.fullmatch(bare):
        return (IdentifierType.CA_BN,)
    if not bare.isdigit():
        return ()
    return _TYPES_BY_LENGTH.get(len(bare), ())


_TYPES_BY_LENGTH: dict[int, tuple[IdentifierType, ...]] = {
    9: (IdentifierType.US_EIN, IdentifierType.CA_BN),
    11: (IdentifierType.AU_ABN,),
    13: (IdentifierType.NZ_NZBN,),
}


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
    for kind in _plausible_types(compact):
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


CERTIFICATE_COLUMNS = (
    "number",
    "tier",
    "valid_from",
    "valid_to",
    "organisation_id",
    "organisation__legal_name",
    "organisation__country",
    "organisation__trade_names",
    "application__status",
)


def _answer(
    parsed: Parsed, row: dict[str, Any], matched: tuple[str, str], recognitions: list[Any]
) -> dict[str, Any]:
    """The single verify answer's fields (`shippers.selectors.verification_record`), plus
    what matched and the recognitions."""
    return {
        "input": parsed.text,
        "certificate_number": row["number"],
        "legal_name": row["organisation__legal_name"],
        "country": row["organisation__country"],
        "status": VERIFICATION_STATUS.get(str(row["application__status"]), "not valid"),
        "tier": row["tier"],
        "valid_from": row["valid_from"],
        "valid_to": row["valid_to"],
        "matched": {"type": matched[0], "value": matched[1]},
        "recognitions": [public_recognition(recognition) for recognition in recognitions],
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
            kind__in={kind for kind, _ in wanted}, value__in={value for _, value in wanted}
        ).values_list("kind", "value", "organisation_id"):
            if (kind, value) in wanted:
                owner_of.setdefault((kind, value), organisation_id)
    by_number: dict[str, dict[str, Any]] = {}
    latest_of: dict[int, dict[str, Any]] = {}
    if numbers or owner_of:
        certificates = (
            Certificate.objects.filter(
                Q(number__in=numbers) | Q(organisation_id__in=set(owner_of.values()))
            )
            .order_by("issued_at", "pk")
            .values(*CERTIFICATE_COLUMNS)
        )
        for row in certificates:
            by_number[row["number"]] = row
            latest_of[row["organisation_id"]] = row
    names_of = {
        row["organisation_id"]: [
            row["organisation__legal_name"],
            *(row["organisation__trade_names"] or []),
        ]
        for row in by_number.values()
    }
    recognitions = confirmed_only(candidates_by_names(names_of))
    answers = []
    for entry in parsed:
        found: tuple[dict[str, Any], tuple[str, str]] | None = None
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
            row, matched = found
            answers.append(
                _answer(entry, row, matched, recognitions.get(row["organisation_id"], []))
            )
    return answers
