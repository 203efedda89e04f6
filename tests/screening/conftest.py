"""Fixtures shared by the screening-engine tests (pure Python, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.engine import ListEntry, ScreeningIndex, parse_ofac_sdn

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def ofac_entries() -> list[ListEntry]:
    folder = FIXTURES / "ofac"
    return list(parse_ofac_sdn(folder / "sdn.csv", folder / "alt.csv", folder / "add.csv"))


@pytest.fixture(scope="session")
def index(ofac_entries: list[ListEntry]) -> ScreeningIndex:
    return ScreeningIndex.build(ofac_entries)
