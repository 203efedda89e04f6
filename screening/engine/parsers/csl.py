"""trade.gov Consolidated Screening List (CSL): current CSV, 2019 CSV and JSON formats.

The CSL merges about a dozen US export-control and sanctions lists; each row's ``source`` names
its list, e.g. ``"Entity List (EL) - Bureau of Industry and Security"``. The entry's
``list_code`` is ``"CSL-"`` plus the code in parentheses (``"CSL-EL"``, ``"CSL-SDN"``).

``source_id`` is ``entity_number`` when the row has one (Treasury lists), else the CSV ``_id`` /
JSON ``id`` column, else (2019 rows of Commerce and State lists, which carry no key at all) a
derived ``"h:"`` + 16 hex digits of SHA-256 over source, name and addresses; such entries show as
removed and added when their name or address changes.

Multi-value cells are separated by ``"; "``. The current CSV writes ``ids`` as ``type, number,
country``; the 2019 CSV wrote ``country, number, type``; ids that are not identifiers (gender,
"Secondary sanctions risk:" statements, directive determinations) are kept in ``source_fields``.
The JSON format (``{"results": [...]}``) is read incrementally, one result object at a time.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from screening.engine.countries import country_code, is_country_code
from screening.engine.models import Address, Alias, EntityType, Identifier, ListEntry, ParseError
from screening.engine.parsers._common import (
    Source,
    clean,
    iter_lines,
    parse_date,
    source_name,
    split_multi,
    unique,
)

CURRENT_COLUMNS = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
)
REQUIRED_COLUMNS = ("source", "name")
_KEPT_FIELDS = (
    "source",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "source_list_url",
    "source_information_url",
)
_TYPES: dict[str, EntityType] = {
    "individual": "individual",
    "entity": "entity",
    "vessel": "vessel",
    "aircraft": "aircraft",
}
_LIST_CODE = re.compile(r"\(([A-Z0-9-]+)\)")
_SUCCESSOR_CLAUSE = re.compile(r";?\s*and any successor.*$", re.IGNORECASE)
_NOT_IDENTIFIERS = (
    "gender",
    "secondary sanctions risk",
    "transactions prohibited",
    "executive order",
    "additional sanctions information",
    "organization established date",
    "organization type",
    "target type",
    "listing date",
    "effective date",
    "caatsa section",
    "aircraft model",
    "aircraft operator",
    "aircraft manufacture date",
    "former vessel flag",
    "other vessel",
    "vessel year of build",
    "purchase/sales",
)
_POSTAL = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,9}$", re.IGNORECASE)


def list_code_of(source: str) -> str:
    """``"CSL-EL"`` for ``"Entity List (EL) - Bureau of Industry and Security"``."""
    match = _LIST_CODE.search(source)
    return f"CSL-{match.group(1)}" if match else "CSL"


def _strip_conjunction(text: str) -> str:
    text = text.strip().rstrip(".").strip()
    return text[4:].strip() if text.lower().startswith("and ") else text


def _address_from_text(text: str) -> Address:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    country = ""
    country_raw = ""
    if parts and len(parts[-1]) == 2 and is_country_code(parts[-1].upper()):
        country_raw = parts.pop()
        country = country_raw.upper()
    elif parts and country_code(parts[-1]):
        country_raw = parts.pop()
        country = country_code(country_raw)
    postal = ""
    if len(parts) >= 2 and any(ch.isdigit() for ch in parts[-1]) and _POSTAL.match(parts[-1]):
        postal = parts.pop()
    state = ""
    if len(parts) >= 3 and len(parts[-1]) <= 3 and parts[-1].isupper():
        state = parts.pop()
    city = parts.pop() if parts else ""
    return Address(", ".join(parts), city, state, postal, country, country_raw)


def _address_from_json(value: Mapping[str, Any]) -> Address:
    country_raw = clean(str(value.get("country") or ""))
    return Address(
        street=clean(str(value.get("address") or "")),
        city=clean(str(value.get("city") or "")),
        state_or_province=clean(str(value.get("state") or "")),
        postal_code=clean(str(value.get("postal_code") or "")),
        country=country_code(country_raw),
        country_raw=country_raw,
    )


def _identifier(type_text: str, number: str, country_raw: str) -> Identifier | None:
    type_text = type_text.strip().rstrip(":").strip()
    lowered = type_text.lower()
    if not number or not type_text or lowered.startswith(_NOT_IDENTIFIERS):
        return None
    return Identifier(type_text, number.strip(), country_code(country_raw), country_raw.strip())


def _identifiers_from_text(text: str, legacy: bool) -> tuple[list[Identifier], list[str]]:
    identifiers: list[Identifier] = []
    others: list[str] = []
    for item in split_multi(text):
        parts = [part.strip() for part in item.split(", ")]
        found: Identifier | None = None
        if legacy and len(parts) >= 3 and is_country_code(parts[0]):
            found = _identifier(", ".join(parts[2:]), parts[1], parts[0])
        elif legacy and len(parts) == 2:
            found = _identifier(parts[1], parts[0], "")
        elif not legacy and len(parts) >= 2:
            country = parts[2] if len(parts) == 3 and is_country_code(parts[2]) else ""
            number = parts[1] if country or len(parts) == 2 else ", ".join(parts[1:])
            found = _identifier(parts[0], number, country)
        if found:
            identifiers.append(found)
        else:
            others.append(item)
    return identifiers, others


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value if item)
    return str(value)


def _entry(row: Mapping[str, Any], legacy: bool, location: int | str, name: str) -> ListEntry:
    source = clean(_text(row.get("source")))
    primary = _SUCCESSOR_CLAUSE.sub("", clean(_text(row.get("name")))).strip()
    if not primary:
        raise ParseError("name is empty", location, name)
    raw_addresses = row.get("addresses")
    if isinstance(raw_addresses, list):
        addresses = tuple(
            _address_from_json(item) if isinstance(item, Mapping) else _address_from_text(item)
            for item in raw_addresses
            if item
        )
    else:
        addresses = tuple(
            _address_from_text(_strip_conjunction(part))
            for part in split_multi(_text(raw_addresses))
        )
    raw_ids = row.get("ids")
    identifiers: list[Identifier] = []
    other_ids: list[str] = []
    gender = ""
    if isinstance(raw_ids, list):
        for item in raw_ids:
            if not isinstance(item, Mapping):
                continue
            kind, number = clean(_text(item.get("type"))), clean(_text(item.get("number")))
            found = _identifier(kind, number, clean(_text(item.get("country"))))
            if kind.lower() == "gender":
                gender = number.lower()
            elif found:
                identifiers.append(found)
            elif kind or number:
                other_ids.append(f"{kind}, {number}")
    else:
        identifiers, other_ids = _identifiers_from_text(_text(raw_ids), legacy)
        for item in other_ids:
            if item.lower().startswith("gender,"):
                gender = item.split(",", 1)[1].strip().lower()
    alt_names = row.get("alt_names")
    alias_names = (
        [clean(_text(item)) for item in alt_names]
        if isinstance(alt_names, list)
        else list(split_multi(_text(alt_names)))
    )
    nationality_texts = [
        *split_multi(_text(row.get("nationalities"))),
        *split_multi(_text(row.get("citizenships"))),
    ]
    source_id = clean(_text(row.get("entity_number"))) or clean(
        _text(row.get("_id") or row.get("id"))
    )
    if not source_id:
        basis = "|".join((source, primary, *(address.as_text() for address in addresses)))
        source_id = "h:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
    kind = clean(_text(row.get("type"))).lower()
    return ListEntry(
        source_id=source_id,
        list_code=list_code_of(source),
        entity_type=_TYPES.get(kind, "unknown"),
        primary_name=primary,
        aliases=tuple(
            dict.fromkeys(
                Alias(_strip_conjunction(alias)) for alias in alias_names if alias.strip(" .;")
            )
        ),
        addresses=addresses,
        countries=unique(
            [
                *(country_code(text) for text in nationality_texts),
                country_code(clean(_text(row.get("vessel_flag")))),
                *(identifier.country for identifier in identifiers),
            ]
        ),
        dates_of_birth=unique(
            [parse_date(text) for text in split_multi(_text(row.get("dates_of_birth")))]
        ),
        places_of_birth=split_multi(_text(row.get("places_of_birth"))),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programs=split_multi(_text(row.get("programs"))),
        title=clean(_text(row.get("title"))),
        gender=gender,
        remarks=clean(_text(row.get("remarks"))),
        source_fields=tuple(
            (field, value) for field in _KEPT_FIELDS if (value := clean(_text(row.get(field))))
        )
        + tuple(
            ("ids_other", item) for item in other_ids if not item.lower().startswith("gender,")
        ),
    )


def parse_csl_csv(source: Source) -> Iterator[ListEntry]:
    """Yield the entries of a CSL CSV file, current layout (with ``_id``) or the 2019 layout.

    Raises :class:`ParseError` when the header lacks ``source`` or ``name``, when a row has a
    different number of cells than the header, or when a row's name is empty.
    """
    name = source_name(source)
    reader = csv.reader(iter_lines(source))
    try:
        header = [column.strip().lstrip("\ufeff") for column in next(reader, [])]
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise ParseError(
                f"not a Consolidated Screening List CSV: missing column(s) {', '.join(missing)}",
                1,
                name,
            )
        legacy = "_id" not in header
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise ParseError(
                    f"expected {len(header)} cells as in the header, got {len(row)}",
                    reader.line_num,
                    name,
                )
            yield _entry(dict(zip(header, row, strict=True)), legacy, reader.line_num, name)
    except csv.Error as error:
        raise ParseError(f"malformed CSV: {error}", reader.line_num, name) from error


_CHUNK = 1 << 16


def _iter_json_objects(source: Source) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """Yield ``(index, line, object)`` for each item of the top-level ``results`` array."""
    name = source_name(source)
    lines = iter_lines(source)
    buffer = ""
    position = 0
    consumed_lines = 1
    exhausted = False
    decoder = json.JSONDecoder()

    def fill() -> bool:
        nonlocal buffer, exhausted
        if exhausted:
            return False
        chunk: list[str] = []
        size = 0
        for line in lines:
            chunk.append(line)
            size += len(line)
            if size >= _CHUNK:
                break
        else:
            exhausted = True
        buffer += "".join(chunk)
        return bool(chunk)

    def skip_blank() -> None:
        nonlocal position
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n":
                position += 1
            if position < len(buffer) or not fill():
                return

    def line_at(offset: int) -> int:
        return consumed_lines + buffer.count("\n", 0, offset)

    fill()
    skip_blank()
    if buffer[position : position + 1] == "{":
        while '"results"' not in buffer and fill():
            pass
        key = buffer.find('"results"')
        if key < 0:
            raise ParseError('no "results" array in the JSON document', line_at(position), name)
        position = key + len('"results"')
        skip_blank()
        if buffer[position : position + 1] != ":":
            raise ParseError('expected ":" after "results"', line_at(position), name)
        position += 1
        skip_blank()
    if buffer[position : position + 1] != "[":
        raise ParseError("expected a JSON array of results", line_at(position), name)
    position += 1
    index = 0
    while True:
        skip_blank()
        if buffer[position : position + 1] == "]":
            return
        if index and buffer[position : position + 1] == ",":
            position += 1
            skip_blank()
        elif index:
            raise ParseError(
                f"expected ',' or ']' after results[{index - 1}]", line_at(position), name
            )
        while True:
            try:
                value, end = decoder.raw_decode(buffer, position)
                break
            except json.JSONDecodeError as error:
                if fill():
                    continue
                raise ParseError(
                    f"invalid JSON in results[{index}]: {error.msg}", line_at(error.pos), name
                ) from error
        if not isinstance(value, dict):
            raise ParseError(f"results[{index}] is not an object", line_at(position), name)
        yield index, line_at(position), value
        consumed_lines += buffer.count("\n", 0, end)
        buffer = buffer[end:]
        position = 0
        index += 1


def parse_csl_json(source: Source) -> Iterator[ListEntry]:
    """Yield the entries of a CSL JSON document ``{"results": [{...}, ...]}`` (or a bare array).

    Raises :class:`ParseError` with the line and ``results[i]`` position on invalid JSON, a
    result that is not an object, or a result without a name.
    """
    name = source_name(source)
    for index, line, value in _iter_json_objects(source):
        yield _entry(value, False, f"line {line}, results[{index}]", name)
