"""Screening speed and memory: index build time, per-name latency, a 30,000-name re-screen.

Prints the index build time, the resident-memory growth caused by building the index (and, with
``--tracemalloc``, the bytes Python allocated for it), per-name latency percentiles over
5,000 distinct names (generated like the quality set, seed 3), and the time to screen 30,000
customer names (seed 4) against the full index and against only the entries that changed
between the 2021 and 2024-05 OFAC files (the re-screening path after a list update).

    .venv/bin/python bench/screening_speed.py [--data PATH] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from pathlib import Path

from screening_common import data_argument, load_ofac
from screening_evalset import generate, listed_keys

from screening.engine import ScreeningIndex, diff, parse_ofac_sdn

MIN_SCORE = 0.7


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux /proc)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 1e6


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_argument(parser)
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure the index with tracemalloc (slower build)",
    )
    parser.add_argument("--rescreen", type=int, default=30_000)
    arguments = parser.parse_args()
    entries = load_ofac(arguments.data)
    known = listed_keys(entries)
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    index = ScreeningIndex.build(entries)
    build_seconds = time.perf_counter() - started
    gc.collect()
    after = rss_mb()
    print(
        f"index: {index.entry_count:,} entries, {index.name_count:,} names; "
        f"built in {build_seconds:.2f} s; RSS grew {after - before:.0f} MB "
        f"(process RSS {after:.0f} MB)"
    )
    if arguments.tracemalloc:
        tracemalloc.start()
        traced = ScreeningIndex.build(entries)
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"tracemalloc: index holds {current / 1e6:.0f} MB (peak while building "
            f"{peak / 1e6:.0f} MB) for {traced.name_count:,} names"
        )
        del traced

    cases, _ = generate(entries, seed=3, positives=1500, negatives=3500, known=known)
    latencies = []
    cpu_times = []
    for case in cases:
        started = time.perf_counter()
        cpu_started = time.process_time()
        index.search(case.query, entity_type=case.entity_type, limit=10, min_score=MIN_SCORE)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
        latencies.append((time.perf_counter() - started) * 1000)
    for label, values in (("wall", latencies), ("CPU", cpu_times)):
        print(
            f"latency ({label}) over {len(values):,} names (ms): "
            f"p50 {percentile(values, 0.5):.2f}  p95 {percentile(values, 0.95):.2f}  "
            f"p99 {percentile(values, 0.99):.2f}  max {max(values):.1f}  "
            f"mean {statistics.fmean(values):.2f}"
        )

    customers, _ = generate(
        entries,
        seed=4,
        positives=arguments.rescreen // 10,
        negatives=arguments.rescreen - arguments.rescreen // 10,
        known=known,
    )
    started = time.perf_counter()
    cpu_started = time.process_time()
    flagged = sum(
        bool(index.search(c.query, entity_type=c.entity_type, limit=5, min_score=MIN_SCORE))
        for c in customers
    )
    full_seconds = time.perf_counter() - started
    full_cpu = time.process_time() - cpu_started
    print(
        f"re-screen {len(customers):,} names against the full index: {full_seconds:.1f} s "
        f"wall, {full_cpu:.1f} s CPU ({flagged:,} with a match >= {MIN_SCORE})"
    )

    data = arguments.data
    old = list(
        parse_ofac_sdn(
            data / "ofac-2021" / "sdn.csv",
            data / "ofac-2021" / "alt.csv",
            data / "ofac-2021" / "add.csv",
        )
    )
    new = list(parse_ofac_sdn(data / "ofac-2024-05" / "sdn.csv"))
    started = time.perf_counter()
    changes = diff(old, new, ignore={"aliases", "addresses"})
    diff_seconds = time.perf_counter() - started
    changed = changes.to_rescreen()
    started = time.perf_counter()
    small = ScreeningIndex.build(changed, reference=index)
    small_build = time.perf_counter() - started
    started = time.perf_counter()
    flagged = sum(
        bool(small.search(c.query, entity_type=c.entity_type, limit=5, min_score=MIN_SCORE))
        for c in customers
    )
    small_seconds = time.perf_counter() - started
    print(
        f"list update 2021 -> 2024-05: diff {diff_seconds:.1f} s {changes.summary()}; "
        f"{len(changed):,} entries to re-screen, index built in {small_build:.2f} s; "
        f"re-screen {len(customers):,} names against them: {small_seconds:.1f} s "
        f"({flagged:,} with a match >= {MIN_SCORE})"
    )


if __name__ == "__main__":
    main()
