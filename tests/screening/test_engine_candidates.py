"""Candidate generation: the listed names a search aligns, found whatever the query's words."""

from __future__ import annotations

import pytest

import screening.engine.candidates as candidates_module
import screening.engine.index as index_module
from screening.engine import ListEntry, ScreeningIndex, normalize_name


def _crowd() -> list[ListEntry]:
    """Many people sharing the commonest words, one of them listed with only those words."""
    entries = [ListEntry("1", "TEST", "individual", "'ALI, Muhammad")]
    surnames = ["SALEH", "KAZAN", "HAMCHO", "KANSO", "DAOUN", "QANSU", "TURAB", "LALOBO"]
    for number, surname in enumerate(surnames * 6, start=2):
        # Ali Muhammad written one after the other in a longer name: the two words written
        # together ("alimuhammad") are a listed pair in each of these.
        entries.append(ListEntry(str(number), "TEST", "individual", f"{surname}, Ali Muhammad"))
    entries.append(ListEntry("900", "TEST", "individual", "HASSAN, Hassan el-Hajj"))
    for number, surname in enumerate(surnames * 4, start=901):
        entries.append(ListEntry(str(number), "TEST", "individual", f"{surname}, Hassan"))
    return entries


@pytest.fixture
def crowded(monkeypatch: pytest.MonkeyPatch) -> ScreeningIndex:
    # The real lists have thousands of names holding "ali" or "muhammad"; a word counts as
    # common above COMMON_POSTINGS names, so the threshold is lowered to the fixture's size.
    monkeypatch.setattr(candidates_module, "COMMON_POSTINGS", 10)
    monkeypatch.setattr(index_module, "CANDIDATES", 5)
    return ScreeningIndex.build(_crowd())


def test_a_name_of_two_common_words_is_found_among_longer_names_holding_them(
    crowded: ScreeningIndex,
) -> None:
    matches = crowded.search("Ali Muhammad", entity_type="individual", min_score=0.5)
    assert matches[0].source_id == "1"
    assert matches[0].score == 1.0


def test_two_listed_words_written_together_do_not_count_twice(crowded: ScreeningIndex) -> None:
    # The query's "alimuhammad" is the same two words as the listed "Ali Muhammad": counting it
    # again ranked every longer name above the exact one and left the exact one out.
    prepared = crowded._prepare("muhammad ali", normalize_name("Muhammad Ali", "individual"))
    candidates = crowded._candidates(prepared, 5)
    assert crowded._names[candidates[0]].text == "'ALI, Muhammad"


def test_a_repeated_common_word_finds_the_name_holding_it_twice(
    crowded: ScreeningIndex,
) -> None:
    matches = crowded.search("Hassan Hassan", entity_type="individual", min_score=0.5)
    assert matches
    assert matches[0].source_id == "900"


def test_a_word_written_together_still_finds_two_listed_words(crowded: ScreeningIndex) -> None:
    matches = crowded.search("Hassan Elhajj", entity_type="individual", min_score=0.5)
    assert matches[0].source_id == "900"
