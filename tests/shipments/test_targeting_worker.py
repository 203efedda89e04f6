"""The screening path on a real Celery worker and broker (Redis in CI): a batch filed
through the API is pending, the worker screens its parties and writes the final decision;
a list change re-screens the open shipments. Nothing eager, nothing mocked."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from screening.services import list_import
from shipments.models import Decision, ScreeningState, Shipment
from tests.conftest import wait_for
from tests.shipments.targeting_db import OFAC, URL, party, payload

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def decision_of(pk: str) -> str:
    return Shipment.objects.values_list("decision", flat=True).get(pk=pk)


def test_batch_screened_on_the_worker_and_rescreened_after_a_list_change(
    live_worker: None,
) -> None:
    import shipments.tasks  # noqa: F401 - registers the tasks with the worker's app
    from tests.shipments.factories import filer_client

    list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])
    client, _key = filer_client()
    assert isinstance(client, APIClient)
    response = client.post(
        URL,
        {
            "shipments": [
                payload("W-1"),
                payload("W-2", seller=party("Golden Star Trading LLC", "AE")),
                payload("W-3", consignee=party("Novaya Zvezda Shipping Ltd", "CY")),
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    ids = [result["id"] for result in response.json()["results"]]
    assert [result["risk"]["decision"] for result in response.json()["results"]] == ["pending"] * 3
    assert wait_for(lambda: all(decision_of(pk) != Decision.PENDING for pk in ids), timeout=60)
    assert [decision_of(pk) for pk in ids] == [Decision.RELEASE, Decision.HOLD, Decision.RELEASE]
    held = Shipment.objects.get(pk=ids[1])
    assert held.screening_state == ScreeningState.HIT

    list_import(fmt="ofac", paths=[OFAC / "sdn_v2.csv"])
    assert wait_for(lambda: decision_of(ids[2]) == Decision.HOLD, timeout=60)
    assert decision_of(ids[0]) == Decision.RELEASE
