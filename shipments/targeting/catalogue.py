"""The starting rules of the program (``data/rules.yaml``), read and checked."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

from shipments.targeting.engine.rules import validate_rule

RULES_FILE = Path(__file__).resolve().parent / "data" / "rules.yaml"
_KEYS = {
    "code",
    "kind",
    "name",
    "reason",
    "weight",
    "outcome",
    "shadow",
    "effective_from",
    "effective_to",
    "citation",
    "conditions",
}


def load_rule_file(path: Path = RULES_FILE) -> list[dict[str, Any]]:
    """Each rule as the fields of a rule version; ``ValueError`` naming the rule and the
    problem if the file is wrong."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, raw in enumerate(data.get("rules") or []):
        where = f"{path.name}: rules[{index}] ({raw.get('code', '?')})"
        unknown = set(raw) - _KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        rule = {
            "code": str(raw["code"]),
            "kind": str(raw["kind"]),
            "name": str(raw["name"]),
            "reason": str(raw["reason"]),
            "weight": float(raw.get("weight", 0)),
            "outcome": str(raw.get("outcome", "")),
            "shadow": bool(raw.get("shadow", False)),
            "effective_from": _date(raw.get("effective_from")),
            "effective_to": _date(raw.get("effective_to")),
            "citation": str(raw.get("citation", "")),
            "conditions": _plain(raw.get("conditions") or {}),
        }
        errors = validate_rule(
            kind=rule["kind"],
            conditions=rule["conditions"],
            weight=rule["weight"],
            outcome=rule["outcome"],
        )
        if errors:
            raise ValueError(f"{where}: {' '.join(errors)}")
        if rule["code"] in seen:
            raise ValueError(f"{where}: the code is used twice")
        seen.add(rule["code"])
        rules.append(rule)
    return rules


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _plain(value: Any) -> Any:
    """JSON-safe: YAML dates in exceptions become ISO strings."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
