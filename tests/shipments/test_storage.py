"""PostgreSQL: the partitioned tables, the partition command and the COPY path."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from shipments.models import Shipment
from shipments.partitions import add_months, existing_partitions, month_start
from shipments.services import storage
from tests.shipments.factories import filer_client, party, shipment_payload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def partition_of(shipment_id: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM shipments_shipment WHERE id = %s", [shipment_id]
        )
        return str(cursor.fetchone()[0])


def test_the_shipment_tables_are_partitioned_by_arrival_month() -> None:
    names = {p.name for p in existing_partitions("shipments_shipment")}
    this_month = month_start(date.today())
    assert "shipments_shipment_default" in names
    assert f"shipments_shipment_p{this_month:%Y_%m}" in names
    assert {p.name for p in existing_partitions("shipments_shipmentversion")} >= {
        "shipments_shipmentversion_default"
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conname = 'shipments_shipment_pkey'"
        )
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, estimated_arrival)"


def test_a_batch_goes_through_copy_into_the_month_partition() -> None:
    assert storage.uses_copy()
    client, _ = filer_client()
    payload = shipment_payload("COPY-1")
    payload["seller"] = party('Back\\slash "Quoted" Zoë Trading', "CN")
    payload["items"][0]["description"] = "Tab-free \\ backslash and ünïcödé"
    result = client.post(
        "/api/v1/shipments/batches/", {"shipments": [payload]}, format="json"
    ).json()["results"][0]
    shipment = Shipment.objects.get(pk=result["id"])
    assert shipment.seller_name == 'Back\\slash "Quoted" Zoë Trading'
    content = shipment.versions.get().content
    assert content["items"][0]["description"] == "Tab-free \\ backslash and ünïcödé"
    assert content["seller"]["name"] == shipment.seller_name
    arrival = shipment.estimated_arrival
    assert partition_of(result["id"]) == f"shipments_shipment_p{arrival:%Y_%m}"


def test_the_command_creates_months_and_moves_rows_out_of_the_default_partition() -> None:
    far = add_months(month_start(date.today()), 9)
    client, _ = filer_client()
    # Nine months ahead has no partition yet: the row lands in the default partition.
    arrival = datetime(far.year, far.month, 10, tzinfo=UTC).isoformat()
    result = client.post(
        "/api/v1/shipments/batches/",
        {"shipments": [shipment_payload("FAR-1", estimated_arrival=arrival)]},
        format="json",
    ).json()["results"][0]
    assert partition_of(result["id"]) == "shipments_shipment_default"
    out = StringIO()
    call_command("shipment_partitions", "--months-ahead", "10", stdout=out)
    assert f"created shipments_shipment_p{far:%Y_%m}" in out.getvalue()
    assert partition_of(result["id"]) == f"shipments_shipment_p{far:%Y_%m}"
    again = StringIO()
    call_command("shipment_partitions", "--months-ahead", "10", stdout=again)
    assert "0 partition(s) created" in again.getvalue()


def test_old_months_are_detached_into_an_archive_schema() -> None:
    old = add_months(month_start(date.today()), -1)
    out = StringIO()
    call_command(
        "shipment_partitions",
        "--archive-before",
        f"{month_start(date.today()):%Y-%m}",
        "--archive-schema",
        "shipments_archive",
        stdout=out,
    )
    assert f"detached shipments_shipment_p{old:%Y_%m}" in out.getvalue()
    names = {p.name for p in existing_partitions("shipments_shipment")}
    assert f"shipments_shipment_p{old:%Y_%m}" not in names
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(%s)", [f"shipments_archive.shipments_shipment_p{old:%Y_%m}"]
        )
        assert cursor.fetchone()[0] is not None


def test_a_version_is_stored_as_the_exact_text_that_was_hashed() -> None:
    import hashlib

    client, _ = filer_client()
    result = client.post(
        "/api/v1/shipments/batches/", {"shipments": [shipment_payload("HASH-1")]}, format="json"
    ).json()["results"][0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content::text, content_hash FROM shipments_shipmentversion "
            "WHERE shipment_id = %s",
            [result["id"]],
        )
        text, digest = cursor.fetchone()
    assert hashlib.sha256(text.encode()).hexdigest() == digest


def test_screening_results_go_in_as_array_literals_whatever_their_text() -> None:
    from shipments.targeting.models import PartyScreeningResult
    from shipments.targeting.screening import _insert_screenings

    names = ['O\'Brien "Q" \\ back', "Zoë, {brace}", "NULL", "", "semi;colon"]
    rows = [
        PartyScreeningResult(
            key=f"k{number}",
            lists_key="L",
            name=name,
            country="US" if number else "",
            score=0.5 + number,
            matches=[{"name": name, "list": [1, None, '\\"']}],
        )
        for number, name in enumerate(names)
    ]
    _insert_screenings(rows, "L")
    _insert_screenings(rows, "L")  # already there: kept, not doubled
    stored = {
        one.key: (one.name, one.country, one.score, one.matches)
        for one in PartyScreeningResult.objects.filter(lists_key="L")
    }
    assert stored == {row.key: (row.name, row.country, row.score, row.matches) for row in rows}
