"""Shared helpers of the screening benchmarks: locating and loading the shared OFAC lists.

The lists are read from the shared data folder at bench time only (default
``../shared/data/sanctions`` relative to the repository); they are never copied into the repo.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from screening.engine import ListEntry, parse_ofac_sdn  # noqa: E402

DEFAULT_DATA = next(
    (
        parent / "shared" / "data" / "sanctions"
        for parent in REPO.parents
        if (parent / "shared" / "data" / "sanctions").is_dir()
    ),
    REPO.parent / "shared" / "data" / "sanctions",
)
"""The first ``shared/data/sanctions`` above the repository (a worktree sits deeper)."""


def data_argument(parser: argparse.ArgumentParser) -> None:
    """Add the ``--data`` option (folder holding ofac-2021/ and ofac-2024-05/)."""
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"sanctions data folder (default: {DEFAULT_DATA})",
    )


def load_ofac(data: Path) -> list[ListEntry]:
    """The 2024-05 SDN list with the strong aliases of the 2021 alt.csv joined by ent_num.

    OFAC published no alt.csv with the 2024-05 file; the 2021 aliases of entries still listed in
    2024 are the best stand-in for the benchmark. Entries new since 2021 keep only the weak
    aliases found in their Remarks.
    """
    started = time.perf_counter()
    strong_aliases = {
        entry.source_id: [alias for alias in entry.aliases if alias.strength == "strong"]
        for entry in parse_ofac_sdn(data / "ofac-2021" / "sdn.csv", data / "ofac-2021" / "alt.csv")
    }
    entries = []
    for entry in parse_ofac_sdn(data / "ofac-2024-05" / "sdn.csv"):
        extra = [a for a in strong_aliases.get(entry.source_id, []) if a not in entry.aliases]
        entries.append(dataclasses.replace(entry, aliases=(*extra, *entry.aliases)))
    names = sum(1 + len(entry.aliases) for entry in entries)
    print(
        f"loaded {len(entries):,} SDN entries with {names:,} names "
        f"in {time.perf_counter() - started:.1f} s from {data}"
    )
    return entries
