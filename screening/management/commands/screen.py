from __future__ import annotations

import csv
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from screening.selectors import ScreeningQuery, active_index, match_json, screen, thresholds


class Command(BaseCommand):
    help = (
        "Screen names read from stdin (one per line, or CSV name,type,country with --csv) against "
        "the active lists; print one JSON object per input line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threshold", type=float, default=None, help="Lowest score to report (0-1)."
        )
        parser.add_argument("--csv", action="store_true", help="Input is CSV: name,type,country.")
        parser.add_argument("--limit", type=int, default=10)

    def handle(
        self, *args: Any, threshold: float | None, csv: bool, limit: int, **options: Any
    ) -> None:
        index = active_index()
        _hit, review = thresholds()
        rows = self._rows(sys.stdin, csv)
        for name, entity_type, country in rows:
            query = ScreeningQuery(
                name=name, entity_type=entity_type or None, country=country or None
            )
            matches = screen(query, threshold=threshold, limit=limit, index=index) if name else []
            output = {"query": name, "matches": [match_json(m, review) for m in matches]}
            for item in output["matches"]:
                item.pop("fingerprint")
            self.stdout.write(json.dumps(output, ensure_ascii=False, default=str))

    @staticmethod
    def _rows(stream: Any, as_csv: bool) -> Any:
        if as_csv:
            for row in csv.reader(stream):
                if not row:
                    continue
                padded = [*row, "", ""]
                yield padded[0].strip(), padded[1].strip().lower(), padded[2].strip()
        else:
            for line in stream:
                yield line.strip(), "", ""
