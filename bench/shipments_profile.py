"""CPU time a shipment of filing and of the final decision, in one process (no HTTP).

``.venv/bin/python bench/shipments_profile.py [--shipments 20000] [--profile filing|decision]``
recreates its database (``bench_shipments_profile``) with the OFAC 2021 list and a registered
filer (``shipments_decision.setup``), then, in this process: decodes the generated batches
of 5,000 as the API does (``schema.decode_batch``) and files them through
``shipments.services.batch_file`` (validation, rules, storage, outbox), then runs the worker's
``shipments_finalise`` over the stored shipments in the task's chunks (party screening, final
decision, rule hits). It prints ``time.process_time`` a shipment (this process's CPU, which
does not depend on what else runs on the machine; PostgreSQL's own CPU is not included) and
wall time, and with ``--profile`` the cProfile top functions of that phase.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import msgspec  # noqa: E402
from shipments_decision import _env, setup  # noqa: E402
from shipments_ingest import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shipments", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--chunk", type=int, default=0, help="decision task size (settings)")
    parser.add_argument("--database", default="bench_shipments_profile")
    parser.add_argument("--profile", choices=("filing", "decision"), default=None)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--filing-only", action="store_true", help="skip the decision phase")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database, empty its shipments"
    )
    args = parser.parse_args()

    if not args.reuse:
        print("setting up the database ...", flush=True)
        setup(args.database)
    os.environ.update(_env(args.database))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from shipments import schema
    from shipments.models import FilerRegistration, Shipment
    from shipments.services import batch_file
    from shipments.tasks import screen_shipment_parties

    if args.reuse:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE shipments_shipment, shipments_shipmentversion, "
                "shipments_filedreference, shipments_batch, shipments_rulehit, "
                "shipments_partyscreeningresult CASCADE"
            )
    organisation = FilerRegistration.objects.select_related("organisation").get().organisation
    shipments = generate(args.shipments)
    bodies = [
        msgspec.json.encode({"shipments": shipments[start : start + args.batch]})
        for start in range(0, len(shipments), args.batch)
    ]
    # Warm up: imports, the rule snapshot, the connection.
    warm = schema.decode_batch(msgspec.json.encode({"shipments": generate(20, seed=99)}))
    batch_file(organisation=organisation, shipments=warm or [])

    profiler = cProfile.Profile()
    cpu, wall = 0.0, 0.0
    for body in bodies:
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        if args.profile == "filing":
            profiler.enable()
        structs = schema.decode_batch(body)
        assert structs is not None
        batch_file(organisation=organisation, shipments=structs, body_bytes=len(body))
        profiler.disable()
        cpu += time.process_time() - cpu_start
        wall += time.perf_counter() - wall_start
    total = len(shipments)
    print(
        f"filing: {total:,} shipments, {cpu / total * 1e6:.0f} us CPU a shipment "
        f"(this process), {wall / total * 1e6:.0f} us wall"
    )
    if args.profile == "filing":
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)

    if args.filing_only:
        return
    chunk = args.chunk or int(settings.SHIPMENTS_SCREENING_CHUNK)
    ids = [str(pk) for pk in Shipment.objects.order_by("filed_at").values_list("id", flat=True)]
    connection.close()
    cpu, wall = 0.0, 0.0
    decided = 0
    profiler = cProfile.Profile()
    for start in range(0, len(ids), chunk):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        if args.profile == "decision":
            profiler.enable()
        screen_shipment_parties.run(ids[start : start + chunk])
        profiler.disable()
        if start == 0:  # the first chunk builds the list index: reported apart
            first = time.process_time() - cpu_start
            print(f"decision: first chunk (index build) {first:.1f} s CPU")
            continue
        cpu += time.process_time() - cpu_start
        wall += time.perf_counter() - wall_start
        decided += len(ids[start : start + chunk])
    print(
        f"decision: {decided:,} shipments in tasks of {chunk}, {cpu / max(decided, 1) * 1e6:.0f}"
        f" us CPU a shipment (this process), {wall / max(decided, 1) * 1e6:.0f} us wall"
    )
    if args.profile == "decision":
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
