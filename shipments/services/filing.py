"""Filing a batch of shipments: validate each, decide new / unchanged / amended / refused,
score the new and amended ones, store them in one transaction with one audit event, and
queue their party screening after commit."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.outbox import publish_on_commit
from core.workflow import ActorKind
from shipments import schema
from shipments.events import AuditAction
from shipments.facts import FactsBuilder, Filing, filer_reasons
from shipments.ids import uuid7, uuid7_strings
from shipments.models import Batch, ScreeningState, Shipment, ShipmentStatus
from shipments.services import storage
from shipments.services.storage import NULL, json_text
from shipments.validation import FieldError, ValidShipment, validate_shipment
from shipments.workflow import SHIPMENT_MACHINE, UNDECIDED_STATUSES
from shippers.models import Organisation

logger = logging.getLogger(__name__)

SCREENING_TASK = "shipments.tasks.screen_shipment_parties"
FAN_OUT_TASK = "shipments.tasks.screen_shipments_in_chunks"


@dataclass(frozen=True, slots=True)
class Unparsable:
    """A line of an NDJSON body that is not JSON: rejected on its own."""

    message: str


@dataclass
class BatchOutcome:
    batch: Batch
    results: list[dict[str, Any]]
    screened_ids: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.batch.accepted + self.batch.amended + self.batch.unchanged

    def as_response(self) -> dict[str, Any]:
        return {
            "batch": str(self.batch.id),
            "accepted": self.accepted,
            "rejected": self.batch.rejected,
            "results": self.results,
        }


def _risk(level: str, decision: str, score: float, reasons: list[dict[str, Any]]) -> dict:
    return {
        "level": level,
        "decision": decision,
        "score": score,
        "reasons": filer_reasons(reasons),
    }


def _rejected(index: int, reference: Any, errors: list[FieldError]) -> dict[str, Any]:
    return {
        "index": index,
        "reference": reference if isinstance(reference, str) else None,
        "id": None,
        "status": "rejected",
        "errors": [error.as_dict() for error in errors],
        "risk": None,
    }


def _raw_reference(raw: object) -> str | None:
    if isinstance(raw, schema.Shipment):
        return raw.reference.strip() or None
    if isinstance(raw, dict):
        reference = raw.get("reference")
        if isinstance(reference, str) and reference.strip():
            return reference.strip()
    return None


@dataclass(frozen=True, slots=True)
class Scored:
    """A shipment's risk at acceptance: the batch API's ``risk`` object and the stored
    reasons (JSON text)."""

    level: str
    decision: str
    score: float
    reasons: list[dict[str, Any]]
    reasons_json: str


_NO_REASONS = "[]"
# Plain text: a choices member's str() is a Python call per row and column.
_ACCEPTED = str(ShipmentStatus.ACCEPTED)
_SCREENING_PENDING = str(ScreeningState.PENDING)


def _score(filings: list[Filing]) -> list[Scored]:
    """The active rules over the batch (``shipments.targeting``), in order."""
    if not filings:
        return []
    from shipments.targeting.engine.evaluation import evaluate_batch
    from shipments.targeting.snapshot import current_snapshot

    results = evaluate_batch([filing.facts for filing in filings], current_snapshot())
    scored = []
    for result in results:
        if result.reasons:
            reasons = [reason.as_json() for reason in result.reasons]
            text = json_text(reasons)
        else:
            reasons, text = [], _NO_REASONS
        scored.append(
            Scored(str(result.level), str(result.decision), float(result.score), reasons, text)
        )
    return scored


def _shipment_row(
    *,
    shipment_id: str,
    organisation_id: int,
    version: int,
    valid: ValidShipment,
    filing: Filing,
    risk: Scored,
    batch_id: str,
    now: datetime,
) -> tuple[Any, ...]:
    """One row in `storage.SHIPMENT_COLUMNS` order."""
    shipment = valid.as_struct()
    parties = filing.facts.parties
    marketplace = shipment.marketplace
    return (
        shipment_id,
        organisation_id,
        shipment.reference,
        version,
        valid.content_hash,
        _ACCEPTED,
        batch_id,
        shipment.mode,
        shipment.carrier or "",
        shipment.house_bill or "",
        shipment.master_bill or "",
        shipment.tracking_number or "",
        shipment.port_of_arrival,
        valid.estimated_arrival,
        shipment.currency,
        filing.total_value,
        filing.gross_weight_kg,
        shipment.packages,
        len(shipment.items),
        filing.origin_countries,
        filing.hs_codes,
        parties[0].name,
        shipment.seller.address.country,
        parties[1].name,
        shipment.shipper.address.country,
        parties[2].name,
        shipment.consignee.address.country,
        filing.consignee_key,
        marketplace.name if marketplace is not None else "",
        risk.level,
        risk.decision,
        risk.score,
        risk.reasons_json,
        NULL,
        _SCREENING_PENDING,
        now,
        now,
        NULL,
    )


def _enqueue_screening(shipment_ids: list[str]) -> None:
    """Party screening of the stored shipments, by id, recorded in the outbox with the
    batch: a broker outage delays screening, never loses it. One message: up to
    ``SHIPMENTS_SCREENING_CHUNK`` shipments the screening task itself, more the task that
    splits them into screening tasks on the worker (each outbox message costs the request
    two queries and a broker round trip)."""
    if len(shipment_ids) <= int(settings.SHIPMENTS_SCREENING_CHUNK):
        publish_on_commit(SCREENING_TASK, args=[shipment_ids])
    else:
        publish_on_commit(FAN_OUT_TASK, args=[shipment_ids])


def _refusal(existing: Shipment, now: datetime) -> FieldError | None:
    if existing.status not in UNDECIDED_STATUSES:
        return FieldError(
            "reference",
            "not_amendable",
            f"Shipment {existing.reference} is {existing.get_status_display().lower()}"
            + (f" ({existing.get_decision_display().lower()})" if existing.decided_at else "")
            + ": its data can no longer be changed. File a correction with the port.",
        )
    if existing.estimated_arrival <= now:
        return FieldError(
            "reference",
            "arrived",
            f"Shipment {existing.reference} was due to arrive at "
            f"{existing.estimated_arrival.isoformat()}: its data can no longer be changed.",
        )
    return None


def batch_file(
    *,
    organisation: Organisation,
    shipments: Sequence[object],
    api_key: Any = None,
    submitted_by: Any = None,
    source: str = Batch.Source.API,
    body_bytes: int = 0,
    parse_ms: float = 0.0,
) -> BatchOutcome:
    """File shipments for `organisation`; each is accepted, unchanged, amended or rejected
    on its own, and the answers come back in input order."""
    started = time.perf_counter()
    now = timezone.now()
    batch_id = str(uuid7())
    organisation_id = organisation.pk
    results: list[dict[str, Any] | None] = [None] * len(shipments)
    valid: list[tuple[int, ValidShipment]] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(shipments):
        if isinstance(raw, Unparsable):
            results[index] = _rejected(index, None, [FieldError("", "malformed_json", raw.message)])
            continue
        reference = _raw_reference(raw)
        if reference is not None and reference in first_index:
            results[index] = _rejected(
                index,
                reference,
                [
                    FieldError(
                        "reference",
                        "duplicate_reference",
                        f"The reference {reference!r} already appears at index "
                        f"{first_index[reference]} of this batch.",
                    )
                ],
            )
            continue
        if reference is not None:
            first_index[reference] = index
        checked, errors = validate_shipment(raw)
        if checked is None:
            results[index] = _rejected(index, reference, errors)
        else:
            valid.append((index, checked))
    validated = time.perf_counter()

    with transaction.atomic():
        references = [checked.reference for _, checked in valid]
        existing_ids = storage.existing_references(
            organisation_id=organisation_id, references=references
        )
        existing: dict[str, Shipment] = {}
        if existing_ids:
            existing = {
                shipment.reference: shipment
                for shipment in Shipment.objects.select_for_update().filter(
                    pk__in=list(existing_ids.values())
                )
            }
        new: list[tuple[int, ValidShipment, str]] = []
        amended: list[tuple[int, ValidShipment, Shipment]] = []
        unchanged = 0
        fresh_ids = iter(uuid7_strings(len(valid)))
        for index, checked in valid:
            reference = checked.reference
            current = existing.get(reference)
            if current is None:
                new.append((index, checked, next(fresh_ids)))
            elif current.content_hash == checked.content_hash:
                unchanged += 1
                results[index] = {
                    "index": index,
                    "reference": reference,
                    "id": str(current.pk),
                    "status": "unchanged",
                    "errors": [],
                    "risk": _risk(
                        current.risk_level,
                        current.decision,
                        current.risk_score,
                        current.risk_reasons,
                    ),
                }
            elif (refusal := _refusal(current, now)) is not None:
                results[index] = _rejected(index, reference, [refusal])
            else:
                amended.append((index, checked, current))

        filings: list[Filing] = []
        if new or amended:
            from shipments.targeting.facts import filer_standings, has_filed_before

            standing, tier = filer_standings([organisation_id])[organisation_id]
            builder = FactsBuilder(
                organisation_id=organisation_id,
                standing=standing,
                tier=tier,
                never_filed=not has_filed_before(organisation_id),
            )
            filings = [
                builder.build(
                    checked.as_struct(),
                    shipment_id=shipment_id,
                    version=1,
                    estimated_arrival=checked.estimated_arrival,
                )
                for _, checked, shipment_id in new
            ] + [
                builder.build(
                    checked.as_struct(),
                    shipment_id=str(current.pk),
                    version=current.version + 1,
                    estimated_arrival=checked.estimated_arrival,
                )
                for _, checked, current in amended
            ]
        risks = _score(filings)
        scored = time.perf_counter()

        claimed = storage.claim_references(
            organisation_id=organisation_id,
            references=[checked.reference for _, checked, _ in new],
            shipment_ids=[shipment_id for _, _, shipment_id in new],
        )
        version_ids = iter(uuid7_strings(len(new) + len(amended)))
        shipment_rows: list[tuple[Any, ...]] = []
        version_rows: list[tuple[Any, ...]] = []
        screened: list[str] = []
        for (index, checked, shipment_id), filing, risk in zip(new, filings, risks, strict=False):
            reference = checked.reference
            if reference not in claimed:
                results[index] = _rejected(
                    index,
                    reference,
                    [
                        FieldError(
                            "reference",
                            "conflict",
                            f"Another request filed {reference!r} at the same moment; "
                            "send it again to see its state.",
                        )
                    ],
                )
                continue
            shipment_rows.append(
                _shipment_row(
                    shipment_id=shipment_id,
                    organisation_id=organisation_id,
                    version=1,
                    valid=checked,
                    filing=filing,
                    risk=risk,
                    batch_id=batch_id,
                    now=now,
                )
            )
            version_rows.append(
                (
                    next(version_ids),
                    shipment_id,
                    1,
                    json_text(checked.encoded),
                    checked.content_hash,
                    checked.estimated_arrival,
                    batch_id,
                    now,
                )
            )
            screened.append(str(shipment_id))
            results[index] = {
                "index": index,
                "reference": reference,
                "id": shipment_id,
                "status": "accepted",
                "errors": [],
                "risk": _risk(risk.level, risk.decision, risk.score, risk.reasons),
            }
        storage.insert_shipments(shipment_rows)

        amendments: list[dict[str, Any]] = []
        offset = len(new)
        for position, (index, checked, current) in enumerate(amended):
            filing, risk = filings[offset + position], risks[offset + position]
            row = _shipment_row(
                shipment_id=str(current.pk),
                organisation_id=organisation_id,
                version=current.version + 1,
                valid=checked,
                filing=filing,
                risk=risk,
                batch_id=batch_id,
                now=now,
            )
            before = current.version
            SHIPMENT_MACHINE.apply(current, "amend", ActorKind.FILER)
            changed = storage.values_of(storage.SHIPMENT_COLUMNS, row)
            for name in ("id", "organisation_id", "status", "filed_at", "cancelled_at", "batch_id"):
                changed.pop(name)
            for name, value in changed.items():
                setattr(current, name, value)
            current.batch_id = batch_id
            current.save(update_fields=[*changed, "status", "batch"])
            version_rows.append(
                (
                    next(version_ids),
                    str(current.pk),
                    current.version,
                    json_text(checked.encoded),
                    checked.content_hash,
                    checked.estimated_arrival,
                    batch_id,
                    now,
                )
            )
            screened.append(str(current.pk))
            amendments.append(
                {"id": str(current.pk), "reference": current.reference, "version": before + 1}
            )
            results[index] = {
                "index": index,
                "reference": current.reference,
                "id": str(current.pk),
                "status": "amended",
                "errors": [],
                "risk": _risk(risk.level, risk.decision, risk.score, risk.reasons),
            }
        storage.insert_versions(version_rows)
        stored = time.perf_counter()

        final = [result for result in results if result is not None]
        batch = Batch(
            id=batch_id,
            organisation_id=organisation_id,
            api_key=api_key,
            submitted_by=submitted_by if getattr(submitted_by, "is_authenticated", False) else None,
            source=source,
            received=len(shipments),
            accepted=len(shipment_rows),
            amended=len(amendments),
            unchanged=unchanged,
            rejected=sum(1 for result in final if result["status"] == "rejected"),
            body_bytes=body_bytes,
            received_at=now,
            finished_at=timezone.now(),
            timings={
                "parse_ms": round(parse_ms, 1),
                "validate_ms": round((validated - started) * 1000, 1),
                "score_ms": round((scored - validated) * 1000, 1),
                "store_ms": round((stored - scored) * 1000, 1),
            },
        )
        batch.save(force_insert=True)
        audit_record(
            action=AuditAction.FILE_BATCH,
            target=batch,
            target_label=f"Batch of {len(shipments)} shipment(s)",
            actor=submitted_by,
            actor_kind="user" if batch.submitted_by_id else "api",
            organisation_id=organisation_id,
            detail={
                "received": batch.received,
                "accepted": batch.accepted,
                "amended": amendments,
                "unchanged": batch.unchanged,
                "rejected": batch.rejected,
                "api_key": getattr(api_key, "prefix", ""),
            },
        )
        if screened:
            _enqueue_screening(screened)
    return BatchOutcome(batch=batch, results=final, screened_ids=screened)
