"""Fixtures shared by the screening tests: the engine's parsed fixtures (pure Python) and, for
the Django side, the fixture files to import, a changed copy of them, and a recorder in place
of the re-screening that a list update schedules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.db import transaction

from screening.engine import ListEntry, ScreeningIndex, parse_ofac_sdn
from screening.signals import list_version_activated

FIXTURES = Path(__file__).with_name("fixtures")
OFAC = FIXTURES / "ofac"

# The changed copy of sdn.csv (see `ofac_v2_paths`): 7002 gains a program and an alias,
# 7010 is delisted and 7011 is listed.
PETROV_V1 = (
    '7002,"PETROV, Sergey Aleksandrovich","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,'
    '-0- ,-0- ,-0- ,"DOB 23 Sep 1976; alt. DOB 1977; nationality Russia; '
    'Tax ID No. 770123456789 (Russia)."'
)
PETROV_V2 = (
    '7002,"PETROV, Sergey Aleksandrovich","individual","RUSSIA-EO14024] [CYBER2",-0- ,-0- ,'
    "-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 23 Sep 1976; alt. DOB 1977; a.k.a. 'PETROFF, Serge'; "
    'nationality Russia; Tax ID No. 770123456789 (Russia)."'
)
NEW_LISTING = (
    '7011,"NOVAYA ZVEZDA SHIPPING LIMITED",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,'
    '-0- ,-0- ,"Registration Number HE 123456 (Cyprus)."'
)


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def ofac_entries() -> list[ListEntry]:
    return list(parse_ofac_sdn(OFAC / "sdn.csv", OFAC / "alt.csv", OFAC / "add.csv"))


@pytest.fixture(scope="session")
def index(ofac_entries: list[ListEntry]) -> ScreeningIndex:
    return ScreeningIndex.build(ofac_entries)


@pytest.fixture
def ofac_paths() -> list[Path]:
    """The small OFAC fixture: 14 entries with aliases and addresses."""
    return [OFAC / "sdn.csv", OFAC / "alt.csv", OFAC / "add.csv"]


@pytest.fixture
def ofac_v2_paths(tmp_path: Path) -> list[Path]:
    """A later release of the OFAC fixture: one entry changed, one removed, one added."""
    folder = tmp_path / "ofac-v2"
    folder.mkdir()
    # Keep OFAC's layout: CRLF line ends and the trailing end-of-file character.
    *rows, end = (OFAC / "sdn.csv").read_bytes().decode("utf-8").split("\r\n")
    assert PETROV_V1 in rows
    assert end == "\x1a"
    rows = [PETROV_V2 if row == PETROV_V1 else row for row in rows if not row.startswith("7010,")]
    (folder / "sdn.csv").write_text(
        "\r\n".join([*rows, NEW_LISTING, end]), encoding="utf-8", newline=""
    )
    for name in ("alt.csv", "add.csv"):
        shutil.copy(OFAC / name, folder / name)
    return [folder / "sdn.csv", folder / "alt.csv", folder / "add.csv"]


@pytest.fixture
def rescreenings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Version ids announced active (`list_version_activated`), recorded when the import
    commits, in place of what the apps above do then (shippers' re-screening is not run)."""
    scheduled: list[int] = []

    def record(sender: type, *, version_id: int, **kwargs: object) -> None:
        transaction.on_commit(lambda: scheduled.append(version_id))

    monkeypatch.setattr(list_version_activated, "receivers", [])
    list_version_activated.connect(record, weak=False)
    return scheduled
