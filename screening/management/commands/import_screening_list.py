from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.engine import ParseError
from screening.services import list_import


class Command(BaseCommand):
    help = (
        "Import a version of a screening list. Each import is a new version with its difference "
        "from the previous one; the same files twice make no second version; a file that does "
        "not parse changes nothing and names the line at fault. OFAC: sdn.csv [alt.csv] [add.csv]; "
        "without alt.csv or add.csv the previous version's aliases or addresses of the entries "
        "still listed are kept, with a warning on the version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", required=True, choices=["ofac", "csl", "dpl", "un"], dest="fmt"
        )
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--show", type=int, default=10, help="How many changes of each kind to list."
        )

    def handle(self, *args: Any, fmt: str, paths: list[Path], show: int, **options: Any) -> None:
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        interactive = sys.stderr.isatty()

        def progress(count: int) -> None:
            if interactive:
                self.stderr.write(f"\r  parsed {count:,} entries", ending="")
            elif count % 5000 == 0:
                self.stderr.write(f"  parsed {count:,} entries")

        try:
            result = list_import(fmt=fmt, paths=paths, progress=progress)
        except ParseError as error:
            raise CommandError(f"Import refused, nothing changed: {error}") from error
        if interactive:
            self.stderr.write("")
        version = result.version
        if not result.created:
            self.stdout.write(
                f"Unchanged: these files are already {version} "
                f"(imported {version.imported_at:%Y-%m-%d %H:%M})."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(f"Imported {version}: {version.entry_count:,} entries.")
        )
        for warning in version.warnings:
            self.stdout.write(self.style.WARNING(f"WARNING: {warning}"))
        assert result.diff is not None
        summary = result.diff.summary()
        self.stdout.write(
            f"Difference from the previous version: {summary['added']:,} added, "
            f"{summary['removed']:,} removed, "
            f"{summary['changed']:,} changed, {summary['unchanged']:,} unchanged."
        )
        for label, entries in (("added", result.diff.added), ("removed", result.diff.removed)):
            for entry in entries[:show]:
                self.stdout.write(
                    f"  {label:<8} {entry.list_code} {entry.source_id}: {entry.primary_name}"
                )
        for change in result.diff.changed[:show]:
            fields = ", ".join(sorted(change.changed_fields))
            self.stdout.write(
                f"  changed  {change.new.list_code} {change.new.source_id}: "
                f"{change.new.primary_name} ({fields})"
            )
