"""Normalisation shared by the rules: addresses for the watch list, consignees for split
shipments, words for keyword conditions."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from screening.engine.normalize import fold_name
from shipments.targeting.engine.facts import Party

_NON_ALNUM = re.compile(r"[^0-9A-Z]+")

# Street words written several ways; the short form is kept.
_STREET_WORDS = {
    "STREET": "ST",
    "STR": "ST",
    "AVENUE": "AVE",
    "AV": "AVE",
    "ROAD": "RD",
    "BOULEVARD": "BLVD",
    "DRIVE": "DR",
    "LANE": "LN",
    "HIGHWAY": "HWY",
    "PARKWAY": "PKWY",
    "COURT": "CT",
    "PLACE": "PL",
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "NORTHEAST": "NE",
    "NORTHWEST": "NW",
    "SOUTHEAST": "SE",
    "SOUTHWEST": "SW",
    "BUILDING": "BLDG",
    "FLOOR": "FL",
    "SUITE": "STE",
    "UNIT": "STE",
    "APARTMENT": "APT",
    "NUMBER": "NO",
}


@functools.lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Upper case, anything but letters and digits a single space; other scripts
    transliterated by the screening engine's one fold ("Петров" -> "PETROV"), so names in
    other scripts never fold to nothing and collide."""
    if text.isascii():
        return _NON_ALNUM.sub(" ", text.upper()).strip()
    return fold_name(text).upper()


def address_tokens(lines: Iterable[str]) -> frozenset[str]:
    """The words of an address's street lines, with street words in their short form."""
    words: list[str] = []
    run = False  # "N.E." folds to "N E": letters written apart are one word
    for word in fold(" ".join(lines)).split():
        single = len(word) == 1 and word.isalpha()
        if single and run:
            words[-1] += word
        else:
            words.append(word)
        run = single
    return frozenset(_STREET_WORDS.get(word, word) for word in words)


@functools.lru_cache(maxsize=100_000)
def compact_postcode(postal_code: str) -> str:
    return fold(postal_code).replace(" ", "")


def consignee_key(party: Party) -> str:
    """One consignee across shipments: its name (any case and spacing), country and
    postcode (or city)."""
    place = "".join(party.postal_code.split()).upper() or "".join(party.city.split()).upper()
    return f"{party.country.upper()}|{place}|{' '.join(party.name.split()).upper()}"


def keyword_pattern(keywords: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive whole-word pattern matching any of ``keywords`` (a trailing
    ``*`` matches any ending: ``sneaker*``)."""
    parts = []
    for keyword in keywords:
        word = keyword.strip().lower()
        if not word:
            continue
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            parts.append(re.escape(word))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?!\w)")


class DescriptionMemo:
    """Answers of one description test, remembered per description: marketplaces send the
    same listing titles over and over. Bounded: cleared when it grows past ``limit``."""

    __slots__ = ("answers", "limit")

    def __init__(self, limit: int = 50_000) -> None:
        self.answers: dict[str, str | None] = {}
        self.limit = limit

    def search(self, pattern: re.Pattern[str], description: str) -> str | None:
        try:
            return self.answers[description]
        except KeyError:
            pass
        found = pattern.search(description)
        answer = found.group(0) if found else None
        if len(self.answers) >= self.limit:
            self.answers.clear()
        self.answers[description] = answer
        return answer
