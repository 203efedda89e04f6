"""What every compiled rule shares: the shipment prepared once for all rules, the
snapshot's reference data, and the rule interface."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from core.reference.sanctions import SanctionedCountry
from shipments.targeting.engine.facts import ShipmentFacts
from shipments.targeting.engine.rules import RuleSpec
from shipments.targeting.engine.text import address_tokens, compact_postcode


@dataclass(frozen=True, slots=True)
class WatchedPlace:
    """An address on the watch list (e.g. a known reshipper warehouse): a party whose
    address has the same country and postcode and whose street lines contain every word
    of ``street`` matches (the suite or customer number beside it does not matter)."""

    id: int
    label: str
    category: str
    country: str
    postal_code: str
    street: str
    note: str = ""


@dataclass(frozen=True)
class ReferenceData:
    """Data the built-in analytics read, loaded with the snapshot."""

    watched: tuple[WatchedPlace, ...] = ()
    # HS heading (4 digits) -> (median unit value in US dollars, number of items seen)
    medians: Mapping[str, tuple[float, int]] = field(default_factory=dict)
    sanctioned: tuple[SanctionedCountry, ...] = ()
    usd_rates: Mapping[str, float] = field(default_factory=lambda: {"USD": 1.0})

    def watch_index(self) -> dict[tuple[str, str], list[tuple[frozenset[str], WatchedPlace]]]:
        index: dict[tuple[str, str], list[tuple[frozenset[str], WatchedPlace]]] = {}
        for place in self.watched:
            key = (place.country.upper(), compact_postcode(place.postal_code))
            index.setdefault(key, []).append((address_tokens([place.street]), place))
        return index


class Prepared:
    """One shipment with what several rules need computed once."""

    __slots__ = (
        "_descriptions",
        "arrival_date",
        "batch_window",
        "facts",
        "usd_rate",
    )

    def __init__(
        self,
        facts: ShipmentFacts,
        usd_rate: float | None,
        batch_window: tuple[int, float] | None = None,
    ) -> None:
        self.facts = facts
        self.usd_rate = usd_rate
        self.arrival_date: datetime.date = facts.estimated_arrival.date()
        self.batch_window = batch_window
        self._descriptions: list[str] | None = None

    @property
    def descriptions(self) -> list[str]:
        if self._descriptions is None:
            self._descriptions = [item.description.lower() for item in self.facts.items]
        return self._descriptions

    def usd(self, amount: float) -> float | None:
        return None if self.usd_rate is None else amount * self.usd_rate


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule fired: what in the shipment made it fire. ``full`` is False when a rule with
    a hard outcome fired only at review strength (a possible, not a likely, screening hit;
    a partly sanctioned region): it then counts its weight instead of holding."""

    explanation: str
    full: bool = True


@dataclass(frozen=True, slots=True)
class ItemGate:
    """A condition some item must meet for a rule to fire at all: on the item's lower-cased
    description and/or on its HS code and origin (both must hold when both are given)."""

    description: Callable[[str], bool] | None = None
    codes: Callable[[str, str], bool] | None = None  # (hs_code, origin_country)


class CompiledRule:
    """A rule ready to evaluate. Subclasses implement ``explain``.

    ``item_gate``, when a rule has one, is a condition some item must meet for the rule to
    fire at all, on the item's lower-cased description, HS code and origin only: the
    snapshot answers the gates of every rule together, once per distinct description and
    once per distinct HS code and origin (they repeat), and calls ``explain`` only when an
    item of the shipment passes."""

    needs_screening = False
    item_gate: ItemGate | None = None

    def __init__(self, spec: RuleSpec, reference: ReferenceData) -> None:
        self.spec = spec
        self.reference = reference
        self.dated = spec.effective_from is not None or spec.effective_to is not None

    def explain(self, shipment: Prepared) -> Finding | None:  # pragma: no cover - abstract
        raise NotImplementedError


def item_label(index: int, shipment: Prepared) -> str:
    item = shipment.facts.items[index]
    description = item.description if len(item.description) <= 60 else item.description[:57] + "..."
    return f"item {index + 1} '{description}' (HS {item.hs_code})"


def money(amount: float) -> str:
    return f"USD {amount:,.2f}"
