"""Submission to all vetting checks done, on a real Celery worker: p50/p95 per broker.

Recreates the database ``--database`` (default ``ks_bench_vetting``), migrates, imports the
OFAC 2021 list (sdn + alt + add from the shared data folder, read in place) so that the
screening check screens against a real list, and then, for each broker asked for (Redis, then
the embedded filesystem transport):

1. starts ``celery -A config worker`` (prefork, ``--concurrency`` processes) on that broker;
2. in a second process (the "portal"), prepares ``--applications`` complete applications
   through the service layer, submits two as a warm-up (each worker process builds its
   screening index on its first screening task) and waits until they are vetted;
3. submits the others through ``shippers.services.application_submit``, one every
   ``--interval`` seconds, and prints p50/p95/max of ``VettingRun.finished_at -
   Application.submitted_at`` (both written by the processes' clocks on this machine): the
   time from the submission's commit to the last of the eight checks done and the run
   aggregated.

The filesystem transport polls its folder every ``CELERY_BROKER_POLL_SECONDS`` (a setting,
default 0.1 s; ``--poll`` overrides it here). Targets (issue 16): p95 <= 3 s on Redis, <= 5 s
on the filesystem transport.

    .venv/bin/python bench/vetting_latency.py [--applications 40] [--interval 2] [--skip-setup]
        [--brokers redis,filesystem] [--redis redis://127.0.0.1:6379/10] [--poll 0.1]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DATA = next(
    (
        parent / "shared" / "data" / "sanctions"
        for parent in ROOT.parents
        if (parent / "shared" / "data" / "sanctions").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "sanctions",
)


def _env(database: str, broker: str, var_dir: str, poll: float | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        CELERY_BROKER_URL=broker,
        KNOWN_SHIPPER_VAR_DIR=var_dir,
        DJANGO_DEBUG="false",
        LOG_LEVEL="WARNING",
        EMAIL_URL="console://",
    )
    if poll is not None:
        env["CELERY_BROKER_POLL_SECONDS"] = str(poll)
    return env


def setup(database: str, var_dir: str) -> None:
    """A fresh database with the OFAC 2021 list imported."""
    env = _env(database, "memory://", var_dir, None)
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    ofac = DATA / "ofac-2021"
    if not (ofac / "sdn.csv").exists():
        sys.exit(f"no OFAC data at {ofac}")
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


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children, from /proc."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def portal(count: int, interval: float, label: str) -> None:
    """The submitting side (run in its own process with the broker's environment)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from stdnum.gb import vat as gb_vat

    from accounts.models import User
    from shippers import services
    from shippers.models import VettingCheck, VettingRun
    from tests.accounts.factories import UserFactory
    from tests.shippers.factories import complete_application, owner_with_organisation

    # Each run (and each broker's run) creates users of its own: e-mail addresses are unique.
    UserFactory.reset_sequence(User.objects.count() + 1000)

    principals = [
        "Amelia Hart",
        "Jonas Lindqvist",
        "Priya Natarajan",
        "Tomasz Kowalczyk",
        "Chen Wei",
        "Fatima Zahra Benali",
        "Oliver Brennan",
    ]
    names = [
        "Harbourline Parcels Ltd",
        "Golden Star Trading LLC",
        "Northgate Homewares Limited",
        "Mohammad Rezaei Import Export",
        "Baltic Amber Logistics OU",
        "Sunrise Electronics Co",
    ]
    print(f"[{label}] preparing {count + 2} applications...", flush=True)
    prepared = []
    for number in range(count + 2):
        owner, organisation = owner_with_organisation(
            legal_name=f"{names[number % len(names)]} {label} {number}"
        )
        application = complete_application(owner, organisation)
        # Distinct businesses: the factory gives every application the same VAT number,
        # addresses and director, which would link each one to all the earlier ones.
        vat = next(
            f"GB{value:09d}"
            for value in itertools.count(100_000_000 + 1000 * (number + User.objects.count()))
            if gb_vat.is_valid(f"GB{value:09d}")
        )
        organisation.identifiers.update(value=gb_vat.format(vat))
        for address in organisation.addresses.all():
            address.line1 = f"{number + 1} {address.line1} {label}"
            address.save(update_fields=["line1"])
        organisation.principals.update(full_name=f"{principals[number % len(principals)]}")
        prepared.append((owner, application))

    def finished(application_ids: list[int], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = VettingRun.objects.filter(
                application_id__in=application_ids, finished_at__isnull=False
            ).count()
            if done == len(application_ids):
                return True
            time.sleep(0.05)
        return False

    warm, measured = prepared[:2], prepared[2:]
    for owner, application in warm:
        services.application_submit(actor=owner, application=application)
    if not finished([application.pk for _, application in warm], timeout=180):
        sys.exit(f"[{label}] the warm-up applications were not vetted within 180 s")
    started = time.perf_counter()
    for owner, application in measured:
        services.application_submit(actor=owner, application=application)
        time.sleep(interval)
    ids = [application.pk for _, application in measured]
    complete = finished(ids, timeout=300)
    elapsed = time.perf_counter() - started
    runs = VettingRun.objects.filter(application_id__in=ids, finished_at__isnull=False)
    latencies = sorted(
        (run.finished_at - run.application.submitted_at).total_seconds()
        for run in runs.select_related("application")
    )
    if not latencies:
        sys.exit(f"[{label}] no run finished")
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    checks: dict[str, list[float]] = {}
    waits: list[float] = []
    for check in VettingCheck.objects.filter(run__application_id__in=ids).select_related(
        "run__application"
    ):
        if check.started_at and check.finished_at:
            checks.setdefault(check.kind, []).append(
                (check.finished_at - check.started_at).total_seconds()
            )
            waits.append((check.started_at - check.run.application.submitted_at).total_seconds())
    print(
        f"[{label}] {len(latencies)} of {len(ids)} applications vetted"
        f"{'' if complete else ' (the others timed out)'} in {elapsed:.1f} s, one submitted "
        f"every {interval} s: submission -> all checks done p50 "
        f"{statistics.median(latencies):.2f} s, p95 {p95:.2f} s, max {latencies[-1]:.2f} s",
        flush=True,
    )
    print(
        f"[{label}] submission -> a check starts: median {statistics.median(waits):.2f} s; "
        "check run time, median (max): "
        + ", ".join(
            f"{kind} {statistics.median(times):.2f} ({max(times):.2f})"
            for kind, times in sorted(checks.items())
        ),
        flush=True,
    )


def run_broker(label: str, broker: str, arguments: argparse.Namespace, var_dir: str) -> None:
    env = _env(arguments.database, broker, var_dir, arguments.poll)
    if broker.startswith("redis://"):
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", "purge", "-f"],
            cwd=ROOT,
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
        )
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            str(arguments.concurrency),
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(3)
        subprocess.run(
            [
                PYTHON,
                __file__,
                "--portal",
                label,
                "--applications",
                str(arguments.applications),
                "--interval",
                str(arguments.interval),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(
            f"[{label}] worker CPU {_cpu_seconds(worker.pid):.1f} s in all (index builds included)",
            flush=True,
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="ks_bench_vetting")
    parser.add_argument("--applications", type=int, default=40)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument(
        "--skip-setup", action="store_true", help="reuse the database of an earlier run"
    )
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--brokers", default="redis,filesystem")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/10")
    parser.add_argument(
        "--poll", type=float, default=None, help="CELERY_BROKER_POLL_SECONDS (default: setting)"
    )
    parser.add_argument("--portal", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.portal:
        portal(arguments.applications, arguments.interval, arguments.portal)
        return
    with tempfile.TemporaryDirectory(prefix="ks-vetting-bench-") as var_dir:
        if not arguments.skip_setup:
            print(f"setting up {arguments.database} (migrate, OFAC 2021 list)...", flush=True)
            started = time.perf_counter()
            setup(arguments.database, var_dir)
            print(f"set up in {time.perf_counter() - started:.0f} s", flush=True)
        brokers = {"redis": arguments.redis, "filesystem": "filesystem://"}
        for label in arguments.brokers.split(","):
            run_broker(label, brokers[label], arguments, var_dir)


if __name__ == "__main__":
    main()
