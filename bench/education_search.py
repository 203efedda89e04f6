"""Guidance search latency on the seeded library.

Loads education/content/ into the database named by DATABASE_URL (PostgreSQL for full-text
search; a throw-away database is best, e.g. the test server's) and times 200 representative
web-style queries through `education.selectors.article_search` (ranking, filters and
highlighted snippets included). Target: p95 under 50 ms.

    createdb -h 127.0.0.1 -U postgres bench_education   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_education \\
        .venv/bin/python bench/education_search.py [--runs 200] [--create]

``--create`` migrates the database first (needed the first time).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

QUERIES = [
    ("reasonable care", None, None),
    ("royalty", None, None),
    ("assist mold", None, None),
    ('"transaction value"', None, None),
    ("de minimis", None, None),
    ("de minimis -china", None, None),
    ("counterfeit handbag", None, "importer"),
    ("prior disclosure penalty", "prior-disclosure", None),
    ("penalty or petition", "enforcement", None),
    ("country of origin marking", None, None),
    ("substantial transformation", "origin-marking", None),
    ("recordkeeping five years", None, None),
    ("FDA prior notice", "partner-agencies", None),
    ("CPSC eFiling", None, "shipper"),
    ("HTS classification GRI", "classification", None),
    ("binding ruling", None, None),
    ("forced labor", None, None),
    ("seal security container", "security", None),
    ("advance data description", "advance-data", "carrier"),
    ("known shipper tier revalidation", None, None),
    ("broker bond entry", "entry", None),
    ("mitigation guidelines", None, None),
    ("liquidated damages", None, None),
    ("internet purchase buyer duty", "internet-purchases", "importer"),
    ("zzzz no such thing", None, None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--create", action="store_true", help="migrate the database first")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from education.loader import load_content
    from education.selectors import article_search

    if args.create:
        call_command("migrate", verbosity=0)
    report = load_content()
    print(
        f"database: {connection.vendor} ({connection.settings_dict['NAME']}); library: "
        f"{len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged"
    )
    for query, topic, audience in QUERIES[:3]:  # warm up connections and plans
        article_search(query=query, topic=topic, audience=audience)

    timings = []
    hits = 0
    for run in range(args.runs):
        query, topic, audience = QUERIES[run % len(QUERIES)]
        started = time.perf_counter()
        results = article_search(query=query, topic=topic, audience=audience)
        timings.append((time.perf_counter() - started) * 1000)
        hits += len(results)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{args.runs} queries ({len(QUERIES)} distinct, with snippets): "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms, "
        f"mean hits {hits / args.runs:.1f}"
    )
    print("target p95 < 50 ms:", "met" if p95 < 50 else "NOT met")


if __name__ == "__main__":
    main()
