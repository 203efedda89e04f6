"""Countries by ISO 3166-1 alpha-2 code, with their English short names (data file:
`data/iso3166.tsv`). Forms offer these as a list and refuse any other code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "iso3166.tsv"


@cache
def countries() -> dict[str, str]:
    """Code -> name, in code order."""
    rows: dict[str, str] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            rows[code] = name
    return rows


def country_name(code: str) -> str:
    """The name of a code, or the code itself when it is not one."""
    return countries().get((code or "").upper(), code)


def country_choices() -> list[tuple[str, str]]:
    """(code, "Name (CODE)") ordered by name, for select lists."""
    return sorted(
        ((code, f"{name} ({code})") for code, name in countries().items()),
        key=lambda choice: choice[1],
    )
