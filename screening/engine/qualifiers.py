"""Qualifiers: what the caller knows besides the name raises or lowers a match's score, each
adjustment explained.

The caller may give the entity type, a country, a date of birth, identifiers and an address;
agreement raises the score a little, disagreement lowers it (a different birth year lowers it a
lot), and an identical identifier number sets a floor of :data:`IDENTIFIER_FLOOR`. (Weak
aliases, OFAC weak a.k.a.s and UN low-quality aliases, cost
:data:`.explain.WEAK_ALIAS_PENALTY`.)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from screening.engine.countries import country_code
from screening.engine.models import ListEntry
from screening.engine.normalize import fold

ENTITY_TYPE_PENALTY = 0.10
COUNTRY_BONUS = 0.02
COUNTRY_PENALTY = 0.04
BIRTH_DATE_BONUS = 0.08
BIRTH_YEAR_BONUS = 0.04
BIRTH_YEAR_PENALTY = 0.15
IDENTIFIER_BONUS = 0.30
IDENTIFIER_FLOOR = 0.90
ADDRESS_BONUS = 0.03
PERSON_TYPES = frozenset({"individual"})
_NON_ALNUM = re.compile(r"[^A-Z0-9]")


def identifier_key(number: str) -> str:
    return _NON_ALNUM.sub("", number.upper())


def parse_birth(value: str | dt.date | None) -> tuple[int, int, int] | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return (value.year, value.month, value.day)
    parts = [int(part) for part in re.findall(r"\d+", value)]
    if not parts or parts[0] < 1000:
        return None
    return (parts[0], parts[1] if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else 0)


def listed_birth(value: str) -> tuple[int, int, int, int] | None:
    """``(first year, last year, month, day)`` of a listed date of birth."""
    if "/" in value:
        start, _, end = value.partition("/")
        if start[:4].isdigit() and end[:4].isdigit():
            return (int(start[:4]), int(end[:4]), 0, 0)
        return None
    parsed = parse_birth(value)
    if parsed is None:
        return None
    return (parsed[0], parsed[0], parsed[1], parsed[2])


@dataclass(frozen=True, slots=True)
class Qualifiers:
    entity_type: str | None
    country: str
    country_raw: str
    birth: tuple[int, int, int] | None
    identifier_keys: set[str]
    address_words: set[str]

    @classmethod
    def of(
        cls,
        *,
        entity_type: str | None,
        country: str | None,
        date_of_birth: str | dt.date | None,
        identifier_keys: set[str],
        address: str | None,
    ) -> Qualifiers:
        """What the caller gave, as compared: a country as its code, the date of birth
        parsed, the address as its words of three letters or more."""
        return cls(
            entity_type=entity_type,
            country=country_code(country) if country else "",
            country_raw=country or "",
            birth=parse_birth(date_of_birth),
            identifier_keys=identifier_keys,
            address_words={word for word in fold(address or "") if len(word) >= 3},
        )

    @property
    def ceiling(self) -> float:
        """The most these qualifiers can add to a name score."""
        return (
            (COUNTRY_BONUS if self.country else 0.0)
            + (BIRTH_DATE_BONUS if self.birth else 0.0)
            + (ADDRESS_BONUS if self.address_words else 0.0)
        )

    def adjusted(self, name_score: float, adjustments: list[dict[str, Any]]) -> float:
        """The score after ``adjustments``: an identical identifier sets a floor of
        :data:`IDENTIFIER_FLOOR`; the result stays in ``[0, 1]``."""
        score = name_score + sum(item["delta"] for item in adjustments)
        if any(item["factor"] == "identifier" for item in adjustments):
            score = max(score, IDENTIFIER_FLOOR)
        return min(max(score, 0.0), 1.0)

    def adjustments(self, entry: ListEntry) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if self.entity_type and self.entity_type != "unknown" and entry.entity_type != "unknown":
            query_person = self.entity_type in PERSON_TYPES
            listed_person = entry.entity_type in PERSON_TYPES
            if query_person != listed_person:
                found.append(
                    {
                        "factor": "entity_type",
                        "delta": -ENTITY_TYPE_PENALTY,
                        "detail": f"query is {'a person' if query_person else 'an organisation'}"
                        f", the listed party is {entry.entity_type}",
                    }
                )
        if self.country:
            countries = entry.all_countries()
            if self.country in countries:
                found.append(
                    {
                        "factor": "country",
                        "delta": COUNTRY_BONUS,
                        "detail": f"country {self.country} is linked to the listed party",
                    }
                )
            elif countries:
                found.append(
                    {
                        "factor": "country",
                        "delta": -COUNTRY_PENALTY,
                        "detail": f"country {self.country} is not among the listed party's "
                        f"countries ({', '.join(countries)})",
                    }
                )
        if self.birth and entry.dates_of_birth:
            found += self._birth(entry)
        if self.identifier_keys:
            for identifier in entry.identifiers:
                if identifier_key(identifier.number) in self.identifier_keys:
                    found.append(
                        {
                            "factor": "identifier",
                            "delta": IDENTIFIER_BONUS,
                            "detail": f"{identifier.id_type} {identifier.number} is the same "
                            "number as listed",
                        }
                    )
                    break
        if self.address_words and entry.addresses:
            listed_words = {
                word
                for address in entry.addresses
                for word in fold(address.as_text())
                if len(word) >= 3
            }
            shared = self.address_words & listed_words
            if len(shared) >= max(2, len(self.address_words) // 2):
                found.append(
                    {
                        "factor": "address",
                        "delta": ADDRESS_BONUS,
                        "detail": f"address words shared with a listed address: "
                        f"{', '.join(sorted(shared))}",
                    }
                )
        return found

    def _birth(self, entry: ListEntry) -> list[dict[str, Any]]:
        assert self.birth is not None
        year, month, day = self.birth
        listed = [parsed for value in entry.dates_of_birth if (parsed := listed_birth(value))]
        if not listed:
            return []
        shown = ", ".join(entry.dates_of_birth)
        for first, last, listed_month, listed_day in listed:
            if (
                first == last == year
                and month
                and day
                and (listed_month, listed_day)
                == (
                    month,
                    day,
                )
            ):
                return [
                    {
                        "factor": "date_of_birth",
                        "delta": BIRTH_DATE_BONUS,
                        "detail": f"date of birth matches the listed {shown}",
                    }
                ]
        if any(first <= year <= last for first, last, _, _ in listed):
            return [
                {
                    "factor": "date_of_birth",
                    "delta": BIRTH_YEAR_BONUS,
                    "detail": f"birth year {year} matches the listed {shown}",
                }
            ]
        if any(first - 1 <= year <= last + 1 for first, last, _, _ in listed):
            return [
                {
                    "factor": "date_of_birth",
                    "delta": 0.0,
                    "detail": f"birth year {year} is within a year of the listed {shown}",
                }
            ]
        return [
            {
                "factor": "date_of_birth",
                "delta": -BIRTH_YEAR_PENALTY,
                "detail": f"birth year {year} differs from the listed {shown}",
            }
        ]
