"""Countries and regions under comprehensive sanctions, with their periods and citations
(``data/sanctioned_countries.yaml``). Used by vetting, and by shipment targeting."""

from __future__ import annotations

import datetime
import enum
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from core.reference.yaml_source import YamlSource as _Source

SANCTIONED_COUNTRIES_FILE = Path(__file__).resolve().parent / "data" / "sanctioned_countries.yaml"

_COUNTRY_CODE_RE = re.compile(r"^[A-Z]{2}$")
_REGION_CODE_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


class SanctionedArea(enum.StrEnum):
    COUNTRY = "country"
    REGION = "region"


@dataclass(frozen=True, slots=True)
class SanctionedCountry:
    """A country or region under comprehensive sanctions for a period.

    ``effective_to`` is the last day the sanctions applied (inclusive), ``None`` while in
    force. ``partial`` means only part of the area named by ``code`` is sanctioned, so a
    match needs an officer's review rather than an automatic finding."""

    code: str
    name: str
    kind: SanctionedArea
    effective_from: datetime.date
    effective_to: datetime.date | None
    citation: str
    url: str
    notes: str = ""
    partial: bool = False

    def in_effect_on(self, day: datetime.date) -> bool:
        day = _as_date(day)
        if day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


@functools.cache
def load_sanctioned_countries(
    path: Path = SANCTIONED_COUNTRIES_FILE,
) -> tuple[SanctionedCountry, ...]:
    """Every comprehensive-sanctions period in the file, current and past; ``ValueError``
    naming the file and entry if the file is malformed or a code's periods overlap."""
    source = _Source(path)
    root = source.load()
    source.check_keys(root, "the top level", required={"version", "entries"})
    source.version(root)
    entries: list[SanctionedCountry] = []
    for index, entry_data in enumerate(source.sequence(root, "entries", "the top level")):
        where = f"entries[{index}]"
        entry = source.mapping(entry_data, where)
        source.check_keys(
            entry,
            where,
            required={
                "code",
                "name",
                "kind",
                "effective_from",
                "effective_to",
                "citation",
                "url",
            },
            optional={"notes", "partial"},
        )
        code = source.text(entry, "code", where)
        where = f"entries[{index}] ({code})"
        kind = source.choice(entry, "kind", where, SanctionedArea)
        pattern = _COUNTRY_CODE_RE if kind is SanctionedArea.COUNTRY else _REGION_CODE_RE
        if not pattern.match(code):
            raise source.error(
                where,
                f"code {code!r} is not an ISO 3166 "
                + ("alpha-2 country code" if kind is SanctionedArea.COUNTRY else "region code"),
            )
        effective_from = source.date(entry, "effective_from", where)
        effective_to = source.optional_date(entry, "effective_to", where)
        if effective_to is not None and effective_to < effective_from:
            raise source.error(where, "effective_to is before effective_from")
        url = source.text(entry, "url", where)
        if not url.startswith("https://"):
            raise source.error(where, "url must be an https:// address")
        partial = entry.get("partial", False)
        if not isinstance(partial, bool):
            raise source.error(where, "partial must be true or false")
        notes = entry.get("notes", "")
        if not isinstance(notes, str):
            raise source.error(where, "notes must be text")
        candidate = SanctionedCountry(
            code=code,
            name=source.text(entry, "name", where),
            kind=kind,
            effective_from=effective_from,
            effective_to=effective_to,
            citation=source.text(entry, "citation", where),
            url=url,
            notes=notes.strip(),
            partial=partial,
        )
        for earlier in entries:
            if earlier.code == code and _periods_overlap(earlier, candidate):
                raise source.error(where, f"its period overlaps another entry for {code}")
        entries.append(candidate)
    return tuple(entries)


def sanctioned_country(
    code: str, on_date: datetime.date, *, path: Path = SANCTIONED_COUNTRIES_FILE
) -> SanctionedCountry | None:
    """The comprehensive-sanctions entry in effect for ``code`` (an ISO 3166-1 alpha-2
    country code or an ISO 3166-2 region code such as ``UA-43``, any case) on
    ``on_date``, or ``None``. A country code does not match its regions: to check an
    address, look up both its country and its region. A ``datetime`` is reduced to its
    own (local) date."""
    normalised = code.strip().upper()
    for entry in _sanctioned_index(path).get(normalised, ()):
        if entry.in_effect_on(on_date):
            return entry
    return None


@functools.cache
def _sanctioned_index(path: Path) -> Mapping[str, tuple[SanctionedCountry, ...]]:
    index: dict[str, list[SanctionedCountry]] = {}
    for entry in load_sanctioned_countries(path):
        index.setdefault(entry.code, []).append(entry)
    return MappingProxyType({code: tuple(entries) for code, entries in index.items()})


def _periods_overlap(first: SanctionedCountry, second: SanctionedCountry) -> bool:
    first_end = first.effective_to or datetime.date.max
    second_end = second.effective_to or datetime.date.max
    return first.effective_from <= second_end and second.effective_from <= first_end


def _as_date(day: datetime.date) -> datetime.date:
    # datetime is a subclass of date but does not compare with one.
    return day.date() if isinstance(day, datetime.datetime) else day
