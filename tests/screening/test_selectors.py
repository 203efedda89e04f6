"""Reads: the in-process index of the active versions, and the shared match shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from screening import selectors
from screening.selectors import ScreeningQuery, active_index, match_json, screen
from screening.services import list_import

pytestmark = pytest.mark.django_db


def _ids(name: str) -> list[str]:
    return [match.source_id for match in screen(ScreeningQuery(name=name, entity_type="entity"))]


def test_the_index_is_built_once_and_rebuilt_for_a_new_active_version(
    ofac_paths: list[Path], ofac_v2_paths: list[Path], rescreenings: list[int]
) -> None:
    first = list_import(fmt="ofac", paths=ofac_paths).version
    index = active_index()
    assert active_index() is index
    assert selectors.active_version_ids() == (first.pk,)
    assert _ids("Golden Star Trading") == ["7010"]
    assert _ids("Novaya Zvezda Shipping") == []

    second = list_import(fmt="ofac", paths=ofac_v2_paths).version

    rebuilt = active_index()
    assert rebuilt is not index
    assert selectors.active_version_ids() == (second.pk,)
    assert _ids("Novaya Zvezda Shipping") == ["7011"]
    assert _ids("Golden Star Trading") == []  # delisted in version 2
    assert active_index() is rebuilt


def test_the_index_holds_every_active_list(ofac_paths: list[Path], fixtures: Path) -> None:
    list_import(fmt="ofac", paths=ofac_paths)
    ofac_only = active_index()

    list_import(fmt="un", paths=[fixtures / "un" / "consolidated.xml"])

    both = active_index()
    assert both is not ofac_only
    found = screen(ScreeningQuery(name="Omar Sabawi Ibrahim Hasan Al-Tikriti"), limit=5)
    assert {match.list_code for match in found} >= {"SDN", "UN"}


def test_without_lists_nothing_is_found() -> None:
    assert selectors.active_version_ids() == ()
    assert screen(ScreeningQuery(name="Hakki Selcuk Sanli")) == []


def test_thresholds_come_from_settings(settings: Any, ofac_paths: list[Path]) -> None:
    list_import(fmt="ofac", paths=ofac_paths)
    settings.SCREENING_REVIEW_THRESHOLD = 0.9
    settings.SCREENING_HIT_THRESHOLD = 0.95

    assert selectors.thresholds() == (0.95, 0.9)
    # By default officers also see near misses, down to half the review threshold.
    near = screen(ScreeningQuery(name="Sergey Ivanov", entity_type="individual"))
    assert near == []  # 0.34 < 0.45
    settings.SCREENING_REVIEW_THRESHOLD = 0.6
    near = screen(ScreeningQuery(name="Sergey Ivanov", entity_type="individual"))
    assert [match.source_id for match in near] == ["7002"]
    assert match_json(near[0], 0.6)["flag"] is False
    assert [selectors.flag_of(score) for score in (0.96, 0.7, 0.59)] == ["hit", "review", "clear"]


def test_match_json_flags_at_the_review_threshold(ofac_paths: list[Path]) -> None:
    list_import(fmt="ofac", paths=ofac_paths)
    match = screen(ScreeningQuery(name="Sergey Petrov", entity_type="individual"))[0]

    assert match_json(match, match.score)["flag"] is True
    assert match_json(match, match.score + 0.0001)["flag"] is False
    shape = match_json(match, 0.75)
    assert shape["source_id"] == "7002"
    assert len(shape["fingerprint"]) == 64


def test_screen_name_keeps_the_results_a_new_version_did_not_change(
    ofac_paths: list[Path], ofac_v2_paths: list[Path], rescreenings: list[int]
) -> None:
    list_import(fmt="ofac", paths=ofac_paths)
    cache = selectors.result_cache()
    cache.clear()
    assert [m.source_id for m in selectors.screen_name("Aero Caribbean", min_score=0.75)] == ["36"]
    assert [m.source_id for m in selectors.screen_name("Golden Star Trading")] == ["7010"]
    assert selectors.screen_name("Novaya Zvezda Shipping") == ()
    hits = cache.hits
    assert [m.source_id for m in selectors.screen_name("AERO CARIBBEAN", min_score=0.75)] == ["36"]
    assert cache.hits == hits + 1

    list_import(fmt="ofac", paths=ofac_v2_paths)

    assert [m.source_id for m in selectors.screen_name("aero caribbean", min_score=0.75)] == ["36"]
    assert cache.hits == hits + 2  # unchanged entry: still answered from the cache
    assert selectors.screen_name("Golden Star Trading") == ()  # delisted: forgotten
    assert [m.source_id for m in selectors.screen_name("Novaya Zvezda Shipping")] == ["7011"]
    assert cache.hits == hits + 2
