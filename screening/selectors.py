"""Reads for screening: the in-process index of the active list versions, and searches."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from screening.engine import Match, ScreeningIndex, diff, fingerprint, flag_for
from screening.engine.cache import ResultCache
from screening.engine.validity import in_force
from screening.models import ListedParty, ListVersion
from screening.serialization import entry_from_json

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "index": None}


def thresholds() -> tuple[float, float]:
    """(hit, review) thresholds from settings."""
    return float(settings.SCREENING_HIT_THRESHOLD), float(settings.SCREENING_REVIEW_THRESHOLD)


def active_version_ids() -> tuple[int, ...]:
    return tuple(
        ListVersion.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    )


_results = ResultCache()
"""Results of :func:`screen_name`, kept across list updates for the entries they did not
change (see :meth:`screening.engine.cache.ResultCache.apply_update`)."""


def active_index() -> ScreeningIndex:
    """The index of every active list version, built once per process and rebuilt when a
    new version becomes active or the day changes: an entry whose order has expired (a BIS
    denial order past its expiry date) is left out from the day after
    (`screening.engine.validity`). The remembered results of :func:`screen_name` are then
    forgotten exactly for the entries the change added, removed or changed (an expired
    order counts as removed)."""
    today = timezone.localdate()
    key = (active_version_ids(), today)
    with _lock:
        if _cache["key"] != key:
            entries = (
                entry
                for entry in (
                    entry_from_json(data)
                    for data in ListedParty.objects.filter(version_id__in=key[0])
                    .values_list("data", flat=True)
                    .iterator(chunk_size=2000)
                )
                if in_force(entry, today)
            )
            previous: ScreeningIndex | None = _cache["index"]
            index = ScreeningIndex.build(entries)
            if previous is not None and len(_results):
                _results.apply_update(diff(previous.entries, index.entries), index)
            else:
                _results.clear()
            _cache["index"] = index
            _cache["key"] = key
        index = _cache["index"]
    return index


def preload_index() -> ScreeningIndex:
    """:func:`active_index` built now, before a worker forks its pool processes: they inherit
    it (copy-on-write) instead of each building its own on its first task. The index's
    objects are then left out of the cyclic garbage collector's passes (``gc.freeze``), which
    would otherwise write to every one of them and so copy the shared pages into each
    process."""
    index = active_index()
    gc.collect()
    gc.freeze()
    return index


def screen_name(
    name: str,
    *,
    entity_type: str | None = None,
    country: str | None = None,
    limit: int = 10,
    min_score: float | None = None,
) -> tuple[Match, ...]:
    """Matches for one name against the active lists, answered from this process's cache of
    results when the same name (as the engine reads it: case, accents, punctuation and
    spacing do not matter) was screened with the same options. ``min_score`` defaults to the
    review threshold. For callers that screen the same parties again and again (shipments)."""
    index = active_index()
    minimum = min_score if min_score is not None else thresholds()[1]
    return _results.screen(
        index, name, entity_type=entity_type, country=country, limit=limit, min_score=minimum
    )


def result_cache() -> ResultCache:
    """This process's cache behind :func:`screen_name` (for its counters and tests)."""
    return _results


@dataclass(frozen=True)
class ScreeningQuery:
    name: str
    entity_type: str | None = None
    country: str | None = None
    date_of_birth: str | None = None
    identifiers: tuple[str, ...] = ()
    address: str | None = None


def match_json(match: Match, review_threshold: float) -> dict[str, Any]:
    """The JSON shape shared by the screen command, the API and the officer page."""
    return {
        "list": match.list_code,
        "source_id": match.source_id,
        "name": match.name,
        "matched_name": match.matched_name,
        "score": round(match.score, 4),
        "flag": match.score >= review_threshold,
        "explanation": match.explanation,
        "fingerprint": fingerprint(match.entry),
    }


def screen(
    query: ScreeningQuery,
    *,
    threshold: float | None = None,
    limit: int = 10,
    index: ScreeningIndex | None = None,
) -> list[Match]:
    """Matches for one query at or above `threshold` (default: half the review threshold,
    so officers also see near misses, each with its flag)."""
    _hit, review = thresholds()
    minimum = threshold if threshold is not None else review / 2
    return (index or active_index()).search(
        query.name,
        entity_type=query.entity_type,
        country=query.country,
        date_of_birth=query.date_of_birth,
        identifiers=query.identifiers,
        address=query.address,
        limit=limit,
        min_score=minimum,
    )


def flag_of(score: float) -> str:
    hit, review = thresholds()
    return flag_for(score, hit_threshold=hit, review_threshold=review)
