"""The targeting engine: rules and facts in, a risk result out. No database, no clock.

Scoring: every weighted rule that fires adds its weight (points); a known shipper in good
standing has the sum multiplied by its tier's trust factor (below 1: facilitation);
suspended, revoked and non-members get no facilitation. The score then gives the level
and decision: below ``review_score`` low/release, below ``hold_score`` medium/review,
else high/hold. A rule with the hard outcome ``hold`` holds the shipment whatever the
score or trust (high/hold). A shadow rule is evaluated and reported (``shadow: true``)
but changes nothing. While the party-screening rule has no screening result yet, the
decision is pending, unless a hard outcome already holds the shipment.

A rule is in effect on the shipment's estimated arrival date (``effective_from`` to
``effective_to``, inclusive), as thresholds and prohibitions change with dates."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shipments.targeting.engine.analytics import (
    DescriptionMismatchRule,
    PartyScreeningRule,
    ProhibitedOriginRule,
    SanctionedPlacesRule,
    SplitShipmentRule,
    UndervaluationRule,
)
from shipments.targeting.engine.compiled import CompiledRule, Prepared, ReferenceData
from shipments.targeting.engine.conditions import ConditionsRule
from shipments.targeting.engine.facts import (
    Decision,
    Level,
    Party,
    Reason,
    RiskResult,
    ShipmentFacts,
    Standing,
)
from shipments.targeting.engine.rules import Outcome, RuleKind, RuleSpec
from shipments.targeting.engine.text import consignee_key

RULE_CLASSES: dict[RuleKind, type[CompiledRule]] = {
    RuleKind.CONDITIONS: ConditionsRule,
    RuleKind.PROHIBITED_ORIGIN: ProhibitedOriginRule,
    RuleKind.SANCTIONED_PLACES: SanctionedPlacesRule,
    RuleKind.PARTY_SCREENING: PartyScreeningRule,
    RuleKind.SPLIT_SHIPMENT: SplitShipmentRule,
    RuleKind.DESCRIPTION_MISMATCH: DescriptionMismatchRule,
    RuleKind.UNDERVALUATION: UndervaluationRule,
}


_NONE: frozenset[int] = frozenset()
_ITEM_MEMO_LIMIT = 100_000

# Reasons a filer may read: the prohibitions of law, not the program's targeting.
PUBLIC_KINDS = frozenset({RuleKind.PROHIBITED_ORIGIN, RuleKind.SANCTIONED_PLACES})


@dataclass(frozen=True)
class Thresholds:
    """Score -> level and decision, and the trust factor per known-shipper tier."""

    review_score: float = 40.0
    hold_score: float = 80.0
    trust_factors: Mapping[int, float] = field(default_factory=lambda: {1: 0.75, 2: 0.5})


@dataclass(frozen=True)
class Snapshot:
    """The active rules compiled once, with the reference data they read."""

    version: int
    rules: tuple[CompiledRule, ...]
    thresholds: Thresholds
    reference: ReferenceData
    split_window_hours: float | None = None

    @functools.cached_property
    def plan(self) -> tuple[tuple[Any, RuleSpec, bool, bool, int], ...]:
        """What the evaluation loop reads of each rule, looked up once: the last entry is
        the rule's position when it has an item gate, else -1."""
        return tuple(
            (
                rule.explain,
                rule.spec,
                rule.dated,
                rule.needs_screening,
                position if rule.item_gate is not None and not rule.needs_screening else -1,
            )
            for position, rule in enumerate(self.rules)
        )

    @functools.cached_property
    def _gates(self) -> tuple[Any, ...]:
        """(description tests, HS code and origin tests, rules without a description test,
        rules without a code test) of the gated rules, by position."""
        gated = [
            (position, rule.item_gate)
            for position, rule in enumerate(self.rules)
            if rule.item_gate is not None and not rule.needs_screening
        ]
        return (
            tuple((p, g.description) for p, g in gated if g.description is not None),
            tuple((p, g.codes) for p, g in gated if g.codes is not None),
            frozenset(p for p, g in gated if g.description is None),
            frozenset(p for p, g in gated if g.codes is None),
        )

    @functools.cached_property
    def _memos(self) -> tuple[dict[str, frozenset[int]], dict[tuple[str, str], frozenset[int]]]:
        return {}, {}

    def gated_candidates(self, items: Sequence[Any]) -> frozenset[int]:
        """The positions of the gated rules that some item passes the gate of: every gate
        answered together, once per distinct description and once per distinct HS code and
        origin (remembered, bounded)."""
        by_description, by_codes = self._memos
        found: frozenset[int] = _NONE
        for item in items:
            described = by_description.get(item.description)
            if described is None:
                tests, _codes, without, _ = self._gates
                text = item.description.lower()
                described = without.union(p for p, test in tests if test(text))
                if len(by_description) >= _ITEM_MEMO_LIMIT:
                    by_description.clear()
                by_description[item.description] = described
            key = (item.hs_code, item.origin_country)
            coded = by_codes.get(key)
            if coded is None:
                _tests, codes, _, without = self._gates
                coded = without.union(p for p, test in codes if test(*key))
                if len(by_codes) >= _ITEM_MEMO_LIMIT:
                    by_codes.clear()
                by_codes[key] = coded
            passed = described & coded
            if passed:
                found = found | passed if found else passed
        return found

    @property
    def screens_parties(self) -> bool:
        return any(rule.needs_screening and not rule.spec.shadow for rule in self.rules)


def compile_snapshot(
    *,
    version: int,
    rules: Iterable[RuleSpec],
    thresholds: Thresholds | None = None,
    reference: ReferenceData | None = None,
) -> Snapshot:
    reference = reference or ReferenceData()
    compiled = tuple(RULE_CLASSES[RuleKind(spec.kind)](spec, reference) for spec in rules)
    windows = [
        float(rule.spec.conditions["window_hours"])
        for rule in compiled
        if rule.spec.kind == RuleKind.SPLIT_SHIPMENT
    ]
    return Snapshot(
        version=version,
        rules=compiled,
        thresholds=thresholds or Thresholds(),
        reference=reference,
        split_window_hours=max(windows) if windows else None,
    )


def evaluate(
    facts: ShipmentFacts, snapshot: Snapshot, *, batch_window: tuple[int, float] | None = None
) -> RiskResult:
    """The risk result of one shipment under ``snapshot``."""
    rate = snapshot.reference.usd_rates.get(facts.currency.upper())
    shipment = Prepared(facts, rate, batch_window)
    day = shipment.arrival_date
    holds: list[Reason] = []
    weighted: list[Reason] = []
    shadows: list[Reason] = []
    pending = False
    unscreened = facts.screening is None
    candidates = snapshot.gated_candidates(facts.items)
    for explain, spec, dated, needs_screening, gate_at in snapshot.plan:
        if gate_at >= 0 and gate_at not in candidates:
            continue  # no item can make it fire
        if dated and not spec.in_effect_on(day):
            continue
        if needs_screening and unscreened:
            pending = pending or not spec.shadow
            continue
        finding = explain(shipment)
        if finding is None:
            continue
        hard = spec.outcome == Outcome.HOLD and finding.full
        reason = Reason(
            rule=spec.code,
            version=spec.version,
            code=str(spec.kind),
            title=spec.reason,
            explanation=finding.explanation,
            weight=None if hard else spec.weight,
            outcome="hold" if hard else None,
            shadow=spec.shadow,
            citation=spec.citation,
            filer_message=finding.explanation if spec.kind in PUBLIC_KINDS and hard else "",
        )
        if spec.shadow:
            shadows.append(reason)
        elif hard:
            holds.append(reason)
        else:
            weighted.append(reason)
    return _decide(facts, snapshot, holds, weighted, shadows, pending)


def _decide(
    facts: ShipmentFacts,
    snapshot: Snapshot,
    holds: list[Reason],
    weighted: list[Reason],
    shadows: list[Reason],
    pending: bool,
) -> RiskResult:
    if not (holds or weighted or shadows):
        if not pending:
            return RiskResult(Level.LOW, Decision.RELEASE, 0.0, (), snapshot.version)
        # Nothing fired yet and party screening to come (most shipments at acceptance).
        return RiskResult(
            Level.PENDING, Decision.PENDING, 0, (), snapshot.version, screening_pending=True
        )
    thresholds = snapshot.thresholds
    raw = sum(reason.weight or 0.0 for reason in weighted)
    score = raw
    weighted.sort(key=lambda reason: -(reason.weight or 0.0))
    factor = (
        thresholds.trust_factors.get(facts.tier or 0, 1.0)
        if facts.standing == Standing.KNOWN
        else 1.0
    )
    if raw > 0 and factor != 1.0:
        score = raw * factor
        weighted.append(
            Reason(
                rule="trust",
                version=0,
                code="trust",
                title="Known-shipper facilitation",
                explanation=(
                    f"Filed by a tier {facts.tier} known shipper in good standing: the score "
                    f"{raw:g} is multiplied by its tier's trust factor {factor:g} "
                    f"({score:g}). Hard outcomes are not affected."
                ),
                weight=round(score - raw, 2),
            )
        )
    score = round(score, 2)
    hits = tuple(reason.rule for reason in (*holds, *weighted, *shadows) if reason.rule != "trust")
    reasons = (*holds, *weighted, *shadows)
    if holds:
        level, decision = Level.HIGH, Decision.HOLD
        score = max(score, thresholds.hold_score)
    elif pending:
        level, decision = Level.PENDING, Decision.PENDING
    elif score >= thresholds.hold_score:
        level, decision = Level.HIGH, Decision.HOLD
    elif score >= thresholds.review_score:
        level, decision = Level.MEDIUM, Decision.REVIEW
    else:
        level, decision = Level.LOW, Decision.RELEASE
    return RiskResult(
        level=level,
        decision=decision,
        score=score,
        reasons=reasons,
        snapshot_version=snapshot.version,
        screening_pending=pending and not holds,
        hits=hits,
    )


def evaluate_batch(facts: Sequence[ShipmentFacts], snapshot: Snapshot) -> list[RiskResult]:
    """The results in input order. Split shipments are counted within the batch for the
    shipments whose ``consignee_window`` the caller did not give."""
    windows = _batch_windows(facts, snapshot)
    return [evaluate(one, snapshot, batch_window=windows.get(i)) for i, one in enumerate(facts)]


def _batch_windows(
    facts: Sequence[ShipmentFacts], snapshot: Snapshot
) -> dict[int, tuple[int, float]]:
    hours = snapshot.split_window_hours
    if hours is None or len(facts) < 2:
        return {}
    rates = snapshot.reference.usd_rates
    groups: dict[str, list[tuple[float, float, int]]] = {}
    for index, one in enumerate(facts):
        if one.consignee_window is not None:
            continue
        parties = one.parties
        consignee: Party | None
        if len(parties) > 2 and parties[2].role == "consignee":
            consignee = parties[2]  # seller, shipper, consignee: the order facts are built in
        else:
            consignee = next((p for p in parties if p.role == "consignee"), None)
        rate = rates.get(one.currency.upper())
        if consignee is None or rate is None:
            continue
        groups.setdefault(consignee_key(consignee), []).append(
            (one.estimated_arrival.timestamp(), one.total_value * rate, index)
        )
    window = hours * 3600
    found: dict[int, tuple[int, float]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort()
        times = [member[0] for member in members]
        for at, value, index in members:
            low = bisect.bisect_left(times, at - window)
            high = bisect.bisect_right(times, at + window)
            others = high - low - 1
            if others:
                total = sum(member[1] for member in members[low:high]) - value
                found[index] = (others, total)
    return found
