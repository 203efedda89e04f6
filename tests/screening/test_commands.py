"""The operators' commands: import_screening_list and screen."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from screening.models import ListVersion
from screening.services import list_import
from tests.screening.conftest import OFAC

pytestmark = pytest.mark.django_db

MATCH_KEYS = {"list", "source_id", "name", "matched_name", "score", "flag", "explanation"}


def _import(*args: str | Path) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_screening_list", *map(str, args), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def _screen(monkeypatch: pytest.MonkeyPatch, text: str, *args: str) -> list[dict[str, Any]]:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    stdout = io.StringIO()
    call_command("screen", *args, stdout=stdout)
    return [json.loads(line) for line in stdout.getvalue().splitlines()]


# -- import_screening_list -------------------------------------------------------------------


def test_import_reports_the_new_version(ofac_paths: list[Path], rescreenings: list[int]) -> None:
    out, _err = _import("--format", "ofac", *ofac_paths)

    assert "Imported OFAC-SDN version 1: 14 entries." in out
    assert (
        "Difference from the previous version: 14 added, 0 removed, 0 changed, 0 unchanged." in out
    )
    assert "  added    SDN 36: AEROCARIBBEAN AIRLINES" in out
    # --show bounds the listing of each kind (10 by default).
    assert sum(line.startswith("  added ") for line in out.splitlines()) == 10
    assert ListVersion.objects.get().is_active


def test_import_lists_each_kind_of_change(
    ofac_paths: list[Path],
    ofac_v2_paths: list[Path],
    rescreenings: list[int],
    django_capture_on_commit_callbacks,
) -> None:
    _import("--format", "ofac", *ofac_paths)
    with django_capture_on_commit_callbacks(execute=True):
        out, _err = _import("--format", "ofac", *ofac_v2_paths)

    lines = out.splitlines()
    assert lines[0] == "Imported OFAC-SDN version 2: 14 entries."
    assert lines[1] == (
        "Difference from the previous version: 1 added, 1 removed, 1 changed, 12 unchanged."
    )
    assert "  added    SDN 7011: NOVAYA ZVEZDA SHIPPING LIMITED" in lines
    assert "  removed  SDN 7010: GOLDEN STAR TRADING LLC" in lines
    changed = next(line for line in lines if line.startswith("  changed  SDN 7002"))
    assert "PETROV, Sergey Aleksandrovich" in changed
    assert "aliases" in changed
    assert "programs" in changed
    assert rescreenings == [ListVersion.objects.get(number=2).pk]


def test_import_show_limits_the_listing(ofac_paths: list[Path]) -> None:
    out, _err = _import("--format", "ofac", "--show", "2", *ofac_paths)

    assert sum(line.startswith("  added ") for line in out.splitlines()) == 2


def test_import_of_the_same_files_says_unchanged(ofac_paths: list[Path]) -> None:
    _import("--format", "ofac", *ofac_paths)

    out, _err = _import("--format", "ofac", *ofac_paths)

    assert out.startswith("Unchanged: these files are already OFAC-SDN version 1 (imported ")
    assert "Imported" not in out
    assert ListVersion.objects.count() == 1


def test_import_of_a_broken_file_fails_with_the_line(
    ofac_paths: list[Path], tmp_path: Path
) -> None:
    _import("--format", "ofac", *ofac_paths)
    broken = tmp_path / "sdn.csv"
    broken.write_bytes((OFAC / "sdn_broken_columns.csv").read_bytes())

    with pytest.raises(CommandError) as raised:
        _import("--format", "ofac", broken)

    assert str(raised.value) == (
        "Import refused, nothing changed: sdn.csv line 4: expected 12 columns, got 6"
    )
    assert list(ListVersion.objects.values_list("number", "is_active")) == [(1, True)]


def test_import_of_a_missing_file_fails_before_reading(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"missing\.xml: no such file"):
        _import("--format", "un", tmp_path / "missing.xml")
    assert not ListVersion.objects.exists()


def test_import_refuses_an_unknown_format(ofac_paths: list[Path]) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'sdn'"):
        _import("--format", "sdn", *ofac_paths)
    assert not ListVersion.objects.exists()


# -- screen ----------------------------------------------------------------------------------


@pytest.fixture
def ofac_imported(ofac_paths: list[Path]) -> ListVersion:
    return list_import(fmt="ofac", paths=ofac_paths).version


@pytest.mark.usefixtures("ofac_imported")
def test_screen_prints_one_json_object_per_line(monkeypatch: pytest.MonkeyPatch) -> None:
    results = _screen(monkeypatch, "Hakki Selcuk Sanli\nAmelia Hart\n\nBanco Nacional de Cuba\n")

    assert [result["query"] for result in results] == [
        "Hakki Selcuk Sanli",
        "Amelia Hart",
        "",
        "Banco Nacional de Cuba",
    ]
    sanli, innocent, blank, bank = results
    best = sanli["matches"][0]
    assert set(best) == MATCH_KEYS
    assert (best["list"], best["source_id"], best["name"]) == ("SDN", "7001", "SANLI, Hakki Selcuk")
    assert best["flag"] is True
    assert best["score"] >= 0.75
    assert best["explanation"]["summary"]
    assert not any(match["flag"] for match in innocent["matches"])
    assert blank["matches"] == []
    assert bank["matches"][0]["source_id"] == "306"
    assert bank["matches"][0]["flag"] is True


@pytest.mark.usefixtures("ofac_imported")
def test_screen_threshold_drops_weaker_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    loose = _screen(monkeypatch, "Sergey Ivanov\n", "--threshold", "0")
    strict = _screen(monkeypatch, "Sergey Ivanov\nSergey Petrov\n", "--threshold", "0.75")

    assert loose[0]["matches"]
    assert all(not match["flag"] for match in loose[0]["matches"])
    assert strict[0]["matches"] == []
    assert [match["source_id"] for match in strict[1]["matches"]] == ["7002"]
    assert all(match["score"] >= 0.75 for match in strict[1]["matches"])


@pytest.mark.usefixtures("ofac_imported")
def test_screen_reads_csv_with_type_and_country(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "Kim Jong Un,Individual,KP\n"
        '"Anglo Caribbean Company, Limited",entity,\n'
        "\n"
        "Harbourline Parcels Ltd,entity,GB\n"
    )

    results = _screen(monkeypatch, text, "--csv")

    assert [result["query"] for result in results] == [
        "Kim Jong Un",
        "Anglo Caribbean Company, Limited",
        "Harbourline Parcels Ltd",
    ]
    kim, anglo, harbourline = results
    assert kim["matches"][0]["source_id"] == "7007"
    assert kim["matches"][0]["flag"] is True
    assert anglo["matches"][0]["source_id"] == "173"
    assert anglo["matches"][0]["flag"] is True
    assert not any(match["flag"] for match in harbourline["matches"])


@pytest.mark.usefixtures("ofac_imported")
def test_screen_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    unlimited = _screen(monkeypatch, "Anglo Caribbean Airlines\n", "--threshold", "0")
    limited = _screen(monkeypatch, "Anglo Caribbean Airlines\n", "--threshold", "0", "--limit", "1")

    assert [match["source_id"] for match in unlimited[0]["matches"]] == ["173", "36"]
    assert [match["source_id"] for match in limited[0]["matches"]] == ["173"]


def test_screen_without_lists_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    results = _screen(monkeypatch, "Hakki Selcuk Sanli\n")

    assert results == [{"query": "Hakki Selcuk Sanli", "matches": []}]
