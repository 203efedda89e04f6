"""Prohibited origins: goods of Iranian, Cuban or North Korean origin may not be imported
(31 CFR 560.201, 515.204, 510.206), except as the regulations allow, as dated data
(``data/prohibited_origins.yaml``). The one source for shipment targeting and vetting."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.reference.yaml_source import YamlSource

PROHIBITED_ORIGINS_FILE = Path(__file__).resolve().parent / "data" / "prohibited_origins.yaml"

_COUNTRY_CODE_RE = re.compile(r"^[A-Z]{2}$")
_HS_PREFIX_RE = re.compile(r"^\d{2,10}$")


@dataclass(frozen=True, slots=True)
class OriginException:
    """Goods of a prohibited origin that the regulations let in without a licence."""

    code: str
    label: str
    origins: frozenset[str]
    citation: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    hs_prefixes: tuple[str, ...]
    notes: str = ""

    def covers(self, origin: str, hs_code: str, on_date: datetime.date) -> bool:
        return (
            origin in self.origins
            and _in_period(on_date, self.effective_from, self.effective_to)
            and hs_code.startswith(self.hs_prefixes)
        )


@dataclass(frozen=True, slots=True)
class ProhibitedOrigin:
    """An origin whose goods are prohibited imports on a day, for one good.

    ``exception`` is the exception that lets this good in, or ``None``: then the import is
    prohibited (``prohibited`` is true) and the goods must be held, whoever files them."""

    code: str
    name: str
    adjective: str
    citation: str
    url: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    notes: str = ""
    exception: OriginException | None = None

    @property
    def prohibited(self) -> bool:
        return self.exception is None

    def explanation(self) -> str:
        """One sentence for officers and filers, with the citation."""
        if self.exception is not None:
            return (
                f"Goods of {self.adjective} origin are a prohibited import under "
                f"{self.citation}; these are excepted as {self.exception.label} "
                f"({self.exception.citation})."
            )
        return f"Goods of {self.adjective} origin are a prohibited import under {self.citation}."


@dataclass(frozen=True, slots=True)
class ProhibitedOrigins:
    origins: Mapping[str, tuple[ProhibitedOrigin, ...]]
    exceptions: tuple[OriginException, ...]


def prohibited_origin(
    country_code: str,
    hs_code: str,
    on_date: datetime.date,
    *,
    path: Path | None = None,
) -> ProhibitedOrigin | None:
    """The prohibition on importing goods of origin ``country_code`` (ISO alpha-2, any case)
    classified under ``hs_code`` (digits; dots and blanks ignored) on ``on_date``, with the
    exception that covers them if any; ``None`` when that origin is not prohibited that day.
    With an empty HS code no exception can apply."""
    code = country_code.strip().upper()
    # Called with no argument, the cached default is found without hashing a Path.
    data = load_prohibited_origins() if path is None else load_prohibited_origins(path)
    periods = data.origins.get(code)
    if not periods:
        return None  # most goods: checked per item of every shipment, so return early
    day = _as_date(on_date)
    for origin in periods:
        if not _in_period(day, origin.effective_from, origin.effective_to):
            continue
        digits = "".join(character for character in hs_code if character.isdigit())
        exception = next(
            (item for item in data.exceptions if digits and item.covers(code, digits, day)),
            None,
        )
        return ProhibitedOrigin(
            code=origin.code,
            name=origin.name,
            adjective=origin.adjective,
            citation=origin.citation,
            url=origin.url,
            effective_from=origin.effective_from,
            effective_to=origin.effective_to,
            notes=origin.notes,
            exception=exception,
        )
    return None


def prohibited_origin_codes(on_date: datetime.date) -> frozenset[str]:
    """The origins whose goods are prohibited imports on ``on_date``."""
    day = _as_date(on_date)
    return frozenset(
        code
        for code, periods in load_prohibited_origins().origins.items()
        if any(_in_period(day, p.effective_from, p.effective_to) for p in periods)
    )


@functools.cache
def load_prohibited_origins(path: Path = PROHIBITED_ORIGINS_FILE) -> ProhibitedOrigins:
    """The whole file, checked; ``ValueError`` naming the file and entry when it is wrong."""
    source = YamlSource(path)
    root = source.load()
    source.check_keys(root, "the top level", required={"version", "origins", "exceptions"})
    source.version(root)
    origins: dict[str, list[ProhibitedOrigin]] = {}
    for index, data in enumerate(source.sequence(root, "origins", "the top level")):
        where = f"origins[{index}]"
        entry = source.mapping(data, where)
        source.check_keys(
            entry,
            where,
            required={"code", "name", "adjective", "citation", "url", "effective_from"},
            optional={"effective_to", "notes"},
        )
        code = source.text(entry, "code", where, pattern=_COUNTRY_CODE_RE)
        start, end = _period(source, entry, f"{where} ({code})")
        url = source.text(entry, "url", where)
        if not url.startswith("https://"):
            raise source.error(where, "url must be an https:// address")
        origin = ProhibitedOrigin(
            code=code,
            name=source.text(entry, "name", where),
            adjective=source.text(entry, "adjective", where),
            citation=source.text(entry, "citation", where),
            url=url,
            effective_from=start,
            effective_to=end,
            notes=_notes(source, entry, where),
        )
        for earlier in origins.get(code, ()):
            if _overlap(earlier.effective_from, earlier.effective_to, start, end):
                raise source.error(where, f"its period overlaps another entry for {code}")
        origins.setdefault(code, []).append(origin)
    exceptions = []
    for index, data in enumerate(source.sequence(root, "exceptions", "the top level")):
        where = f"exceptions[{index}]"
        entry = source.mapping(data, where)
        source.check_keys(
            entry,
            where,
            required={"code", "label", "origins", "citation", "effective_from", "hs_prefixes"},
            optional={"effective_to", "notes"},
        )
        codes = frozenset(
            source.scalar_text(item, f"{where} origins").upper()
            for item in source.sequence(entry, "origins", where)
        )
        unknown = sorted(codes - set(origins))
        if unknown:
            raise source.error(where, f"origins {unknown} are not prohibited origins")
        prefixes = tuple(
            source.scalar_text(str(item), f"{where} hs_prefixes")
            for item in source.sequence(entry, "hs_prefixes", where)
        )
        bad = [prefix for prefix in prefixes if not _HS_PREFIX_RE.match(prefix)]
        if bad or not prefixes:
            raise source.error(where, f"hs_prefixes must be 2 to 10 digits each, not {bad}")
        start, end = _period(source, entry, where)
        exceptions.append(
            OriginException(
                code=source.text(entry, "code", where),
                label=source.text(entry, "label", where),
                origins=codes,
                citation=source.text(entry, "citation", where),
                effective_from=start,
                effective_to=end,
                hs_prefixes=prefixes,
                notes=_notes(source, entry, where),
            )
        )
    return ProhibitedOrigins(
        origins={code: tuple(periods) for code, periods in origins.items()},
        exceptions=tuple(exceptions),
    )


def _period(
    source: YamlSource, entry: Mapping[str, object], where: str
) -> tuple[datetime.date, datetime.date | None]:
    start = source.date(entry, "effective_from", where)
    end = source.optional_date(entry, "effective_to", where)
    if end is not None and end < start:
        raise source.error(where, "effective_to is before effective_from")
    return start, end


def _notes(source: YamlSource, entry: Mapping[str, object], where: str) -> str:
    notes = entry.get("notes", "")
    if not isinstance(notes, str):
        raise source.error(where, "notes must be text")
    return notes.strip()


def _in_period(day: datetime.date, start: datetime.date, end: datetime.date | None) -> bool:
    return start <= day and (end is None or day <= end)


def _overlap(
    first_start: datetime.date,
    first_end: datetime.date | None,
    second_start: datetime.date,
    second_end: datetime.date | None,
) -> bool:
    return first_start <= (second_end or datetime.date.max) and second_start <= (
        first_end or datetime.date.max
    )


def _as_date(day: datetime.date) -> datetime.date:
    return day.date() if isinstance(day, datetime.datetime) else day
