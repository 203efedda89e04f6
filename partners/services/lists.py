"""Importing partner programs' trusted-trader lists as dated versions with differences.

Two formats: the EU AEO authorisations as published (EORI, holder name, authorisation type
AEOC/AEOS/AEOF, issuing country, effective date) and a simple CSV for any program
(identifier, name, program, status, valid_from, valid_to). Identifiers are stored in the
portal's canonical form, names folded, so matching is by equality. When an authorisation a
known shipper holds leaves the list (or stops being active), officers get an alert on it.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from partners.events import AuditAction
from partners.models import (
    RecognisedProgram,
    RecognitionAlert,
    TrustedTrader,
    TrustedTraderListVersion,
)
from screening.engine.normalize import fold_name
from shippers.caching import verification_changed
from shippers.identifiers import IdentifierError, validate_identifier
from shippers.models import Application, Identifier

AEO_TYPES = frozenset({"AEOC", "AEOS", "AEOF"})
# Column names as published, and the simple CSV's; matched case-insensitively.
ALIASES = {
    "identifier": ("eori", "eori number", "identifier"),
    "name": ("holder name", "name", "trader name"),
    "authorisation_type": ("authorisation type", "authorization type", "type", "program"),
    "issuing_country": ("issuing country", "country"),
    "valid_from": ("effective date", "valid_from", "date"),
    "valid_to": ("valid_to", "expiry date"),
    "status": ("status",),
}
MAX_LISTED_DIFFERENCES = 500


def _date(text: str, *, line: int, column: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"Line {line}: {column} {text!r} is not a YYYY-MM-DD date.") from None


def parse_list(program: RecognisedProgram, content: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The list's rows in canonical form, and the problems of rows left out."""
    dialect = csv.Sniffer().sniff(content.splitlines()[0] if content else ",", delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    mapping = {
        field: next((columns[alias] for alias in aliases if alias in columns), None)
        for field, aliases in ALIASES.items()
    }
    if mapping["identifier"] is None or mapping["name"] is None:
        raise ValidationError("The list needs an identifier (EORI) column and a name column.")
    rows, problems = [], []
    for line, raw in enumerate(reader, start=2):
        value = {
            field: (raw.get(column) or "").strip() if column else ""
            for field, column in mapping.items()
        }
        try:
            identifier = validate_identifier(program.identifier_kind, value["identifier"])
        except IdentifierError as error:
            problems.append(f"Line {line}: {error}")
            continue
        kind = value["authorisation_type"].upper()
        if program.list_format == RecognisedProgram.ListFormat.EU_AEO and kind not in AEO_TYPES:
            problems.append(f"Line {line}: authorisation type {kind!r} is not AEOC, AEOS or AEOF.")
            continue
        status = (value["status"] or "active").lower()
        if status not in TrustedTrader.Status.values:
            problems.append(f"Line {line}: status {status!r} is not active, suspended or revoked.")
            continue
        rows.append(
            {
                "identifier": identifier,
                "name": value["name"],
                "folded_name": fold_name(value["name"]),
                "authorisation_type": kind,
                "issuing_country": value["issuing_country"].upper()[:2],
                "status": status,
                "valid_from": _date(value["valid_from"], line=line, column="the start date"),
                "valid_to": _date(value["valid_to"], line=line, column="the end date"),
            }
        )
    return rows, problems


def _active(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["identifier"]: row for row in rows if row["status"] == "active"}


def _differences(previous: list[dict[str, Any]], current: list[dict[str, Any]]) -> dict[str, Any]:
    before = {row["identifier"]: row for row in previous}
    after = {row["identifier"]: row for row in current}
    keys = ("name", "authorisation_type", "status", "valid_to")
    changed = [
        identifier
        for identifier in sorted(set(before) & set(after))
        if any(str(before[identifier][key]) != str(after[identifier][key]) for key in keys)
    ]
    added, removed = sorted(set(after) - set(before)), sorted(set(before) - set(after))
    return {
        "added": len(added),
        "removed": len(removed),
        "changed": len(changed),
        "added_identifiers": added[:MAX_LISTED_DIFFERENCES],
        "removed_identifiers": removed[:MAX_LISTED_DIFFERENCES],
        "changed_identifiers": changed[:MAX_LISTED_DIFFERENCES],
    }


def _previous_rows(version: TrustedTraderListVersion | None) -> list[dict[str, Any]]:
    if version is None:
        return []
    return list(
        version.traders.values(  # type: ignore[arg-type]
            "identifier", "name", "authorisation_type", "status", "valid_to", "folded_name"
        )
    )


def _alert_withdrawn(
    version: TrustedTraderListVersion, lost: dict[str, dict[str, Any]], actor: Any
) -> int:
    """Alerts on the known shippers that held an authorisation now gone or inactive."""
    holders = Identifier.objects.filter(value__in=lost).values_list("organisation_id", "value")
    count = 0
    for organisation_id, value in holders:
        application = (
            Application.objects.filter(organisation_id=organisation_id)
            .standing()
            .order_by("-pk")
            .first()
        )
        if application is None:
            continue
        row = lost[value]
        RecognitionAlert.objects.create(
            organisation_id=organisation_id,
            version=version,
            identifier=value,
            authorisation_type=row["authorisation_type"],
        )
        audit_record(
            action=AuditAction.RECOGNITION_WITHDRAWN,
            target=application,
            actor=actor,
            organisation_id=organisation_id,
            internal=True,
            reason=f"{value} is no longer active on {version.program.name} "
            f"(list of {version.published_on}).",
            detail={"program": version.program.code, "identifier": value},
        )
        count += 1
    return count


def trusted_list_import(
    *,
    program: RecognisedProgram,
    content: bytes,
    published_on: date,
    source_name: str = "",
    actor: Any = None,
) -> tuple[TrustedTraderListVersion, list[str]]:
    """Store the list as the program's current version (unless it equals the current one),
    with its differences; returns the version and the problems of rows left out."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("The list must be UTF-8 text.") from None
    rows, problems = parse_list(program, text)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        RecognisedProgram.objects.select_for_update().get(pk=program.pk)
        previous = program.versions.filter(is_current=True).first()
        if previous is not None and previous.sha256 == digest:
            return previous, problems
        previous_rows = _previous_rows(previous)
        differences = _differences(previous_rows, rows)
        if previous is not None:
            previous.is_current = False
            previous.save(update_fields=["is_current"])
        version = TrustedTraderListVersion.objects.create(
            program=program,
            published_on=published_on,
            imported_at=timezone.now(),
            source_name=source_name[:300],
            sha256=digest,
            entry_count=len(rows),
            differences=differences,
            is_current=True,
        )
        TrustedTrader.objects.bulk_create(TrustedTrader(version=version, **row) for row in rows)
        now_active = _active(rows)
        lost = {
            identifier: row
            for identifier, row in _active(previous_rows).items()
            if identifier not in now_active
        }
        alerts = _alert_withdrawn(version, lost, actor) if lost else 0
        audit_record(
            action=AuditAction.LIST_IMPORT,
            target=version,
            actor=actor,
            detail={
                "program": program.code,
                "published_on": published_on,
                "entries": len(rows),
                "rejected": len(problems),
                "alerts": alerts,
                **{key: differences[key] for key in ("added", "removed", "changed")},
            },
        )
        # Verify answers show recognitions: the stored ones are stale once the list changes.
        transaction.on_commit(verification_changed)
    return version, problems
