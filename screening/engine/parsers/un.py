"""UN Security Council consolidated list, XML (``UN_consolidated.xml``).

``CONSOLIDATED_LIST`` holds ``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY`` records keyed by
``DATAID``. Names are ``FIRST_NAME`` .. ``FOURTH_NAME`` in the list's order; aliases carry a
``QUALITY`` (individuals: ``Good`` = strong, ``Low`` = weak; entities: ``a.k.a.``/``f.k.a.``);
``NAME_ORIGINAL_SCRIPT`` becomes an alias of type ``"original_script"``. Dates of birth are
``EXACT`` (``DATE`` or ``YEAR``), ``APPROXIMATELY`` (``YEAR``) or ``BETWEEN``
(``FROM_YEAR``/``TO_YEAR``, kept as ``"1957/1959"``).

The file is read incrementally and every record is dropped once yielded. Documents with a
document type declaration (``<!DOCTYPE``) or entity declarations are refused before parsing, which
rules out entity-expansion and external-entity attacks without a third-party parser.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import IO, cast

from screening.engine.countries import country_code
from screening.engine.models import (
    Address,
    Alias,
    AliasStrength,
    Identifier,
    ListEntry,
    ParseError,
)
from screening.engine.parsers._common import Source, clean, parse_date, source_name, unique

LIST_CODE = "UN"
_RECORDS = {"INDIVIDUAL": "individual", "ENTITY": "entity"}
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 1 << 16


def _chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk
        return
    stream: IO[bytes] | IO[str] = source
    while data := stream.read(_CHUNK):
        yield data.encode("utf-8") if isinstance(data, str) else data


def _text(element: ET.Element | None, tag: str) -> str:
    if element is None:
        return ""
    found = element.find(tag)
    return clean(found.text) if found is not None else ""


def _values(element: ET.Element, tag: str) -> list[str]:
    return [
        clean(value.text)
        for holder in element.findall(tag)
        for value in holder.findall("VALUE")
        if clean(value.text)
    ]


def _date_of_birth(element: ET.Element) -> str:
    kind = _text(element, "TYPE_OF_DATE").upper()
    if kind == "BETWEEN":
        start, end = _text(element, "FROM_YEAR"), _text(element, "TO_YEAR")
        return f"{start}/{end}" if start and end else start or end
    return parse_date(_text(element, "DATE")) or parse_date(_text(element, "YEAR"))


def _record(element: ET.Element, path: str, name: str) -> ListEntry:
    kind = element.tag
    data_id = _text(element, "DATAID")
    if not data_id:
        raise ParseError("DATAID is missing", path, name)
    primary = " ".join(
        part for part in (_text(element, f"{ordinal}_NAME") for ordinal in _ORDINALS) if part
    )
    if not primary:
        raise ParseError(f"record {data_id} has no FIRST_NAME", path, name)
    aliases: list[Alias] = []
    for alias in element.findall(f"{kind}_ALIAS"):
        alias_name = _text(alias, "ALIAS_NAME")
        if not alias_name:
            continue
        quality = _text(alias, "QUALITY").lower()
        strength: AliasStrength = (
            "strong" if quality == "good" else "weak" if quality == "low" else ""
        )
        alias_type = "fka" if quality.startswith("f.k.a") else "aka"
        aliases.append(Alias(alias_name, alias_type, strength))
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        aliases.append(Alias(original, "original_script", ""))
    addresses = tuple(
        address
        for address_element in element.findall(f"{kind}_ADDRESS")
        if (
            address := Address(
                street=_text(address_element, "STREET"),
                city=_text(address_element, "CITY"),
                state_or_province=_text(address_element, "STATE_PROVINCE"),
                postal_code=_text(address_element, "ZIP_CODE"),
                country=country_code(_text(address_element, "COUNTRY")),
                country_raw=_text(address_element, "COUNTRY"),
            )
        )
        != Address()
    )
    identifiers = tuple(
        Identifier(
            id_type=" ".join(_text(document, "TYPE_OF_DOCUMENT").split()) or "Document",
            number=_text(document, "NUMBER"),
            country=country_code(
                _text(document, "ISSUING_COUNTRY") or _text(document, "COUNTRY_OF_ISSUE")
            ),
            country_raw=_text(document, "ISSUING_COUNTRY") or _text(document, "COUNTRY_OF_ISSUE"),
        )
        for document in element.findall(f"{kind}_DOCUMENT")
        if _text(document, "NUMBER")
    )
    places = [
        ", ".join(
            part
            for part in (
                _text(place, "CITY"),
                _text(place, "STATE_PROVINCE"),
                _text(place, "COUNTRY"),
            )
            if part
        )
        for place in element.findall(f"{kind}_PLACE_OF_BIRTH")
    ]
    nationalities = _values(element, "NATIONALITY")
    return ListEntry(
        source_id=data_id,
        list_code=LIST_CODE,
        entity_type="individual" if kind == "INDIVIDUAL" else "entity",
        primary_name=primary,
        aliases=tuple(dict.fromkeys(aliases)),
        addresses=addresses,
        countries=unique(
            [
                *(country_code(text) for text in nationalities),
                *(identifier.country for identifier in identifiers),
            ]
        ),
        dates_of_birth=unique(
            [_date_of_birth(dob) for dob in element.findall(f"{kind}_DATE_OF_BIRTH")]
        ),
        places_of_birth=unique(places),
        identifiers=identifiers,
        programs=unique([_text(element, "UN_LIST_TYPE")]),
        title="; ".join(_values(element, "TITLE")),
        gender=_text(element, "GENDER").lower(),
        remarks=_text(element, "COMMENTS1"),
        source_fields=tuple(
            (field, value)
            for field, value in (
                ("reference_number", _text(element, "REFERENCE_NUMBER")),
                ("listed_on", _text(element, "LISTED_ON")),
                ("designation", "; ".join(_values(element, "DESIGNATION"))),
                ("nationality", "; ".join(nationalities)),
            )
            if value
        ),
    )


_ORDINALS = ("FIRST", "SECOND", "THIRD", "FOURTH")


def parse_un_consolidated(source: Source) -> Iterator[ListEntry]:
    """Yield every individual and entity of a UN consolidated list XML document.

    Raises :class:`ParseError` for XML that is not well formed (with line and column), a
    document type or entity declaration, a root other than ``CONSOLIDATED_LIST``, or a record
    without ``DATAID`` or name (with the record's element path, e.g.
    ``CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL[12]``).
    """
    name = source_name(source)
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    stack: list[ET.Element] = []
    counts: dict[str, int] = {}
    tail = b""
    seen_root = False
    for chunk in _chunks(source):
        window = tail + chunk
        for forbidden in _FORBIDDEN:
            if forbidden in window:
                raise ParseError(
                    f"refusing XML with {forbidden.decode()} (DTD and entities are not allowed)",
                    "prolog",
                    name,
                )
        tail = window[-16:]
        try:
            parser.feed(chunk)
            events = list(cast(Iterator[tuple[str, ET.Element]], parser.read_events()))
        except ET.ParseError as error:
            line = error.position[0]
            raise ParseError(f"XML is not well formed: {error}", line, name) from error
        for event, element in events:
            if event == "start":
                if not stack and element.tag != "CONSOLIDATED_LIST":
                    raise ParseError(
                        f"root element is <{element.tag}>, expected <CONSOLIDATED_LIST>",
                        element.tag,
                        name,
                    )
                stack.append(element)
                seen_root = True
                continue
            stack.pop()
            if element.tag in _RECORDS and len(stack) == 2:
                counts[element.tag] = counts.get(element.tag, 0) + 1
                path = "/".join(
                    [*(item.tag for item in stack), f"{element.tag}[{counts[element.tag]}]"]
                )
                yield _record(element, path, name)
                stack[-1].remove(element)
    try:
        parser.close()
    except ET.ParseError as error:
        raise ParseError(f"XML is not well formed: {error}", error.position[0], name) from error
    if not seen_root:
        raise ParseError("the document is empty", 1, name)
