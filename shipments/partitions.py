"""Monthly range partitions of the shipment tables by estimated arrival (PostgreSQL only).

Each partitioned table has a DEFAULT partition, so a shipment whose month has no partition
yet is still stored (never refused or lost); creating that month's partition later moves
its rows out of the default partition. Old months are detached (and optionally moved to an
archive schema) as a whole: no row-by-row delete, no bloat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

PARTITIONED_TABLES = ("shipments_shipment", "shipments_shipmentversion")
PARTITION_KEY = "estimated_arrival"


def is_partitioned_backend(conn: BaseDatabaseWrapper | None = None) -> bool:
    return (conn or connection).vendor == "postgresql"


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month:%Y_%m}"


def _bound(month: date) -> str:
    return datetime(month.year, month.month, 1, tzinfo=UTC).isoformat()


def convert_to_partitioned(cursor: object, table: str) -> None:
    """Replace the (empty) table Django created with a table of the same columns,
    partitioned by month of arrival, keyed by (id, estimated_arrival), with the same
    indexes, plus its default partition."""
    execute = cursor.execute  # type: ignore[attr-defined]
    execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = %s AND indexname <> %s",
        [table, f"{table}_pkey"],
    )
    indexes = cursor.fetchall()  # type: ignore[attr-defined]
    execute(f"ALTER TABLE {table} RENAME TO {table}_unpartitioned")
    execute(
        f"CREATE TABLE {table} (LIKE {table}_unpartitioned INCLUDING DEFAULTS "
        f"INCLUDING CONSTRAINTS) PARTITION BY RANGE ({PARTITION_KEY})"
    )
    execute(f"DROP TABLE {table}_unpartitioned")
    execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id, {PARTITION_KEY})")
    for _name, definition in indexes:
        execute(definition)
    execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")


@dataclass(frozen=True)
class PartitionInfo:
    table: str
    name: str
    bounds: str
    rows_estimate: int


def existing_partitions(table: str) -> list[PartitionInfo]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname, pg_get_expr(child.relpartbound, child.oid), child.reltuples "
            "FROM pg_inherits JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "WHERE parent.relname = %s ORDER BY child.relname",
            [table],
        )
        return [
            PartitionInfo(table, name, bounds, max(int(rows), 0))
            for name, bounds, rows in cursor.fetchall()
        ]


def create_month_partition(table: str, month: date) -> bool:
    """Create the partition for `month` if missing, moving any of its rows out of the
    default partition in the same transaction. True if it was created."""
    name = partition_name(table, month)
    start, end = _bound(month), _bound(add_months(month, 1))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [name])
        if cursor.fetchone()[0] is not None:
            return False
        cursor.execute(
            f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        move = (  # table names are ours, never input
            f"WITH moved AS (DELETE FROM {table}_default WHERE {PARTITION_KEY} >= %s "  # noqa: S608
            f"AND {PARTITION_KEY} < %s RETURNING *) INSERT INTO {name} SELECT * FROM moved"
        )
        cursor.execute(move, [start, end])
        cursor.execute(
            f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)",
            [start, end],
        )
    return True


def create_partitions(*, first_month: date, months: int) -> list[str]:
    """Partitions for `months` months from `first_month` on every shipment table; returns
    the names created (none on SQLite)."""
    if not is_partitioned_backend():
        return []
    created: list[str] = []
    for offset in range(months):
        month = add_months(month_start(first_month), offset)
        for table in PARTITIONED_TABLES:
            if create_month_partition(table, month):
                created.append(partition_name(table, month))
    return created


def detach_partitions(*, before: date, archive_schema: str = "") -> list[str]:
    """Detach the monthly partitions wholly before `before`; with `archive_schema`, move
    them there (kept, queryable, out of the live tables). Returns their names."""
    if not is_partitioned_backend():
        return []
    cutoff = month_start(before)
    detached: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        if archive_schema:
            cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{archive_schema}"')
        for table in PARTITIONED_TABLES:
            for partition in existing_partitions(table):
                suffix = partition.name.removeprefix(f"{table}_p")
                if suffix == partition.name or suffix == "default":
                    continue
                year, month = (int(part) for part in suffix.split("_"))
                if date(year, month, 1) >= cutoff:
                    continue
                cursor.execute(f"ALTER TABLE {table} DETACH PARTITION {partition.name}")
                if archive_schema:
                    cursor.execute(f'ALTER TABLE {partition.name} SET SCHEMA "{archive_schema}"')
                detached.append(partition.name)
    return detached
