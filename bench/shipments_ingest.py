"""Bulk acceptance through the batch API: shipments per second end to end.

Creates (or recreates) its own PostgreSQL database, migrates it, registers a filer with an
API key, starts gunicorn (production settings, 2 sync workers) on a free port, generates
the shipments up front (about 2,000 sellers, 200 shippers, mostly one-off consignees,
1-3 items from ~300 HS codes; about 1% re-sent unchanged and 0.5% amended in later
batches), then posts batches of 5,000 from a few concurrent clients and prints
shipments/s, p50/p95 batch latency, the server's own parse/validate/score/store split
and the row counts. Target (issue 10): >= 10,000 shipments/s on 200,000.

    .venv/bin/python bench/shipments_ingest.py [--shipments 200000] [--clients 3]

Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379 (broker and
cache; no worker is needed: party screening is queued, not awaited). The machine's load
average is printed before and after, because other work on it changes the figures.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HS_CODES = [
    f"{chapter:02d}{heading:02d}{sub:02d}"
    for chapter in (39, 42, 61, 62, 64, 71, 85, 95)
    for heading in range(1, 7)
    for sub in (10, 20, 90)
] + [f"{code}" for code in range(847130, 847130 + 150)]
WORDS = [
    *("cotton", "shirt", "phone", "case", "charger", "cable", "shoe", "bag"),
    *("watch", "toy", "doll", "lamp", "mug", "sock", "scarf"),
]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds used so far by each of these processes (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return used


def cpu_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU used since `before`; a process that appeared meanwhile counts in full."""
    now = cpu_seconds(pids)
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in now.items())


def server_pids(master: int, database_url: str, database: str) -> tuple[list[int], list[int]]:
    """The gunicorn workers, and the PostgreSQL backends connected to the bench database."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    with psycopg.connect(database_url) as conn:
        backends = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
    return [int(pid) for pid in children], [row[0] for row in backends]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def party(rng: random.Random, name: str, country: str) -> dict[str, Any]:
    return {
        "name": name,
        "address": {
            "line1": f"{rng.randint(1, 999)} {rng.choice(WORDS).title()} Road",
            "city": rng.choice(["Shenzhen", "Guangzhou", "Hong Kong", "Yiwu", "Los Angeles"]),
            "postal_code": f"{rng.randint(10000, 99999)}",
            "country": country,
        },
    }


def generate(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    sellers = [
        party(rng, f"Seller {n} Trading Co", rng.choice(["CN", "CN", "CN", "HK", "VN"]))
        for n in range(2000)
    ]
    shippers = [party(rng, f"Shipper {n} Logistics", "HK") for n in range(200)]
    arrival = datetime.now(UTC) + timedelta(days=3)
    shipments = []
    for n in range(count):
        items = [
            {
                "description": f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
                "hs_code": rng.choice(HS_CODES),
                "quantity": rng.randint(1, 5),
                "unit_value": round(rng.uniform(1, 150), 2),
                "origin_country": rng.choice(["CN", "CN", "CN", "CN", "VN", "IN"]),
            }
            for _ in range(rng.randint(1, 3))
        ]
        shipments.append(
            {
                "reference": f"BENCH-{seed}-{n:07d}",
                "house_bill": f"HB{n:09d}",
                "tracking_number": f"TRK{n:010d}",
                "mode": "air",
                "carrier": "Bench Air",
                "port_of_arrival": rng.choice(["4701", "2720", "USLAX", "USJFK"]),
                "estimated_arrival": (arrival + timedelta(minutes=n % 5000)).isoformat(),
                "seller": rng.choice(sellers),
                "shipper": rng.choice(shippers),
                "consignee": party(rng, f"Consignee {rng.randint(0, 10**9)}", "US"),
                "marketplace": {"name": "Bench Market", "url": "https://market.example.com"},
                "gross_weight_kg": round(rng.uniform(0.1, 5), 2),
                "packages": 1,
                "currency": "USD",
                "items": items,
            }
        )
    # Re-sent (unchanged) and corrected (amended) shipments in later batches.
    extra = []
    for n in rng.sample(range(count // 2), count // 100):
        extra.append(dict(shipments[n]))
    for n in rng.sample(range(count // 2), count // 200):
        amended = dict(shipments[n])
        amended["gross_weight_kg"] = 9.99
        extra.append(amended)
    rng.shuffle(extra)
    tail = shipments[count // 2 :] + extra
    rng.shuffle(tail)
    return shipments[: count // 2] + tail


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
        # Keep each worker's connection for the whole run, so its backend's CPU is counted.
        DATABASE_CONN_MAX_AGE="3600",
        PYTHONPATH=str(ROOT),
    )
    return env


SETUP = """
import django; django.setup()
from apikeys.services import api_key_create
from shipments.services import filer_register
from shippers.models import Organisation
org = Organisation.objects.create(legal_name="Bench Carrier Ltd", country="US",
                                  business_type="carrier")
filer_register(organisation=org, kind="carrier")
_, key = api_key_create(organisation=org, name="bench", scopes=["shipments:write"])
print(key)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shipments", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="bench_shipments_ingest")
    parser.add_argument("--redis-db", type=int, default=5)
    args = parser.parse_args()

    admin_url = "postgres://postgres@127.0.0.1:5432/postgres"
    database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    env = environment(database_url, args.redis_db)
    print("migrating ...", flush=True)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    key = (
        subprocess.run(
            [PYTHON, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    print(f"generating {args.shipments:,} shipments ...", flush=True)
    shipments = generate(args.shipments)
    encoder = msgspec.json.Encoder()
    bodies = [
        encoder.encode({"shipments": shipments[start : start + args.batch]})
        for start in range(0, len(shipments), args.batch)
    ]
    total = len(shipments)
    print(f"{len(bodies)} batches, {sum(map(len, bodies)) / total:.0f} bytes a shipment")

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "config.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        headers = {
            "Authorization": f"Api-Key {key}",
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",  # as behind the TLS-terminating proxy
        }
        # Warm both workers (imports, connections) before timing.
        for _ in range(args.workers * 2):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            conn.request("GET", "/healthz", headers=headers)
            conn.getresponse().read()
        latencies: list[float] = []
        counts = {"accepted": 0, "rejected": 0, "statuses": {}}
        failures: list[str] = []
        queue = list(enumerate(bodies))
        lock = threading.Lock()

        def client() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            while True:
                with lock:
                    if not queue:
                        return
                    _, body = queue.pop(0)
                started = time.perf_counter()
                conn.request("POST", "/api/v1/shipments/batches/", body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    with lock:
                        failures.append(f"{response.status}: {payload[:300]!r}")
                    continue
                answer = msgspec.json.decode(payload)
                with lock:
                    latencies.append(elapsed)
                    counts["accepted"] += answer["accepted"]
                    counts["rejected"] += answer["rejected"]
                    for result in answer["results"]:
                        statuses = counts["statuses"]
                        key = result["status"]
                        if key == "rejected":
                            key = f"rejected ({result['errors'][0]['code']})"
                        statuses[key] = statuses.get(key, 0) + 1

        # One warm-up batch per worker opens its database connection (kept: CONN_MAX_AGE).
        warm = generate(args.workers * 50, seed=99)
        for start in range(0, len(warm), 50):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            body = encoder.encode({"shipments": warm[start : start + 50]})
            conn.request("POST", "/api/v1/shipments/batches/", body=body, headers=headers)
            conn.getresponse().read()
        web_pids, db_pids = server_pids(server.pid, database_url, args.database)
        web_before, db_before = cpu_seconds(web_pids), cpu_seconds(db_pids)
        load_before = os.getloadavg()
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        load_after = os.getloadavg()
        # Backends opened during the run (a worker's first request) count too.
        web_now, db_now = server_pids(server.pid, database_url, args.database)
        web_cpu = cpu_since(web_before, sorted(set(web_pids) | set(web_now)))
        db_cpu = cpu_since(db_before, sorted(set(db_pids) | set(db_now)))
        cpu_used = web_cpu + db_cpu
    finally:
        server.terminate()
        server.wait(timeout=30)

    with psycopg.connect(database_url) as conn:
        rows = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "shipments_shipment",
                "shipments_shipmentversion",
                "shipments_filedreference",
                "shipments_batch",
            )
        }
        timings = conn.execute(
            "SELECT avg((timings->>'parse_ms')::float), avg((timings->>'validate_ms')::float), "
            "avg((timings->>'score_ms')::float), avg((timings->>'store_ms')::float) "
            "FROM shipments_batch"
        ).fetchone()
    latencies.sort()
    print()
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (2 cores)")
    print(f"clients {args.clients}, gunicorn workers {args.workers}, batch {args.batch}")
    print(f"shipments sent {total:,} in {wall:.1f} s: {total / wall:,.0f} shipments/s")
    print(f"answers: {counts['statuses']}; failed requests: {len(failures)}")
    print(
        f"server CPU: gunicorn workers {web_cpu:.1f} s + PostgreSQL backends {db_cpu:.1f} s, "
        f"{cpu_used / total * 1e6:.0f} us a shipment; on {os.cpu_count()} otherwise idle cores "
        f"that is at most {total / cpu_used * (os.cpu_count() or 1):,.0f} shipments/s"
    )
    for failure in failures[:5]:
        print("  ", failure)
    if latencies:
        p50 = statistics.median(latencies)
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
        print(f"batch latency p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    if timings and timings[0] is not None:
        print(
            "server per batch (mean): parse {:.0f} ms, validate {:.0f} ms, score {:.0f} ms, "
            "store {:.0f} ms".format(*timings)
        )
    print("rows:", ", ".join(f"{table} {count:,}" for table, count in rows.items()))


if __name__ == "__main__":
    main()
