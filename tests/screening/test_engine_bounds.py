"""The shortcuts of a search never change its results.

A search skips the alignment of a name whose upper bound of the score is under the search's
floor (``NameScoring._score_bound``), and drops a name with no pairing or one pairing under it.
The bound must hold for every name: it is checked here against the full score of every name
of a list built for near misses (shared common words, rare words one or two letters apart,
people with middle names, organisations with words left out), and whole searches must equal
searches with the shortcuts off.
"""

from __future__ import annotations

import random

import pytest

from screening.engine import ListEntry, ScreeningIndex
from screening.engine.normalize import normalize_name

SYLLABLES = ["ka", "ri", "mo", "sa", "lu", "ne", "ta", "vo", "hi", "ze", "ad", "ov", "in"]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


@pytest.fixture(scope="module")
def index_and_queries() -> tuple[ScreeningIndex, list[tuple[str, str]]]:
    rng = random.Random(11)
    common = [_word(rng, 2) for _ in range(5)]
    entries = []
    for number in range(600):
        if number % 2:
            name = (
                f"{_word(rng, 3).upper()}, {rng.choice(common).title()} "
                f"{_word(rng, 2).title()} {_word(rng, 3).title()}"
            )
            entries.append(ListEntry(str(number), "TEST", "individual", name))
        else:
            name = (
                f"{rng.choice(common).upper()} {_word(rng, 3).upper()} {_word(rng, 2).upper()} LLC"
            )
            entries.append(ListEntry(str(number), "TEST", "entity", name))
    index = ScreeningIndex.build(entries)
    queries = []
    for entry in rng.sample(entries, 120):
        words = entry.primary_name.replace(",", "").split()
        if len(words) > 2 and rng.random() < 0.5:
            del words[rng.randrange(1, len(words) - 1)]
        if rng.random() < 0.5:
            position = rng.randrange(len(words))
            word = words[position]
            cut = rng.randrange(len(word))
            words[position] = word[:cut] + rng.choice("aeiouk") + word[cut + 1 :]
        queries.append((" ".join(words), "person" if entry.entity_type == "individual" else "org"))
    queries += [(f"{rng.choice(common)} {_word(rng, 3)}", "person") for _ in range(40)]
    return index, queries


def test_the_bound_is_never_under_the_score(
    index_and_queries: tuple[ScreeningIndex, list[tuple[str, str]]],
) -> None:
    index, queries = index_and_queries
    checked = skipped_names = 0
    for text, kind in queries:
        entity_type = "individual" if kind == "person" else "entity"
        prepared = index._prepare(text, normalize_name(text, entity_type))
        candidates = index._candidates(prepared, 60)
        index._prefill(prepared, candidates)
        for name_id in candidates:
            score = index._score_name(prepared, name_id).score
            for floor in (0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9):
                skipped = index._score_name_above(prepared, name_id, floor) is None
                assert not (skipped and score >= floor), (text, name_id, floor, score)
                checked += 1
                skipped_names += skipped
    assert checked > 1000
    assert skipped_names > 100  # the shortcut is exercised, not only allowed


@pytest.mark.parametrize("min_score", [0.5, 0.7, 0.75])
def test_searches_equal_searches_without_the_shortcuts(
    index_and_queries: tuple[ScreeningIndex, list[tuple[str, str]]],
    monkeypatch: pytest.MonkeyPatch,
    min_score: float,
) -> None:
    index, queries = index_and_queries
    entity = {"person": "individual", "org": "entity"}

    def run() -> list[list[tuple[str, float, str]]]:
        return [
            [
                (match.source_id, match.score, repr(match.explanation))
                for match in index.search(text, entity_type=entity[kind], min_score=min_score)
            ]
            for text, kind in queries
        ]

    fast = run()
    full = type(index)._score_name_above

    def never_skip(self, query, name_id, floor):  # type: ignore[no-untyped-def]
        return full(self, query, name_id, -2.0)

    monkeypatch.setattr(type(index), "_score_name_above", never_skip)
    assert run() == fast
