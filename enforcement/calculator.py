"""Penalty calculation: a pure function from the facts of a case, the statutory figures in
force and the mitigation guidelines to the statutory maximum, the line-by-line reasoning and
the mitigation range. No database, no clock: everything it needs is an argument.

What is modelled (cite these when explaining a figure):

* 19 USC 1592(c) (false statements, by culpability): fraud: the domestic value; gross
  negligence: the lesser of the domestic value and 4x the loss of duties, taxes and fees, or
  40% of the dutiable value without a loss; negligence: the lesser of the domestic value and
  2x the loss, or 20% of the dutiable value without a loss.
* 19 USC 1592(c)(4) (prior disclosure): fraud: 100% of the loss, or 10% of the dutiable value
  without a loss; negligence and gross negligence: interest on the loss, computed "in
  accordance with section 6621 of title 26": for each day from `loss_date` (the liquidation
  or the loss) to the disclosure date, the underpayment rate of that day's quarter (dated
  data, one row per quarter), compounded daily (26 USC 6622(a)) on a 365-day year, 366 in a
  leap year. Without a loss there is no interest and so no monetary penalty.
* 19 USC 1526(f) (counterfeits): up to 1x the MSRP of the genuine goods for a first seizure
  (1526(f)(2)), 2x for a later one (1526(f)(3)); `prior_violations` counts the earlier
  seizures.
* 19 USC 1595a(b) (aiding unlawful importation): the value (domestic value) of the goods.
* Liquidated damages (19 CFR 172): the claim under the breached bond condition is a fact the
  officer enters (the 19 CFR 113 conditions set it, e.g. a multiple of the value); the
  calculator only caps it at the bond's limit of liability when that is given.
* De minimis misuse (2025 law): a fixed maximum for a first violation and another for each
  later one, both statutory figures with effective dates: a violation before the law was in
  force has no figure and cannot be calculated.
* There is no "prohibited goods" money penalty: 19 USC 1595a(c) is seizure and forfeiture
  (mitigated release is a petition outcome, 19 USC 1618); 1595a(b) is the money penalty.

Every multiple, share, cap and fixed amount comes from `figures`; the code holds none.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0")


def quantize(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Money:
    """An amount in a currency, always in whole cents."""

    amount: Decimal
    currency: str = "USD"

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", quantize(Decimal(self.amount)))

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,.2f}"

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"Cannot compare {self.currency} with {other.currency}.")


class CalculationError(ValueError):
    """The penalty cannot be computed; the message names what is missing."""


class MissingFactError(CalculationError):
    pass


class MissingFigureError(CalculationError):
    pass


@dataclass(frozen=True)
class Figure:
    key: str
    value: Decimal
    unit: str
    citation: str
    effective_from: date | None = None


@dataclass(frozen=True)
class RatePeriod:
    """An annual interest rate in force from `start` to `end` (both included)."""

    start: date
    end: date
    rate: Decimal
    citation: str


@dataclass(frozen=True)
class Guideline:
    violation_type: str
    culpability: str
    situation: str
    basis: str
    low_share: Decimal
    high_share: Decimal
    citation: str
    effective_from: date | None = None


@dataclass(frozen=True)
class PenaltyFacts:
    violation_type: str
    violation_date: date
    culpability: str = ""
    currency: str = "USD"
    loss_of_revenue: Decimal = ZERO
    loss_date: date | None = None
    dutiable_value: Decimal | None = None
    domestic_value: Decimal | None = None
    msrp_genuine: Decimal | None = None
    liquidated_damages_claim: Decimal | None = None
    bond_amount: Decimal | None = None
    prior_violations: int = 0
    prior_disclosure: bool = False
    prior_disclosure_date: date | None = None


@dataclass(frozen=True)
class Step:
    """One line of reasoning: the rule applied, what was done, and the resulting amount."""

    rule: str
    text: str
    amount: Money | None = None


@dataclass(frozen=True)
class PenaltyCalculation:
    statutory_maximum: Money
    steps: tuple[Step, ...]
    situation: str
    mitigation_low: Money | None = None
    mitigation_high: Money | None = None
    mitigation_citation: str = ""
    mitigation_steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def has_range(self) -> bool:
        return self.mitigation_low is not None and self.mitigation_high is not None

    def amount_problems(self, amount: Decimal, departure_reason: str = "") -> list[str]:
        """Why an officer's amount is not acceptable: above the statutory maximum (never
        allowed), or outside the mitigation range without a reason to depart from it."""
        proposed = Money(amount, self.statutory_maximum.currency)
        if proposed.amount < ZERO:
            return ["The amount cannot be negative."]
        if self.statutory_maximum < proposed:
            return [f"The amount exceeds the statutory maximum of {self.statutory_maximum}."]
        if departure_reason.strip():
            return []
        if not self.has_range:
            return ["No mitigation guideline applies to this case: give the reason for the amount."]
        assert self.mitigation_low is not None
        assert self.mitigation_high is not None
        if proposed < self.mitigation_low or self.mitigation_high < proposed:
            return [
                f"The amount is outside the mitigation range {self.mitigation_low} to "
                f"{self.mitigation_high}: give the reason to depart from it."
            ]
        return []

    def as_json(self) -> dict[str, Any]:
        def money(value: Money | None) -> str | None:
            return None if value is None else str(value.amount)

        return {
            "currency": self.statutory_maximum.currency,
            "statutory_maximum": money(self.statutory_maximum),
            "situation": self.situation,
            "steps": [
                {"rule": s.rule, "text": s.text, "amount": money(s.amount)} for s in self.steps
            ],
            "mitigation_low": money(self.mitigation_low),
            "mitigation_high": money(self.mitigation_high),
            "mitigation_citation": self.mitigation_citation,
            "mitigation_steps": [
                {"rule": s.rule, "text": s.text, "amount": money(s.amount)}
                for s in self.mitigation_steps
            ],
        }


# Figure keys (the rows of `StatutoryFigure`).
FRAUD_DOMESTIC_SHARE = "1592.fraud.domestic_value_share"
GROSS_LOSS_MULTIPLE = "1592.gross_negligence.loss_multiple"
GROSS_DUTIABLE_SHARE = "1592.gross_negligence.dutiable_value_share"
NEGLIGENCE_LOSS_MULTIPLE = "1592.negligence.loss_multiple"
NEGLIGENCE_DUTIABLE_SHARE = "1592.negligence.dutiable_value_share"
PD_FRAUD_LOSS_SHARE = "1592.prior_disclosure.fraud.loss_share"
PD_FRAUD_DUTIABLE_SHARE = "1592.prior_disclosure.fraud.dutiable_value_share"
UNDERPAYMENT_RATE = "6621.underpayment_rate"
COUNTERFEIT_FIRST_MULTIPLE = "1526f.first_seizure.msrp_multiple"
COUNTERFEIT_LATER_MULTIPLE = "1526f.later_seizure.msrp_multiple"
AIDING_VALUE_SHARE = "1595a_b.value_share"
DE_MINIMIS_FIRST = "de_minimis.first_violation_max"
DE_MINIMIS_LATER = "de_minimis.later_violation_max"

FACT_LABELS = {
    "domestic_value": "the domestic value of the merchandise",
    "dutiable_value": "the dutiable value",
    "msrp_genuine": "the MSRP of the genuine goods",
    "liquidated_damages_claim": "the liquidated damages claim",
    "loss_date": "the date of the loss (liquidation)",
    "prior_disclosure_date": "the date of the prior disclosure",
    "culpability": "the culpability (negligence, gross negligence or fraud)",
}


class _Calculation:
    def __init__(
        self,
        facts: PenaltyFacts,
        figures: Mapping[str, Figure],
        interest_rates: Sequence[RatePeriod] = (),
    ) -> None:
        self.facts = facts
        self.figures = figures
        self.interest_rates = interest_rates
        self.steps: list[Step] = []

    def money(self, amount: Decimal) -> Money:
        return Money(amount, self.facts.currency)

    def fact(self, name: str) -> Decimal:
        value = getattr(self.facts, name)
        if value is None:
            raise MissingFactError(f"Enter {FACT_LABELS.get(name, name)} to compute the penalty.")
        return Decimal(value)

    def figure(self, key: str) -> Figure:
        figure = self.figures.get(key)
        if figure is None:
            raise MissingFigureError(
                f"No statutory figure {key!r} is in force on "
                f"{self.facts.violation_date:%-d %B %Y}; a supervisor must record it."
            )
        return figure

    def step(self, rule: str, text: str, amount: Decimal | None = None) -> Money | None:
        money = None if amount is None else self.money(amount)
        self.steps.append(Step(rule, text, money))
        return money

    def scaled(self, base_label: str, base: Decimal, key: str) -> Decimal:
        figure = self.figure(key)
        amount = quantize(base * figure.value)
        factor = (
            f"{(figure.value * 100).normalize():f}% of"
            if figure.unit == "share"
            else f"{figure.value.normalize():f} x"
        )
        self.step(
            figure.citation,
            f"{factor} {base_label} {self.money(base)} = {self.money(amount)}",
            amount,
        )
        return amount

    def lesser(self, first: tuple[str, Decimal], second: tuple[str, Decimal], rule: str) -> Decimal:
        (first_label, first_amount), (second_label, second_amount) = first, second
        if first_amount <= second_amount:
            chosen, label = first_amount, first_label
        else:
            chosen, label = second_amount, second_label
        self.step(
            rule,
            f"The lesser of {first_label} ({self.money(first_amount)}) and {second_label} "
            f"({self.money(second_amount)}) caps the penalty: {label}, {self.money(chosen)}",
            chosen,
        )
        return chosen


def calculate_penalty(
    facts: PenaltyFacts,
    figures: Mapping[str, Figure],
    guidelines: Iterable[Guideline] = (),
    interest_rates: Sequence[RatePeriod] = (),
) -> PenaltyCalculation:
    """The statutory maximum with its reasoning, and the mitigation range of the guideline
    that fits the case (most specific first). `interest_rates` are the quarterly 26 USC 6621
    underpayment rates (prior disclosure). Raises `CalculationError` when a fact or a figure
    is missing."""
    calc = _Calculation(facts, figures, interest_rates)
    handler = _HANDLERS.get(facts.violation_type)
    if handler is None:
        raise CalculationError(f"Unknown violation type {facts.violation_type!r}.")
    maximum, situation, fixed = handler(calc)
    statutory_maximum = calc.money(maximum)
    calc.step("", f"Statutory maximum: {statutory_maximum}", maximum)
    result = PenaltyCalculation(
        statutory_maximum=statutory_maximum, steps=tuple(calc.steps), situation=situation
    )
    if fixed:
        return PenaltyCalculation(
            statutory_maximum=statutory_maximum,
            steps=result.steps,
            situation=situation,
            mitigation_low=statutory_maximum,
            mitigation_high=statutory_maximum,
            mitigation_citation="19 USC 1592(c)(4)",
            mitigation_steps=(
                Step(
                    "19 USC 1592(c)(4)",
                    "With a valid prior disclosure the amount is set by statute and is not "
                    "mitigated further.",
                    statutory_maximum,
                ),
            ),
        )
    return _with_mitigation(result, facts, guidelines)


def _section_1592(calc: _Calculation) -> tuple[Decimal, str, bool]:
    facts = calc.facts
    culpability = facts.culpability
    if culpability not in {"negligence", "gross_negligence", "fraud"}:
        raise MissingFactError(f"Enter {FACT_LABELS['culpability']} to compute the penalty.")
    loss = Decimal(facts.loss_of_revenue or ZERO)
    has_loss = loss > ZERO
    situation = "loss" if has_loss else "no_loss"
    calc.step(
        "19 USC 1592",
        f"Culpability: {culpability.replace('_', ' ')}; loss of duties, taxes and fees: "
        f"{calc.money(loss)}" + ("" if has_loss else " (no loss of revenue)"),
    )
    if facts.prior_disclosure:
        return _prior_disclosure(calc, loss), situation, True
    if culpability == "fraud":
        return (
            calc.scaled("the domestic value", calc.fact("domestic_value"), FRAUD_DOMESTIC_SHARE),
            (situation),
            False,
        )
    loss_key, share_key = (
        (GROSS_LOSS_MULTIPLE, GROSS_DUTIABLE_SHARE)
        if culpability == "gross_negligence"
        else (NEGLIGENCE_LOSS_MULTIPLE, NEGLIGENCE_DUTIABLE_SHARE)
    )
    if not has_loss:
        return (
            calc.scaled("the dutiable value", calc.fact("dutiable_value"), share_key),
            (situation),
            False,
        )
    domestic = calc.fact("domestic_value")
    multiple = calc.scaled("the loss", loss, loss_key)
    calc.step(calc.figure(loss_key).citation, f"Domestic value: {calc.money(domestic)}", domestic)
    maximum = calc.lesser(
        ("the domestic value", domestic),
        (f"{calc.figure(loss_key).value.normalize():f}x the loss", multiple),
        calc.figure(loss_key).citation,
    )
    return maximum, situation, False


def _prior_disclosure(calc: _Calculation, loss: Decimal) -> Decimal:
    facts = calc.facts
    if facts.prior_disclosure_date is None:
        raise MissingFactError(f"Enter {FACT_LABELS['prior_disclosure_date']}.")
    calc.step(
        "19 USC 1592(c)(4)",
        f"Valid prior disclosure on {facts.prior_disclosure_date:%-d %B %Y}: the prior-disclosure "
        "maximum replaces the ordinary one.",
    )
    if facts.culpability == "fraud":
        if loss > ZERO:
            return calc.scaled("the loss", loss, PD_FRAUD_LOSS_SHARE)
        return calc.scaled(
            "the dutiable value", calc.fact("dutiable_value"), PD_FRAUD_DUTIABLE_SHARE
        )
    if loss <= ZERO:
        calc.step(
            "19 USC 1592(c)(4)(B)",
            "Negligence or gross negligence without a loss of revenue: no interest accrues, so "
            "there is no monetary penalty.",
            ZERO,
        )
        return ZERO
    if facts.loss_date is None:
        raise MissingFactError(f"Enter {FACT_LABELS['loss_date']} to compute the interest.")
    interest, parts, citation = underpayment_interest(
        loss, facts.loss_date, facts.prior_disclosure_date, calc.interest_rates
    )
    days = max((facts.prior_disclosure_date - facts.loss_date).days, 0)
    calc.step(
        citation,
        f"Interest on the loss {calc.money(loss)} for {days} days from "
        f"{facts.loss_date:%-d %B %Y} to the disclosure at the 26 USC 6621 underpayment rates, "
        f"compounded daily (26 USC 6622): {'; '.join(parts) or 'no days'}: "
        f"{calc.money(interest)}",
        interest,
    )
    return interest


def underpayment_interest(
    principal: Decimal, start: date, end: date, rates: Sequence[RatePeriod]
) -> tuple[Decimal, list[str], str]:
    """Interest on `principal` for the days from `start` (included) to `end` (excluded): each
    day at the annual rate of the period that holds it divided by the days of its year,
    compounded daily (26 USC 6621(a)(2), 6622(a)). Returns the interest in cents, one
    "period: days at rate" text per rate period, and the citations of the rates used.
    Raises `MissingFigureError` naming the first day no rate covers."""
    balance = Decimal(principal)
    parts: list[str] = []
    citations: list[str] = []
    day = start
    ordered = sorted(rates, key=lambda period: period.start)
    while day < end:
        period = next((p for p in ordered if p.start <= day <= p.end), None)
        if period is None:
            quarter = (day.month - 1) // 3 + 1
            raise MissingFigureError(
                f"No 26 USC 6621 underpayment rate is recorded for {day.year}-Q{quarter} "
                f"({day:%-d %B %Y}); a supervisor must record it."
            )
        last = min(period.end, end - timedelta(days=1))
        counted = 0
        while day <= last:
            days_in_year = 366 if calendar.isleap(day.year) else 365
            balance += balance * period.rate / Decimal(days_in_year)
            counted += 1
            day += timedelta(days=1)
        parts.append(
            f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}: {counted} days at "
            f"{(period.rate * 100).normalize():f}%"
        )
        if period.citation not in citations:
            citations.append(period.citation)
    rule = "19 USC 1592(c)(4)(B); 26 USC 6621(a)(2), 6622(a)"
    if citations:
        rule += " (" + "; ".join(citations) + ")"
    return quantize(balance - Decimal(principal)), parts, rule[:300]


def _counterfeit(calc: _Calculation) -> tuple[Decimal, str, bool]:
    msrp = calc.fact("msrp_genuine")
    first = calc.facts.prior_violations == 0
    key = COUNTERFEIT_FIRST_MULTIPLE if first else COUNTERFEIT_LATER_MULTIPLE
    calc.step(
        calc.figure(key).citation,
        "First seizure" if first else f"Later seizure ({calc.facts.prior_violations} before)",
    )
    return (
        calc.scaled("the MSRP of the genuine goods", msrp, key),
        ("first" if first else "later"),
        False,
    )


def _aiding(calc: _Calculation) -> tuple[Decimal, str, bool]:
    return (
        calc.scaled(
            "the value of the merchandise", calc.fact("domestic_value"), AIDING_VALUE_SHARE
        ),
        "any",
        False,
    )


def _liquidated_damages(calc: _Calculation) -> tuple[Decimal, str, bool]:
    claim = calc.fact("liquidated_damages_claim")
    calc.step(
        "19 CFR 172.1; 19 CFR 113",
        f"Claim for liquidated damages under the breached bond condition (entered as a fact): "
        f"{calc.money(claim)}",
        claim,
    )
    bond = calc.facts.bond_amount
    if bond is not None and Decimal(bond) < claim:
        calc.step(
            "19 CFR 113.13",
            f"Capped at the bond's limit of liability {calc.money(Decimal(bond))}",
            Decimal(bond),
        )
        return Decimal(bond), "any", False
    return claim, "any", False


def _de_minimis(calc: _Calculation) -> tuple[Decimal, str, bool]:
    first = calc.facts.prior_violations == 0
    figure = calc.figure(DE_MINIMIS_FIRST if first else DE_MINIMIS_LATER)
    calc.step(
        figure.citation,
        ("First violation" if first else f"Later violation ({calc.facts.prior_violations} before)")
        + f": fixed maximum {calc.money(figure.value)} in force on "
        f"{calc.facts.violation_date:%-d %B %Y}",
        figure.value,
    )
    return figure.value, "first" if first else "later", False


_HANDLERS = {
    "1592": _section_1592,
    "1526f": _counterfeit,
    "1595a_b": _aiding,
    "liquidated_damages": _liquidated_damages,
    "de_minimis": _de_minimis,
}


def _matching_guideline(
    facts: PenaltyFacts, situation: str, guidelines: Iterable[Guideline]
) -> Guideline | None:
    candidates = [
        g
        for g in guidelines
        if g.violation_type == facts.violation_type
        and g.culpability in {"", facts.culpability}
        and g.situation in {"any", situation}
    ]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda g: (g.culpability != "", g.situation != "any", g.effective_from or date.min),
    )


def _with_mitigation(
    result: PenaltyCalculation, facts: PenaltyFacts, guidelines: Iterable[Guideline]
) -> PenaltyCalculation:
    guideline = _matching_guideline(facts, result.situation, guidelines)
    currency = facts.currency
    maximum = result.statutory_maximum
    if guideline is None:
        return PenaltyCalculation(
            statutory_maximum=maximum,
            steps=result.steps,
            situation=result.situation,
            mitigation_steps=(
                Step("", "No mitigation guideline applies: the officer explains the amount."),
            ),
        )
    bases: dict[str, Decimal | None] = {
        "loss": facts.loss_of_revenue,
        "dutiable_value": facts.dutiable_value,
        "domestic_value": facts.domestic_value,
        "msrp": facts.msrp_genuine,
        "statutory_maximum": maximum.amount,
    }
    base = bases.get(guideline.basis)
    if base is None:
        return PenaltyCalculation(
            statutory_maximum=maximum,
            steps=result.steps,
            situation=result.situation,
            mitigation_citation=guideline.citation,
            mitigation_steps=(
                Step(
                    guideline.citation,
                    f"The guideline is based on {guideline.basis.replace('_', ' ')}, which is "
                    "not recorded: enter it to see the range.",
                ),
            ),
        )
    base_money = Money(Decimal(base), currency)
    low = Money(Decimal(base) * guideline.low_share, currency)
    high = Money(Decimal(base) * guideline.high_share, currency)
    steps = [
        Step(
            guideline.citation,
            f"Guideline range {guideline.low_share.normalize():f} to "
            f"{guideline.high_share.normalize():f} x {guideline.basis.replace('_', ' ')} "
            f"{base_money}: {low} to {high}",
        )
    ]
    if maximum < high:
        high = maximum
        low = min(low, maximum, key=lambda m: m.amount)
        steps.append(
            Step(guideline.citation, f"Not above the statutory maximum: {low} to {high}", high)
        )
    return PenaltyCalculation(
        statutory_maximum=maximum,
        steps=result.steps,
        situation=result.situation,
        mitigation_low=low,
        mitigation_high=high,
        mitigation_citation=guideline.citation,
        mitigation_steps=tuple(steps),
    )
