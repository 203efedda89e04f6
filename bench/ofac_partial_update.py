"""OFAC 2021 -> 2024-05 as the importer now sees it: the 2024-05 release came as sdn.csv
alone, so the previous version's aliases and addresses are carried over to the entries still
listed (``screening.engine.partial``), and the difference counts only real changes.

Prints the difference taken as published (every alias and address "removed"), with the carry-
over, and with aliases and addresses left out of the comparison, the fields that changed, the
warnings the import puts on the version, and the time each step took. No database.

    .venv/bin/python bench/ofac_partial_update.py [--data PATH]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from screening_common import data_argument

from screening.engine import diff, parse_ofac_sdn
from screening.engine.partial import carry_over


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_argument(parser)
    data = parser.parse_args().data
    started = time.perf_counter()
    old = list(
        parse_ofac_sdn(
            data / "ofac-2021" / "sdn.csv",
            data / "ofac-2021" / "alt.csv",
            data / "ofac-2021" / "add.csv",
        )
    )
    new = list(parse_ofac_sdn(data / "ofac-2024-05" / "sdn.csv"))
    print(f"parsed {len(old):,} + {len(new):,} entries in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    print("as published (sdn.csv alone):", diff(old, new).summary())
    ignored = diff(old, new, ignore={"aliases", "addresses"})
    print("aliases and addresses not compared:", ignored.summary())
    print(f"  ({time.perf_counter() - started:.1f} s for both differences)")

    started = time.perf_counter()
    merged, report = carry_over(
        new, old, missing_files=["alt.csv", "add.csv"], previous_version="version 1"
    )
    carried_seconds = time.perf_counter() - started
    carried = diff(old, merged)
    print(f"with the carry-over ({carried_seconds:.2f} s):", carried.summary())
    fields = Counter(field for change in carried.changed for field in change.changed_fields)
    print("  changed fields:", ", ".join(f"{name} {count}" for name, count in fields.most_common()))
    print("  re-screening would look at", len(carried.to_rescreen()), "entries")
    for warning in report.warnings():
        print("  warning:", warning)


if __name__ == "__main__":
    main()
