"""Shipment targeting against the reference data of core.reference: a party whose address
names Crimea, Sevastopol or the so-called DNR/LNR (any script) is caught as the region code
would be (EO 13685, EO 14065), and the prohibited-origin rule reads its origins and
exceptions from core/reference/data/prohibited_origins.yaml. No database."""

from __future__ import annotations

import datetime

import pytest

from shipments.targeting import Decision, evaluate_batch
from shipments.targeting.facts import party_from_content
from tests.shipments.targeting_helpers import catalogue_snapshot, facts, item, party


def _address(**fields: str) -> dict[str, object]:
    return {"name": "Jane Doe", "address": {"line1": "ul. Lenina 1", **fields}}


def test_eo_13685_a_seller_in_simferopol_written_ru_is_held() -> None:
    seller = party_from_content("seller", _address(city="Simferopol", country="RU"))
    assert seller is not None
    assert seller.region == "UA-43"

    result = evaluate_batch(
        [facts(parties=(seller, party("consignee")))], snapshot=catalogue_snapshot()
    )[0]

    assert result.decision == Decision.HOLD
    assert "Crimea" in result.reasons[0].explanation


def test_eo_13685_sevastopol_in_cyrillic_is_its_own_region() -> None:
    shipper = party_from_content("shipper", _address(city="Севастополь", country="RU"))
    assert shipper is not None
    assert shipper.region == "UA-40"


def test_eo_14065_donetsk_is_a_review_as_a_partly_sanctioned_region() -> None:
    seller = party_from_content("seller", _address(city="Донецьк", country="UA"))
    assert seller is not None
    assert seller.region == "UA-14"

    result = evaluate_batch(
        [facts(parties=(seller, party("consignee")))], snapshot=catalogue_snapshot()
    )[0]

    assert result.decision != Decision.HOLD
    assert any("only part of the region" in reason.explanation for reason in result.reasons)


def test_an_iso_region_code_given_is_kept_and_an_ordinary_address_has_none() -> None:
    coded = party_from_content("seller", _address(city="Kyiv", region="UA-30", country="UA"))
    ordinary = party_from_content("seller", _address(city="Sebastopol", country="US"))
    assert coded is not None
    assert coded.region == "UA-30"
    assert ordinary is not None
    assert ordinary.region == ""


def test_31_cfr_510_206_is_read_from_the_reference_data() -> None:
    rug = item(description="Wool rug", hs_code="570110", origin_country="KP")
    result = evaluate_batch([facts(items=(rug,))], snapshot=catalogue_snapshot())[0]
    assert result.decision == Decision.HOLD
    assert "of North Korean origin (KP), a prohibited import under 31 CFR 510.206" in (
        result.reasons[0].explanation
    )
    # Before EO 13570 took effect (19 April 2011) the import was not prohibited.
    early = facts(
        items=(rug,), estimated_arrival=datetime.datetime(2011, 4, 1, tzinfo=datetime.UTC)
    )
    reasons = evaluate_batch([early], snapshot=catalogue_snapshot())[0].reasons
    assert not any(reason.rule == "prohibited-origin" for reason in reasons)


@pytest.mark.django_db
def test_eo_13685_a_seller_in_sevastopol_is_held_at_acceptance(
    django_capture_on_commit_callbacks,
) -> None:
    from tests.shipments.targeting_db import ensure_starting_rules, file, filer_client, payload
    from tests.shipments.targeting_db import party as party_data

    ensure_starting_rules()
    client, _ = filer_client()
    seller = party_data("Black Sea Goods", "RU")
    seller["address"]["city"] = "Севастополь"

    (result,) = file(
        client, payload("SEV-1", seller=seller), capture=django_capture_on_commit_callbacks
    )

    assert result["risk"]["decision"] == "hold"
    assert any("Sevastopol" in reason["message"] for reason in result["risk"]["reasons"])
