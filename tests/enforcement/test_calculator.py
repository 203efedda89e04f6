"""The calculator against worked examples, with the statutory figures and mitigation
guidelines as seeded by the migration (read from the database the way the services do).
Each test name or comment shows the arithmetic."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from enforcement.calculator import (
    CalculationError,
    Figure,
    Guideline,
    MissingFactError,
    MissingFigureError,
    Money,
    PenaltyFacts,
    calculate_penalty,
)
from enforcement.selectors import (
    mitigation_guidelines_on,
    statutory_figures_on,
    underpayment_rates,
)
from tests.enforcement.factories import StatutoryFigureFactory

pytestmark = pytest.mark.django_db

D = Decimal
VIOLATION = date(2025, 3, 1)


def calc(**facts):  # type: ignore[no-untyped-def]
    facts.setdefault("violation_date", VIOLATION)
    facts.setdefault("violation_type", "1592")
    penalty_facts = PenaltyFacts(**facts)
    return calculate_penalty(
        penalty_facts,
        statutory_figures_on(day=penalty_facts.violation_date),
        mitigation_guidelines_on(day=date(2026, 1, 1)),
        underpayment_rates(),
    )


def usd(amount: str) -> Money:
    return Money(D(amount), "USD")


# -- 19 USC 1592, negligence -------------------------------------------------------------------


def test_negligence_with_loss_2x_10000_is_20000_below_domestic_value_150000() -> None:
    result = calc(culpability="negligence", loss_of_revenue=D("10000"), domestic_value=D("150000"))
    assert result.statutory_maximum == usd("20000.00")
    # Range 19 CFR 171 app. B: 0.5x to 2x the loss = 5,000 to 20,000.
    assert (result.mitigation_low, result.mitigation_high) == (usd("5000"), usd("20000"))
    text = " ".join(step.text for step in result.steps)
    assert "2 x the loss USD 10,000.00 = USD 20,000.00" in text
    assert "caps the penalty: 2x the loss, USD 20,000.00" in text
    assert any(step.rule == "19 USC 1592(c)(3)(A)" for step in result.steps)
    assert result.mitigation_citation == (
        "19 CFR Part 171, Appendix B (65 FR 39087, effective 2000-07-24)"
    )


def test_negligence_capped_by_domestic_value_15000_below_2x_10000() -> None:
    result = calc(culpability="negligence", loss_of_revenue=D("10000"), domestic_value=D("15000"))
    assert result.statutory_maximum == usd("15000")
    assert "caps the penalty: the domestic value, USD 15,000.00" in " ".join(
        s.text for s in result.steps
    )
    # Range 5,000 to 20,000 is cut at the statutory maximum: 5,000 to 15,000.
    assert (result.mitigation_low, result.mitigation_high) == (usd("5000"), usd("15000"))


def test_negligence_without_loss_is_20_percent_of_dutiable_value_50000_is_10000() -> None:
    result = calc(culpability="negligence", dutiable_value=D("50000"), domestic_value=D("1000"))
    # Without a loss the domestic value does not cap (19 USC 1592(c)(3)(B)).
    assert result.statutory_maximum == usd("10000")
    assert result.situation == "no_loss"
    # Range 5% to 20% of the dutiable value = 2,500 to 10,000.
    assert (result.mitigation_low, result.mitigation_high) == (usd("2500"), usd("10000"))
    assert "20% of the dutiable value USD 50,000.00 = USD 10,000.00" in " ".join(
        s.text for s in result.steps
    )


def test_rounding_20_percent_of_12345_67_is_2469_13() -> None:
    result = calc(culpability="negligence", dutiable_value=D("12345.67"))
    assert result.statutory_maximum == usd("2469.13")  # 2,469.134 rounded half up


# -- 19 USC 1592, gross negligence -------------------------------------------------------------


def test_gross_negligence_4x_loss_10000_is_40000_below_domestic_value() -> None:
    result = calc(
        culpability="gross_negligence", loss_of_revenue=D("10000"), domestic_value=D("100000")
    )
    assert result.statutory_maximum == usd("40000")
    # 2.5x to 4x the loss = 25,000 to 40,000.
    assert (result.mitigation_low, result.mitigation_high) == (usd("25000"), usd("40000"))


def test_gross_negligence_capped_by_domestic_value_30000() -> None:
    result = calc(
        culpability="gross_negligence", loss_of_revenue=D("10000"), domestic_value=D("30000")
    )
    assert result.statutory_maximum == usd("30000")
    assert (result.mitigation_low, result.mitigation_high) == (usd("25000"), usd("30000"))


def test_gross_negligence_without_loss_is_40_percent_of_dutiable_50000_is_20000() -> None:
    result = calc(culpability="gross_negligence", dutiable_value=D("50000"))
    assert result.statutory_maximum == usd("20000")
    # 25% to 40% = 12,500 to 20,000.
    assert (result.mitigation_low, result.mitigation_high) == (usd("12500"), usd("20000"))


# -- 19 USC 1592, fraud ------------------------------------------------------------------------


def test_fraud_is_the_domestic_value_100000() -> None:
    result = calc(culpability="fraud", loss_of_revenue=D("10000"), domestic_value=D("100000"))
    assert result.statutory_maximum == usd("100000")
    assert any(s.rule == "19 USC 1592(c)(1)" for s in result.steps)
    # 5x to 8x the loss = 50,000 to 80,000.
    assert (result.mitigation_low, result.mitigation_high) == (usd("50000"), usd("80000"))


def test_fraud_mitigation_range_is_capped_at_the_domestic_value() -> None:
    # 5x to 8x of 20,000 = 100,000 to 160,000, cut at the domestic value 120,000.
    result = calc(culpability="fraud", loss_of_revenue=D("20000"), domestic_value=D("120000"))
    assert (result.mitigation_low, result.mitigation_high) == (usd("100000"), usd("120000"))


def test_fraud_without_loss_range_50_to_80_percent_of_dutiable_80000() -> None:
    result = calc(culpability="fraud", domestic_value=D("100000"), dutiable_value=D("80000"))
    assert result.statutory_maximum == usd("100000")
    assert (result.mitigation_low, result.mitigation_high) == (usd("40000"), usd("64000"))


def test_fraud_needs_the_domestic_value() -> None:
    with pytest.raises(MissingFactError, match="domestic value"):
        calc(culpability="fraud", loss_of_revenue=D("10000"))


def test_1592_needs_a_culpability() -> None:
    with pytest.raises(MissingFactError, match="culpability"):
        calc(loss_of_revenue=D("10000"), domestic_value=D("1"))


# -- prior disclosure -------------------------------------------------------------------------


def test_prior_disclosure_fraud_is_100_percent_of_the_loss_10000() -> None:
    result = calc(
        culpability="fraud",
        loss_of_revenue=D("10000"),
        domestic_value=D("500000"),
        prior_disclosure=True,
        prior_disclosure_date=date(2025, 6, 1),
    )
    assert result.statutory_maximum == usd("10000")
    # Fixed by statute: the range is the amount itself.
    assert result.mitigation_low == result.mitigation_high == usd("10000")
    assert any(s.rule == "19 USC 1592(c)(4)(A)(i)" for s in result.steps)


def test_prior_disclosure_fraud_without_loss_is_10_percent_of_dutiable_50000_is_5000() -> None:
    result = calc(
        culpability="fraud",
        dutiable_value=D("50000"),
        domestic_value=D("60000"),
        prior_disclosure=True,
        prior_disclosure_date=date(2025, 6, 1),
    )
    assert result.statutory_maximum == usd("5000")


@pytest.mark.parametrize("culpability", ["negligence", "gross_negligence"])
def test_26_usc_6621_prior_disclosure_interest_in_2024_is_8_percent_compounded_daily_832_78(
    culpability: str,
) -> None:
    # 2024 is a leap year, every quarter at 8%: 10,000 x ((1 + 0.08/366)^366 - 1) = 832.78
    # (simple interest at one 7% rate gave 701.92).
    result = calc(
        culpability=culpability,
        loss_of_revenue=D("10000"),
        loss_date=date(2024, 1, 1),
        domestic_value=D("150000"),
        prior_disclosure=True,
        prior_disclosure_date=date(2025, 1, 1),
    )
    assert result.statutory_maximum == usd("832.78")
    interest = next(s for s in result.steps if "Interest" in s.text)
    assert "for 366 days" in interest.text
    assert "compounded daily" in interest.text
    assert interest.rule.startswith("19 USC 1592(c)(4)(B); 26 USC 6621(a)(2), 6622(a)")
    assert "IRS rate for 2024-Q1" in interest.rule


def test_26_usc_6621_interest_takes_each_quarters_rate_7_then_8_percent_385_28() -> None:
    # 2023-Q3 at 7% (92 days), 2023-Q4 at 8% (92 days), daily on a 365-day year:
    # 10,000 x (1 + 0.07/365)^92 x (1 + 0.08/365)^92 - 10,000 = 385.28
    result = calc(
        culpability="negligence",
        loss_of_revenue=D("10000"),
        loss_date=date(2023, 7, 1),
        domestic_value=D("150000"),
        prior_disclosure=True,
        prior_disclosure_date=date(2024, 1, 1),
    )
    assert result.statutory_maximum == usd("385.28")
    text = next(s for s in result.steps if "Interest" in s.text).text
    assert "2023-07-01 to 2023-09-30: 92 days at 7%" in text
    assert "2023-10-01 to 2023-12-31: 92 days at 8%" in text


def test_26_usc_6621_rates_are_dated_data_3_percent_in_2021_8_in_2024_7_in_2025() -> None:
    rates = {
        (period.start.year, period.start.month): period.rate for period in underpayment_rates()
    }
    assert rates[(2021, 1)] == D("0.03")
    assert rates[(2022, 4)] == D("0.04")
    assert rates[(2023, 10)] == D("0.08")
    assert rates[(2024, 7)] == D("0.08")
    assert rates[(2025, 1)] == D("0.07")
    # Rev. Rul. 2025-22: unchanged at 7% for 2026-Q1; later quarters are added as announced.
    assert rates[(2026, 1)] == D("0.07")
    assert (2026, 4) not in rates


def test_26_usc_6621_a_quarter_without_a_recorded_rate_is_refused() -> None:
    with pytest.raises(MissingFigureError, match=r"6621 underpayment rate.*1990-Q1"):
        calc(
            culpability="negligence",
            loss_of_revenue=D("10000"),
            loss_date=date(1990, 1, 1),
            domestic_value=D("150000"),
            prior_disclosure=True,
            prior_disclosure_date=date(1990, 2, 1),
        )


def test_prior_disclosure_negligence_without_loss_is_no_penalty() -> None:
    result = calc(
        culpability="negligence",
        dutiable_value=D("50000"),
        prior_disclosure=True,
        prior_disclosure_date=date(2025, 1, 1),
    )
    assert result.statutory_maximum == usd("0")
    assert "no interest accrues" in " ".join(s.text for s in result.steps)


def test_prior_disclosure_interest_needs_the_loss_date() -> None:
    with pytest.raises(MissingFactError, match="date of the loss"):
        calc(
            culpability="negligence",
            loss_of_revenue=D("10000"),
            prior_disclosure=True,
            prior_disclosure_date=date(2025, 1, 1),
        )


# -- 1526(f), 1595a(b), liquidated damages, de minimis, prohibited goods ----------------------


def test_counterfeit_first_seizure_is_1x_msrp_30000() -> None:
    result = calc(violation_type="1526f", msrp_genuine=D("30000"))
    assert result.statutory_maximum == usd("30000")
    assert result.situation == "first"
    assert any(s.rule == "19 USC 1526(f)(2)" for s in result.steps)  # first seizure


def test_counterfeit_later_seizure_is_2x_msrp_30000_is_60000() -> None:
    result = calc(violation_type="1526f", msrp_genuine=D("30000"), prior_violations=1)
    assert result.statutory_maximum == usd("60000")
    assert result.situation == "later"
    assert any(s.rule == "19 USC 1526(f)(3)" for s in result.steps)  # later seizures


def test_counterfeit_needs_the_msrp() -> None:
    with pytest.raises(MissingFactError, match="MSRP"):
        calc(violation_type="1526f", domestic_value=D("100"))


def test_aiding_unlawful_importation_is_the_value_45000_50() -> None:
    result = calc(violation_type="1595a_b", domestic_value=D("45000.50"))
    assert result.statutory_maximum == usd("45000.50")
    assert any(s.rule == "19 USC 1595a(b)" for s in result.steps)


def test_liquidated_damages_is_the_claim_12000() -> None:
    result = calc(violation_type="liquidated_damages", liquidated_damages_claim=D("12000"))
    assert result.statutory_maximum == usd("12000")


def test_liquidated_damages_claim_12000_capped_at_bond_10000() -> None:
    result = calc(
        violation_type="liquidated_damages",
        liquidated_damages_claim=D("12000"),
        bond_amount=D("10000"),
    )
    assert result.statutory_maximum == usd("10000")
    assert "limit of liability" in " ".join(s.text for s in result.steps)


def test_de_minimis_first_violation_5000_and_later_10000() -> None:
    first = calc(violation_type="de_minimis", violation_date=date(2025, 9, 1))
    later = calc(violation_type="de_minimis", violation_date=date(2025, 9, 1), prior_violations=2)
    assert first.statutory_maximum == usd("5000")
    assert later.statutory_maximum == usd("10000")
    # No guideline is seeded for de minimis: the officer must explain any amount.
    assert not first.has_range
    assert first.amount_problems(D("5000")) == [
        "No mitigation guideline applies to this case: give the reason for the amount."
    ]
    assert first.amount_problems(D("5000"), "First violation, marketplace seller.") == []


def test_de_minimis_before_the_2025_law_has_no_figure() -> None:
    with pytest.raises(MissingFigureError, match=r"de_minimis\.first_violation_max"):
        calc(violation_type="de_minimis", violation_date=date(2024, 6, 1))


def test_pub_l_119_21_sec_70531_de_minimis_penalty_from_2025_08_03_to_2027_06_30() -> None:
    # 19 USC 1321(c) took effect 30 days after the enactment of 4 July 2025 (sec.
    # 70531(a)(2)) and is struck from 1 July 2027 (sec. 70531(b)).
    with pytest.raises(MissingFigureError, match=r"2 August 2025"):
        calc(violation_type="de_minimis", violation_date=date(2025, 8, 2))
    for day in (date(2025, 8, 3), date(2027, 6, 30)):
        result = calc(violation_type="de_minimis", violation_date=day)
        assert result.statutory_maximum == usd("5000")
        assert "70531" in result.steps[0].rule
    with pytest.raises(MissingFigureError, match=r"1 July 2027"):
        calc(violation_type="de_minimis", violation_date=date(2027, 7, 1))


def test_de_minimis_figure_follows_its_effective_date() -> None:
    StatutoryFigureFactory(
        key="de_minimis.first_violation_max",
        value=D("6000"),
        unit="USD",
        effective_from=date(2026, 1, 1),
    )
    assert calc(
        violation_type="de_minimis", violation_date=date(2025, 12, 31)
    ).statutory_maximum == usd("5000")
    assert calc(
        violation_type="de_minimis", violation_date=date(2026, 1, 1)
    ).statutory_maximum == usd("6000")


def test_19_usc_1595a_c_prohibited_goods_have_no_money_penalty() -> None:
    # 1595a(c) is seizure and forfeiture (mitigated release is a petition outcome, 19 USC
    # 1618); the money penalty is 1595a(b), the value of the merchandise.
    with pytest.raises(CalculationError, match="Unknown violation type 'prohibited'"):
        calc(violation_type="prohibited", domestic_value=D("7500"))
    assert calc(violation_type="1595a_b", domestic_value=D("7500")).statutory_maximum == usd("7500")


# -- the amount an officer proposes ----------------------------------------------------------------


def test_amount_checks_against_maximum_and_range() -> None:
    result = calc(culpability="negligence", loss_of_revenue=D("10000"), domestic_value=D("150000"))
    assert result.amount_problems(D("12000")) == []
    assert "outside the mitigation range" in result.amount_problems(D("4000"))[0]
    assert result.amount_problems(D("4000"), "Cooperation and remedial action.") == []
    # Never above the statutory maximum, whatever the reason.
    assert "exceeds the statutory maximum" in result.amount_problems(D("20000.01"), "Because.")[0]


def test_calculator_is_pure_and_takes_any_figures_and_guidelines() -> None:
    figures = {
        "1526f.first_seizure.msrp_multiple": Figure(
            "1526f.first_seizure.msrp_multiple", D("1"), "multiple", "19 USC 1526(f)(1)"
        )
    }
    guidelines = [
        Guideline("1526f", "", "first", "msrp", D("0.05"), D("0.15"), "Test guideline"),
        Guideline("1526f", "", "any", "msrp", D("0.50"), D("1.00"), "Less specific"),
    ]
    facts = PenaltyFacts(violation_type="1526f", violation_date=VIOLATION, msrp_genuine=D("20000"))
    result = calculate_penalty(facts, figures, guidelines)
    # The most specific guideline wins: 5% to 15% of 20,000 = 1,000 to 3,000.
    assert (result.mitigation_low, result.mitigation_high) == (usd("1000"), usd("3000"))
    assert result.mitigation_citation == "Test guideline"
    assert result.as_json()["statutory_maximum"] == "20000.00"
