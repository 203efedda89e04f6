"""Risk targeting of shipments, everything in one folder:

- ``engine/``: the pure engine (rules and facts in, results out; no database, no clock);
- ``catalogue`` and ``data/rules.yaml``: the program's starting rules;
- ``models``, ``services``, ``events``, ``admin``: rules as versioned data that supervisors
  write, the watch list and the value statistics;
- ``snapshot``: the active rules compiled once per process, recompiled when they change;
- ``facts``: the engine's facts built from filings or from stored shipments;
- ``screening``: party screening and the final decision (the worker side);
- ``backtest``: a rule version run over stored shipments; ``signals``: re-screening when a
  list version changes.

``evaluate_batch(facts)`` scores a batch against the active rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shipments.targeting.engine.evaluation import Snapshot, Thresholds, compile_snapshot
from shipments.targeting.engine.evaluation import evaluate_batch as _evaluate_batch
from shipments.targeting.engine.facts import (
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
from shipments.targeting.engine.rules import Outcome, RuleKind, RuleSpec, validate_rule


def evaluate_batch(facts: Sequence[Any], *, snapshot: Snapshot | None = None) -> list[Any]:
    """The risk of each shipment (``ShipmentFacts``), in input order, under ``snapshot``
    (default: the active rules of this process, reloaded when a rule, the watch list or the
    statistics change)."""
    if snapshot is None:
        from shipments.targeting.snapshot import current_snapshot

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
