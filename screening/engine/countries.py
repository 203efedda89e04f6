"""Country names as the lists write them, mapped to ISO 3166-1 alpha-2 codes.

The table lives in ``data/countries.tsv`` (ISO names plus the spellings OFAC, the UN, BIS and
trade.gov use, e.g. ``"Korea, North"``, ``"Burma"``, ``"Iran (Islamic Republic of)"``). A name
that is not in the table maps to ``""``; the raw text is always kept by the parsers.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from anyascii import anyascii

_DATA = Path(__file__).with_name("data") / "countries.tsv"
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _key(text: str) -> str:
    folded = anyascii(text).lower().replace("&", " and ")
    words = _NON_WORD.sub(" ", folded).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@cache
def _tables() -> tuple[dict[str, str], frozenset[str]]:
    by_name: dict[str, str] = {}
    codes: set[str] = set()
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        alpha2, alpha3, names = line.split("\t")
        codes.add(alpha2)
        if alpha3:
            by_name.setdefault(alpha3.lower(), alpha2)
        for name in names.split("|"):
            by_name.setdefault(_key(name), alpha2)
    return by_name, frozenset(codes)


def country_code(text: str) -> str:
    """ISO alpha-2 code for a country name, alpha-2 or alpha-3 code; ``""`` when unknown.

    Leading qualifiers the lists use (``"possibly "``, ``"Region: "``) are ignored.
    """
    raw = text.strip()
    if not raw or raw == "-0-":
        return ""
    by_name, codes = _tables()
    if len(raw) == 2 and raw.isalpha() and raw.upper() in codes:
        return raw.upper()
    key = _key(raw)
    found = by_name.get(key)
    if found:
        return found
    for prefix in ("possibly ", "region ", "alt "):
        if key.startswith(prefix) and key[len(prefix) :] in by_name:
            return by_name[key[len(prefix) :]]
    return ""


def is_country_code(text: str) -> bool:
    """True when ``text`` is a known ISO alpha-2 code (upper case)."""
    return text in _tables()[1]
