"""The pure targeting engine: each rule kind's hits and misses, shadow mode, trust,
thresholds and dates. No database."""

from __future__ import annotations

import datetime

import pytest

from shipments.targeting import (
    Decision,
    Level,
    Outcome,
    PartyScreening,
    RuleKind,
    Standing,
    evaluate_batch,
    validate_rule,
)
from shipments.targeting.engine.evaluation import evaluate
from tests.shipments.targeting_helpers import (
    ARRIVAL,
    catalogue_snapshot,
    facts,
    item,
    party,
    rule,
    snapshot,
    with_,
)


def _one(shipment, snap):
    return evaluate_batch([shipment], snapshot=snap)[0]


# conditions ---------------------------------------------------------------------------


def test_item_conditions_must_hold_on_the_same_item() -> None:
    snap = snapshot(
        rule(conditions={"origin_countries": ["CN"], "description_keywords": ["sneaker*"]})
    )
    hit = facts(items=(item(description="Running SNEAKERS men", hs_code="640411"),))
    miss = facts(
        items=(
            item(description="Running sneakers", origin_country="VN"),
            item(description="Mug", origin_country="CN"),
        )
    )
    result = _one(hit, snap)
    assert result.decision == Decision.REVIEW
    assert result.level == Level.MEDIUM
    assert result.score == 50.0
    (reason,) = result.reasons
    assert reason.rule == "test-rule"
    assert "origin CN" in reason.explanation
    assert "the word 'sneakers'" in reason.explanation
    assert _one(miss, snap).decision == Decision.RELEASE


def test_hs_prefix_pattern_and_unit_value() -> None:
    snap = snapshot(
        rule(
            conditions={
                "hs_prefixes": ["6109"],
                "description_patterns": [r"\bcotton\b"],
                "unit_value_below": 5,
            }
        )
    )
    hit = facts(items=(item(description="Cotton T-shirt", hs_code="6109100012", unit_value=2),))
    assert "unit value USD 2.00 (below USD 5.00)" in _one(hit, snap).reasons[0].explanation
    dear = facts(items=(item(description="Cotton T-shirt", hs_code="610910", unit_value=9),))
    assert _one(dear, snap).reasons == ()
    other_heading = facts(items=(item(description="Cotton shirt", hs_code="620520", unit_value=2),))
    assert _one(other_heading, snap).reasons == ()


def test_value_per_kg_and_unknown_currency() -> None:
    snap = snapshot(rule(conditions={"value_per_kg_below": 1}))
    assert _one(facts(total_value=2.0, gross_weight_kg=10), snap).decision == Decision.REVIEW
    assert _one(facts(total_value=20.0, gross_weight_kg=10), snap).decision == Decision.RELEASE
    # No rate for the currency: a value condition cannot be judged and does not fire.
    odd = facts(total_value=2.0, gross_weight_kg=10, currency="XAF")
    assert _one(odd, snap).decision == Decision.RELEASE


def test_currency_converted_with_the_snapshot_rates() -> None:
    snap = snapshot(rule(conditions={"total_value_above": 100}), usd_rates={"EUR": 1.1})
    assert _one(facts(total_value=95.0, currency="EUR"), snap).decision == Decision.REVIEW
    assert _one(facts(total_value=85.0, currency="EUR"), snap).decision == Decision.RELEASE


def test_party_countries_by_role_mode_port_and_first_shipment() -> None:
    snap = snapshot(
        rule(
            conditions={
                "party_countries": ["HK"],
                "party_roles": ["shipper"],
                "modes": ["air"],
                "ports": ["2720"],
                "first_shipment": True,
            }
        )
    )
    shipper_hk = party("shipper", country="HK", name="Kowloon Express")
    hit = facts(first_shipment=True, parties=(party("seller"), shipper_hk, party("consignee")))
    result = _one(hit, snap)
    assert result.reasons[0].explanation.startswith(
        "mode air; port 2720; the filer's first shipment; shipper 'Kowloon Express' in HK"
    )
    assert _one(with_(hit, first_shipment=False), snap).reasons == ()
    assert _one(with_(hit, mode="sea"), snap).reasons == ()
    assert _one(with_(hit, port="1001"), snap).reasons == ()
    seller_hk = party("seller", country="HK")
    assert _one(with_(hit, parties=(seller_hk, party("consignee"))), snap).reasons == ()


def test_watched_address_ignores_the_suite_but_not_the_postcode() -> None:
    snap = snapshot(rule(conditions={"watched_address": True}))
    at_warehouse = party(address_lines=("1234 N.E. Airport Way", "Suite 5512"), postal_code="97230")
    result = _one(facts(parties=(party("seller"), at_warehouse)), snap)
    assert "on the watch list as 'Parcel Forward LLC' (reshipper)" in result.reasons[0].explanation
    elsewhere = party(address_lines=("1234 NE Airport Way",), postal_code="97220")
    assert _one(facts(parties=(party("seller"), elsewhere)), snap).reasons == ()
    category = snapshot(rule(conditions={"watched_address": True, "watch_categories": ["mule"]}))
    assert _one(facts(parties=(party("seller"), at_warehouse)), category).reasons == ()


# prohibited origins and sanctions ---------------------------------------------------


def test_prohibited_origin_is_a_hard_hold_for_everyone_under_31_cfr_560_201() -> None:
    snap = catalogue_snapshot()
    saffron = item(description="Saffron threads 5 g", hs_code="091020", origin_country="IR")
    known = facts(standing=Standing.KNOWN, tier=2, items=(saffron,))
    result = _one(known, snap)
    assert (result.decision, result.level) == (Decision.HOLD, Level.HIGH)
    hold = result.reasons[0]
    assert (hold.rule, hold.outcome, hold.weight) == ("prohibited-origin", "hold", None)
    assert "of Iranian origin (IR), a prohibited import under 31 CFR 560.201" in hold.explanation
    # The sanctioned-places rule leaves goods of these origins to this rule.
    assert [r.rule for r in result.reasons if r.outcome] == ["prohibited-origin"]


def test_the_prohibited_origins_are_core_s_one_list_not_the_rule_s() -> None:
    from core.reference.origins import load_prohibited_origins
    from shipments.targeting.catalogue import load_rule_file

    (starting,) = [row for row in load_rule_file() if row["kind"] == "prohibited_origin"]
    assert "origins" not in starting["conditions"]
    assert not validate_rule(
        kind="prohibited_origin", conditions=starting["conditions"], weight=0, outcome="hold"
    )
    snap = catalogue_snapshot()
    for code, periods in load_prohibited_origins().origins.items():
        day = max(period.effective_from for period in periods) + datetime.timedelta(days=1)
        arrival = datetime.datetime.combine(day, datetime.time(12), datetime.UTC)
        goods = item(description="Pistachios", hs_code="080251", origin_country=code)
        result = _one(facts(items=(goods,), estimated_arrival=arrival), snap)
        assert result.reasons[0].rule == "prohibited-origin", code
    # An older rule version that still lists origins does not narrow core's list.
    narrow = snapshot(
        rule(
            kind=RuleKind.PROHIBITED_ORIGIN,
            code="prohibited-origin",
            outcome=Outcome.HOLD,
            conditions={"origins": {"IR": {"name": "Iranian"}}},
        )
    )
    cuban = item(description="Cigars", hs_code="240210", origin_country="CU")
    assert _one(facts(items=(cuban,)), narrow).decision == Decision.HOLD


@pytest.mark.parametrize(
    ("origin", "citation"), [("CU", "31 CFR 515.204"), ("KP", "31 CFR 510.206")]
)
def test_cuban_and_north_korean_goods_are_held(origin: str, citation: str) -> None:
    result = _one(facts(items=(item(origin_country=origin),)), catalogue_snapshot())
    assert result.decision == Decision.HOLD
    assert citation in result.reasons[0].explanation


def test_informational_materials_are_excepted_under_50_usc_1702_b_3() -> None:
    book = item(description="Persian poetry, printed book", hs_code="490199", origin_country="IR")
    result = _one(facts(items=(book,)), catalogue_snapshot())
    assert result.decision == Decision.RELEASE
    assert all(reason.outcome is None for reason in result.reasons)
    # Before the Berman amendment took effect the exception did not exist.
    old = facts(items=(book,), estimated_arrival=datetime.datetime(1988, 1, 4, tzinfo=datetime.UTC))
    assert _one(old, catalogue_snapshot()).decision == Decision.HOLD


def test_a_book_beside_prohibited_goods_does_not_release_them() -> None:
    book = item(description="Book", hs_code="490199", origin_country="IR")
    carpet = item(description="Hand-knotted carpet", hs_code="570110", origin_country="IR")
    result = _one(facts(items=(book, carpet)), catalogue_snapshot())
    assert result.decision == Decision.HOLD
    explanation = result.reasons[0].explanation
    assert "'Hand-knotted carpet'" in explanation
    assert "excepted as informational materials" in explanation


def test_party_in_a_sanctioned_country_is_held_and_a_partial_region_reviewed() -> None:
    snap = catalogue_snapshot()
    in_havana = party("seller", country="CU", name="Havana Cigars SA", city="Havana")
    result = _one(facts(parties=(in_havana, party("consignee"))), snap)
    assert result.decision == Decision.HOLD
    assert result.reasons[0].rule == "sanctioned-places"
    assert "Cuban Assets Control Regulations" in result.reasons[0].explanation
    donetsk = party("seller", country="UA", region="UA-14", name="Donbas Trade")
    partial = _one(facts(parties=(donetsk, party("consignee"))), snap)
    assert partial.decision != Decision.HOLD
    assert partial.reasons[0].weight == 50.0
    assert "only part of the region is sanctioned" in partial.reasons[0].explanation


def test_syria_is_sanctioned_only_until_30_june_2025() -> None:
    snap = catalogue_snapshot()
    damascus = party("shipper", country="SY", name="Damascus Trading")
    before = facts(
        parties=(damascus, party("consignee")),
        estimated_arrival=datetime.datetime(2025, 6, 30, 12, tzinfo=datetime.UTC),
    )
    assert _one(before, snap).decision == Decision.HOLD
    after = with_(before, estimated_arrival=datetime.datetime(2025, 7, 1, 12, tzinfo=datetime.UTC))
    assert _one(after, snap).decision == Decision.RELEASE


# party screening ----------------------------------------------------------------------


def _screening_rule():
    return rule(
        RuleKind.PARTY_SCREENING,
        code="party-screening",
        outcome=Outcome.HOLD,
        conditions={"hit_score": 0.87, "review_score": 0.75},
    )


def _screened(score: float) -> PartyScreening:
    match = {
        "list": "ofac",
        "source_id": "12345",
        "matched_name": "BRIGHT TRADING CO",
        "score": score,
        "explanation": {"summary": "2 of 3 words matched"},
    }
    return PartyScreening(
        role="seller", name="Shenzhen Bright Trading Co", score=score, matches=(match,)
    )


def test_screening_pending_until_it_runs() -> None:
    snap = snapshot(_screening_rule())
    result = _one(facts(screening=None), snap)
    assert (result.level, result.decision) == (Level.PENDING, Decision.PENDING)
    assert result.screening_pending
    assert _one(facts(screening=()), snap).decision == Decision.RELEASE


def test_a_hard_hold_does_not_wait_for_screening() -> None:
    snap = snapshot(
        _screening_rule(),
        rule(outcome=Outcome.HOLD, weight=0, conditions={"origin_countries": ["CN"]}),
    )
    result = _one(facts(screening=None), snap)
    assert result.decision == Decision.HOLD
    assert not result.screening_pending


def test_likely_hit_holds_and_possible_match_weighs() -> None:
    snap = snapshot(_screening_rule())
    hit = _one(facts(screening=(_screened(0.91),)), snap)
    assert hit.decision == Decision.HOLD
    assert hit.reasons[0].outcome == "hold"
    assert hit.reasons[0].explanation.startswith(
        "likely hit: the seller 'Shenzhen Bright Trading Co' ~ ofac 12345 'BRIGHT TRADING CO' "
        "(0.91) - 2 of 3 words matched"
    )
    possible = _one(facts(screening=(_screened(0.8),)), snap)
    assert possible.decision == Decision.REVIEW
    assert possible.reasons[0].weight == 50.0
    assert _one(facts(screening=(_screened(0.6),)), snap).reasons == ()


# split shipments, description mismatch, undervaluation -------------------------------


def _split_rule():
    return rule(RuleKind.SPLIT_SHIPMENT, conditions={"window_hours": 72, "threshold_usd": 800})


def test_split_shipments_within_a_batch() -> None:
    snap = snapshot(_split_rule())
    consignee = party(name="Jane  DOE")  # the same consignee written another way
    shipments = [
        facts(total_value=300.0, parties=(party("seller"), consignee)),
        facts(total_value=300.0, estimated_arrival=ARRIVAL + datetime.timedelta(hours=30)),
        facts(total_value=300.0, estimated_arrival=ARRIVAL + datetime.timedelta(hours=60)),
        facts(total_value=300.0, estimated_arrival=ARRIVAL + datetime.timedelta(days=9)),
        facts(total_value=300.0, parties=(party("seller"), party(name="Other Person"))),
    ]
    results = evaluate_batch(shipments, snapshot=snap)
    assert [r.decision for r in results] == [Decision.REVIEW] * 3 + [Decision.RELEASE] * 2
    assert "receives 3 shipments within 72 hours worth USD 900.00" in (
        results[0].reasons[0].explanation
    )


def test_split_shipments_with_history_from_the_caller() -> None:
    snap = snapshot(_split_rule())
    assert _one(facts(total_value=100.0, consignee_window=(3, 750.0)), snap).reasons
    assert not _one(facts(total_value=100.0, consignee_window=(3, 600.0)), snap).reasons
    assert not _one(facts(total_value=900.0, consignee_window=(0, 0.0)), snap).reasons


def test_description_that_does_not_fit_the_hs_chapter() -> None:
    snap = catalogue_snapshot()
    shoes_as_shirts = item(description="Men's running shoes", hs_code="610910")
    result = _one(facts(items=(shoes_as_shirts,)), snap)
    reason = next(r for r in result.reasons if r.rule == "description-mismatch")
    assert "described as footwear ('shoes')" in reason.explanation
    assert "not chapter 61" in reason.explanation
    right = item(description="Men's running shoes", hs_code="640411")
    assert all(r.rule != "description-mismatch" for r in _one(facts(items=(right,)), snap).reasons)


def test_undervaluation_against_the_median_of_the_heading() -> None:
    medians = {"8518": (40.0, 120), "6404": (30.0, 5)}
    snap = snapshot(
        rule(RuleKind.UNDERVALUATION, conditions={"ratio": 0.25, "min_samples": 30}),
        medians=medians,
    )
    cheap = item(description="Wireless earbuds", hs_code="851830", unit_value=4.0)
    result = _one(facts(items=(cheap,)), snap)
    assert "10% of the median USD 40.00 seen for heading 8518 (120 items)" in (
        result.reasons[0].explanation
    )
    assert not _one(facts(items=(item(hs_code="851830", unit_value=15.0),)), snap).reasons
    few = item(hs_code="640411", unit_value=1.0)  # only 5 items seen: no judgement
    assert not _one(facts(items=(few,)), snap).reasons
    assert not _one(facts(items=(item(hs_code="950300", unit_value=0.5),)), snap).reasons


# shadow mode, trust, thresholds, dates -----------------------------------------------


def test_shadow_rule_is_reported_but_changes_nothing() -> None:
    snap = snapshot(rule(shadow=True, weight=90, conditions={"origin_countries": ["CN"]}))
    result = _one(facts(), snap)
    assert (result.decision, result.score) == (Decision.RELEASE, 0.0)
    assert result.reasons[0].shadow is True
    assert result.hits == ("test-rule",)
    hard = snapshot(
        rule(shadow=True, outcome=Outcome.HOLD, conditions={"origin_countries": ["CN"]})
    )
    assert _one(facts(), hard).decision == Decision.RELEASE
    quiet = snapshot(rule(RuleKind.PARTY_SCREENING, shadow=True, conditions={}))
    assert _one(facts(screening=None), quiet).decision == Decision.RELEASE


def test_trust_facilitation_by_tier_and_none_when_suspended() -> None:
    snap = snapshot(rule(weight=60, conditions={"origin_countries": ["CN"]}))
    unknown = _one(facts(standing=Standing.NONE), snap)
    assert (unknown.decision, unknown.score) == (Decision.REVIEW, 60.0)
    tier_2 = _one(facts(standing=Standing.KNOWN, tier=2), snap)
    assert (tier_2.decision, tier_2.score) == (Decision.RELEASE, 30.0)
    assert tier_2.reasons[-1].code == "trust"
    assert "trust factor 0.5" in tier_2.reasons[-1].explanation
    tier_1 = _one(facts(standing=Standing.KNOWN, tier=1), snap)
    assert (tier_1.decision, tier_1.score) == (Decision.REVIEW, 45.0)
    for standing in (Standing.SUSPENDED, Standing.REVOKED):
        result = _one(facts(standing=standing, tier=2), snap)
        assert (result.decision, result.score) == (Decision.REVIEW, 60.0)


def test_score_thresholds_give_level_and_decision() -> None:
    snap = snapshot(
        rule(code="a", weight=45, conditions={"origin_countries": ["CN"]}),
        rule(code="b", weight=40, conditions={"hs_prefixes": ["69"]}),
    )
    result = _one(facts(), snap)
    assert (result.level, result.decision, result.score) == (Level.HIGH, Decision.HOLD, 85.0)
    assert [r.rule for r in result.reasons] == ["a", "b"]
    assert result.as_json()["reasons"][0] == {
        "rule": "a",
        "version": 1,
        "code": "conditions",
        "title": "Test reason",
        "explanation": "item 1 'Ceramic coffee mug' (HS 691200): origin CN.",
        "message": "Test reason: item 1 'Ceramic coffee mug' (HS 691200): origin CN.",
        "shadow": False,
        "weight": 45,
    }


def test_rules_apply_on_the_arrival_date_de_minimis_split_ended_29_august_2025() -> None:
    snap = catalogue_snapshot()
    before = datetime.datetime(2025, 8, 28, 12, tzinfo=datetime.UTC)
    after = datetime.datetime(2025, 8, 29, 12, tzinfo=datetime.UTC)
    window = (2, 600.0)
    hits_before = _one(
        facts(estimated_arrival=before, total_value=300.0, consignee_window=window), snap
    ).hits
    hits_after = _one(
        facts(estimated_arrival=after, total_value=300.0, consignee_window=window), snap
    ).hits
    assert "split-de-minimis" in hits_before
    assert "split-de-minimis" not in hits_after


def test_validate_rule_names_every_problem() -> None:
    assert validate_rule(
        kind="conditions", conditions={"colour": "red"}, weight=10, outcome=""
    ) == [
        "Unknown condition 'colour' for a conditions rule; allowed: "
        + ", ".join(
            sorted(
                [
                    "modes",
                    "ports",
                    "first_shipment",
                    "party_countries",
                    "party_roles",
                    "watched_address",
                    "watch_categories",
                    "value_per_kg_below",
                    "value_per_kg_above",
                    "total_value_below",
                    "total_value_above",
                    "origin_countries",
                    "hs_prefixes",
                    "description_keywords",
                    "description_patterns",
                    "unit_value_below",
                    "unit_value_above",
                ]
            )
        )
        + ".",
        "A conditions rule needs at least one condition.",
    ]
    errors = validate_rule(
        kind="conditions", conditions={"description_patterns": ["(a+)+$"]}, weight=0, outcome=""
    )
    assert errors == [
        "The pattern '(a+)+$' repeats a repeated group; simplify it.",
        "A rule without a hard outcome needs a positive weight.",
    ]
    assert validate_rule(kind="split_shipment", conditions={}, weight=5, outcome="") == [
        "A split_shipment rule needs 'threshold_usd'.",
        "A split_shipment rule needs 'window_hours'.",
    ]
    assert validate_rule(kind="nope", conditions={}, weight=1, outcome="") == [
        "Unknown rule kind 'nope'."
    ]


def test_a_plain_shipment_is_released_by_the_catalogue() -> None:
    result = evaluate(facts(), catalogue_snapshot())
    assert (result.level, result.decision, result.score, result.reasons) == (
        Level.LOW,
        Decision.RELEASE,
        0.0,
        (),
    )
