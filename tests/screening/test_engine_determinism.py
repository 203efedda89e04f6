"""The same names give the same results in every process, whatever PYTHONHASHSEED is.

String hashing changes from process to process; anything that let the iteration order of a set
or dict of strings decide a tie (which names become candidates, which of two equal scores comes
first) would make two workers disagree about the same name. Two processes with different hash
seeds screen the same names against the same list and must print exactly the same output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# A list built for ties: many names share their common words and differ by one rare word of
# similar spelling, so dozens of names have equal evidence for the last candidate places.
PROBE = r"""
import json, random
from screening.engine import ListEntry, ScreeningIndex

rng = random.Random(7)
syllables = ["ka", "ri", "mo", "sa", "lu", "ne", "ta", "vo", "hi", "ze", "ad", "ov", "in"]

def word(parts):
    return "".join(rng.choice(syllables) for _ in range(parts))

common = [word(2) for _ in range(6)]
entries = []
for number in range(1500):
    if number % 2:
        name = f"{word(3).upper()}, {rng.choice(common).title()} {word(3).title()}"
        kind = "individual"
    else:
        name = f"{rng.choice(common).upper()} {word(3).upper()} TRADING LLC"
        kind = "entity"
    entries.append(ListEntry(str(number), "TEST", kind, name))
index = ScreeningIndex.build(entries)
queries = [f"{rng.choice(common)} {word(3)}" for _ in range(150)]
queries += [f"{rng.choice(common)} trading" for _ in range(20)]
queries += [entry.primary_name.replace("A", "O", 1) for entry in entries[:60]]
output = []
for query in queries:
    for entity_type in (None, "individual", "entity"):
        matches = index.search(query, entity_type=entity_type, limit=10, min_score=0.3)
        output.append(
            [query, entity_type, [[m.source_id, m.matched_name, m.score] for m in matches]]
        )
print(json.dumps(output))
"""


def _run(seed: str) -> str:
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    completed = subprocess.run(  # noqa: S603 (our own interpreter and inline script)
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return completed.stdout


def test_two_processes_with_different_hash_seeds_agree() -> None:
    first = _run("1")
    second = _run("2")
    assert '"TEST"' not in first  # the output is results, not an error dump
    assert first.count("[") > 1000, "the probe found too few matches to compare"
    assert first == second
