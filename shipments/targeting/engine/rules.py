"""Rules as data: a rule version's spec, the vocabulary of its conditions, and their
validation. Supervisors write these in the admin; the engine compiles them once per
snapshot (see ``engine``).

A rule of kind ``conditions`` fires when every condition it names holds. Conditions on
the shipment: ``modes``, ``ports``, ``first_shipment``, ``party_countries`` (with
``party_roles``, default every role), ``watched_address`` (with ``watch_categories``),
``value_per_kg_below`` / ``value_per_kg_above`` and ``total_value_below`` /
``total_value_above`` (US dollars). Conditions on an item (one item must meet all of
them): ``origin_countries``, ``hs_prefixes``, ``description_keywords`` (whole words, any
case, ``*`` for any ending), ``description_patterns`` (regular expressions, any case),
``unit_value_below`` / ``unit_value_above`` (US dollars).

The other kinds are the built-in analytics (``analytics``); their parameters live in the
same ``conditions`` mapping."""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class RuleKind(enum.StrEnum):
    CONDITIONS = "conditions"
    PROHIBITED_ORIGIN = "prohibited_origin"
    SANCTIONED_PLACES = "sanctioned_places"
    PARTY_SCREENING = "party_screening"
    SPLIT_SHIPMENT = "split_shipment"
    DESCRIPTION_MISMATCH = "description_mismatch"
    UNDERVALUATION = "undervaluation"


class Outcome(enum.StrEnum):
    WEIGHT = ""
    HOLD = "hold"


@dataclass(frozen=True)
class RuleSpec:
    """One version of a rule, as the engine sees it."""

    code: str
    version: int
    kind: RuleKind
    name: str
    reason: str  # shown to officers as the reason's title
    weight: float = 0.0
    outcome: Outcome = Outcome.WEIGHT
    shadow: bool = False
    effective_from: datetime.date | None = None
    effective_to: datetime.date | None = None  # last day, inclusive
    conditions: Mapping[str, Any] = field(default_factory=dict)
    citation: str = ""
    rule_id: int | None = None
    version_id: int | None = None

    def in_effect_on(self, day: datetime.date) -> bool:
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


SHIPMENT_CONDITIONS = {
    "modes": "list",
    "ports": "list",
    "first_shipment": "bool",
    "party_countries": "list",
    "party_roles": "list",
    "watched_address": "bool",
    "watch_categories": "list",
    "value_per_kg_below": "number",
    "value_per_kg_above": "number",
    "total_value_below": "number",
    "total_value_above": "number",
}
ITEM_CONDITIONS = {
    "origin_countries": "list",
    "hs_prefixes": "list",
    "description_keywords": "list",
    "description_patterns": "list",
    "unit_value_below": "number",
    "unit_value_above": "number",
}
PARAMETERS: dict[RuleKind, dict[str, str]] = {
    RuleKind.CONDITIONS: {**SHIPMENT_CONDITIONS, **ITEM_CONDITIONS},
    # "origins": accepted in rule versions written before core became the one source of
    # the prohibited origins (core.reference.origins); ignored.
    RuleKind.PROHIBITED_ORIGIN: {"origins": "mapping", "exceptions": "list"},
    RuleKind.SANCTIONED_PLACES: {
        "party_roles": "list",
        "check_origins": "bool",
        "except_origins": "list",
    },
    RuleKind.PARTY_SCREENING: {"roles": "list", "hit_score": "number", "review_score": "number"},
    RuleKind.SPLIT_SHIPMENT: {"window_hours": "number", "threshold_usd": "number"},
    RuleKind.DESCRIPTION_MISMATCH: {"groups": "list"},
    RuleKind.UNDERVALUATION: {"ratio": "number", "min_samples": "number"},
}
REQUIRED: dict[RuleKind, set[str]] = {
    RuleKind.SPLIT_SHIPMENT: {"window_hours", "threshold_usd"},
    RuleKind.DESCRIPTION_MISMATCH: {"groups"},
    RuleKind.UNDERVALUATION: {"ratio"},
}
MAX_PATTERN_LENGTH = 200
_PARTY_ROLES = {"seller", "shipper", "consignee", "manufacturer"}


def validate_rule(
    *, kind: str, conditions: Mapping[str, Any], weight: float, outcome: str
) -> list[str]:
    """Every problem with a rule version, as sentences for the supervisor; empty if none."""
    try:
        rule_kind = RuleKind(kind)
    except ValueError:
        return [f"Unknown rule kind {kind!r}."]
    errors: list[str] = []
    if not isinstance(conditions, Mapping):
        return ["Conditions must be a JSON object."]
    allowed = PARAMETERS[rule_kind]
    for key in sorted(set(conditions) - set(allowed)):
        errors.append(
            f"Unknown condition {key!r} for a {rule_kind.value} rule; "
            f"allowed: {', '.join(sorted(allowed))}."
        )
    for key in sorted(REQUIRED.get(rule_kind, set()) - set(conditions)):
        errors.append(f"A {rule_kind.value} rule needs {key!r}.")
    for key, expected in allowed.items():
        if key in conditions:
            errors += _check_type(key, conditions[key], expected)
    if rule_kind is RuleKind.CONDITIONS:
        if not any(key in conditions for key in allowed if key not in _QUALIFIERS):
            errors.append("A conditions rule needs at least one condition.")
        for pattern in conditions.get("description_patterns", []) or []:
            errors += _check_pattern(pattern)
        for role in conditions.get("party_roles", []) or []:
            if role not in _PARTY_ROLES:
                errors.append(f"Unknown party role {role!r}.")
    if outcome not in {"", "hold"}:
        errors.append("The outcome is either a weight (empty) or 'hold'.")
    if outcome == "" and weight <= 0:
        errors.append("A rule without a hard outcome needs a positive weight.")
    if weight < 0:
        errors.append("The weight cannot be negative.")
    return errors


_QUALIFIERS = {"party_roles", "watch_categories"}


def _check_type(key: str, value: Any, expected: str) -> list[str]:
    ok = {
        "list": isinstance(value, list),
        "bool": isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "mapping": isinstance(value, dict),
    }[expected]
    if not ok:
        return [f"{key!r} must be a {'JSON object' if expected == 'mapping' else expected}."]
    return []


def _check_pattern(pattern: Any) -> list[str]:
    if not isinstance(pattern, str) or not pattern:
        return ["A description pattern must be non-empty text."]
    if len(pattern) > MAX_PATTERN_LENGTH:
        return [f"The pattern {pattern[:40]!r}... is longer than {MAX_PATTERN_LENGTH}."]
    # Nested quantifiers can take exponential time on a crafted description.
    if re.search(r"\([^)]*[+*][^)]*\)[+*{]", pattern):
        return [f"The pattern {pattern!r} repeats a repeated group; simplify it."]
    try:
        re.compile(pattern)
    except re.error as error:
        return [f"The pattern {pattern!r} is not a valid regular expression: {error}."]
    return []
