"""Matching: who is found, who is not, and how the score is explained."""

from __future__ import annotations

import datetime as dt

import pytest

from screening.engine import ListEntry, Match, ScreeningIndex, flag_for

REVIEW = 0.75
HIT = 0.87


def _best(index: ScreeningIndex, query: str, **kwargs: object) -> Match:
    matches = index.search(query, min_score=0.0, **kwargs)  # type: ignore[arg-type]
    assert matches, f"nothing found for {query!r}"
    return matches[0]


@pytest.mark.parametrize(
    ("query", "entity_type", "expected"),
    [
        ("Hakki Selcuk Sanli", "individual", "7001"),
        ("Haki Selcuk Sanly", "individual", "7001"),
        ("Sanli Hakki Selcuk", "individual", "7001"),
        ("Sergey Petrov", "individual", "7002"),
        ("Sergei Aleksandrovich Petrov", "individual", "7002"),
        ("Mohamed Ibrahim Al Shaar", "individual", "2674"),
        ("Kim Jong-un", "individual", "7007"),
        ("Juan Carlos Hernandez", "individual", "7008"),
        ("Aero Caribbean", "entity", "36"),
        ("Aerocaribean Airlines", "entity", "36"),
        ("National Bank of Cuba", "entity", "306"),
        ("Anglo Caribbean Company Limited", "entity", "173"),
        ("Romashka Trade LLC", "entity", "7003"),
        ("Complejo Turistico Oasis SA", "entity", "7004"),
        ("Golden Star Trading Ltd", "entity", "7010"),
        ("عمر سبعاوي التكريتي", None, "7009"),
    ],
)
def test_listed_parties_are_found(
    index: ScreeningIndex, query: str, entity_type: str | None, expected: str
) -> None:
    match = _best(index, query, entity_type=entity_type)
    assert match.source_id == expected
    assert match.score >= REVIEW, match.summary


@pytest.mark.parametrize(
    ("query", "entity_type"),
    [
        ("John Smith", "individual"),
        ("Maria Garcia Lopez", "individual"),
        ("Hakan Yilmaz", "individual"),
        ("Sergey Ivanov", "individual"),
        ("Omar Khalil", "individual"),
        ("Golden Gate Logistics Ltd", "entity"),
        ("Caribbean Foods Inc", "entity"),
        ("Star Electronics GmbH", "entity"),
    ],
)
def test_innocent_names_stay_below_review(
    index: ScreeningIndex, query: str, entity_type: str
) -> None:
    matches = index.search(query, entity_type=entity_type, min_score=0.0)
    assert all(m.score < REVIEW for m in matches), [m.summary for m in matches]


def test_dropped_middle_name_and_alias(index: ScreeningIndex) -> None:
    dropped = _best(index, "Hakki Sanli", entity_type="individual")
    assert dropped.source_id == "7001"
    assert dropped.explanation["unmatched_listed_tokens"] == ["selcuk"]
    alias = _best(index, "Muhammad Ibrahim Al-Sha'ar", entity_type="individual")
    assert alias.source_id == "2674"
    assert alias.matched_name == "AL-SHA'AR, Muhammad Ibrahim"
    assert alias.explanation["matched_name_type"] == "aka"
    assert alias.score == 1.0


def test_legal_form_change_barely_matters(index: ScreeningIndex) -> None:
    same = _best(index, "Golden Star Trading LLC", entity_type="entity")
    changed = _best(index, "Golden Star Trading Limited", entity_type="entity")
    assert same.score == 1.0
    assert changed.source_id == "7010"
    assert changed.score >= 0.9
    assert changed.explanation["unmatched_query_tokens"] == ["limited"]


def test_weak_alias_costs_a_little(index: ScreeningIndex) -> None:
    weak = _best(index, "BNC", entity_type="entity")
    assert weak.source_id == "306"
    assert weak.explanation["alias_strength"] == "weak"
    assert weak.score == pytest.approx(0.98)
    assert any(a["factor"] == "weak_alias" for a in weak.explanation["adjustments"])


def test_birth_date_raises_and_lowers(index: ScreeningIndex) -> None:
    plain = _best(index, "Serguei Petrof", entity_type="individual").score
    same_day = _best(
        index, "Serguei Petrof", entity_type="individual", date_of_birth=dt.date(1976, 9, 23)
    ).score
    same_year = _best(index, "Serguei Petrof", entity_type="individual", date_of_birth="1977").score
    other = index.search(
        "Serguei Petrof", entity_type="individual", date_of_birth="1990", min_score=0.0
    )
    assert same_day > same_year > plain
    assert other[0].score < plain - 0.1
    assert other[0].explanation["adjustments"][-1]["factor"] == "date_of_birth"


def test_country_and_entity_type_qualifiers(index: ScreeningIndex) -> None:
    base = _best(index, "Hakki Sanli", entity_type="individual").score
    turkey = _best(index, "Hakki Sanli", entity_type="individual", country="Turkey").score
    mexico = _best(index, "Hakki Sanli", entity_type="individual", country="MX").score
    as_company = _best(index, "Hakki Sanli", entity_type="entity").score
    assert turkey > base > mexico
    assert as_company < base - 0.05


def test_identifier_match_is_strong(index: ScreeningIndex) -> None:
    match = _best(index, "Someone Else Entirely", identifiers=["U 24492445"])
    assert match.source_id == "7001"
    assert match.score >= 0.9
    assert match.explanation["adjustments"][0]["factor"] == "identifier"


def test_address_words_raise_the_score(index: ScreeningIndex) -> None:
    base = _best(index, "Golden Star Trading", entity_type="entity").score
    with_address = _best(
        index,
        "Golden Star Trading",
        entity_type="entity",
        address="Office 12, Al Maktoum Road, Dubai",
    ).score
    assert with_address > base


def test_explanation_names_every_token(index: ScreeningIndex) -> None:
    match = _best(index, "Mohamed Ibrahem Al-Shaar", entity_type="individual", date_of_birth="1950")
    explanation = match.explanation
    assert explanation["query_normalized"] == "mohamed ibrahem al shaar"
    pairs = {(t["query"], t["listed"]): t for t in explanation["token_matches"]}
    assert pairs[("mohamed", "mohammad")]["reason"] == "spelling variant"
    assert pairs[("ibrahem", "ibrahim")]["reason"] in {"typo", "same consonants"}
    assert 0.7 <= pairs[("ibrahem", "ibrahim")]["similarity"] < 1
    assert pairs[("shaar", "shaar")]["similarity"] == 1.0
    assert explanation["adjustments"] == [
        {
            "factor": "date_of_birth",
            "delta": 0.04,
            "detail": "birth year 1950 matches the listed 1950",
        }
    ]
    assert explanation["score"] == match.score
    assert match.summary.startswith(f"{match.score:.2f} against the primary name")
    assert "mohamed~mohammad (spelling variant 0.95)" in match.summary
    assert "birth year 1950 matches" in match.summary


def test_flag_uses_caller_thresholds() -> None:
    assert flag_for(0.9, hit_threshold=HIT, review_threshold=REVIEW) == "hit"
    assert flag_for(0.8, hit_threshold=HIT, review_threshold=REVIEW) == "review"
    assert flag_for(0.5, hit_threshold=HIT, review_threshold=REVIEW) == "clear"


def test_subset_index_uses_reference_weights(
    index: ScreeningIndex, ofac_entries: list[ListEntry]
) -> None:
    changed = [e for e in ofac_entries if e.source_id in {"7001", "7002"}]
    small = ScreeningIndex.build(changed, reference=index)
    full_match = _best(index, "Haki Sanly", entity_type="individual")
    small_match = _best(small, "Haki Sanly", entity_type="individual")
    assert small.entry_count == 2
    assert small_match.source_id == full_match.source_id == "7001"
    assert small_match.score == pytest.approx(full_match.score)


def test_empty_and_limit(index: ScreeningIndex) -> None:
    assert index.search("   ") == []
    assert len(index.search("Trading", entity_type="entity", min_score=0.0, limit=1)) <= 1
