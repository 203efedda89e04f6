"""Helpers shared by the list parsers: reading files of uncertain encoding, nulls, dates."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from screening.engine.countries import country_code

Source = str | os.PathLike[str] | IO[bytes] | IO[str]
"""A list file: a filesystem path, or an open binary or text stream."""

OFAC_NULL = "-0-"
_DOS_EOF = "\x1a"


def source_name(source: Source) -> str:
    """A short name for error messages: the file's base name when there is one."""
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    name = getattr(source, "name", "")
    return Path(name).name if isinstance(name, str) and name else "<stream>"


def _decode(raw: bytes) -> str:
    # The published files are UTF-8 or plain ASCII today, but older OFAC and BIS releases were
    # Windows-1252; decoding line by line keeps one stray byte from failing a whole import.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def iter_lines(source: Source) -> Iterator[str]:
    """Decoded lines (line endings kept) of ``source``, without a BOM or a DOS end-of-file mark.

    OFAC's CSV files end with a ``\\x1a`` (Ctrl-Z) byte on a line of its own; it is dropped.
    """
    first = True
    for line in _raw_lines(source):
        if first:
            line = line.removeprefix("\ufeff")
            first = False
        if _DOS_EOF in line:
            line = line.replace(_DOS_EOF, "")
            if not line.strip():
                continue
        yield line


def _raw_lines(source: Source) -> Iterator[str]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            for raw in handle:
                yield _decode(raw)
        return
    for item in source:
        yield _decode(item) if isinstance(item, bytes) else item


def clean(value: str | None) -> str:
    """The value stripped, with OFAC's ``-0-`` null (and its trailing blank) as ``""``."""
    if value is None:
        return ""
    text = " ".join(value.split())
    return "" if text == OFAC_NULL else text


def split_multi(value: str, separator: str = ";") -> tuple[str, ...]:
    """Split a multi-value cell, dropping empty parts and surrounding blanks."""
    return tuple(part for part in (clean(p) for p in value.split(separator)) if part)


_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ([A-Za-z]+)\.? (\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.? (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_RANGE = re.compile(r"^(?:between )?(\d{4}) (?:to|and|-) (\d{4})$")


def parse_date(text: str) -> str:
    """An ISO-8601 date of the precision given, or ``""`` when ``text`` is not a date.

    Understands the list styles ``01 Jan 1960``, ``Jan 1960``, ``1960``, ``circa 1960``,
    ``1958 to 1960`` (returned as ``"1958/1960"``), ``1960-01-31`` and US ``01/31/1960``.
    """
    value = " ".join(text.replace(",", " ").split()).strip(" .")
    lowered = value.lower()
    for prefix in ("circa ", "approximately ", "approx. ", "about ", "c. "):
        if lowered.startswith(prefix):
            value = value[len(prefix) :]
            lowered = value.lower()
    if match := _ISO.match(value):
        year, month, day = match.groups()
        return f"{year}-{month}-{day}" if day else f"{year}-{month}"
    if match := _YEAR.match(value):
        return match.group(1)
    if match := _RANGE.match(lowered):
        return f"{match.group(1)}/{match.group(2)}"
    if match := _DAY_MONTH_YEAR.match(value):
        day, month_name, year = match.groups()
        month = _MONTHS.get(month_name.lower())
        if month and 1 <= int(day) <= 31:
            return f"{year}-{month:02d}-{int(day):02d}"
        return ""
    if match := _MONTH_YEAR.match(value):
        month = _MONTHS.get(match.group(1).lower())
        return f"{match.group(2)}-{month:02d}" if month else ""
    if match := _US.match(value):
        month_number, day, year = (int(part) for part in match.groups())
        if 1 <= month_number <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month_number:02d}-{day:02d}"
    return ""


def countries_of(*values: str) -> tuple[str, ...]:
    """ISO alpha-2 codes of the given country texts, unique, in first-seen order."""
    seen: dict[str, None] = {}
    for value in values:
        code = country_code(value)
        if code:
            seen.setdefault(code, None)
    return tuple(seen)


def unique(values: Iterator[str] | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The non-empty values, de-duplicated, in first-seen order."""
    return tuple(dict.fromkeys(value for value in values if value))
