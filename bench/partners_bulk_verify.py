"""Partner bulk status: how fast 1,000 entries are answered.

Creates a throw-away database (``test_<name>`` on the configured server; ``--database``),
seeds ``--shippers`` known shippers (certificate plus one identifier each: EORI, EIN, BN,
ABN or NZBN in turn) and a recognised EU AEO list, then posts batches of 1,000 entries to
``POST /api/v1/verify/bulk/`` in-process (API key authentication, parsing, the queries,
JSON rendering; no network) and prints p50 / p95 / max, the queries per request and the
CPU time of this process per request (a figure less disturbed by other load).

Each batch: 40% certificate numbers, 40% identifiers (typed with spaces or hyphens as
people do), 10% well-formed unknown numbers, 10% malformed entries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/known_shipper \
        .venv/bin/python bench/partners_bulk_verify.py --runs 40
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_P95_MS = 300.0


def _identifier(n: int) -> tuple[str, str, str]:
    """(kind, canonical value, as a partner might type it) for shipper n."""
    from stdnum import ean, luhn
    from stdnum.au import abn

    kind = n % 5
    if kind == 0:
        value = f"DE{n:015d}"
        return "eori", value, f"{value[:2]} {value[2:]}"
    if kind == 1:
        value = f"12{n:07d}"
        return "us_ein", value, f"{value[:2]}-{value[2:]}"
    if kind == 2:
        body = f"2{n:07d}"
        value = body + luhn.calc_check_digit(body)
        return "ca_bn", value, f"{value[:3]} {value[3:6]} {value[6:]}"
    if kind == 3:
        body = f"{n:09d}"
        value = abn.calc_check_digits(body) + body
        return "au_abn", value, f"{value[:2]} {value[2:5]} {value[5:8]} {value[8:]}"
    body = f"94{n:010d}"
    value = body + ean.calc_check_digit(body)
    return "nz_nzbn", value, value


def seed(shippers: int) -> tuple[list[str], list[str]]:
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from shippers import certificate_numbers
    from shippers.models import (
        Application,
        Certificate,
        Identifier,
        Organisation,
        SecurityQuestionnaire,
    )

    questionnaire = SecurityQuestionnaire.objects.get(is_current=True)
    owner = User.objects.create_user(email="bench-owner@example.org", password=None)
    organisations = Organisation.objects.bulk_create(
        Organisation(legal_name=f"Bench Shipper {n} Ltd", country="GB") for n in range(shippers)
    )
    statuses = ["approved"] * 8 + ["suspended", "revoked"]
    applications = Application.objects.bulk_create(
        Application(organisation=organisation, questionnaire=questionnaire, created_by=owner)
        for organisation in organisations
    )
    for index, application in enumerate(applications):
        application.status = statuses[index % len(statuses)]
    Application.objects.bulk_update(applications, ["status"], batch_size=2000)
    today = timezone.localdate()
    certificates = Certificate.objects.bulk_create(
        Certificate(
            application=application,
            organisation_id=application.organisation_id,
            number=certificate_numbers.new_number("GB"),
            tier=1 + index % 2,
            valid_from=today - timedelta(days=30),
            valid_to=today + timedelta(days=700),
        )
        for index, application in enumerate(applications)
    )
    typed = []
    rows = []
    for n, organisation in enumerate(organisations):
        kind, value, as_typed = _identifier(n)
        rows.append(Identifier(organisation=organisation, kind=kind, value=value))
        typed.append(as_typed)
    Identifier.objects.bulk_create(rows, batch_size=2000)
    return [c.number for c in certificates], typed


def seed_aeo_list(typed_eoris: list[str]) -> None:
    from datetime import date

    from partners.models import RecognisedProgram
    from partners.services.lists import trusted_list_import

    program = RecognisedProgram.objects.create(
        code="eu-aeo", name="EU AEO", list_format="eu_aeo", identifier_kind="eori"
    )
    lines = ["EORI;Holder name;Authorisation type;Issuing country;Effective date"]
    for typed in typed_eoris:
        value = typed.replace(" ", "")
        lines.append(f"{value};Bench Shipper {int(value[2:])} Ltd;AEOS;DE;2020-01-01")
    trusted_list_import(
        program=program, content="\n".join(lines).encode(), published_on=date(2026, 12, 1)
    )


def batch(numbers: list[str], typed: list[str], rng: random.Random) -> list[str]:
    entries = []
    for index in range(1000):
        share = index % 10
        if share < 4:
            entries.append(rng.choice(numbers).lower())
        elif share < 8:
            entries.append(rng.choice(typed))
        elif share == 8:
            entries.append(certificate_numbers_new())
        else:
            entries.append(rng.choice(["not a number", "KS-US-7Q4M-2KXD-A", "DE", "12-34"]))
    rng.shuffle(entries)
    return entries


def certificate_numbers_new() -> str:
    from shippers import certificate_numbers

    return certificate_numbers.new_number("US")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shippers", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database", default="bench_partners")
    parser.add_argument("--profile", action="store_true", help="Print a profile of one run.")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["TEST_DATABASE_NAME"] = args.database
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases
    from rest_framework.test import APIClient

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "verify_bulk": "100000/minute",
            "user": "100000/minute",
        },
    }
    setup_test_environment()
    config = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        numbers, typed = seed(args.shippers)
        seed_aeo_list([t for t in typed if t.startswith("DE")][:2000])
        print(f"seeded {args.shippers} known shippers in {time.perf_counter() - started:.1f} s")

        from partners.models import PartnerAdministration
        from shippers.models import Organisation
        from tests.apikeys.factories import api_key_for

        organisation = Organisation.objects.create(legal_name="Bench Partner", country="CA")
        PartnerAdministration.objects.create(
            organisation=organisation, name="Bench Partner", country="CA"
        )
        _key, plain = api_key_for(organisation, "verify:bulk")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plain}")
        rng = random.Random(15)
        timings, queries, cpu = [], [], []
        query_ms: dict[int, list[float]] = {}
        settings.DEBUG = True  # count queries
        for run in range(args.runs + 3):
            entries = batch(numbers, typed, rng)
            reset_queries()
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.post("/api/v1/verify/bulk/", {"entries": entries}, format="json")
            elapsed = (time.perf_counter() - started) * 1000
            cpu_ms = (time.process_time() - cpu_started) * 1000
            assert response.status_code == 200, response.content[:500]
            results = response.json()["results"]
            assert len(results) == 1000
            if run >= 3:  # warm-up runs are not counted
                timings.append(elapsed)
                queries.append(len(connection.queries))
                cpu.append(cpu_ms)
                for index, query in enumerate(connection.queries):
                    query_ms.setdefault(index, []).append(float(query["time"]) * 1000)
        if args.profile:
            import cProfile
            import pstats

            entries = batch(numbers, typed, rng)
            profiler = cProfile.Profile()
            profiler.enable()
            client.post("/api/v1/verify/bulk/", {"entries": entries}, format="json")
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        print(
            f"bulk verify, 1,000 entries, {len(timings)} runs: "
            f"p50 {statistics.median(timings):.1f} ms, "
            f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; queries per request {max(queries)} "
            f"(target p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'})"
        )
        # CPU of this process alone (not PostgreSQL's): less sensitive to a busy machine.
        print(f"  Python CPU per request: median {statistics.median(cpu):.1f} ms")
        print(
            "  query times, median ms: "
            + ", ".join(f"{statistics.median(times):.1f}" for times in query_ms.values())
        )
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
