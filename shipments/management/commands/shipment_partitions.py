"""Create the coming months' shipment partitions and detach (archive) old ones."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from shipments.partitions import (
    PARTITIONED_TABLES,
    add_months,
    create_partitions,
    detach_partitions,
    existing_partitions,
    is_partitioned_backend,
    month_start,
)


def _month(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise CommandError(f"Give a month as YYYY-MM, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Create monthly partitions of the shipment tables for this month and the next N "
        "(default 3), and with --archive-before YYYY-MM detach the months before it "
        "(moved to the schema named by --archive-schema if given). Run it monthly; safe to "
        "run again. PostgreSQL only; on SQLite it says so and does nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months-ahead", type=int, default=3)
        parser.add_argument("--from-month", type=_month, default=None, help="YYYY-MM")
        parser.add_argument("--archive-before", type=_month, default=None, help="YYYY-MM")
        parser.add_argument("--archive-schema", default="")
        parser.add_argument("--list", action="store_true", help="List the partitions.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not is_partitioned_backend():
            self.stdout.write("This database does not partition the shipment tables.")
            return
        first = options["from_month"] or month_start(timezone.localdate())
        months = options["months_ahead"] + 1
        created = create_partitions(first_month=first, months=months)
        for name in created:
            self.stdout.write(f"created {name}")
        self.stdout.write(
            f"{len(created)} partition(s) created for {first:%Y-%m} to "
            f"{add_months(first, months - 1):%Y-%m}."
        )
        if options["archive_before"]:
            detached = detach_partitions(
                before=options["archive_before"], archive_schema=options["archive_schema"]
            )
            for name in detached:
                self.stdout.write(f"detached {name}")
            self.stdout.write(f"{len(detached)} partition(s) detached.")
        if options["list"]:
            for table in PARTITIONED_TABLES:
                for partition in existing_partitions(table):
                    self.stdout.write(
                        f"{partition.name}: {partition.bounds} (~{partition.rows_estimate} rows)"
                    )
