"""Writing many shipments at once: PostgreSQL COPY (psycopg 3 `cursor.copy`) into the
partitioned tables, `bulk_create` elsewhere. Called only inside `batch_file`'s
transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from django.db import connection

from shipments.models import FiledReference, Shipment, ShipmentVersion

SHIPMENT_COLUMNS = (
    "id",
    "organisation_id",
    "reference",
    "version",
    "content_hash",
    "status",
    "batch_id",
    "mode",
    "carrier",
    "house_bill",
    "master_bill",
    "tracking_number",
    "port_of_arrival",
    "estimated_arrival",
    "currency",
    "total_value",
    "gross_weight_kg",
    "packages",
    "item_count",
    "origin_countries",
    "hs_codes",
    "seller_name",
    "seller_country",
    "shipper_name",
    "shipper_country",
    "consignee_name",
    "consignee_country",
    "consignee_key",
    "marketplace_name",
    "risk_level",
    "decision",
    "risk_score",
    "risk_reasons",
    "decided_at",
    "screening_state",
    "filed_at",
    "updated_at",
    "cancelled_at",
)
VERSION_COLUMNS = (
    "id",
    "shipment_id",
    "number",
    "content",
    "content_hash",
    "estimated_arrival",
    "batch_id",
    "filed_at",
)
_encode = msgspec.json.Encoder().encode


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


NULL = "\x00"  # a NULL in a row (validated text never holds NUL); see `values_of`
_JSON_NAMES = frozenset({"origin_countries", "hs_codes", "risk_reasons", "content"})


def json_text(value: Any) -> str:
    """A JSON column's value in a row: its JSON text (bytes already encoded are kept)."""
    return value.decode() if isinstance(value, bytes) else _encode(value).decode()


def values_of(columns: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    """A row back as model field values: JSON text decoded, NULL as None."""
    values = dict(zip(columns, row, strict=True))
    for name, value in values.items():
        if value == NULL:
            values[name] = None
        elif name in _JSON_NAMES:
            values[name] = msgspec.json.decode(value)
    return values


def _copy(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """COPY in text format, built as one buffer. Rows hold JSON columns as text and NULL as
    `NULL`, so every value becomes text with `str` (a datetime's or Decimal's str() is valid
    PostgreSQL input); backslashes are doubled and NULLs marked once over the whole buffer.
    Validated text has no tab, line break or NUL to escape."""
    buffer = "\n".join(["\t".join(map(str, row)) for row in rows])
    if "\\" in buffer:
        buffer = buffer.replace("\\", "\\\\")
    if NULL in buffer:
        buffer = buffer.replace(NULL, "\\N")
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        copy.write(buffer + "\n")


def insert_shipments(rows: Sequence[Sequence[Any]]) -> None:
    """Rows in `SHIPMENT_COLUMNS` order (JSON columns as `json_text`, NULL as `NULL`)."""
    if not rows:
        return
    if uses_copy():
        _copy(Shipment._meta.db_table, SHIPMENT_COLUMNS, rows)
    else:
        Shipment.objects.bulk_create(
            [Shipment(**values_of(SHIPMENT_COLUMNS, row)) for row in rows], batch_size=500
        )


def insert_versions(rows: Sequence[Sequence[Any]]) -> None:
    """Rows in `VERSION_COLUMNS` order (content as `json_text`)."""
    if not rows:
        return
    if uses_copy():
        _copy(ShipmentVersion._meta.db_table, VERSION_COLUMNS, rows)
    else:
        ShipmentVersion.objects.bulk_create(
            [ShipmentVersion(**values_of(VERSION_COLUMNS, row)) for row in rows], batch_size=500
        )


def existing_references(*, organisation_id: int, references: Sequence[str]) -> dict[str, str]:
    """{reference: shipment id} for the references the organisation has filed before."""
    if not references:
        return {}
    if uses_copy():  # one array parameter, not thousands of placeholders
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reference, shipment_id::text FROM shipments_filedreference "
                "WHERE organisation_id = %s AND reference = ANY(%s::text[])",
                [organisation_id, list(references)],
            )
            return dict(cursor.fetchall())
    return {
        reference: str(shipment_id)
        for reference, shipment_id in FiledReference.objects.filter(
            organisation_id=organisation_id, reference__in=references
        ).values_list("reference", "shipment_id")
    }


def claim_references(
    *, organisation_id: int, references: Sequence[str], shipment_ids: Sequence[str]
) -> set[str]:
    """Register new references for the organisation; returns those this transaction now
    owns. A reference another transaction registered meanwhile is left out (its filer's
    first batch wins; the caller reports it)."""
    if not references:
        return set()
    if uses_copy():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO shipments_filedreference (organisation_id, reference, shipment_id) "
                "SELECT %s, claimed.reference, claimed.shipment_id "
                "FROM unnest(%s::text[], %s::uuid[]) AS claimed(reference, shipment_id) "
                "ON CONFLICT DO NOTHING RETURNING reference",
                [organisation_id, list(references), list(shipment_ids)],
            )
            return {row[0] for row in cursor.fetchall()}
    # SQLite: writers are serialised (IMMEDIATE transactions), so the look-up made earlier in
    # this transaction is still true.
    FiledReference.objects.bulk_create(
        [
            FiledReference(organisation_id=organisation_id, reference=ref, shipment_id=sid)
            for ref, sid in zip(references, shipment_ids, strict=True)
        ],
        batch_size=500,
    )
    return set(references)
