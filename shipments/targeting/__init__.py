"""Risk targeting of shipments: a pure engine (``engine``: rules and facts in, results
out) and the entry point the ingest path calls.

``evaluate_batch(facts)`` scores a batch against the active rules, compiled once per
process and recompiled when the rule version changes (``shipments.targeting_snapshot``)."""

from __future__ import annotations

from collections.abc import Sequence

from shipments.targeting.engine import Snapshot, Thresholds, compile_snapshot
from shipments.targeting.engine import evaluate_batch as _evaluate_batch
from shipments.targeting.facts import (
    Decision,
    Item,
    Level,
    Party,
    PartyScreening,
    Reason,
    RiskResult,
    ShipmentFacts,
    Standing,
)
from shipments.targeting.rules import Outcome, RuleKind, RuleSpec, validate_rule


def evaluate_batch(
    facts: Sequence[ShipmentFacts], *, snapshot: Snapshot | None = None
) -> list[RiskResult]:
    """The risk of each shipment, in input order, under ``snapshot`` (default: the active
    rules of this process, reloaded when a rule, the watch list or the statistics change)."""
    if snapshot is None:
        from shipments.targeting_snapshot import current_snapshot

        snapshot = current_snapshot()
    return _evaluate_batch(facts, snapshot)


__all__ = [
    "Decision",
    "Item",
    "Level",
    "Outcome",
    "Party",
    "PartyScreening",
    "Reason",
    "RiskResult",
    "RuleKind",
    "RuleSpec",
    "ShipmentFacts",
    "Snapshot",
    "Standing",
    "Thresholds",
    "compile_snapshot",
    "evaluate_batch",
    "validate_rule",
]
