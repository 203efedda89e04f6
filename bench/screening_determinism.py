"""Do two processes give the same results? Screens the evaluation names in two child processes
with different PYTHONHASHSEED values and compares their output line by line.

    .venv/bin/python bench/screening_determinism.py [--data PATH] [--names 6000]

Prints how many names were screened and how many gave different results (0 is the target);
with ``--child SEED`` it is the child itself and prints one JSON line per name.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from screening_common import data_argument, load_ofac
from screening_evalset import generate, listed_keys

from screening.engine import ScreeningIndex


def child(arguments: argparse.Namespace) -> None:
    entries = load_ofac(arguments.data)
    index = ScreeningIndex.build(entries)
    cases, _ = generate(
        entries,
        seed=5,
        positives=arguments.names // 3,
        negatives=arguments.names - arguments.names // 3,
        known=listed_keys(entries),
    )
    for case in cases:
        for entity_type in (case.entity_type, None):
            matches = index.search(case.query, entity_type=entity_type, limit=10, min_score=0.5)
            print(
                json.dumps([case.query, entity_type, [[m.source_id, m.score] for m in matches]]),
                file=sys.stdout,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_argument(parser)
    parser.add_argument("--names", type=int, default=6000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments)
        return
    outputs = []
    for seed in ("1", "2"):
        completed = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--names",
                str(arguments.names),
                "--data",
                str(arguments.data),
            ],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append([line for line in completed.stdout.splitlines() if line.startswith("[")])
    first, second = outputs
    different = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
    print(f"{len(first):,} searches in each process; {len(different):,} differ")
    for a, b in different[:5]:
        print(f"  seed 1: {a}\n  seed 2: {b}")


if __name__ == "__main__":
    main()
