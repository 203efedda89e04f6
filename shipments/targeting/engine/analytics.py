"""The built-in analytics, each a rule kind with its own explanation.

* ``prohibited_origin``: goods of a prohibited origin (Iran, Cuba, North Korea: 31 CFR
  560.201, 515.204, 510.206), unless an exception in force on the arrival date covers the
  item (e.g. informational materials, 50 USC 1702(b)(3)).
* ``sanctioned_places``: a party (or an item's origin) in a country or region under
  comprehensive sanctions on the arrival date (``core.reference.sanctions``); a partly
  sanctioned region is a review, not a hold.
* ``party_screening``: the parties against the active denied-party lists (screened
  asynchronously; the result is pending until then).
* ``split_shipment``: one consignee, several shipments within a window whose combined
  value passes a threshold.
* ``description_mismatch``: the description names goods of one kind and the HS code is in
  none of that kind's chapters.
* ``undervaluation``: an item's unit value below a share of the median unit value seen
  for its HS heading."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from core.reference.origins import load_prohibited_origins, prohibited_origin
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
from shipments.targeting.engine.text import DescriptionMemo, keyword_pattern


class ProhibitedOriginRule(CompiledRule):
    """The origins, their citations and the regulations' exceptions come from
    ``core.reference.origins`` (the one source, also used by vetting); the rule's own
    ``exceptions`` condition can only add exceptions an officer has accepted, and its
    ``origins`` condition no longer narrows the prohibition."""

    def __init__(self, spec: RuleSpec, reference: ReferenceData) -> None:
        super().__init__(spec, reference)
        self.exceptions = [_Exception(data) for data in spec.conditions.get("exceptions") or []]
        # Every origin prohibited on some day: most items are of none of them.
        self.codes = codes = frozenset(load_prohibited_origins().origins)
        self.item_gate = ItemGate(
            codes=lambda _h, origin: origin in codes or origin.strip().upper() in codes
        )

    def explain(self, shipment: Prepared) -> Finding | None:
        found: list[str] = []
        excepted: list[str] = []
        codes = self.codes
        for index, item in enumerate(shipment.facts.items):
            if (
                item.origin_country not in codes
                and item.origin_country.strip().upper() not in codes
            ):
                continue
            origin = prohibited_origin(item.origin_country, item.hs_code, shipment.arrival_date)
            if origin is None:
                continue
            label = item_label(index, shipment)
            exception = origin.exception or next(
                (e for e in self.exceptions if e.covers(shipment, index, item.origin_country)),
                None,
            )
            if exception is not None:
                excepted.append(f"{label} is excepted as {exception.label} ({exception.citation})")
                continue
            found.append(
                f"{label} is of {origin.adjective} origin ({origin.code}), "
                f"a prohibited import under {origin.citation}"
            )
        if not found:
            return None
        return Finding("; ".join(found + excepted) + ".")


class _Exception:
    """An exception to the prohibition, as dated data: HS prefixes and/or description
    keywords, optionally only for some origins."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.label = str(data.get("label", "an exception"))
        self.citation = str(data.get("citation", ""))
        self.origins = {str(code).upper() for code in data.get("origins") or ()}
        self.hs_prefixes = tuple(str(prefix) for prefix in data.get("hs_prefixes") or ())
        self.keywords = keyword_pattern(data.get("keywords") or [])
        self.start = _date(data.get("effective_from"))
        self.end = _date(data.get("effective_to"))

    def covers(self, shipment: Prepared, index: int, origin: str) -> bool:
        day = shipment.arrival_date
        if (self.start and day < self.start) or (self.end and day > self.end):
            return False
        if self.origins and origin.upper() not in self.origins:
            return False
        item = shipment.facts.items[index]
        if self.hs_prefixes and not item.hs_code.startswith(self.hs_prefixes):
            return False
        return not (self.keywords and not self.keywords.search(shipment.descriptions[index]))


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


class SanctionedPlacesRule(CompiledRule):
    def __init__(self, spec: RuleSpec, reference: ReferenceData) -> None:
        super().__init__(spec, reference)
        self.roles = set(spec.conditions.get("party_roles") or ())
        self.check_origins = bool(spec.conditions.get("check_origins", True))
        self.by_code: dict[str, list[Any]] = {}
        self.except_origins: set[str] = set()
        for entry in reference.sanctioned:
            self.by_code.setdefault(entry.code, []).append(entry)
        self.codes = frozenset(self.by_code)
        # Goods of these origins are left to the prohibited-origin rule and its exceptions.
        for code in spec.conditions.get("except_origins") or ():
            self.except_origins.add(str(code).upper())

    def _entry(self, code: str, day: datetime.date) -> Any:
        entries = self.by_code.get(code) or self.by_code.get(code.upper())
        if not entries:
            return None
        for entry in entries:
            if entry.in_effect_on(day):
                return entry
        return None

    def explain(self, shipment: Prepared) -> Finding | None:
        by_code = self.by_code
        facts = shipment.facts
        if not by_code:
            return None
        codes = self.codes
        if (
            codes.isdisjoint([p.country for p in facts.parties])
            and codes.isdisjoint([p.region for p in facts.parties if p.region])
            and (
                not self.check_origins or codes.isdisjoint([i.origin_country for i in facts.items])
            )
        ):
            return None
        day = shipment.arrival_date
        found: list[str] = []
        full = False
        for party in shipment.facts.parties:
            if self.roles and party.role not in self.roles:
                continue
            for code in (party.country, party.region):
                entry = code and self._entry(code, day)
                if entry:
                    found.append(
                        f"the {party.role} '{party.name}' is in {entry.name} ({entry.code}), "
                        f"under comprehensive sanctions ({entry.citation})"
                        + (": only part of the region is sanctioned" if entry.partial else "")
                    )
                    full = full or not entry.partial
        if self.check_origins:
            for index, item in enumerate(shipment.facts.items):
                if item.origin_country.upper() in self.except_origins:
                    continue
                entry = self._entry(item.origin_country, day)
                if entry:
                    found.append(
                        f"{item_label(index, shipment)} originates in {entry.name}, under "
                        f"comprehensive sanctions ({entry.citation})"
                    )
                    full = full or not entry.partial
        if not found:
            return None
        return Finding("; ".join(found) + ".", full=full)


class PartyScreeningRule(CompiledRule):
    needs_screening = True

    def __init__(self, spec: RuleSpec, reference: ReferenceData) -> None:
        super().__init__(spec, reference)
        self.roles = set(spec.conditions.get("roles") or ())
        self.hit_score = float(spec.conditions.get("hit_score", 0.87))
        self.review_score = float(spec.conditions.get("review_score", 0.75))

    def explain(self, shipment: Prepared) -> Finding | None:
        found: list[str] = []
        full = False
        for screened in shipment.facts.screening or ():
            if (self.roles and screened.role not in self.roles) or (
                screened.score < self.review_score
            ):
                continue
            top = screened.matches[0] if screened.matches else {}
            likely = screened.score >= self.hit_score
            full = full or likely
            summary = str((top.get("explanation") or {}).get("summary", "")).rstrip(".")
            found.append(
                f"{'likely hit' if likely else 'possible match'}: the {screened.role} "
                f"'{screened.name}' ~ {top.get('list', '?')} {top.get('source_id', '')} "
                f"'{top.get('matched_name', '')}' ({screened.score:.2f})"
                + (f" - {summary}" if summary else "")
            )
        if not found:
            return None
        return Finding("; ".join(found) + ".", full=full)


class SplitShipmentRule(CompiledRule):
    def __init__(self, spec: RuleSpec, reference: ReferenceData) -> None:
        super().__init__(spec, reference)
        self.window_hours = float(spec.conditions["window_hours"])
        self.threshold = float(spec.conditions["threshold_usd"])

    def explain(self, shipment: Prepared) -> Finding | None:
        facts = shipment.facts
        others = facts.consignee_window or shipment.batch_window
        own = shipment.usd(facts.total_value)
        if not others or others[0] < 1 or own is None:
            return None
        count, value = others
        combined = own + value
        if combined <= self.threshold:
            return None
        consignee = next((p for p in facts.parties if p.role == "consignee"), None)
        name = consignee.name if consignee else "the consignee"
        return Finding(
            f"'{name}' receives {count + 1} shipments within {self.window_hours:g} hours "
            f"worth {money(combined)} together (this one {money(own)}), above "
            f"{money(self.threshold)}: the shipments may be split to pass a threshold."
        )


class DescriptionMismatchRule(CompiledRule):
    def __init__(self, spec: RuleSpec, reference: ReferenceData) -> None:
        super().__init__(spec, reference)
        self.groups = []
        keywords: list[str] = []
        for group in spec.conditions["groups"]:
            pattern = keyword_pattern(group.get("keywords") or [])
            chapters = tuple(str(chapter) for chapter in group.get("chapters") or ())
            if pattern is not None and chapters:
                self.groups.append((pattern, chapters, str(group.get("label", "goods"))))
                keywords += group.get("keywords") or []
        # One search an item finds whether any group's word is there at all.
        self.any_word = keyword_pattern(keywords)
        self.memo = DescriptionMemo()
        self.mismatches: dict[tuple[str, str], str | None] = {}
        any_word = self.any_word
        self.item_gate = ItemGate(
            description=lambda description: (
                any_word is not None and any_word.search(description) is not None
            )
        )

    def explain(self, shipment: Prepared) -> Finding | None:
        if self.any_word is None:
            return None
        found: list[str] = []
        items = shipment.facts.items
        for index, description in enumerate(shipment.descriptions):
            if self.memo.search(self.any_word, description) is None:
                continue
            key = (description, items[index].hs_code)
            if key in self.mismatches:
                mismatch = self.mismatches[key]
            else:
                mismatch = self._mismatch(*key)
                if len(self.mismatches) >= 50_000:
                    self.mismatches.clear()
                self.mismatches[key] = mismatch
            if mismatch is not None:
                found.append(f"{item_label(index, shipment)} {mismatch}")
        if not found:
            return None
        return Finding("; ".join(found) + ".")

    def _mismatch(self, description: str, hs_code: str) -> str | None:
        for pattern, chapters, label in self.groups:
            if hs_code.startswith(chapters):
                continue
            word = pattern.search(description)
            if word:
                return (
                    f"is described as {label} ('{word.group(0)}'), which is classified in "
                    f"chapter(s) {', '.join(chapters)}, not chapter {hs_code[:2]}"
                )
        return None


class UndervaluationRule(CompiledRule):
    def __init__(self, spec: RuleSpec, reference: ReferenceData) -> None:
        super().__init__(spec, reference)
        self.ratio = float(spec.conditions["ratio"])
        self.min_samples = int(spec.conditions.get("min_samples", 30))
        self.medians = medians = reference.medians
        min_samples = self.min_samples

        def gate(hs_code: str, _origin: str) -> bool:
            median = medians.get(hs_code[:4])
            return median is not None and median[1] >= min_samples and median[0] > 0

        self.item_gate = ItemGate(codes=gate)

    def explain(self, shipment: Prepared) -> Finding | None:
        if not self.medians:
            return None
        found: list[str] = []
        for index, item in enumerate(shipment.facts.items):
            median = self.medians.get(item.hs_code[:4])
            if median is None or median[1] < self.min_samples or median[0] <= 0:
                continue
            value = shipment.usd(item.unit_value)
            if value is None or value >= self.ratio * median[0]:
                continue
            found.append(
                f"{item_label(index, shipment)} is declared at {money(value)} a unit, "
                f"{value / median[0]:.0%} of the median {money(median[0])} seen for heading "
                f"{item.hs_code[:4]} ({median[1]} items); below {self.ratio:.0%} of it"
            )
        if not found:
            return None
        return Finding("; ".join(found) + ".")
