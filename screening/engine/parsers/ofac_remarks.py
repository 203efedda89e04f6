"""Facts OFAC embeds in the free-text Remarks column of ``sdn.csv``.

A Remarks cell is a ``;``-separated sequence such as ``DOB 01 Jan 1960; POB Baghdad, Iraq;
nationality Iraq; Passport A123 (Iraq) expires 2010; a.k.a. 'ABU X'; Linked To: Y.``. The parts
that screening uses are extracted: dates of birth, places of birth, nationality/citizenship,
identifiers (labels from ``data/ofac_identifier_types.txt``), gender and the weak a.k.a.s OFAC
keeps in Remarks rather than in ``alt.csv``. OFAC truncates Remarks at 1,000 characters in the CSV
format, so a cut-off last part is ignored rather than misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from screening.engine.countries import country_code
from screening.engine.models import Alias, Identifier
from screening.engine.parsers._common import parse_date, unique

_TYPES_FILE = Path(__file__).resolve().parent.parent / "data" / "ofac_identifier_types.txt"
_ALIAS = re.compile(r"\b([afn])\.k\.a\.,?\s+'(.+?)'(?=\s*[;.,]|\s*$)", re.IGNORECASE)
_PART_SPLIT = re.compile(r";(?![^(]*\))")
_TAIL = re.compile(r"\s+(?:issued|expires|expired|valid|alt\.)\b.*$", re.IGNORECASE)
_PARENS = re.compile(r"\s*\(([^()]*)\)")
_DOB = re.compile(r"^(?:alt\.\s+)?DOB\s+(.+)$", re.IGNORECASE)
_POB = re.compile(r"^(?:alt\.\s+)?POB\s+(.+)$", re.IGNORECASE)
_NATIONALITY = re.compile(
    r"^(?:alt\.\s+)?(?:nationality|citizen|Nationality of Registration)\s+(.+)$", re.IGNORECASE
)
_GENDER = re.compile(r"^Gender\s+(Male|Female)\b", re.IGNORECASE)
_LINKED = re.compile(r"^Linked To:\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RemarkFacts:
    """What was read from one Remarks cell; every field may be empty."""

    dates_of_birth: tuple[str, ...] = ()
    places_of_birth: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    aliases: tuple[Alias, ...] = ()
    gender: str = ""
    linked_to: tuple[str, ...] = ()


@cache
def _identifier_labels() -> tuple[tuple[str, str], ...]:
    labels: list[tuple[str, str]] = []
    for line in _TYPES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        label, _, canonical = (part.strip() for part in line.partition("=>"))
        labels.append((label, canonical or label))
    return tuple(sorted(labels, key=lambda pair: len(pair[0]), reverse=True))


def _identifier(part: str) -> Identifier | None:
    text = part.removeprefix("alt. ").strip()
    for label, canonical in _identifier_labels():
        if not text.startswith(label + " "):
            continue
        rest = _TAIL.sub("", text[len(label) :].strip())
        country_raw = ""
        for inner in _PARENS.findall(rest):
            if country_code(inner):
                country_raw = inner
        number = _PARENS.sub("", rest).strip(" .,")
        if not number or not any(char.isalnum() for char in number):
            return None
        return Identifier(canonical, number, country_code(country_raw), country_raw)
    return None


def parse_remarks(remarks: str) -> RemarkFacts:
    """Extract the screening facts from one OFAC Remarks cell (``""`` gives empty facts)."""
    if not remarks:
        return RemarkFacts()
    aliases = tuple(
        Alias(" ".join(name.split()), f"{kind.lower()}ka", "weak")
        for kind, name in _ALIAS.findall(remarks)
        if name.strip()
    )
    rest = _ALIAS.sub("", remarks)
    dobs: list[str] = []
    places: list[str] = []
    nationalities: list[str] = []
    identifiers: list[Identifier] = []
    linked: list[str] = []
    gender = ""
    for raw_part in _PART_SPLIT.split(rest):
        part = raw_part.strip().rstrip(".").strip()
        if not part:
            continue
        if match := _DOB.match(part):
            dobs.append(parse_date(match.group(1)))
        elif match := _POB.match(part):
            places.append(match.group(1).strip())
        elif match := _NATIONALITY.match(part):
            nationalities.append(match.group(1).strip())
        elif match := _GENDER.match(part):
            gender = match.group(1).lower()
        elif match := _LINKED.match(part):
            linked.append(match.group(1).strip())
        elif identifier := _identifier(part):
            identifiers.append(identifier)
    return RemarkFacts(
        dates_of_birth=unique(dobs),
        places_of_birth=unique(places),
        nationalities=unique(nationalities),
        identifiers=tuple(dict.fromkeys(identifiers)),
        aliases=tuple(dict.fromkeys(aliases)),
        gender=gender,
        linked_to=unique(linked),
    )
