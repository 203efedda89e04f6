"""What the targeting engine reads about a shipment and what it answers.

Plain frozen dataclasses, no Django: the ingest path builds ``ShipmentFacts`` from the
validated payload, the screening task adds ``screening`` and ``consignee_window`` from the
database, and the back-test builds them from stored versions. Amounts are floats in the
shipment's currency (the engine converts them to US dollars with the snapshot's rates);
scores are points (see ``engine``)."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any


class Standing(enum.StrEnum):
    """The filer's standing in the known-shipper program when the shipment was filed."""

    KNOWN = "known"  # a current certificate of an approved (or reinstated) application
    NONE = "none"  # not a known shipper (a registered filer: carrier, broker, post, ...)
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Level(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    PENDING = "pending"


class Decision(enum.StrEnum):
    RELEASE = "release"
    REVIEW = "review"
    HOLD = "hold"
    PENDING = "pending"


class PartyRole(enum.StrEnum):
    SELLER = "seller"
    SHIPPER = "shipper"
    CONSIGNEE = "consignee"
    MANUFACTURER = "manufacturer"


@dataclass(frozen=True, slots=True)
class Party:
    role: str  # a PartyRole value
    name: str
    country: str  # ISO 3166-1 alpha-2
    address_lines: tuple[str, ...] = ()
    city: str = ""
    postal_code: str = ""
    region: str = ""  # ISO 3166-2 code when known, e.g. "UA-43"
    identifier: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    description: str
    hs_code: str  # 6 to 10 digits
    quantity: float
    unit_value: float  # in the shipment's currency
    origin_country: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True, slots=True)
class PartyScreening:
    """The denied-party screening of one party of the shipment: its best score and the
    matches at or above the review threshold, each in ``screening.selectors.match_json``
    shape (list, source_id, name, matched_name, score, explanation with its summary)."""

    role: str
    name: str
    score: float
    matches: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class ShipmentFacts:
    organisation_id: int
    standing: Standing
    first_shipment: bool
    mode: str  # air | truck | rail | sea | postal
    port: str
    estimated_arrival: datetime.datetime
    currency: str
    total_value: float
    gross_weight_kg: float
    packages: int
    parties: tuple[Party, ...]
    items: tuple[Item, ...]
    tier: int | None = None  # 1 or 2 for a known shipper
    key: str = ""  # the caller's id for the shipment, echoed in back-test results
    # None while party screening has not run; then one entry per screened party.
    screening: tuple[PartyScreening, ...] | None = None
    # Other shipments to the same consignee in the split-shipment window: (count, value in
    # US dollars). None: the engine counts the other shipments of the same batch only.
    consignee_window: tuple[int, float] | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a rule fired, explained like a screening match."""

    rule: str  # the rule's code
    version: int
    code: str  # the rule kind, e.g. "prohibited_origin"
    title: str  # the reason the supervisor wrote for officers
    explanation: str  # what in this shipment made it fire
    weight: float | None = None
    outcome: str | None = None  # "hold" for a hard outcome
    shadow: bool = False
    citation: str = ""
    # What the filer may read (legal prohibitions); empty for everything else: filers never
    # see the targeting rules or screening matches.
    filer_message: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "version": self.version,
            "code": self.code,
            "title": self.title,
            "explanation": self.explanation,
            "message": f"{self.title}: {self.explanation}",
            "shadow": self.shadow,
        }
        if self.outcome:
            data["outcome"] = self.outcome
        else:
            data["weight"] = self.weight
        if self.citation:
            data["citation"] = self.citation
        if self.filer_message:
            data["filer_message"] = self.filer_message
        return data


@dataclass(frozen=True, slots=True)
class RiskResult:
    level: Level
    decision: Decision
    score: float
    reasons: tuple[Reason, ...] = ()
    snapshot_version: int = 0
    screening_pending: bool = False
    hits: tuple[str, ...] = field(default=())  # codes of every rule that fired, shadow too

    def as_json(self) -> dict[str, Any]:
        """The ``risk`` object of the batch API."""
        return {
            "level": str(self.level),
            "decision": str(self.decision),
            "score": self.score,
            "reasons": [reason.as_json() for reason in self.reasons],
        }
