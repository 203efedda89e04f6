"""Public pages (guidance, verify) against a bare Django page, in the same window.

Recreates its own database (`bench_public` on the local PostgreSQL), migrates it, collects
the static files, loads the guidance library and issues one certificate through the
services; then starts two gunicorns with 2 sync workers each: the project with the
production settings (PostgreSQL, Redis db `--redis-db` as cache and broker), and
`bench/bare_django.py` (a bare Django page: two middlewares, no database). Each page is
load-tested with wrk (`apt-get install -y wrk`; one thread, 16 connections) right after
the bare page, so that both see the same machine; it prints req/s, the ratio to the bare
page and p99 for each. Then it times guidance search (one client, p50/p95 over web-style
queries through the search page) on the shipped library and again after adding a
generated library of `--articles` articles.

    .venv/bin/python bench/public_pages.py [--duration 5] [--articles 5000]

Targets (issue 14): pages >= 0.3x the bare page and p99 < 20 ms; the verify API >= 0.3x;
search p95 < 20 ms on the shipped library and < 50 ms on 5,000 articles.
"""

from __future__ import annotations

import argparse
import http.client
import os
import posixpath
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HEADERS = {"X-Forwarded-Proto": "https"}  # as behind the TLS-terminating proxy
SEARCHES = [
    "how to apply",
    "de minimis",
    "penalty",
    "reasonable care",
    '"prior disclosure"',
    "country of origin marking",
    "counterfeit -handbag",
    "recordkeeping five years",
    "binding ruling",
    "advance data carrier",
    "known shipper tier",
    "zzzz no such thing",
]

SETUP = """
import django; django.setup()
from config.celery import app
app.conf.task_always_eager = True  # vetting runs here and now: there is no worker
from tests.accounts.factories import UserFactory
from tests.shippers.factories import complete_application, owner_with_organisation
from shippers import services
from education.models import Article, Topic
user, organisation = owner_with_organisation(legal_name="Bench Parcels Ltd")
application = complete_application(user, organisation)
services.application_submit(actor=user, application=application)
services.application_approve(actor=UserFactory(roles=["officer"]), application=application, tier=1)
article = Article.objects.published().filter(slug="known-shipper-program").first()
article = article or Article.objects.published().order_by("title").first()
topic = Topic.objects.filter(articles__status="published").order_by("position").first()
print(application.certificate.number, article.slug, topic.slug)
"""

GENERATE = """
import django; django.setup()
import random, sys
from dataclasses import asdict
from django.db import connection
from django.utils import timezone
from education.models import Article, Audience, Topic
from education.rendering import render_markdown
count = int(sys.argv[1])
library = list(Article.objects.published().order_by("pk"))
paragraphs = [p for a in library for p in a.body.split("\\n\\n") if len(p) > 80]
topics, audiences = list(Topic.objects.all()), list(Audience.objects.all())
rng, now, new = random.Random(5), timezone.now(), []
for index in range(count):
    base = library[index % len(library)]
    body = "## Overview\\n\\n" + "\\n\\n".join(rng.sample(paragraphs, min(6, len(paragraphs))))
    rendered = render_markdown(body)
    new.append(Article(
        slug=f"generated-{index}", title=f"{base.title} ({index})", summary=base.summary,
        body=body, rendered_html=rendered.html, toc=[asdict(e) for e in rendered.toc],
        body_text=rendered.text, status="published", published_at=now, content_updated_at=now,
    ))
Article.objects.bulk_create(new, batch_size=500)
created = list(Article.objects.filter(slug__startswith="generated-").values_list("pk", flat=True))
Article.topics.through.objects.bulk_create(
    [Article.topics.through(article_id=pk, topic_id=topics[pk % len(topics)].pk) for pk in created])
Article.audiences.through.objects.bulk_create(
    [Article.audiences.through(article_id=pk, audience_id=audiences[pk % len(audiences)].pk)
     for pk in created])
with connection.cursor() as cursor:
    cursor.execute(
        "UPDATE education_article SET search_vector = "
        "setweight(to_tsvector('english', title), 'A') || "
        "setweight(to_tsvector('english', summary), 'B') || "
        "setweight(to_tsvector('english', body_text), 'C'), search_head = "
        "setweight(to_tsvector('english', title), 'A') || "
        "setweight(to_tsvector('english', summary), 'B') || "
        "setweight(to_tsvector('english', 'Overview'), 'A') WHERE slug LIKE 'generated-%%'")
    cursor.execute("ANALYZE education_article")
print(Article.objects.published().count())
"""


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p99_ms: float
    non_2xx: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(database_url: str, redis_db: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=f"redis://127.0.0.1:6379/{redis_db}",
        CACHE_URL=f"redis://127.0.0.1:6379/{redis_db}",
        EMAIL_URL="dummy://",
        DEFAULT_FROM_EMAIL="bench@example.com",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)[:80]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def gunicorn(
    app: str, port: int, workers: int, env: dict[str, str], threads: int = 0
) -> subprocess.Popen[bytes]:
    # `threads` > 0: gthread workers, which keep connections alive (sync workers close each).
    worker_class = ("--worker-class", "gthread", "--threads", str(threads)) if threads else ()
    return subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            *(app, "--workers", str(workers), "--bind", f"127.0.0.1:{port}"),
            *worker_class,
            *("--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            get(port, "/")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answers on port {port}")


def get(port: int, path: str, method: str = "GET") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, headers=HEADERS)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, path: str, duration: int, connections: int) -> Load:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
        + [arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")]
        + [f"http://127.0.0.1:{port}{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if not rate or not p99:
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    return Load(
        requests_per_second=float(rate.group(1)),
        p99_ms=float(p99.group(1)) * _UNITS[p99.group(2)],
        non_2xx=int(errors.group(1)) if errors else 0,
    )


def static_cache_headers(port: int) -> list[str]:
    """`Cache-Control` of the USWDS stylesheet, script and a font it loads, as served."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    plain = {name: value for name, value in HEADERS.items() if name != "Accept-Encoding"}
    connection.request("GET", "/guidance/", headers=plain)
    page = connection.getresponse().read().decode()
    stylesheet = re.search(r'href="(/static/uswds/css/[^"]+)"', page)
    script = re.search(r'src="(/static/uswds/js/uswds\.min[^"]*)"', page)
    paths = [found.group(1) for found in (stylesheet, script) if found]
    if stylesheet:
        connection.request("GET", stylesheet.group(1), headers=plain)
        css = connection.getresponse().read().decode()
        font = re.search(r"url\([\"']?([^)\"']+\.woff2)[\"']?\)", css)
        if font:
            paths.append(
                posixpath.normpath(
                    posixpath.join(
                        posixpath.dirname(stylesheet.group(1)), font.group(1).strip("'\"")
                    )
                )
            )
    lines = []
    for path in paths:
        connection.request("HEAD", path, headers=HEADERS)
        response = connection.getresponse()
        response.read()
        lines.append(
            f"{path}: {response.status}, Cache-Control: {response.getheader('Cache-Control')}"
        )
    connection.close()
    return lines


def search_latency(port: int, runs: int) -> tuple[float, float]:
    for query in SEARCHES[:3]:
        get(port, f"/guidance/search/?q={quote(query)}")
    timings = []
    for index in range(runs):
        path = f"/guidance/search/?q={quote(SEARCHES[index % len(SEARCHES)])}"
        started = time.perf_counter()
        status, _ = get(port, path)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def prepare(database: str, env: dict[str, str], redis_db: int) -> list[str]:
    admin_url = "postgres://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    redis.Redis.from_url(f"redis://127.0.0.1:6379/{redis_db}").flushdb()
    print("migrating, collecting static files, loading the library ...", flush=True)
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    run([PYTHON, "manage.py", "load_education_content"], env)
    return run([PYTHON, "-c", SETUP], env).split()[-3:]


def reuse(database: str, redis_db: int) -> list[str]:
    """The database of an earlier run, without the articles it generated."""
    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{database}") as conn:
        generated = "SELECT id FROM education_article WHERE slug LIKE 'generated-%%'"
        for table in ("education_article_topics", "education_article_audiences"):
            conn.execute(f"DELETE FROM {table} WHERE article_id IN ({generated})")
        conn.execute("DELETE FROM education_article WHERE slug LIKE 'generated-%%'")
        number = conn.execute("SELECT number FROM shippers_certificate LIMIT 1").fetchone()
        topic = conn.execute(
            "SELECT slug FROM education_topic ORDER BY position, name LIMIT 1"
        ).fetchone()
    redis.Redis.from_url(f"redis://127.0.0.1:6379/{redis_db}").flushdb()
    if number is None or topic is None:
        raise SystemExit("nothing to reuse: run once without --reuse-database")
    return [number[0], "known-shipper-program", topic[0]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--search-runs", type=int, default=240)
    parser.add_argument("--database", default="bench_public")
    parser.add_argument("--redis-db", type=int, default=3)
    parser.add_argument("--reuse-database", action="store_true", help="skip the set-up")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="gthread workers with this many threads each (both servers); default sync workers",
    )
    parser.add_argument(
        "--pages-only", action="store_true", help="skip the search timings and the generation"
    )
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="send Accept-Encoding: gzip, as browsers and CDNs do (to both servers)",
    )
    args = parser.parse_args()
    if args.gzip:
        HEADERS["Accept-Encoding"] = "gzip"
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    env = environment(f"postgres://postgres@127.0.0.1:5432/{args.database}", args.redis_db)
    if args.reuse_database:
        number, article, topic = reuse(args.database, args.redis_db)
    else:
        number, article, topic = prepare(args.database, env, args.redis_db)
    project_port, bare_port = free_port(), free_port()
    servers = [
        gunicorn("config.wsgi", project_port, args.workers, env, args.threads),
        gunicorn("bench.bare_django:application", bare_port, args.workers, env, args.threads),
    ]
    pages = [
        ("guidance home", "/guidance/", True),
        ("topic page", f"/guidance/topics/{topic}/", True),
        ("article", f"/guidance/articles/{article}/", True),
        ("verify page", f"/verify/{number}/", True),
        ("verify API, known", f"/api/v1/verify/{number}/", False),
        ("verify API, unknown", "/api/v1/verify/KS-US-0000-0000-0/", False),
    ]
    try:
        wait_for(project_port)
        wait_for(bare_port)
        for _, path, _ in pages:
            for _ in range(args.workers * 2):  # warm every worker and the shared cache
                get(project_port, path)
        get(bare_port, "/")
        load = os.getloadavg()[0]
        print(
            f"\nwrk -t1 -c{args.connections} -d{args.duration}s, gunicorn {args.workers} "
            f"{f'gthread workers ({args.threads} threads)' if args.threads else 'sync workers'} "
            f"each, load average {load:.1f} at the start (2 cores)"
            f"{', Accept-Encoding: gzip' if args.gzip else ''}"
        )
        print(f"{'page':22} {'req/s':>8} {'bare req/s':>11} {'ratio':>6} {'p99 ms':>7}  target")
        for name, path, is_page in pages:
            bare = wrk(bare_port, "/", args.duration, args.connections)
            page = wrk(project_port, path, args.duration, args.connections)
            ratio = page.requests_per_second / bare.requests_per_second
            met = ratio >= 0.3 and (page.p99_ms < 20 or not is_page)
            target = ">= 0.3x, p99 < 20 ms" if is_page else ">= 0.3x"
            non_2xx = f" ({page.non_2xx} answers 404, as expected)" if page.non_2xx else ""
            print(
                f"{name:22} {page.requests_per_second:8.0f} {bare.requests_per_second:11.0f} "
                f"{ratio:5.2f}x {page.p99_ms:7.1f}  {target}: {'met' if met else 'NOT met'}"
                f"{non_2xx}"
            )
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
        print("\nstatic files (hashed by collectstatic, served by WhiteNoise):")
        for line in static_cache_headers(project_port):
            print(f"  {line}")
        if args.pages_only:
            return

        p50, p95 = search_latency(project_port, args.search_runs)
        library = run(
            [
                PYTHON,
                "-c",
                "import django; django.setup(); from education.models import "
                "Article; print(Article.objects.published().count())",
            ],
            env,
        ).strip()
        print(
            f"\nsearch, {library} articles, {args.search_runs} queries, one client: "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms; target p95 < 20 ms: "
            f"{'met' if p95 < 20 else 'NOT met'}"
        )
        print(f"generating {args.articles:,} articles ...", flush=True)
        total = run([PYTHON, "-c", GENERATE, str(args.articles)], env).strip()
        p50, p95 = search_latency(project_port, args.search_runs)
        print(
            f"search, {total} articles, {args.search_runs} queries, one client: "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms; target p95 < 50 ms: "
            f"{'met' if p95 < 50 else 'NOT met'}"
        )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
