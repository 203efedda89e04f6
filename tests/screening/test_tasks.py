"""The scheduled list refresh (run eagerly here): fetch each configured list and import it;
unchanged files make no new version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from celery.exceptions import Retry
from django.conf import settings as django_settings

from screening.engine import ParseError
from screening.models import ListVersion
from screening.tasks import configured_sources, import_list_from_urls, refresh_screening_lists
from tests.screening.conftest import OFAC

pytestmark = pytest.mark.django_db


def _urls(paths: list[Path]) -> str:
    return " ".join(path.as_uri() for path in paths)


def test_the_refresh_is_scheduled() -> None:
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "screening.tasks.refresh_screening_lists" in tasks


def test_refresh_imports_each_configured_list_once(
    settings: Any, fixtures: Path, ofac_paths: list[Path], rescreenings: list[int]
) -> None:
    un = fixtures / "un" / "consolidated.xml"
    settings.SCREENING_LIST_SOURCES = f"ofac={_urls(ofac_paths)}; un={un.as_uri()}"

    assert refresh_screening_lists.delay().get() == ["ofac", "un"]

    ofac = ListVersion.objects.get(screening_list__code="OFAC-SDN")
    assert (ofac.number, ofac.is_active, ofac.entry_count) == (1, True, 14)
    assert ofac.source == _urls(ofac_paths)
    romashka = ofac.entries.get(source_id="7003").data
    assert romashka["addresses"][0]["city"] == "Saint Petersburg 191186"  # from add.csv
    assert ListVersion.objects.get(screening_list__code="UN").is_active

    refresh_screening_lists.delay().get()

    assert ListVersion.objects.count() == 2
    assert rescreenings == []


def test_import_from_urls_says_what_it_did(
    ofac_paths: list[Path], ofac_v2_paths: list[Path], rescreenings: list[int]
) -> None:
    first = import_list_from_urls.delay("ofac", [p.as_uri() for p in ofac_paths]).get()
    again = import_list_from_urls.delay("ofac", [p.as_uri() for p in ofac_paths]).get()
    newer = import_list_from_urls.delay("ofac", [p.as_uri() for p in ofac_v2_paths]).get()

    assert first == "imported: OFAC-SDN version 1"
    assert again == "unchanged: OFAC-SDN version 1"
    assert newer == "imported: OFAC-SDN version 2"
    assert ListVersion.objects.get(is_active=True).number == 2


def test_a_broken_download_changes_nothing(
    settings: Any, ofac_paths: list[Path], tmp_path: Path
) -> None:
    import_list_from_urls.delay("ofac", [p.as_uri() for p in ofac_paths]).get()
    broken = tmp_path / "sdn.csv"
    broken.write_bytes((OFAC / "sdn_broken_ent_num.csv").read_bytes())
    settings.SCREENING_LIST_SOURCES = f"ofac={broken.as_uri()}"

    with pytest.raises(ParseError, match=r"sdn\.csv line 3\b"):
        refresh_screening_lists.delay()

    assert list(ListVersion.objects.values_list("number", "is_active")) == [(1, True)]


def test_a_failed_download_is_retried(tmp_path: Path) -> None:
    with pytest.raises(Retry) as raised:
        import_list_from_urls.delay("ofac", [(tmp_path / "sdn.csv").as_uri()])

    assert isinstance(raised.value.exc, OSError)
    assert "No such file" in str(raised.value.exc)
    assert not ListVersion.objects.exists()


@pytest.mark.parametrize(
    "url", ["ftp://example.org/sdn.csv", "lists/sdn.csv", "javascript:alert(1)"]
)
def test_only_http_https_and_file_urls_are_fetched(url: str) -> None:
    with pytest.raises(ValueError, match="only https, http and file URLs"):
        import_list_from_urls.delay("ofac", [url])
    assert not ListVersion.objects.exists()


def test_sources_may_be_bare_absolute_paths(
    settings: Any, ofac_paths: list[Path], rescreenings: list[int]
) -> None:
    settings.SCREENING_LIST_SOURCES = "ofac=" + " ".join(str(path) for path in ofac_paths)

    assert configured_sources() == [("ofac", [path.as_uri() for path in ofac_paths])]
    refresh_screening_lists.delay().get()

    version = ListVersion.objects.get(screening_list__code="OFAC-SDN")
    assert version.entry_count == 14
    assert version.warnings == []  # alt.csv and add.csv were read
    assert version.entries.get(source_id="7003").data["addresses"]


def test_urls_ending_in_the_same_name_do_not_overwrite_each_other(
    tmp_path: Path, fixtures: Path, rescreenings: list[int]
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "dpl.txt").write_bytes((fixtures / "bis" / "dpl.txt").read_bytes())
    header = (fixtures / "bis" / "dpl.txt").read_text(encoding="utf-8").splitlines()[0]
    cells = ['"ZETA EXPORTS LLC"'] + ['""'] * header.count("\t")
    (second / "dpl.txt").write_text(header + "\n" + "\t".join(cells) + "\n", encoding="utf-8")

    import_list_from_urls.delay(
        "dpl", [(first / "dpl.txt").as_uri(), (second / "dpl.txt").as_uri()]
    ).get()

    names = set(
        ListVersion.objects.get(is_active=True).entries.values_list("primary_name", flat=True)
    )
    assert {"ZETA EXPORTS LLC", "I. ASH"} <= names


def test_nothing_configured_fetches_nothing(settings: Any) -> None:
    settings.SCREENING_LIST_SOURCES = ""

    assert refresh_screening_lists.delay().get() == []
    assert not ListVersion.objects.exists()


def test_sources_setting_is_read() -> None:
    assert configured_sources(
        " ofac = https://a/sdn.csv https://a/alt.csv ;; un=https://b/consolidated.xml;"
    ) == [
        ("ofac", ["https://a/sdn.csv", "https://a/alt.csv"]),
        ("un", ["https://b/consolidated.xml"]),
    ]


@pytest.mark.parametrize("value", ["sdn=https://a/sdn.csv", "ofac=", "ofac", "un https://b/x"])
def test_a_misconfigured_source_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="SCREENING_LIST_SOURCES: cannot read"):
        configured_sources(value)
