"""POST /api/v1/shipments/batches/: each shipment on its own, idempotent by reference,
clear 4xx for bad bodies, nothing accepted lost."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest
from django.utils import timezone

from core.models import AuditEvent, OutboxMessage
from core.workflow import ActorKind
from shipments.models import Batch, FiledReference, Shipment, ShipmentVersion
from shipments.workflow import SHIPMENT_MACHINE
from tests.shipments.factories import filer_client, shipment_payload

URL = "/api/v1/shipments/batches/"
pytestmark = pytest.mark.django_db


def post(client, shipments, **extra):  # type: ignore[no-untyped-def]
    return client.post(URL, {"shipments": shipments}, format="json", **extra)


def post_raw(client, body: bytes, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    return client.generic("POST", URL, body, content_type=content_type)


def test_a_batch_is_accepted_in_input_order_with_ids_and_risk(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    client, api_key = filer_client()
    with django_capture_on_commit_callbacks(execute=False):
        response = post(client, [shipment_payload("A-1"), shipment_payload("A-2")])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["accepted"] == 2
    assert body["rejected"] == 0
    assert [r["reference"] for r in body["results"]] == ["A-1", "A-2"]
    assert [r["status"] for r in body["results"]] == ["accepted", "accepted"]
    # The targeting engine's answer at acceptance: screening still to run, the rules'
    # reasons kept from the filer (a cheap T-shirt scores 30 on the IPR rule).
    assert body["results"][0]["risk"] == {
        "level": "pending",
        "decision": "pending",
        "score": 30.0,
        "reasons": [],
    }
    shipment = Shipment.objects.get(pk=body["results"][0]["id"])
    assert shipment.organisation_id == api_key.organisation_id
    assert shipment.total_value == 19
    assert (shipment.seller_country, shipment.origin_countries) == ("CN", ["CN"])
    assert ShipmentVersion.objects.filter(shipment_id=shipment.pk).count() == 1
    batch = Batch.objects.get(pk=body["batch"])
    assert (batch.received, batch.accepted, batch.api_key_id) == (2, 2, api_key.pk)
    event = AuditEvent.objects.get(action="shipment_batch.file")
    assert event.organisation_id == api_key.organisation_id
    assert event.actor_kind == "api"
    # Party screening is recorded with the batch (the outbox), to run after commit.
    queued = OutboxMessage.objects.get(task_name="shipments.tasks.screen_shipment_parties")
    assert queued.args == [[r["id"] for r in body["results"]]]


def test_a_batch_bigger_than_a_screening_task_is_one_outbox_message_split_on_the_worker(  # type: ignore[no-untyped-def]
    settings, django_capture_on_commit_callbacks
) -> None:
    settings.SHIPMENTS_SCREENING_CHUNK = 2
    client, _ = filer_client()
    with django_capture_on_commit_callbacks(execute=True):
        body = post(client, [shipment_payload(f"F-{n}") for n in range(5)]).json()
    ids = [r["id"] for r in body["results"]]
    queued = OutboxMessage.objects.get()
    assert (queued.task_name, queued.args) == ("shipments.tasks.screen_shipments_in_chunks", [ids])
    # The worker (eager here) splits it into screening tasks of two: every shipment decided.
    states = set(Shipment.objects.filter(pk__in=ids).values_list("screening_state", flat=True))
    assert "pending" not in states


def test_a_bad_shipment_never_loses_the_good_ones_beside_it() -> None:
    client, _ = filer_client()
    bad = shipment_payload("B-2", mode="balloon")
    bad["items"][0]["hs_code"] = "12"
    response = post(client, [shipment_payload("B-1"), bad, shipment_payload("B-3")])
    body = response.json()
    assert response.status_code == 200
    assert (body["accepted"], body["rejected"]) == (2, 1)
    rejected = body["results"][1]
    assert rejected["status"] == "rejected"
    assert rejected["id"] is None
    assert {e["field"] for e in rejected["errors"]} == {"mode", "items[0].hs_code"}
    assert set(Shipment.objects.values_list("reference", flat=True)) == {"B-1", "B-3"}


def test_ndjson_one_shipment_a_line_and_a_broken_line_rejected_alone() -> None:
    client, _ = filer_client()
    lines = [
        msgspec.json.encode(shipment_payload("N-1")),
        b'{"reference": "N-2", ',
        msgspec.json.encode(shipment_payload("N-3")),
    ]
    response = post_raw(client, b"\n".join(lines) + b"\n", "application/x-ndjson")
    body = response.json()
    assert response.status_code == 200
    assert [r["status"] for r in body["results"]] == ["accepted", "rejected", "accepted"]
    assert body["results"][1]["errors"][0]["code"] == "malformed_json"
    assert "Line 2" in body["results"][1]["errors"][0]["message"]


def test_a_reference_twice_in_one_batch() -> None:
    client, _ = filer_client()
    response = post(client, [shipment_payload("D-1"), shipment_payload("D-1")])
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert results[1]["errors"][0]["code"] == "duplicate_reference"
    assert "index 0" in results[1]["errors"][0]["message"]
    assert Shipment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b'{"shipments": [', "application/json", 400, "malformed_json"),
        (b'{"shipments": [{"reference": "\x00"}]}', "application/json", 400, "malformed_json"),
        (b'{"shipments": [{"gross_weight_kg": 1e400}]}', "application/json", 400, "malformed_json"),
        (b'{"shipments": []}', "application/json", 400, "batch_size"),
        (b'{"shipments": {}}', "application/json", 400, "invalid_batch"),
        (b"[]", "application/json", 400, "invalid_batch"),
        (b'{"shipments": [], "extra": 1}', "application/json", 400, "unknown_field"),
        (b"", "application/json", 400, "empty"),
        (b"reference=1", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ],
)
def test_bad_bodies_get_a_clear_4xx(body: bytes, content_type: str, status: int, code: str) -> None:
    client, _ = filer_client()
    response = post_raw(client, body, content_type)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert not Shipment.objects.exists()
    assert not Batch.objects.exists()


def test_5001_shipments_are_refused() -> None:
    client, _ = filer_client()
    response = post_raw(client, b'{"shipments": [' + b",".join([b"{}"] * 5001) + b"]}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "batch_size"
    assert "5,001" in response.json()["error"]["message"]


def test_a_body_over_the_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHIPMENTS_MAX_BODY_BYTES = 1000
    client, _ = filer_client()
    response = post(client, [shipment_payload("BIG-1"), shipment_payload("BIG-2")])
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not Shipment.objects.exists()


def test_a_nul_character_in_a_value_is_named() -> None:
    client, _ = filer_client()
    payload = shipment_payload("NUL-1")
    payload["seller"]["name"] = "Evil\x00Corp"
    response = post(client, [payload])
    errors = response.json()["results"][0]["errors"]
    assert errors == [
        {
            "field": "seller.name",
            "code": "nul_character",
            "message": "Text may not contain NUL (\\u0000) characters.",
        }
    ]


def test_the_same_shipment_again_is_unchanged_and_stores_nothing() -> None:
    client, _ = filer_client()
    payload = shipment_payload("I-1")
    first = post(client, [payload]).json()["results"][0]
    again = post(client, [payload]).json()
    assert again["results"][0]["status"] == "unchanged"
    assert again["results"][0]["id"] == first["id"]
    assert again["accepted"] == 1
    assert Shipment.objects.count() == 1
    assert ShipmentVersion.objects.count() == 1
    assert FiledReference.objects.count() == 1


def test_changed_content_before_arrival_is_an_amended_version() -> None:
    client, _ = filer_client()
    payload = shipment_payload("AM-1")
    first = post(client, [payload]).json()["results"][0]
    changed = {**payload, "gross_weight_kg": 3.5}
    answer = post(client, [changed]).json()["results"][0]
    assert (answer["status"], answer["id"]) == ("amended", first["id"])
    shipment = Shipment.objects.get(pk=first["id"])
    assert (shipment.status, shipment.version, shipment.gross_weight_kg) == ("amended", 2, 3.5)
    versions = list(ShipmentVersion.objects.filter(shipment_id=shipment.pk).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["gross_weight_kg"] == 1.25
    assert versions[1].content["gross_weight_kg"] == 3.5
    event = AuditEvent.objects.filter(action="shipment_batch.file").order_by("-id").first()
    assert event is not None
    assert event.detail["amended"] == [{"id": first["id"], "reference": "AM-1", "version": 2}]


def test_an_amendment_moving_the_arrival_to_another_month() -> None:
    client, _ = filer_client()
    first = post(client, [shipment_payload("MOVE-1")]).json()["results"][0]
    later = (timezone.now() + timedelta(days=70)).replace(microsecond=0).isoformat()
    answer = post(client, [shipment_payload("MOVE-1", estimated_arrival=later)]).json()
    assert answer["results"][0]["status"] == "amended"
    assert Shipment.objects.get(pk=first["id"]).estimated_arrival.isoformat() == later


def test_changes_after_the_decision_are_refused() -> None:
    client, _ = filer_client()
    first = post(client, [shipment_payload("DEC-1")]).json()["results"][0]
    shipment = Shipment.objects.get(pk=first["id"])
    SHIPMENT_MACHINE.apply(shipment, "decide", ActorKind.SYSTEM)
    shipment.decided_at = timezone.now()
    shipment.save()
    answer = post(client, [shipment_payload("DEC-1", packages=2)]).json()["results"][0]
    assert answer["status"] == "rejected"
    assert answer["errors"][0]["code"] == "not_amendable"
    assert "can no longer be changed" in answer["errors"][0]["message"]
    assert ShipmentVersion.objects.count() == 1


def test_changes_after_arrival_are_refused() -> None:
    client, _ = filer_client()
    first = post(client, [shipment_payload("ARR-1")]).json()["results"][0]
    Shipment.objects.filter(pk=first["id"]).update(
        estimated_arrival=timezone.now() - timedelta(hours=1)
    )
    answer = post(client, [shipment_payload("ARR-1", packages=2)]).json()["results"][0]
    assert (answer["status"], answer["errors"][0]["code"]) == ("rejected", "arrived")


def test_the_targeting_engine_answer_is_stored_and_filtered_for_the_filer() -> None:
    # A cheap T-shirt (the IPR rule's score) beside pistachios of Iranian origin (a hard
    # hold): the real rules at acceptance. The filer reads the prohibition only; the
    # stored reasons keep every rule for officers.
    pistachios = {
        "description": "Pistachios, roasted",
        "hs_code": "080251",
        "quantity": 3,
        "unit_value": 8,
        "origin_country": "IR",
    }
    payload = shipment_payload("RISK-1")
    payload["items"].append(pistachios)
    client, _ = filer_client()
    answer = post(client, [payload]).json()["results"][0]
    assert (answer["risk"]["level"], answer["risk"]["decision"]) == ("high", "hold")
    (told,) = answer["risk"]["reasons"]
    assert told["code"] == "prohibited_origin"
    assert "a prohibited import under 31 CFR 560.201" in told["message"]
    shipment = Shipment.objects.get(pk=answer["id"])
    assert shipment.decision == "hold"
    stored = {reason["rule"] for reason in shipment.risk_reasons}
    assert "prohibited-origin" in stored
    assert len(stored) >= 2, shipment.risk_reasons  # the IPR score is kept, not shown


def test_a_well_formed_but_wrong_shipment_decoded_as_structs_gets_the_full_report() -> None:
    client, _ = filer_client()
    payload = shipment_payload("ZZ-1")
    payload["items"][0]["origin_country"] = "ZZ"  # well formed: two letters
    payload["estimated_arrival"] = "2099-01-01T00:00:00+00:00"
    response = post(client, [shipment_payload("ZZ-0"), payload])
    result = response.json()["results"][1]
    assert {(e["field"], e["code"]) for e in result["errors"]} == {
        ("items[0].origin_country", "invalid_country"),
        ("estimated_arrival", "out_of_range"),
    }
    assert response.json()["results"][0]["status"] == "accepted"
