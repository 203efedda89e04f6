"""BIS Denied Persons: a denial order (15 CFR 764.3(a)(2)) runs for the term it states; an
order past its expiry date no longer raises a hit, and stays in the list version as history."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from screening import selectors
from screening.engine import ListEntry, parse_bis_dpl
from screening.engine.validity import expires_on, in_force
from screening.selectors import ScreeningQuery, screen
from screening.services import list_import
from tests.accounts.factories import UserFactory

HEADER = (
    "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\t"
    "Expiration_Date\tStandard_Order\tLast_Update\tAction\tFR_Citation"
)


def _dpl(tmp_path: Path, *rows: tuple[str, str]) -> Path:
    """A DPL file of (name, expiration date MM/DD/YYYY) rows."""
    lines = [HEADER]
    for name, expiry in rows:
        lines.append(
            f'"{name}"\t"1 Main St"\t"Springfield"\t"IL"\t"US"\t"62701"\t"01/05/2015"\t'
            f'"{expiry}"\t"Y"\t"2015-01-10"\t"FR NOTICE ADDED"\t"80 F.R. 1234 1/9/15"'
        )
    path = tmp_path / "dpl.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_15_cfr_764_3_a_2_an_order_is_in_force_through_its_expiry_date(fixtures: Path) -> None:
    entries = {entry.primary_name: entry for entry in parse_bis_dpl(fixtures / "bis" / "dpl.txt")}
    hernandez = entries["ADRIAN MANUEL HERNANDEZ"]

    assert expires_on(hernandez) == datetime.date(2020, 10, 13)
    assert in_force(hernandez, datetime.date(2020, 10, 13))
    assert not in_force(hernandez, datetime.date(2020, 10, 14))
    assert in_force(entries["I. ASH"], datetime.date(2026, 12, 1))


def test_15_cfr_764_3_a_2_the_csl_end_date_counts_for_denied_persons_only() -> None:
    def entry(source: str) -> ListEntry:
        return ListEntry(
            source_id="x",
            list_code="CSL",
            entity_type="entity",
            primary_name="ACME EXPORTS",
            source_fields=(("source", source), ("end_date", "2021-03-25")),
        )

    denied = entry("Denied Persons List (DPL) - Bureau of Industry and Security")
    nonproliferation = entry("Nonproliferation Sanctions (ISN) - State Department")

    assert expires_on(denied) == datetime.date(2021, 3, 25)
    assert not in_force(denied, datetime.date(2021, 3, 26))
    assert expires_on(nonproliferation) is None
    assert in_force(nonproliferation, datetime.date(2030, 1, 1))


def test_an_unreadable_expiry_keeps_the_order_in_force() -> None:
    entry = ListEntry(
        source_id="x",
        list_code="DPL",
        entity_type="unknown",
        primary_name="ACME EXPORTS",
        source_fields=(("expiration_date", "until further notice"),),
    )
    assert expires_on(entry) is None
    assert in_force(entry, datetime.date(2030, 1, 1))


@pytest.mark.django_db
def test_15_cfr_764_3_a_2_an_expired_order_raises_no_hit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    list_import(
        fmt="dpl",
        paths=[
            _dpl(tmp_path, ("VOLKOV TRADING HOUSE", "06/30/2026"), ("ZARGAR EXPORTS", "06/29/2056"))
        ],
    )
    monkeypatch.setattr(selectors.timezone, "localdate", lambda: datetime.date(2026, 6, 30))

    assert screen(ScreeningQuery("Volkov Trading House"), threshold=0.8)
    assert screen(ScreeningQuery("Zargar Exports"), threshold=0.8)

    # The next day the index is rebuilt without the expired order.
    monkeypatch.setattr(selectors.timezone, "localdate", lambda: datetime.date(2026, 7, 1))

    assert screen(ScreeningQuery("Volkov Trading House"), threshold=0.8) == []
    assert screen(ScreeningQuery("Zargar Exports"), threshold=0.8)


@pytest.mark.django_db
def test_the_expired_order_is_shown_as_history_to_officers(tmp_path: Path) -> None:
    version = list_import(
        fmt="dpl", paths=[_dpl(tmp_path, ("VOLKOV TRADING HOUSE", "06/30/2020"))]
    ).version
    officer = UserFactory(roles=["officer"])
    TOTP.activate(officer, generate_totp_secret())
    client = Client()
    client.force_login(officer)

    page = client.get("/admin/screening/listedparty/")

    assert page.status_code == 200
    assert "expired after 2020-06-30 (history, raises no hit)" in page.content.decode()
    assert version.entries.get().primary_name == "VOLKOV TRADING HOUSE"
