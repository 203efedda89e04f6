"""Shipment-party screening throughput: distinct names a second on two processes, repeated
names from the result cache, and the cache's exact invalidation on a list update.

Builds the index of the OFAC lists (as the other screening benchmarks), then:

1. forks ``--processes`` workers (the index is shared copy-on-write, as Celery's prefork
   workers share a module-level index built before the fork) that screen ``--names`` distinct
   names (generated like the quality set, seed 6: 10% listed variants, 90% ordinary names) at
   the review threshold, the way shipments screen parties, and prints names a second (wall)
   and the CPU time a name (which does not depend on what else runs on the machine);
2. screens the same names again through a :class:`ResultCache` in one process (every name
   a repeat) and prints names a second from the cache;
3. applies the OFAC 2021 -> 2024-05 update to a cache built on the 2021 list and prints how
   many results were kept, how many forgotten, and how long that took.

    .venv/bin/python bench/screening_throughput.py [--data PATH] [--names 20000] [--processes 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import time

from screening_common import data_argument, load_ofac
from screening_evalset import generate, listed_keys

from screening.engine import ScreeningIndex, diff, parse_ofac_sdn
from screening.engine.cache import ResultCache

REVIEW = 0.75
_INDEX: ScreeningIndex | None = None


def _screen(names: list[tuple[str, str]]) -> tuple[float, int]:
    """Screen ``names`` with the index inherited from the parent: (CPU seconds, flagged)."""
    assert _INDEX is not None
    started = time.process_time()
    flagged = 0
    for name, entity_type in names:
        flagged += bool(_INDEX.search(name, entity_type=entity_type, limit=3, min_score=REVIEW))
    return time.process_time() - started, flagged


def main() -> None:
    global _INDEX
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_argument(parser)
    parser.add_argument("--names", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=2)
    arguments = parser.parse_args()
    entries = load_ofac(arguments.data)
    _INDEX = index = ScreeningIndex.build(entries)
    cases, _ = generate(
        entries,
        seed=6,
        positives=arguments.names // 10,
        negatives=arguments.names - arguments.names // 10,
        known=listed_keys(entries),
    )
    names = list(dict.fromkeys((case.query, case.entity_type) for case in cases))
    chunks = [names[start :: arguments.processes] for start in range(arguments.processes)]
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with context.Pool(arguments.processes) as pool:
        results = pool.map(_screen, chunks)
    wall = time.perf_counter() - started
    cpu = sum(seconds for seconds, _ in results)
    flagged = sum(count for _, count in results)
    print(
        f"{len(names):,} distinct names on {arguments.processes} processes: {wall:.1f} s wall, "
        f"{len(names) / wall:,.0f} names/s; CPU {1000 * cpu / len(names):.3f} ms a name "
        f"(at most {arguments.processes * len(names) / cpu:,.0f} names/s on "
        f"{arguments.processes} idle cores); {flagged:,} at or above {REVIEW}"
    )

    cache = ResultCache()
    for name, entity_type in names:
        cache.screen(index, name, entity_type=entity_type, limit=3, min_score=REVIEW)
    started = time.perf_counter()
    for name, entity_type in names:
        cache.screen(index, name, entity_type=entity_type, limit=3, min_score=REVIEW)
    repeat = time.perf_counter() - started
    print(
        f"the same names again from the cache: {len(names) / repeat:,.0f} names/s in one "
        f"process ({cache.hits:,} hits, {cache.misses:,} misses)"
    )

    data = arguments.data
    old_entries = list(
        parse_ofac_sdn(
            data / "ofac-2021" / "sdn.csv",
            data / "ofac-2021" / "alt.csv",
            data / "ofac-2021" / "add.csv",
        )
    )
    new_entries = list(parse_ofac_sdn(data / "ofac-2024-05" / "sdn.csv"))
    old_index = ScreeningIndex.build(old_entries)
    new_index = ScreeningIndex.build(new_entries)
    cache = ResultCache()
    for name, entity_type in names:
        cache.screen(old_index, name, entity_type=entity_type, limit=3, min_score=REVIEW)
    before = len(cache)
    started = time.perf_counter()
    changes = diff(old_entries, new_entries)
    forgotten = cache.apply_update(changes, new_index)
    seconds = time.perf_counter() - started
    print(
        f"list update 2021 -> 2024-05 {changes.summary()}: {forgotten:,} of {before:,} cached "
        f"results forgotten, {len(cache):,} kept, in {seconds:.1f} s (diff, index of the "
        f"{len(changes.to_rescreen()):,} entries to re-screen, and the cached names "
        "screened against it)"
    )
    kept_wrong = 0
    for query, matches in cache.remembered():
        fresh = new_index.search(
            query.name, entity_type=query.entity_type, limit=3, min_score=REVIEW
        )
        if [m.source_id for m in fresh] != [m.source_id for m in matches]:
            kept_wrong += 1
    print(f"kept results that differ from a fresh search of the new list: {kept_wrong:,}")


if __name__ == "__main__":
    main()
