"""The ``conditions`` rule kind: fields combined by the supervisor (see ``rules``)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from shipments.targeting.engine.compiled import (
    CompiledRule,
    Finding,
    ItemGate,
    Prepared,
    ReferenceData,
    item_label,
    money,
)
from shipments.targeting.engine.rules import RuleSpec
from shipments.targeting.engine.text import (
    DescriptionMemo,
    address_tokens,
    compact_postcode,
    keyword_pattern,
)

ShipmentTest = Callable[[Prepared], str | None]
ItemTest = Callable[[Prepared, int], str | None]


class ConditionsRule(CompiledRule):
    """Fires when every shipment condition holds and one item meets every item condition;
    the explanation lists what each condition saw."""

    def __init__(self, spec: RuleSpec, reference: ReferenceData) -> None:
        super().__init__(spec, reference)
        conditions = dict(spec.conditions)
        self.shipment_tests: list[ShipmentTest] = []
        self.item_tests: list[ItemTest] = []
        self._watch = reference.watch_index() if conditions.get("watched_address") else {}
        self._description_parts: list[Callable[[str], bool]] = []
        self._code_parts: list[Callable[[str, str], bool]] = []
        self._compile(conditions)
        if self._description_parts or self._code_parts:
            self.item_gate = ItemGate(
                description=_all_of(self._description_parts),
                codes=_all_of(self._code_parts),
            )
        self._single_item_test = (
            self.item_tests[0] if not self.shipment_tests and len(self.item_tests) == 1 else None
        )

    def explain(self, shipment: Prepared) -> Finding | None:
        if self._single_item_test is not None:
            # The common shape (one item condition): no list building on a miss.
            single = self._single_item_test
            for index in range(len(shipment.facts.items)):
                observed = single(shipment, index)
                if observed is not None:
                    return Finding(f"{item_label(index, shipment)}: {observed}.")
            return None
        seen: list[str] = []
        for test in self.shipment_tests:
            observed = test(shipment)
            if observed is None:
                return None
            seen.append(observed)
        if self.item_tests:
            for index in range(len(shipment.facts.items)):
                item_seen = []
                for item_test in self.item_tests:
                    observed = item_test(shipment, index)
                    if observed is None:
                        break
                    item_seen.append(observed)
                else:
                    seen.append(f"{item_label(index, shipment)}: " + ", ".join(item_seen))
                    break
            else:
                return None
        return Finding("; ".join(seen) + ".")

    def _compile(self, conditions: dict[str, Any]) -> None:
        add = self.shipment_tests.append
        add_item = self.item_tests.append
        if "modes" in conditions:
            modes = {str(mode).lower() for mode in conditions["modes"]}
            add(lambda s: f"mode {s.facts.mode}" if s.facts.mode.lower() in modes else None)
        if "ports" in conditions:
            ports = {str(port).upper() for port in conditions["ports"]}
            add(lambda s: f"port {s.facts.port}" if s.facts.port.upper() in ports else None)
        if "first_shipment" in conditions:
            wanted = bool(conditions["first_shipment"])
            add(
                lambda s: (
                    ("the filer's first shipment" if wanted else "not the filer's first shipment")
                    if s.facts.first_shipment is wanted
                    else None
                )
            )
        for key, compare in (("below", operator.lt), ("above", operator.gt)):
            if f"value_per_kg_{key}" in conditions:
                add(_value_per_kg(float(conditions[f"value_per_kg_{key}"]), key, compare))
            if f"total_value_{key}" in conditions:
                add(_total_value(float(conditions[f"total_value_{key}"]), key, compare))
        if "hs_prefixes" in conditions:
            prefixes = tuple(str(p).replace(".", "") for p in conditions["hs_prefixes"])

            def hs(s: Prepared, index: int) -> str | None:
                code = s.facts.items[index].hs_code
                if not code.startswith(prefixes):
                    return None
                prefix = next(prefix for prefix in prefixes if code.startswith(prefix))
                return f"HS code starts with {prefix}"

            add_item(hs)
            self._code_parts.append(lambda code, _o: code.startswith(prefixes))
        if "origin_countries" in conditions:
            origins = {str(code).upper() for code in conditions["origin_countries"]}

            def origin(s: Prepared, index: int) -> str | None:
                code = s.facts.items[index].origin_country.upper()
                return f"origin {code}" if code in origins else None

            add_item(origin)
            self._code_parts.append(lambda _h, code: code.upper() in origins)
        keywords = keyword_pattern(conditions.get("description_keywords") or [])
        described = []
        if keywords is not None:
            add_item(_described(keywords, "the word"))
            described.append(keywords)
        for pattern in conditions.get("description_patterns") or []:
            compiled = re.compile(pattern, re.IGNORECASE)
            add_item(_described(compiled, "the pattern match"))
            described.append(compiled)
        self._description_parts += [_description_gate(found) for found in described]

        # The cheapest and most selective tests first: an item that fails one skips the rest.
        for key, compare in (("below", operator.lt), ("above", operator.gt)):
            if f"unit_value_{key}" in conditions:
                add_item(_unit_value(float(conditions[f"unit_value_{key}"]), key, compare))
        if conditions.get("party_countries"):
            add(self._party_countries(conditions))
        if conditions.get("watched_address"):
            add(self._watched(conditions))

    def _party_countries(self, conditions: dict[str, Any]) -> ShipmentTest:
        countries = {str(code).upper() for code in conditions["party_countries"]}
        roles = set(conditions.get("party_roles") or ())

        def test(s: Prepared) -> str | None:
            for party in s.facts.parties:
                if (not roles or party.role in roles) and party.country.upper() in countries:
                    return f"{party.role} '{party.name}' in {party.country.upper()}"
            return None

        return test

    def _watched(self, conditions: dict[str, Any]) -> ShipmentTest:
        categories = set(conditions.get("watch_categories") or ())
        index = self._watch

        def test(s: Prepared) -> str | None:
            for party in s.facts.parties:
                places = index.get((party.country.upper(), compact_postcode(party.postal_code)))
                if not places:
                    continue
                tokens = address_tokens(party.address_lines)
                for street, place in places:
                    if street <= tokens and (not categories or place.category in categories):
                        return (
                            f"the {party.role}'s address {', '.join(party.address_lines)} "
                            f"{party.postal_code} is on the watch list as '{place.label}' "
                            f"({place.category})"
                        )
            return None

        return test


def _all_of(parts: list[Any]) -> Any:
    """All of the tests (same arguments), or None when there is none."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    every = tuple(parts)
    return lambda *values: all(part(*values) for part in every)


def _description_gate(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    search = pattern.search
    return lambda description: search(description) is not None


def _described(pattern: re.Pattern[str], what: str) -> ItemTest:
    memo = DescriptionMemo()

    def test(s: Prepared, index: int) -> str | None:
        found = memo.search(pattern, s.descriptions[index])
        return f"{what} '{found}' in its description" if found is not None else None

    return test


def _value_per_kg(limit: float, key: str, compare: Callable[[float, float], bool]) -> ShipmentTest:
    def test(s: Prepared) -> str | None:
        weight = s.facts.gross_weight_kg
        total = s.usd(s.facts.total_value)
        if total is None or weight <= 0:
            return None
        per_kg = total / weight
        if compare(per_kg, limit):
            return f"value {money(per_kg)} per kg ({key} {money(limit)})"
        return None

    return test


def _total_value(limit: float, key: str, compare: Callable[[float, float], bool]) -> ShipmentTest:
    def test(s: Prepared) -> str | None:
        total = s.usd(s.facts.total_value)
        if total is not None and compare(total, limit):
            return f"total value {money(total)} ({key} {money(limit)})"
        return None

    return test


def _unit_value(limit: float, key: str, compare: Callable[[float, float], bool]) -> ItemTest:
    def test(s: Prepared, index: int) -> str | None:
        value = s.usd(s.facts.items[index].unit_value)
        if value is not None and compare(value, limit):
            return f"unit value {money(value)} ({key} {money(limit)})"
        return None

    return test
