"""Importing list versions: one active version per list, idempotent, with the stored difference,
and a file that does not parse changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening import engine
from screening.engine import ParseError
from screening.models import EntryChange, ListedParty, ListVersion, ScreeningList
from screening.serialization import entry_from_json
from screening.services import list_import, parse_files
from screening.signals import list_version_activated
from tests.accounts.factories import UserFactory
from tests.screening.conftest import FIXTURES, OFAC

pytestmark = pytest.mark.django_db


def _stored_state() -> tuple[int, int, int, int, list[tuple[int, bool]]]:
    return (
        ScreeningList.objects.count(),
        ListVersion.objects.count(),
        ListedParty.objects.count(),
        EntryChange.objects.count(),
        list(ListVersion.objects.order_by("number").values_list("number", "is_active")),
    )


def test_the_new_active_version_is_announced_inside_the_import(
    ofac_paths: list[Path], ofac_v2_paths: list[Path]
) -> None:
    announced: list[dict[str, object]] = []

    def receive(sender: type, **kwargs: object) -> None:
        announced.append({"sender": sender, **kwargs})

    list_version_activated.connect(receive, weak=False)
    try:
        first = list_import(fmt="ofac", paths=ofac_paths).version
        list_import(fmt="ofac", paths=ofac_paths)  # the same files: no new version
        second = list_import(fmt="ofac", paths=ofac_v2_paths).version
    finally:
        list_version_activated.disconnect(receive)

    assert [(item["sender"], item["version_id"], item["list_id"]) for item in announced] == [
        (ListVersion, first.pk, first.screening_list_id),
        (ListVersion, second.pk, second.screening_list_id),
    ]


def test_first_import_makes_version_one_active_with_every_entry(
    ofac_paths: list[Path], rescreenings: list[int], django_capture_on_commit_callbacks
) -> None:
    officer = UserFactory(roles=["officer"])
    progress: list[int] = []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = list_import(fmt="ofac", paths=ofac_paths, actor=officer, progress=progress.append)

    assert result.created
    version = result.version
    version.refresh_from_db()
    assert version.number == 1
    assert version.is_active
    assert version.screening_list.code == "OFAC-SDN"
    assert version.screening_list.format == "ofac"
    assert version.imported_by == officer
    assert version.source == ", ".join(str(path) for path in ofac_paths)
    assert len(version.source_sha256) == 64
    assert version.entry_count == 14
    assert (version.added, version.removed, version.changed) == (14, 0, 0)
    assert progress == [14]
    # A list imported for the first time is new in full: shippers are screened against it.
    assert len(callbacks) == 1
    assert rescreenings == [version.pk]

    parties = {party.source_id: party for party in version.entries.all()}
    assert len(parties) == 14
    petrov = parties["7002"]
    assert petrov.list_code == "SDN"
    assert petrov.entity_type == "individual"
    assert petrov.primary_name == "PETROV, Sergey Aleksandrovich"
    assert petrov.data["source_id"] == "7002"
    assert petrov.data["programs"] == ["RUSSIA-EO14024"]
    assert {alias["name"] for alias in petrov.data["aliases"]} == {"PETROV, Sergei"}
    assert petrov.data["dates_of_birth"] == ["1976-09-23", "1977"]
    # Each row's fingerprint is that of the entry its JSON gives back.
    for party in parties.values():
        assert party.fingerprint == engine.fingerprint(entry_from_json(party.data))
    parsed = {
        entry.source_id: entry
        for entry in engine.parse_ofac_sdn(*ofac_paths)  # sdn.csv, alt.csv, add.csv
    }
    assert entry_from_json(parties["7003"].data) == parsed["7003"]
    assert entry_from_json(parties["7003"].data).addresses[0].city == "Saint Petersburg 191186"
    assert set(EntryChange.objects.filter(version=version).values_list("kind", flat=True)) == {
        "added"
    }
    assert EntryChange.objects.filter(version=version).count() == 14


def test_the_same_files_again_make_no_second_version(
    ofac_paths: list[Path], rescreenings: list[int], django_capture_on_commit_callbacks
) -> None:
    first = list_import(fmt="ofac", paths=ofac_paths)
    before = _stored_state()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = list_import(fmt="ofac", paths=ofac_paths)

    assert again.created is False
    assert again.diff is None
    assert again.version == first.version
    assert _stored_state() == before
    assert callbacks == []
    assert rescreenings == []


def test_a_new_release_makes_version_two_with_its_difference(
    ofac_paths: list[Path],
    ofac_v2_paths: list[Path],
    rescreenings: list[int],
    django_capture_on_commit_callbacks,
) -> None:
    first = list_import(fmt="ofac", paths=ofac_paths).version

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = list_import(fmt="ofac", paths=ofac_v2_paths, source="OFAC release of tomorrow")
        # Re-screening waits for the commit: the new version must be visible to the task.
        assert rescreenings == []

    assert len(callbacks) == 1
    second = result.version
    assert rescreenings == [second.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert result.created
    assert (first.number, first.is_active) == (1, False)
    assert (second.number, second.is_active) == (2, True)
    assert second.source == "OFAC release of tomorrow"
    assert second.source_sha256 != first.source_sha256
    assert second.entry_count == 14 == second.entries.count()
    assert (second.added, second.removed, second.changed) == (1, 1, 1)
    assert result.diff is not None
    assert result.diff.summary() == {"added": 1, "removed": 1, "changed": 1, "unchanged": 12}
    # The earlier version keeps its own entries.
    assert first.entries.count() == 14
    assert first.entries.filter(source_id="7010").exists()
    assert not second.entries.filter(source_id="7010").exists()

    changes = {change.kind: change for change in second.changes.all()}
    assert second.changes.count() == 3
    assert (changes["added"].source_id, changes["added"].name) == (
        "7011",
        "NOVAYA ZVEZDA SHIPPING LIMITED",
    )
    assert changes["added"].fields == []
    assert (changes["removed"].source_id, changes["removed"].name) == (
        "7010",
        "GOLDEN STAR TRADING LLC",
    )
    changed = changes["changed"]
    assert (changed.list_code, changed.source_id) == ("SDN", "7002")
    fields = {field["field"]: field for field in changed.fields}
    assert {"programs", "aliases", "remarks"} <= set(fields)
    assert fields["programs"]["old"] == ["RUSSIA-EO14024"]
    assert fields["programs"]["new"] == ["CYBER2", "RUSSIA-EO14024"]
    assert "PETROFF, Serge" not in str(fields["aliases"]["old"])
    assert "PETROFF, Serge" in str(fields["aliases"]["new"])
    assert "a.k.a. 'PETROFF, Serge'" in fields["remarks"]["new"]
    # The changed entry has a new fingerprint; an untouched one keeps its own.
    assert (
        first.entries.get(source_id="7002").fingerprint
        != second.entries.get(source_id="7002").fingerprint
    )
    assert (
        first.entries.get(source_id="36").fingerprint
        == second.entries.get(source_id="36").fingerprint
    )


def test_going_back_to_older_files_makes_a_new_active_version(
    ofac_paths: list[Path],
    ofac_v2_paths: list[Path],
    rescreenings: list[int],
    django_capture_on_commit_callbacks,
) -> None:
    list_import(fmt="ofac", paths=ofac_paths)
    with django_capture_on_commit_callbacks(execute=True):
        second = list_import(fmt="ofac", paths=ofac_v2_paths)
    # The release after it withdraws the change: the list is as it was in version 1, and
    # version 2 (with 7010 delisted) must not stay the one screened against.
    with django_capture_on_commit_callbacks(execute=True):
        third = list_import(fmt="ofac", paths=ofac_paths)

    assert third.created
    assert third.version.number == 3
    assert list(ListVersion.objects.filter(is_active=True)) == [third.version]
    assert (third.version.added, third.version.removed, third.version.changed) == (1, 1, 1)
    assert third.version.entries.filter(source_id="7010").exists()
    assert not third.version.entries.filter(source_id="7011").exists()
    assert rescreenings == [second.version.pk, third.version.pk]


def test_a_broken_file_names_the_line_and_changes_nothing(
    ofac_paths: list[Path], tmp_path: Path, rescreenings: list[int]
) -> None:
    list_import(fmt="ofac", paths=ofac_paths)
    before = _stored_state()
    broken = tmp_path / "sdn.csv"
    rows = (OFAC / "sdn.csv").read_bytes().decode("utf-8").split("\r\n")
    rows.insert(5, '7100,"SHORT ROW LTD",-0- ,"IRAN"')
    broken.write_text("\r\n".join(rows), encoding="utf-8", newline="")

    with pytest.raises(ParseError) as raised:
        list_import(fmt="ofac", paths=[broken])

    assert str(raised.value) == "sdn.csv line 6: expected 12 columns, got 4"
    assert raised.value.location == 6
    assert _stored_state() == before
    assert ScreeningList.objects.get().versions.get(is_active=True).number == 1
    assert rescreenings == []


def test_a_broken_xml_file_of_a_new_list_leaves_no_list_behind(tmp_path: Path) -> None:
    good = (FIXTURES / "un" / "consolidated.xml").read_text(encoding="utf-8")
    broken = tmp_path / "consolidated.xml"
    broken.write_text(good.replace("</FIRST_NAME>", "</FIRSTNAME>", 1), encoding="utf-8")
    line = good[: good.index("</FIRST_NAME>")].count("\n") + 1

    with pytest.raises(ParseError, match=rf"consolidated\.xml line {line}\b") as raised:
        list_import(fmt="un", paths=[broken])

    assert raised.value.location == line
    assert _stored_state() == (0, 0, 0, 0, [])


def test_an_entry_repeated_across_files_is_refused_and_nothing_is_written(
    fixtures: Path,
) -> None:
    # The CSL's CSV and JSON hold the same entries, so importing both repeats every id.
    paths = [fixtures / "csl" / "consolidated.csv", fixtures / "csl" / "consolidated.json"]

    with pytest.raises(ParseError, match="repeats entry"):
        list_import(fmt="csl", paths=paths)

    assert _stored_state() == (0, 0, 0, 0, [])


def test_a_file_without_entries_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "sdn.csv"
    empty.write_bytes(b"")

    with pytest.raises(ParseError, match=r"sdn\.csv: the file holds no entries"):
        list_import(fmt="ofac", paths=[empty])

    assert _stored_state() == (0, 0, 0, 0, [])


def test_an_unknown_format_is_refused(ofac_paths: list[Path]) -> None:
    with pytest.raises(ValueError, match="Unknown list format 'sdn'"):
        list_import(fmt="sdn", paths=ofac_paths)
    assert ScreeningList.objects.count() == 0


@pytest.mark.parametrize(
    ("fmt", "relative", "code"),
    [
        ("csl", "csl/consolidated.csv", "CSL"),
        ("csl", "csl/consolidated.json", "CSL"),
        ("dpl", "bis/dpl.txt", "BIS-DPL"),
        ("un", "un/consolidated.xml", "UN"),
    ],
)
def test_every_format_imports_into_its_own_list(
    fixtures: Path, fmt: str, relative: str, code: str
) -> None:
    path = fixtures / relative
    expected = {entry.source_id for entry in parse_files(fmt, [path])}

    result = list_import(fmt=fmt, paths=[path])

    assert result.created
    assert result.version.screening_list.code == code
    assert result.version.entry_count == len(expected) > 0
    assert set(result.version.entries.values_list("source_id", flat=True)) == expected


def test_lists_have_their_own_versions(
    ofac_paths: list[Path], fixtures: Path, rescreenings: list[int]
) -> None:
    ofac = list_import(fmt="ofac", paths=ofac_paths).version
    un = list_import(fmt="un", paths=[fixtures / "un" / "consolidated.xml"]).version

    assert (ofac.number, un.number) == (1, 1)
    assert set(ListVersion.objects.filter(is_active=True)) == {ofac, un}
    assert rescreenings == []
