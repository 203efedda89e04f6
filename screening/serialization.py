"""ListEntry <-> JSON, so list versions can be stored and the index rebuilt from them."""

from __future__ import annotations

import dataclasses
from typing import Any

from screening.engine import Address, Alias, Identifier, ListEntry


def entry_to_json(entry: ListEntry) -> dict[str, Any]:
    data = dataclasses.asdict(entry)
    data["source_fields"] = [list(pair) for pair in entry.source_fields]
    return data


def entry_from_json(data: dict[str, Any]) -> ListEntry:
    return ListEntry(
        source_id=data["source_id"],
        list_code=data["list_code"],
        entity_type=data["entity_type"],
        primary_name=data["primary_name"],
        aliases=tuple(Alias(**alias) for alias in data.get("aliases", ())),
        addresses=tuple(Address(**address) for address in data.get("addresses", ())),
        countries=tuple(data.get("countries", ())),
        dates_of_birth=tuple(data.get("dates_of_birth", ())),
        places_of_birth=tuple(data.get("places_of_birth", ())),
        identifiers=tuple(Identifier(**identifier) for identifier in data.get("identifiers", ())),
        programs=tuple(data.get("programs", ())),
        title=data.get("title", ""),
        gender=data.get("gender", ""),
        remarks=data.get("remarks", ""),
        source_fields=tuple(tuple(pair) for pair in data.get("source_fields", ())),
    )
