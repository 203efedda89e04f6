"""Shipment risk decisions: how fast.

1. Micro-benchmark: ``shipments.targeting.evaluate_batch`` per shipment with the program's
   starting rules (``shipments/targeting/data/rules.yaml``), the sanctioned places, a
   watch list and unit-value statistics, on generated shipments (2,000 sellers, one-off
   consignees, 1-3 items, a few percent hitting rules). No database.

2. End to end: a sustained rate (default 500 shipments a second for 120 seconds) filed
   through the batch API (gunicorn, 2 workers) with one Celery worker (prefork, 2
   processes) on Redis doing the party screening against the OFAC 2021 list (sdn + alt +
   add from the shared data), PostgreSQL underneath. Prints the time from acceptance
   (``filed_at``) to the final decision (``decided_at``): p50, p95, p99 overall and p95 per
   30-second window, the API latency, and the shipments still pending at the end.

    .venv/bin/python bench/shipments_decision.py                 # both
    .venv/bin/python bench/shipments_decision.py --micro-only
    .venv/bin/python bench/shipments_decision.py --rate 500 --seconds 120 --batch 100

It creates (drops and recreates) the database ``--database`` on the local PostgreSQL
server and uses Redis database 6 unless ``BENCH_BROKER_URL`` says otherwise.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DATA = ROOT.parent.parent / "shared" / "data" / "sanctions"
if not DATA.exists():
    DATA = ROOT.parent / "shared" / "data" / "sanctions"

GOODS = [
    ("Cotton T-shirt", "610910", 6.0),
    ("Running shoes", "640411", 28.0),
    ("Wireless earbuds", "851830", 19.0),
    ("Phone case, silicone", "392690", 3.5),
    ("Ceramic coffee mug", "691200", 7.0),
    ("Leather wallet", "420231", 14.0),
    ("Stainless steel water bottle", "732393", 9.0),
    ("LED desk lamp", "940520", 22.0),
    ("Yoga mat", "950691", 16.0),
    ("Printed paperback book", "490199", 11.0),
    ("Wrist watch, quartz", "910211", 35.0),
    ("Kids building blocks toy", "950300", 18.0),
]
ODD = [
    ("goods", "610910", 5.0, "CN"),  # vague description
    ("Pistachios, roasted", "080251", 8.0, "IR"),  # prohibited origin
    ("Running sneakers", "610910", 3.0, "CN"),  # footwear under an apparel code
    ("Disposable vape pods", "854340", 4.0, "CN"),  # restricted
]


def _names(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[1] for line in lines if line and not line.startswith("#")]


class Generator:
    """Shipments with the repetition of real traffic: 2,000 sellers, 60 shippers, consignees
    mostly one-off."""

    def __init__(self, seed: int = 7) -> None:
        self.random = random.Random(seed)
        first = _names(ROOT / "bench" / "data" / "screening_first_names.tsv")
        last = _names(ROOT / "bench" / "data" / "screening_last_names.tsv")
        words = [
            word
            for line in (ROOT / "bench" / "data" / "screening_company_words.txt")
            .read_text(encoding="utf-8")
            .splitlines()
            if line.strip() and not line.startswith(("#", "["))
            for word in line.split()
        ]
        self.first, self.last = first, last
        cities = [
            ("Shenzhen", "CN", "518000"),
            ("Yiwu", "CN", "322000"),
            ("Hong Kong", "HK", ""),
            ("Hanoi", "VN", "100000"),
            ("Istanbul", "TR", "34000"),
            ("Delhi", "IN", "110001"),
        ]
        self.sellers = []
        for n in range(2000):
            city, country, postcode = self.random.choice(cities)
            pair = f"{self.random.choice(words).title()} {self.random.choice(words).title()}"
            name = f"{pair} Trading Co {n}"
            self.sellers.append(self._party(name, country, city, postcode))
        self.shippers = [
            self._party(
                f"{self.random.choice(words).title()} Express Logistics {n}", "HK", "Hong Kong", ""
            )
            for n in range(60)
        ]
        self.counter = 0

    def _party(self, name: str, country: str, city: str, postcode: str) -> dict:
        address = {
            "line1": f"{self.random.randint(1, 999)} Industrial Road",
            "city": city,
            "country": country,
        }
        if postcode:
            address["postal_code"] = postcode
        return {"name": name, "address": address}

    def consignee(self) -> dict:
        name = f"{self.random.choice(self.first)} {self.random.choice(self.last)}"
        return {
            "name": name,
            "address": {
                "line1": f"{self.random.randint(1, 9999)} {self.random.choice(self.last)} Street",
                "city": "Portland",
                "postal_code": f"97{self.random.randint(0, 999):03d}",
                "country": "US",
            },
        }

    def items(self) -> list[dict]:
        if self.random.random() < 0.04:
            description, hs_code, value, origin = self.random.choice(ODD)
            return [
                {
                    "description": description,
                    "hs_code": hs_code,
                    "quantity": 1,
                    "unit_value": value,
                    "origin_country": origin,
                }
            ]
        items = []
        for _ in range(self.random.choice((1, 1, 1, 2, 2, 3))):
            description, hs_code, value = self.random.choice(GOODS)
            items.append(
                {
                    "description": description,
                    "hs_code": hs_code,
                    "quantity": self.random.randint(1, 3),
                    "unit_value": round(value * self.random.uniform(0.6, 1.4), 2),
                    "origin_country": self.random.choice(("CN", "CN", "CN", "VN", "HK", "IN")),
                }
            )
        return items

    def payload(self, prefix: str) -> dict:
        self.counter += 1
        arrival = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
            hours=self.random.randint(12, 72)
        )
        return {
            "reference": f"{prefix}-{self.counter}",
            "house_bill": f"HB{self.counter:09d}",
            "mode": "air",
            "port_of_arrival": self.random.choice(("2720", "4701", "1001", "3901")),
            "estimated_arrival": arrival.replace(microsecond=0).isoformat(),
            "seller": self.random.choice(self.sellers),
            "shipper": self.random.choice(self.shippers),
            "consignee": self.consignee(),
            "gross_weight_kg": round(self.random.uniform(0.2, 4.0), 2),
            "packages": 1,
            "currency": "USD",
            "items": self.items(),
        }


def micro(runs: int = 5, count: int = 20000) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from core.reference.sanctions import load_sanctioned_countries
    from shipments.targeting import RuleSpec, compile_snapshot
    from shipments.targeting.catalogue import load_rule_file
    from shipments.targeting.engine import evaluate_batch
    from shipments.targeting.engine.compiled import ReferenceData, WatchedPlace
    from shipments.targeting.engine.facts import Standing
    from shipments.targeting.facts import facts_from_content

    specs = [RuleSpec(version=1, **row) for row in load_rule_file()]
    watched = tuple(
        WatchedPlace(n, f"Reshipper {n}", "reshipper", "US", f"97{n:03d}", f"{n} Airport Way")
        for n in range(200)
    )
    medians = {hs[:4]: (value, 500) for _, hs, value in GOODS}
    snapshot = compile_snapshot(
        version=1,
        rules=specs,
        reference=ReferenceData(
            watched=watched, medians=medians, sanctioned=load_sanctioned_countries()
        ),
    )
    generator = Generator()
    facts = [
        facts_from_content(
            generator.payload("M"),
            organisation_id=1,
            standing=Standing.KNOWN,
            tier=2,
            first_shipment=False,
        )
        for _ in range(count)
    ]
    screened = [
        f.__class__(**{**{k: getattr(f, k) for k in f.__dataclass_fields__}, "screening": ()})
        for f in facts
    ]
    for label, batch in (
        ("screening pending (acceptance)", facts),
        ("screening done (final decision)", screened),
    ):
        timings, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            for offset in range(0, count, 5000):
                evaluate_batch(batch[offset : offset + 5000], snapshot)
            timings.append((time.perf_counter() - start) / count * 1e6)
            cpu.append((time.process_time() - start_cpu) / count * 1e6)
        results = evaluate_batch(batch[:5000], snapshot)
        flagged = sum(1 for r in results if r.decision in ("review", "hold"))
        print(
            f"evaluate_batch, {len(specs)} rules, {label}: CPU median {statistics.median(cpu):.1f}"
            f" us a shipment (runs: {', '.join(f'{t:.1f}' for t in cpu)}), wall median "
            f"{statistics.median(timings):.1f} us; review or hold: {flagged / 50:.1f}%"
        )


def _env(database: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        CELERY_BROKER_URL=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/6"),
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        API_THROTTLE_USER="100000/minute",
    )
    return env


def setup(database: str) -> str:
    env = _env(database)
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    ofac = DATA / "ofac-2021"
    if ofac.exists():
        subprocess.run(
            [
                PYTHON,
                "manage.py",
                "import_screening_list",
                "--format",
                "ofac",
                str(ofac / "sdn.csv"),
                str(ofac / "alt.csv"),
                str(ofac / "add.csv"),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    else:
        print(f"no OFAC data at {ofac}: screening runs without a list", file=sys.stderr)
    script = (
        "import django; django.setup()\n"
        "from shippers.models import Organisation\n"
        "from shipments.models import FilerRegistration\n"
        "from apikeys.services import api_key_create\n"
        "org = Organisation.objects.create(legal_name='Bench Parcel Carrier Inc', country='US')\n"
        "FilerRegistration.objects.create(organisation=org, kind='carrier')\n"
        "key, plain = api_key_create(organisation=org, name='bench',"
        " scopes=('shipments:write', 'shipments:read'), expires_at=None)\n"
        "print(plain)\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its live children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        pending += [int(child) for child in children]
    return total


def _post(connections: threading.local, key: str, body: bytes) -> tuple[int, float]:
    if not hasattr(connections, "conn"):
        connections.conn = http.client.HTTPConnection("127.0.0.1", 8765, timeout=60)
    start = time.perf_counter()
    connections.conn.request(
        "POST",
        "/api/v1/shipments/batches/",
        body,
        {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"},
    )
    response = connections.conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - start


def end_to_end(
    database: str, rate: int, seconds: int, batch: int, drain: int, concurrency: int
) -> None:
    import psycopg

    print(f"setting up {database} (migrate, OFAC 2021 list, a filer with a key)...", flush=True)
    key = setup(database)
    env = _env(database)
    web = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            "127.0.0.1:8765",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    connections = threading.local()
    generator = Generator(seed=11)
    try:
        time.sleep(6)
        # Warm-up: the worker processes build the screening index once.
        warm = json.dumps({"shipments": [generator.payload("WARM") for _ in range(20)]}).encode()
        print("warm-up:", _post(connections, key, warm), flush=True)
        time.sleep(20)
        worker_cpu, web_cpu = _cpu_seconds(worker.pid), _cpu_seconds(web.pid)
        interval = batch / rate
        bodies = [
            json.dumps({"shipments": [generator.payload("BENCH") for _ in range(batch)]}).encode()
            for _ in range(int(seconds / interval))
        ]
        print(
            f"filing {len(bodies) * batch} shipments at {rate}/s in batches of {batch}...",
            flush=True,
        )
        latencies: list[float] = []
        failures = 0
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = []
            for index, body in enumerate(bodies):
                due = start + index * interval
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(_post, connections, key, body))
            for future in futures:
                status, latency = future.result()
                latencies.append(latency)
                failures += status != 200
        elapsed = time.monotonic() - start
        print(
            f"filed in {elapsed:.1f} s ({len(bodies) * batch / elapsed:.0f} shipments/s); "
            f"API p50 {statistics.median(latencies) * 1000:.0f} ms, p95 "
            f"{sorted(latencies)[int(len(latencies) * 0.95)] * 1000:.0f} ms; "
            f"non-200 answers: {failures}",
            flush=True,
        )
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{database}") as db:
            deadline = time.monotonic() + drain
            pending = -1
            while time.monotonic() < deadline:
                pending = db.execute(
                    "SELECT count(*) FROM shipments_shipment WHERE reference LIKE 'BENCH-%%' "
                    "AND decision = 'pending'"
                ).fetchone()[0]
                if pending == 0:
                    break
                time.sleep(2)
            drained = time.monotonic() - start - elapsed
            worker_cpu = _cpu_seconds(worker.pid) - worker_cpu
            web_cpu = _cpu_seconds(web.pid) - web_cpu
            row = db.execute(
                "SELECT count(*), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP "
                "(ORDER BY extract(epoch FROM decided_at - filed_at)), "
                "max(extract(epoch FROM decided_at - filed_at)) "
                "FROM shipments_shipment WHERE reference LIKE 'BENCH-%%' "
                "AND decided_at IS NOT NULL"
            ).fetchone()
            print(
                f"decided {row[0]} (pending left {pending}, drained {drained:.0f} s after "
                f"the last batch): acceptance -> final decision p50 {row[1][0]:.2f} s, "
                f"p95 {row[1][1]:.2f} s, p99 {row[1][2]:.2f} s, max {row[2]:.2f} s"
            )
            windows = db.execute(
                "SELECT floor(extract(epoch FROM filed_at - min(filed_at) OVER ()) / 30) AS w, "
                "extract(epoch FROM decided_at - filed_at) AS t FROM shipments_shipment "
                "WHERE reference LIKE 'BENCH-%%' AND decided_at IS NOT NULL"
            ).fetchall()
            by_window: dict[int, list[float]] = {}
            for window, seconds_taken in windows:
                by_window.setdefault(int(window), []).append(float(seconds_taken))
            print(
                "p95 per 30 s of filing: "
                + ", ".join(
                    f"{w * 30}-{w * 30 + 30} s: {sorted(v)[int(len(v) * 0.95)]:.2f} s"
                    for w, v in sorted(by_window.items())
                )
            )
            decisions = db.execute(
                "SELECT decision, count(*) FROM shipments_shipment WHERE reference LIKE "
                "'BENCH-%%' GROUP BY 1 ORDER BY 1"
            ).fetchall()
            print("decisions:", ", ".join(f"{d} {n}" for d, n in decisions))
            print(
                f"CPU: web (gunicorn) {web_cpu:.0f} s = {web_cpu / (len(bodies) * batch) * 1e3:.2f}"
                f" ms a shipment filed; worker {worker_cpu:.0f} s = "
                f"{worker_cpu / max(row[0], 1) * 1e3:.2f} ms a shipment decided (screening, "
                "rules, writing)"
            )
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--micro-only", action="store_true")
    parser.add_argument("--e2e-only", action="store_true")
    parser.add_argument("--rate", type=int, default=500, help="shipments a second")
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--batch", type=int, default=100, help="shipments a request")
    parser.add_argument("--database", default="ks_bench_shipments_targeting")
    parser.add_argument("--drain", type=int, default=420, help="seconds to wait for decisions")
    parser.add_argument(
        "--concurrency", type=int, default=2, help="processes of the one Celery worker"
    )
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} "
        "(shared with other work: figures vary)"
    )
    if not args.e2e_only:
        micro()
    if not args.micro_only:
        end_to_end(args.database, args.rate, args.seconds, args.batch, args.drain, args.concurrency)


if __name__ == "__main__":
    main()
