"""The CSV export of the (filtered) case queue."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from enforcement.models import Case

CSV_HEADER = [
    "number",
    "respondent",
    "organisation_id",
    "violation_type",
    "culpability",
    "status",
    "assigned_officer",
    "opened_at",
    "violation_date",
    "limitations_date",
    "currency",
    "proposed_amount",
    "assessed_amount",
    "mitigated_amount",
    "collected_amount",
    "next_due_on",
    "overdue",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells that start like a formula; keep them text.
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _csv_rows(cases: QuerySet[Case]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    today = timezone.localdate()
    rows = cases.select_related("organisation", "assigned_officer").prefetch_related("deadlines")
    for case in rows.order_by("pk").iterator(chunk_size=500):
        running = [d for d in case.deadlines.all() if d.is_open]
        next_due = min((d.due_on for d in running), default=None)
        yield writer.writerow(
            [
                _cell(v)
                for v in (
                    case.number,
                    case.respondent_name,
                    case.organisation_id,
                    case.violation_type,
                    case.culpability,
                    case.status,
                    case.assigned_officer.email if case.assigned_officer else "",
                    case.opened_at.isoformat(),
                    case.violation_date.isoformat(),
                    case.limitations_date.isoformat(),
                    case.currency,
                    case.proposed_amount,
                    case.assessed_amount,
                    case.mitigated_amount,
                    case.collected_amount,
                    next_due.isoformat() if next_due else "",
                    "yes" if next_due is not None and next_due < today else "no",
                )
            ]
        )


def csv_response(cases: QuerySet[Case]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_rows(cases), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="penalty-cases-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
