"""The result cache: repeated names are answered without searching, and a list update forgets
exactly the results it may have changed."""

from __future__ import annotations

from pathlib import Path

from screening.engine import ListEntry, ScreeningIndex, diff, parse_ofac_sdn
from screening.engine.cache import ResultCache, query_key

NAMES = {
    "golden": ("Golden Star Trading Ltd", "entity"),  # 7010: delisted in version 2
    "petrov": ("Sergey Petrov", "individual"),  # 7002: changed in version 2
    "novaya": ("Novaya Zvezda Shipping", "entity"),  # 7011: listed in version 2
    "aero": ("Aero Caribbean", "entity"),  # 36: unchanged
    "smith": ("John Smith", "individual"),  # matches nothing, before or after
}


def _screen(cache: ResultCache, index: ScreeningIndex) -> dict[str, list[str]]:
    return {
        label: [
            match.source_id
            for match in cache.screen(index, name, entity_type=kind, limit=3, min_score=0.75)
        ]
        for label, (name, kind) in NAMES.items()
    }


def test_the_key_ignores_case_punctuation_and_spacing_but_not_the_options() -> None:
    assert query_key("ACME Trading, L.L.C.", entity_type="entity") == query_key(
        "acme  trading llc", entity_type="entity"
    )
    assert query_key("Acme Trading", country="ru") == query_key("ACME TRADING", country="RU")
    assert query_key("Acme Trading") != query_key("Acme Trading", country="RU")
    assert query_key("Acme Trading") != query_key("Acme Trading", min_score=0.6)
    assert query_key("Acme Trading") != query_key("Acme Tradings")


def test_repeated_names_come_from_the_cache(index: ScreeningIndex) -> None:
    cache = ResultCache()
    first = cache.screen(index, "Golden Star Trading Ltd", entity_type="entity")
    again = cache.screen(index, "GOLDEN STAR TRADING, LTD.", entity_type="entity")

    assert [match.source_id for match in first] == ["7010"]
    assert again is first
    assert (cache.hits, cache.misses) == (1, 1)


def test_the_oldest_results_are_forgotten_beyond_the_size(index: ScreeningIndex) -> None:
    cache = ResultCache(max_size=2)
    for name in ("Sergey Petrov", "Aero Caribbean", "John Smith"):
        cache.screen(index, name)
    assert len(cache) == 2
    assert cache.get(query_key("Sergey Petrov")) is None
    assert cache.get(query_key("John Smith")) is not None


def test_a_list_update_forgets_exactly_the_results_it_changed(
    ofac_entries: list[ListEntry], ofac_v2_paths: list[Path]
) -> None:
    old_index = ScreeningIndex.build(ofac_entries)
    cache = ResultCache()
    before = _screen(cache, old_index)
    assert before == {
        "golden": ["7010"],
        "petrov": ["7002"],
        "novaya": [],
        "aero": ["36"],
        "smith": [],
    }
    new_entries = list(parse_ofac_sdn(*ofac_v2_paths))
    new_index = ScreeningIndex.build(new_entries)

    forgotten = cache.apply_update(diff(ofac_entries, new_entries), new_index)

    assert forgotten == 3  # golden (removed), petrov (changed), novaya (now matches 7011)
    kept = {
        label
        for label, (name, kind) in NAMES.items()
        if cache.get(query_key(name, entity_type=kind, limit=3, min_score=0.75)) is not None
    }
    assert kept == {"aero", "smith"}
    after = _screen(cache, new_index)
    assert after == {
        "golden": [],
        "petrov": ["7002"],
        "novaya": ["7011"],
        "aero": ["36"],
        "smith": [],
    }
    # The answers kept equal a fresh search against the new index.
    assert after == _screen(ResultCache(), new_index)


def test_a_delisted_namesake_word_forgets_results_holding_that_word() -> None:
    """Removing "NEGASH, Ole" makes "ole" no longer a listed word, so "Ole" pairs with "Oleg"
    again (a listed word's fuzzy pairing counts less): the untouched Shapovalov entry scores
    higher than the remembered result said, and the result must go."""
    shapovalov = ListEntry("1", "TEST", "individual", "SHAPOVALOV, Oleg Georgievich")
    negash = ListEntry("2", "TEST", "individual", "NEGASH, Ole")
    other = ListEntry("3", "TEST", "individual", "IVANOV, Petr")
    old_entries = [shapovalov, negash, other]
    new_entries = [shapovalov, other]
    cache = ResultCache()
    name = "Ole Georgievich Shapovalov"
    old = cache.screen(ScreeningIndex.build(old_entries), name, entity_type="individual")
    new_index = ScreeningIndex.build(new_entries)
    fresh = new_index.search(name, entity_type="individual")
    assert [m.score for m in old] != [m.score for m in fresh]

    forgotten = cache.apply_update(diff(old_entries, new_entries), new_index)

    assert forgotten == 1
    assert cache.screen(new_index, name, entity_type="individual") == tuple(fresh)
    # A name holding none of the removed name's words is kept.
    kept = ResultCache()
    kept.screen(ScreeningIndex.build(old_entries), "Petr Ivanov", entity_type="individual")
    assert kept.apply_update(diff(old_entries, new_entries), new_index) == 0
