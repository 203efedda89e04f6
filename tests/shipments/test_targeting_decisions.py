"""Decisions through the batch API and the screening task: the starting rules, party
screening with its caches, trust facilitation, idempotence, re-screening on a list
change."""

from __future__ import annotations

import pytest

from core.models import AuditEvent
from screening.engine import ScreeningIndex
from screening.services import list_import
from shipments.models import Decision, RiskLevel, ScreeningState, Shipment, ShipmentStatus
from shipments.targeting.models import PartyScreeningResult, RuleHit
from shipments.targeting.screening import forget_screening_memory, shipments_finalise
from shippers.models import Application
from tests.shipments.targeting_db import (
    OFAC,
    file,
    filer_client,
    known_shipper_client,
    party,
    payload,
    shipment_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _starting_rules(django_db_setup, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    from tests.shipments.targeting_db import ensure_starting_rules

    ensure_starting_rules()


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    forget_screening_memory()


@pytest.fixture
def ofac_list() -> None:
    list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])


def test_a_plain_shipment_is_released_after_screening(
    ofac_list, django_capture_on_commit_callbacks
):
    client, _ = filer_client()
    (result,) = file(client, payload("P-1"), capture=django_capture_on_commit_callbacks)
    assert result["risk"]["decision"] == "pending"  # screening runs after acceptance
    shipment = shipment_of(result)
    assert (shipment.decision, shipment.risk_level) == (Decision.RELEASE, RiskLevel.LOW)
    assert shipment.status == ShipmentStatus.DECIDED
    assert shipment.screening_state == ScreeningState.CLEAR
    assert shipment.decided_at is not None
    release = AuditEvent.objects.get(action="shipment_batch.decide")
    assert release.detail["shipments"] == [str(shipment.pk)]


def test_prohibited_origin_is_held_at_acceptance(ofac_list, django_capture_on_commit_callbacks):
    client, _ = filer_client()
    item = {
        "description": "Pistachios, roasted",
        "hs_code": "080251",
        "quantity": 3,
        "unit_value": 8,
        "origin_country": "IR",
    }
    (result,) = file(
        client, payload("IR-1", items=[item]), capture=django_capture_on_commit_callbacks
    )
    assert result["risk"]["decision"] == "hold"
    # The filer reads the prohibition, not the rule.
    (told,) = result["risk"]["reasons"]
    assert "a prohibited import under 31 CFR 560.201" in told["message"]
    shipment = shipment_of(result)
    assert shipment.risk_reasons[0]["rule"] == "prohibited-origin"
    assert shipment.decision == Decision.HOLD
    event = AuditEvent.objects.get(action="shipment.decide", target_id=str(shipment.pk))
    assert event.detail["rules"][0] == "prohibited-origin"
    assert RuleHit.objects.filter(shipment_id=shipment.pk, outcome="hold").exists()


def test_listed_seller_is_held_with_the_match_explained(
    ofac_list, django_capture_on_commit_callbacks
):
    client, _ = filer_client()
    seller = party("Golden Star Trading LLC", "AE")
    (result,) = file(
        client, payload("GS-1", seller=seller), capture=django_capture_on_commit_callbacks
    )
    shipment = shipment_of(result)
    assert shipment.decision == Decision.HOLD
    assert shipment.screening_state == ScreeningState.HIT
    reason = next(r for r in shipment.risk_reasons if r["rule"] == "party-screening")
    assert reason["outcome"] == "hold"
    assert "likely hit: the seller 'Golden Star Trading LLC' ~ SDN 7010" in reason["explanation"]


def test_repeated_parties_are_screened_once(
    ofac_list, django_capture_on_commit_callbacks, monkeypatch
):
    calls: list[str] = []
    original = ScreeningIndex.search

    def counting(self, query, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(query)
        return original(self, query, **kwargs)

    monkeypatch.setattr(ScreeningIndex, "search", counting)
    client, _ = filer_client()
    file(client, payload("R-1"), payload("R-2"), capture=django_capture_on_commit_callbacks)
    # seller, shipper, consignee: three names for two shipments
    assert sorted(calls) == ["Fast Parcel Logistics", "Jane Doe", "Shenzhen Bright Goods Co"]
    assert PartyScreeningResult.objects.count() == 3
    forget_screening_memory()  # another worker process: the table answers
    file(client, payload("R-3"), capture=django_capture_on_commit_callbacks)
    assert len(calls) == 3
    assert shipment_of({"id": Shipment.objects.get(reference="R-3").pk}).decision == (
        Decision.RELEASE
    )


def test_the_task_is_idempotent(ofac_list, django_capture_on_commit_callbacks):
    client, _ = filer_client()
    (result,) = file(
        client,
        payload("I-1", seller=party("Golden Star Trading LLC", "AE")),
        capture=django_capture_on_commit_callbacks,
    )
    events = AuditEvent.objects.count()
    counts = shipments_finalise(shipment_ids=[result["id"]])
    assert counts == {"decided": 0, "unchanged": 1, "skipped": 0}
    assert AuditEvent.objects.count() == events
    hits = RuleHit.objects.filter(shipment_id=result["id"])
    # The cheap T-shirt of the default payload also hits a weighted rule and a shadow one.
    assert sorted(hits.values_list("rule_version__rule__code", "shadow")) == [
        ("ipr-prone-low-value", False),
        ("party-screening", False),
        ("uflpa-cotton-solar", True),
    ]


# 25 (shoes under an apparel code) + 15 (USD 0.30 a kilogram) = 40: a review for anyone, a
# release for a tier-2 known shipper (x 0.5).
SHOES = {
    "description": "shoes",
    "hs_code": "610910",
    "quantity": 1,
    "unit_value": 30,
    "origin_country": "VN",
}


def test_trust_facilitation_for_a_known_shipper(ofac_list, django_capture_on_commit_callbacks):
    anyone, _ = filer_client()
    (plain,) = file(
        anyone,
        payload("T-1", items=[SHOES], gross_weight_kg=100),
        capture=django_capture_on_commit_callbacks,
    )
    assert (shipment_of(plain).decision, shipment_of(plain).risk_score) == (Decision.REVIEW, 40)
    known = known_shipper_client(tier=2)
    (trusted,) = file(
        known,
        payload("T-2", items=[SHOES], gross_weight_kg=100),
        capture=django_capture_on_commit_callbacks,
    )
    shipment = shipment_of(trusted)
    assert (shipment.decision, shipment.risk_score) == (Decision.RELEASE, 20.0)
    assert shipment.risk_reasons[-1]["code"] == "trust"


def test_standing_of_filers() -> None:
    from shipments.targeting import Standing
    from shipments.targeting.facts import filer_standings

    suspended = known_shipper_client(tier=2, status=Application.Status.SUSPENDED)
    del suspended
    revoked = known_shipper_client(tier=1, status=Application.Status.REVOKED)
    del revoked
    client, key = filer_client()
    del client
    rows = Application.objects.values_list("organisation_id", "status")
    standings = filer_standings([pk for pk, _ in rows] + [key.organisation_id])
    assert sorted(standings.values(), key=str) == sorted(
        [(Standing.NONE, None), (Standing.REVOKED, 1), (Standing.SUSPENDED, 2)], key=str
    )


def test_hard_outcomes_apply_to_known_shippers(ofac_list, django_capture_on_commit_callbacks):
    cuban = {
        "description": "Cigars",
        "hs_code": "240210",
        "quantity": 1,
        "unit_value": 30,
        "origin_country": "CU",
    }
    known = known_shipper_client(tier=1)
    (held,) = file(known, payload("S-2", items=[cuban]), capture=django_capture_on_commit_callbacks)
    assert shipment_of(held).decision == Decision.HOLD


def test_a_list_change_rescreens_open_shipments(ofac_list, django_capture_on_commit_callbacks):
    client, _ = filer_client()
    consignee = party("Novaya Zvezda Shipping Ltd", "CY")
    (result,) = file(
        client, payload("L-1", consignee=consignee), capture=django_capture_on_commit_callbacks
    )
    assert shipment_of(result).decision == Decision.RELEASE
    with django_capture_on_commit_callbacks(execute=True):
        list_import(fmt="ofac", paths=[OFAC / "sdn_v2.csv"])
    shipment = shipment_of(result)
    assert shipment.decision == Decision.HOLD
    assert shipment.screening_state == ScreeningState.HIT
    reason = next(r for r in shipment.risk_reasons if r["rule"] == "party-screening")
    assert "SDN 7011" in reason["explanation"]
    event = AuditEvent.objects.get(action="shipment.decide", target_id=str(shipment.pk))
    assert event.changes["decision"] == {"before": "release", "after": "hold"}


def test_without_an_active_list_the_screening_state_says_so(django_capture_on_commit_callbacks):
    client, _ = filer_client()
    (result,) = file(client, payload("N-1"), capture=django_capture_on_commit_callbacks)
    shipment = shipment_of(result)
    assert shipment.screening_state == ScreeningState.ERROR
    assert shipment.decision == Decision.RELEASE


def test_one_task_decides_a_mixed_batch_in_one_write(ofac_list, django_capture_on_commit_callbacks):
    # A hard hold (its score raised to the hold threshold), a listed seller and a plain
    # parcel in one batch: one screening task writes all three rows and their rule hits.
    item = {
        "description": "Pistachios, roasted",
        "hs_code": "080251",
        "quantity": 3,
        "unit_value": 8,
        "origin_country": "IR",
    }
    client, _ = filer_client()
    held, listed, plain = file(
        client,
        payload("MIX-1", items=[item]),
        payload("MIX-2", seller=party("Golden Star Trading LLC", "AE")),
        payload("MIX-3"),
        capture=django_capture_on_commit_callbacks,
    )
    decided = {
        shipment.reference: shipment
        for shipment in Shipment.objects.filter(reference__startswith="MIX-")
    }
    assert decided["MIX-1"].decision == Decision.HOLD
    assert decided["MIX-1"].risk_score >= 80
    assert (decided["MIX-2"].decision, decided["MIX-2"].screening_state) == (
        Decision.HOLD,
        ScreeningState.HIT,
    )
    assert decided["MIX-3"].screening_state == ScreeningState.CLEAR
    assert all(shipment.decided_at is not None for shipment in decided.values())
    hits = set(RuleHit.objects.values_list("shipment_id", "rule_version__rule__code"))
    assert (decided["MIX-1"].pk, "prohibited-origin") in hits
    assert (decided["MIX-2"].pk, "party-screening") in hits
    assert [result["reference"] for result in (held, listed, plain)] == ["MIX-1", "MIX-2", "MIX-3"]
