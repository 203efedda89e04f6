"""Shipments uploaded as CSV in the portal.

All or nothing per upload: the file is read, every shipment is checked by the batch API's
own validator (`shipments.validation.validate_shipment`, so the rules exist once), and only
when no row has an error are the shipments filed, through `batch_file` (source "csv"), in
one transaction that is rolled back if filing refuses any of them (e.g. an amendment after
the decision). Either every shipment of the file is filed, or none is and every error is
listed with its row number and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from shipments import csv_rows
from shipments.csv_rows import RowError
from shipments.models import Batch
from shipments.selectors import filing_refusal
from shipments.services import BatchOutcome, batch_file
from shipments.validation import validate_shipment
from shippers.models import Organisation

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclass
class UploadResult:
    errors: list[RowError] = field(default_factory=list)
    outcome: BatchOutcome | None = None
    shipments: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome is not None and not self.errors


class _Refused(Exception):
    def __init__(self, outcome: BatchOutcome) -> None:
        super().__init__("refused")
        self.outcome = outcome


def _numbers_as_json(value: Any) -> Any:
    """Decimals from the CSV become the JSON numbers the API's validator takes."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _numbers_as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_as_json(v) for v in value]
    return value


def shipments_upload_csv(*, actor: Any, organisation: Organisation, data: bytes) -> UploadResult:
    """File the shipments of an uploaded CSV for `organisation`, all or nothing."""
    if len(data) > MAX_UPLOAD_BYTES:
        return UploadResult(
            [RowError(0, "", f"The file is over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split it.")]
        )
    refusal = filing_refusal(organisation=organisation)
    if refusal is not None:
        return UploadResult([RowError(0, "", refusal.message)])
    try:
        parsed = csv_rows.parse_upload(data)
    except ValueError as error:
        return UploadResult([RowError(0, "", str(error))])
    documents = [_numbers_as_json(document) for document in parsed.shipments]
    errors = list(parsed.errors)
    for index, document in enumerate(documents):
        _, problems = validate_shipment(document)
        errors += csv_rows.row_errors(parsed, index, [p.as_dict() for p in problems])
    result = UploadResult(shipments=len(documents))
    if errors:
        result.errors = _unique_sorted(errors)
        return result
    try:
        with transaction.atomic():
            outcome = batch_file(
                organisation=organisation,
                shipments=documents,
                submitted_by=actor,
                source=Batch.Source.CSV,
                body_bytes=len(data),
            )
            if outcome.batch.rejected:
                raise _Refused(outcome)
    except _Refused as refused:
        for answer in refused.outcome.results:
            if answer.get("status") == "rejected":
                errors += csv_rows.row_errors(parsed, answer["index"], answer.get("errors", []))
        result.errors = _unique_sorted(errors)
        return result
    result.outcome = outcome
    return result


def _unique_sorted(errors: list[RowError]) -> list[RowError]:
    return sorted(dict.fromkeys(errors), key=lambda e: (e.row, e.column))
