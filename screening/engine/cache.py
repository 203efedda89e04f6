"""Remembered screening results, and their exact invalidation when a list changes.

Shipment data names the same sellers, shippers and manufacturers over and over: a
:class:`ResultCache` answers a repeated name without searching. Results are remembered under
the query as the engine reads it (:func:`query_key`: the normalised tokens, the entity type,
the country and the search's limit and minimum score), so ``ACME Trading, L.L.C.`` and
``acme trading llc`` share one result. A remembered match keeps the explanation made for the
first spelling screened under that key.

When a list update makes a new index, :meth:`ResultCache.apply_update` keeps every result the
update cannot have changed and forgets exactly the others:

* results that name an entry the update removed or changed (in any field: the remembered match
  carries the entry);
* results whose query matches, at the result's own minimum score, an entry the update added or
  whose screening fields it changed (the query is screened against a small index of those
  entries whose token weights come from the new full index, see :class:`.ScreeningIndex`);
* results whose query holds a word of a name the update added or removed: that word's weight
  (its rarity in the lists) moved, or it became or stopped being a listed word, and either
  can move the query's score against entries the update left alone.

Token weights come from the whole list, so an update also moves the weights of other words by
a few thousandths (the number of listed names changed); results are not re-screened for
that. Nor for a word of a changed name that pairs with a query word only as a spelling
variant or typo (its weight moved, the query's own word did not): on the OFAC 2021 ->
2024-05 update, none of 6,552 kept results differed from a fresh search
(``bench/screening_throughput.py``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from screening.engine.diff import ListDiff
from screening.engine.explain import Match
from screening.engine.index import ScreeningIndex
from screening.engine.normalize import listed_names, normalize_name

_NAME_FIELDS = frozenset({"primary_name", "aliases", "entity_type"})


@dataclass(frozen=True, slots=True)
class CachedQuery:
    """What was searched: the name as first given and the search's options."""

    name: str
    entity_type: str | None
    country: str | None
    limit: int
    min_score: float


@lru_cache(maxsize=100_000)
def query_key(
    name: str,
    *,
    entity_type: str | None = None,
    country: str | None = None,
    limit: int = 10,
    min_score: float = 0.5,
) -> str:
    """The key of a query as the engine reads it: two names with the same key get the same
    scores (case, accents, punctuation and spacing do not matter). Remembered per spelling, so
    a repeated name costs a dictionary look-up, not a normalisation."""
    normalized = normalize_name(name, entity_type)
    tokens = " ".join(f"{token.text}/{token.kind[0]}" for token in normalized.tokens)
    return (
        f"{tokens}|{normalized.given_count}|{entity_type or ''}|{(country or '').upper()}"
        f"|{limit}|{min_score!r}"
    )


def _words_of_changed_names(changes: ListDiff) -> set[str]:
    """The words of every name an update adds or removes (of added and removed entries, and
    both versions of entries whose names changed).

    A query holding one of them may score differently against entries the update left alone:
    the word's weight (its rarity in the lists) moved, or it became or stopped being a listed
    word (a fuzzy pairing of a listed word counts less)."""
    entries = [*changes.added, *changes.removed]
    for change in changes.changed:
        if change.changed_fields & _NAME_FIELDS:
            entries += [change.old, change.new]
    words: set[str] = set()
    for entry in entries:
        for name, _, _ in listed_names(entry):
            words.update(token.text for token in normalize_name(name, entry.entity_type).tokens)
    return words


class ResultCache:
    """Screening results by :func:`query_key`, the least recently used forgotten beyond
    ``max_size``; thread-safe. Use :meth:`screen` to search through it."""

    def __init__(self, max_size: int = 200_000) -> None:
        self.max_size = max_size
        self._results: OrderedDict[str, tuple[CachedQuery, tuple[Match, ...]]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._results)

    def get(self, key: str) -> tuple[Match, ...] | None:
        """The remembered matches for ``key``, or None."""
        with self._lock:
            found = self._results.get(key)
            if found is None:
                self.misses += 1
                return None
            self._results.move_to_end(key)
            self.hits += 1
            return found[1]

    def put(self, key: str, query: CachedQuery, matches: Iterable[Match]) -> None:
        """Remember ``matches`` for ``key``."""
        with self._lock:
            self._results[key] = (query, tuple(matches))
            self._results.move_to_end(key)
            while len(self._results) > self.max_size:
                self._results.popitem(last=False)

    def remembered(self) -> list[tuple[CachedQuery, tuple[Match, ...]]]:
        """Every remembered query and its matches, least recently used first."""
        with self._lock:
            return list(self._results.values())

    def clear(self) -> None:
        with self._lock:
            self._results.clear()

    def screen(
        self,
        index: ScreeningIndex,
        name: str,
        *,
        entity_type: str | None = None,
        country: str | None = None,
        limit: int = 10,
        min_score: float = 0.5,
    ) -> tuple[Match, ...]:
        """``index.search(name, ...)`` answered from the cache when the query was seen."""
        key = query_key(
            name, entity_type=entity_type, country=country, limit=limit, min_score=min_score
        )
        found = self.get(key)
        if found is not None:
            return found
        matches = tuple(
            index.search(
                name, entity_type=entity_type, country=country, limit=limit, min_score=min_score
            )
        )
        self.put(key, CachedQuery(name, entity_type, country, limit, min_score), matches)
        return matches

    def apply_update(self, changes: ListDiff, new_index: ScreeningIndex) -> int:
        """Forget the results a list update may have changed (see the module docstring);
        ``new_index`` is the index of the lists after the update. Returns how many were
        forgotten."""
        touched = {entry.key for entry in changes.removed}
        touched.update(change.key for change in changes.changed)
        words = _words_of_changed_names(changes)
        with self._lock:
            remembered = list(self._results.items())
        stale = [
            key
            for key, (query, matches) in remembered
            if any(match.entry.key in touched for match in matches)
            or any(
                token.text in words
                for token in normalize_name(query.name, query.entity_type).tokens
            )
        ]
        rescreen = changes.to_rescreen()
        if rescreen:
            small = ScreeningIndex.build(rescreen, reference=new_index)
            stale_keys = set(stale)
            for key, (query, _) in remembered:
                if key in stale_keys:
                    continue
                if small.search(
                    query.name,
                    entity_type=query.entity_type,
                    country=query.country,
                    limit=1,
                    min_score=query.min_score,
                ):
                    stale.append(key)
        with self._lock:
            for key in stale:
                self._results.pop(key, None)
        return len(stale)
