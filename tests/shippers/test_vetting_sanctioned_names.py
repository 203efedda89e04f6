"""The comprehensive-sanctions vetting check with the reference data of core.reference:
an address naming a sanctioned place without its region code (EO 13685, EO 14065), and goods
of a prohibited origin declared in the application (31 CFR 560.201, 515.204, 510.206)."""

from __future__ import annotations

import pytest

from shippers.models import Address, Application, VettingCheck
from tests.shippers.vetting_support import Kind, check_of, ofac_list, submit

pytestmark = pytest.mark.django_db
Status = VettingCheck.Status
__all__ = ["ofac_list", "submit"]  # fixtures


def test_eo_13685_a_facility_in_simferopol_written_ru_fails(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    def crimean_facility(application: Application) -> None:
        Address.objects.create(
            organisation=application.organisation,
            kind="facility",
            line1="ul. Kirova 12",
            city="Симферополь",
            country="RU",
        )

    application = submit(crimean_facility)

    check = check_of(application, Kind.SANCTIONED_COUNTRIES)
    assert check.status == Status.FAILED
    codes = {(f["code"], f["where"]) for f in check.evidence["findings"]}
    assert ("UA-43", "address region") in codes


def test_eo_14065_an_address_in_donetsk_is_flagged_for_review(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    def donetsk_office(application: Application) -> None:
        Address.objects.create(
            organisation=application.organisation,
            kind="operating",
            line1="vul. Artema 1",
            city="Donetsk",
            country="UA",
        )

    application = submit(donetsk_office)

    check = check_of(application, Kind.SANCTIONED_COUNTRIES)
    assert check.status == Status.FLAGGED
    assert check.evidence["findings"][0]["code"] == "UA-14"
    assert check.evidence["findings"][0]["partial"] is True


def test_31_cfr_560_201_goods_of_iranian_origin_fail_vetting(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    def iranian_goods(application: Application) -> None:
        application.origin_countries = ["CN", "IR"]
        application.save(update_fields=["origin_countries"])

    application = submit(iranian_goods)

    check = check_of(application, Kind.SANCTIONED_COUNTRIES)
    assert check.status == Status.FAILED
    finding = check.evidence["findings"][0]
    assert (finding["code"], finding["where"]) == ("IR", "origin of goods (a prohibited import)")
    assert "imports goods of" in check.summary
