"""What an import is made of: its fingerprint is the files' contents, an OFAC file set needs
sdn.csv, and an OFAC release without alt.csv or add.csv keeps the previous version's aliases
and addresses of the entries still listed, and says so."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from screening.engine import ParseError, parse_ofac_sdn
from screening.engine.partial import carry_over
from screening.models import ListVersion
from screening.services import list_import
from tests.screening.conftest import OFAC

pytestmark = pytest.mark.django_db


def _sdn_only(ofac_v2_paths: list[Path], tmp_path: Path) -> Path:
    """The later release's sdn.csv alone, as OFAC's 2024-05 CSV download came."""
    folder = tmp_path / "sdn-only"
    folder.mkdir()
    shutil.copy(ofac_v2_paths[0], folder / "sdn.csv")
    return folder / "sdn.csv"


# -- fingerprints (issue 16) -----------------------------------------------------------------


def test_the_same_content_under_other_names_makes_no_new_version(
    fixtures: Path, tmp_path: Path
) -> None:
    first = list_import(fmt="dpl", paths=[fixtures / "bis" / "dpl.txt"])
    renamed = tmp_path / "denied-persons-2026-12-01.txt"
    shutil.copy(fixtures / "bis" / "dpl.txt", renamed)

    again = list_import(fmt="dpl", paths=[renamed])

    assert again.created is False
    assert again.version == first.version
    assert ListVersion.objects.count() == 1


def test_the_same_ofac_files_in_another_order_or_folder_make_no_new_version(
    ofac_paths: list[Path], tmp_path: Path
) -> None:
    first = list_import(fmt="ofac", paths=ofac_paths).version
    copies = []
    for path in reversed(ofac_paths):
        shutil.copy(path, tmp_path / path.name.upper())
        copies.append(tmp_path / path.name.upper())

    again = list_import(fmt="ofac", paths=copies)

    assert (again.created, again.version) == (False, first)


def test_an_ofac_file_counts_by_its_part_not_only_its_bytes(tmp_path: Path) -> None:
    # The same bytes as alt.csv or as add.csv mean different things: different prints.
    from screening.services import content_sha256

    sdn = tmp_path / "sdn.csv"
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(OFAC / "sdn.csv", sdn)
    shutil.copy(OFAC / "alt.csv", tmp_path / "alt.csv")
    shutil.copy(OFAC / "alt.csv", other / "add.csv")

    assert content_sha256("ofac", [sdn, tmp_path / "alt.csv"]) != content_sha256(
        "ofac", [sdn, other / "add.csv"]
    )


# -- the OFAC file set (issue 16) ------------------------------------------------------------


def test_an_ofac_set_without_sdn_csv_is_refused_naming_it() -> None:
    with pytest.raises(ParseError, match=r"sdn\.csv is missing") as raised:
        list_import(fmt="ofac", paths=[OFAC / "alt.csv", OFAC / "add.csv"])

    assert "alt.csv, add.csv" in str(raised.value)
    assert not ListVersion.objects.exists()


def test_an_ofac_file_of_another_name_is_refused(tmp_path: Path) -> None:
    stray = tmp_path / "specially_designated.csv"
    shutil.copy(OFAC / "sdn.csv", stray)

    with pytest.raises(ParseError, match=r"specially_designated\.csv is not an OFAC file name"):
        list_import(fmt="ofac", paths=[stray, OFAC / "alt.csv"])

    assert not ListVersion.objects.exists()


def test_ofac_names_with_a_suffix_count_as_their_part_but_not_twice(tmp_path: Path) -> None:
    dated = tmp_path / "sdn_2024-05.csv"
    shutil.copy(OFAC / "sdn.csv", dated)

    assert list_import(fmt="ofac", paths=[dated, OFAC / "alt.csv"]).version.entry_count == 14
    with pytest.raises(ParseError, match=r"sdn\.csv and sdn_2024-05\.csv are both sdn\.csv"):
        list_import(fmt="ofac", paths=[OFAC / "sdn.csv", dated])


# -- a partial OFAC release (issue 13) -------------------------------------------------------


def test_ofac_sdn_csv_alone_keeps_the_previous_aliases_and_addresses_and_says_so(
    ofac_paths: list[Path], ofac_v2_paths: list[Path], tmp_path: Path, rescreenings: list[int]
) -> None:
    first = list_import(fmt="ofac", paths=ofac_paths).version

    result = list_import(fmt="ofac", paths=[_sdn_only(ofac_v2_paths, tmp_path)])

    version = result.version
    # Only the real changes: 7002 changed in sdn.csv, 7010 left, 7011 came.
    assert (version.added, version.removed, version.changed) == (1, 1, 1)
    assert result.diff is not None
    assert [change.new.source_id for change in result.diff.changed] == ["7002"]
    romashka_before = first.entries.get(source_id="7003").data
    romashka_after = version.entries.get(source_id="7003").data
    assert romashka_after["addresses"] == romashka_before["addresses"]
    assert romashka_after["aliases"] == romashka_before["aliases"]
    assert any(alias["strength"] == "strong" for alias in romashka_after["aliases"])
    assert len(version.warnings) == 2
    assert version.warnings[0].startswith("alt.csv and add.csv not imported:")
    assert "carried over from OFAC-SDN version 1" in version.warnings[0]
    assert version.warnings[1].startswith("1 entries new in this release have no")


def test_ofac_sdn_csv_alone_as_the_first_version_warns_that_aliases_are_missing(
    tmp_path: Path,
) -> None:
    version = list_import(fmt="ofac", paths=[OFAC / "sdn.csv"]).version

    assert version.warnings == [
        "alt.csv and add.csv not imported: the entries have no strong aliases or addresses "
        "except the weak a.k.a.s in sdn.csv's Remarks. Import the complete file set."
    ]


def test_ofac_add_csv_missing_alone_keeps_only_the_addresses(
    ofac_paths: list[Path], tmp_path: Path
) -> None:
    list_import(fmt="ofac", paths=ofac_paths)
    edited = tmp_path / "alt.csv"
    # One alias fewer in the new alt.csv: a real change, which must be seen.
    rows = (OFAC / "alt.csv").read_bytes().split(b"\r\n")
    edited.write_bytes(b"\r\n".join(rows[1:]))

    result = list_import(fmt="ofac", paths=[OFAC / "sdn.csv", edited])

    assert result.diff is not None
    assert result.diff.summary()["changed"] == 1
    assert result.diff.changed[0].changed_fields == {"aliases"}
    assert result.version.warnings[0].startswith("add.csv not imported: the addresses of")


def test_the_import_command_prints_the_carried_over_warning(
    ofac_paths: list[Path], ofac_v2_paths: list[Path], tmp_path: Path
) -> None:
    list_import(fmt="ofac", paths=ofac_paths)
    stdout = io.StringIO()

    call_command(
        "import_screening_list",
        "--format",
        "ofac",
        str(_sdn_only(ofac_v2_paths, tmp_path)),
        stdout=stdout,
        stderr=io.StringIO(),
    )

    out = stdout.getvalue()
    assert "WARNING: alt.csv and add.csv not imported" in out
    assert "1 added, 1 removed, 1 changed, 12 unchanged" in out


def test_carry_over_keeps_weak_aliases_of_the_new_release() -> None:
    old = list(parse_ofac_sdn(OFAC / "sdn.csv", OFAC / "alt.csv", OFAC / "add.csv"))
    new = list(parse_ofac_sdn(OFAC / "sdn.csv"))

    merged, report = carry_over(new, old, missing_files=["alt.csv", "add.csv"])

    assert merged == old
    assert report.aliases_kept == sum(
        any(alias.strength == "strong" for alias in entry.aliases) for entry in old
    )
    assert report.addresses_kept == sum(bool(entry.addresses) for entry in old)
    assert report.new_without == 0


def test_officers_see_the_warning_in_the_admin_and_applicants_do_not(
    ofac_paths: list[Path], ofac_v2_paths: list[Path], tmp_path: Path
) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    from tests.accounts.factories import UserFactory
    from tests.shippers.factories import owner_with_organisation

    list_import(fmt="ofac", paths=ofac_paths)
    version = list_import(fmt="ofac", paths=[_sdn_only(ofac_v2_paths, tmp_path)]).version
    officer = UserFactory(roles=["officer"])
    TOTP.activate(officer, generate_totp_secret())
    client = Client()
    client.force_login(officer)

    listing = client.get("/admin/screening/listversion/").content.decode()
    page = client.get(f"/admin/screening/listversion/{version.pk}/change/").content.decode()

    assert "⚠ alt.csv and add.csv not imported" in listing
    assert "carried over from OFAC-SDN version 1" in page
    applicant, _organisation = owner_with_organisation()
    outsider = Client()
    outsider.force_login(applicant)
    assert outsider.get("/admin/screening/listversion/").status_code == 302
