"""CPU time of the guidance search page in one process, without a server.

`.venv/bin/python bench/search_cpu.py [--database bench_public] [--runs 200] [--profile]`
runs the search page through Django's whole middleware stack (the test client, production
settings, as an anonymous reader over HTTPS) for the empty form and for each of the web-style
queries of `bench/public_pages.py`, and prints the CPU time (`time.process_time`) a request
for each; `--profile` prints a cProfile of all of them instead. Needs the database
`bench/public_pages.py` prepared (`--database`, default its own). CPU time is much less
disturbed by other processes on a shared machine than the wall-clock latency through
gunicorn.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.public_pages import SEARCHES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bench_public")
    parser.add_argument("--redis-db", type=int, default=3)
    parser.add_argument("--runs", type=int, default=200, help="requests a query")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        CELERY_BROKER_URL=f"redis://127.0.0.1:6379/{args.redis_db}",
        CACHE_URL=f"redis://127.0.0.1:6379/{args.redis_db}",
        EMAIL_URL="dummy://",
        DEFAULT_FROM_EMAIL="bench@example.com",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    paths = ["/guidance/search/"] + [f"/guidance/search/?q={quote(q)}" for q in SEARCHES]
    for path in paths:  # warm the templates, the connection and the caches
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    if args.profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.runs):
            for path in paths:
                client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        return
    print(f"{'query':32} {'CPU ms a request':>17} {'bytes':>7}")
    means = []
    for path in paths:
        started = time.process_time()
        for _ in range(args.runs):
            response = client.get(path)
        mean = (time.process_time() - started) * 1000 / args.runs
        means.append(mean)
        label = path.partition("?q=")[2] or "(no query)"
        print(f"{label[:32]:32} {mean:17.2f} {len(response.content):7}")
    print(f"{'mean of the queries':32} {statistics.mean(means[1:]):17.2f}")


if __name__ == "__main__":
    main()
