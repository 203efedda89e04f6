"""Parsers: good files give complete entries, broken files say which line or element is wrong."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from screening.engine import (
    Address,
    Alias,
    Identifier,
    ListEntry,
    ParseError,
    parse_bis_dpl,
    parse_csl_csv,
    parse_csl_json,
    parse_ofac_sdn,
    parse_un_consolidated,
)
from screening.engine.parsers.ofac_remarks import parse_remarks


def _by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {entry.source_id: entry for entry in entries}


def test_ofac_joins_aliases_and_addresses(ofac_entries: list[ListEntry]) -> None:
    entries = _by_id(ofac_entries)
    assert len(entries) == 14
    bank = entries["306"]
    assert bank.entity_type == "entity"
    assert bank.list_code == "SDN"
    assert bank.aliases == (
        Alias("NATIONAL BANK OF CUBA", "aka", "strong"),
        Alias("BNC", "aka", "weak"),
    )
    assert bank.addresses == (
        Address(
            street="Zweierstrasse 35",
            city="Zurich CH-8022",
            country="CH",
            country_raw="Switzerland",
        ),
    )
    assert entries["7003"].aliases[0] == Alias("OOO ROMASHKA", "fka", "strong")


def test_ofac_reads_remarks_facts(ofac_entries: list[ListEntry]) -> None:
    sanli = _by_id(ofac_entries)["7001"]
    assert sanli.entity_type == "individual"
    assert sanli.programs == ("SDGT", "IFSR")
    assert sanli.dates_of_birth == ("1956-04-01",)
    assert sanli.places_of_birth == ("Adana, Turkey",)
    assert sanli.countries == ("TR",)
    assert sanli.gender == "male"
    assert Identifier("Passport", "U24492445", "TR", "Turkey") in sanli.identifiers
    assert ("linked_to", "EXAMPLE HOLDING") in sanli.source_fields


def test_ofac_vessel_and_null_handling(ofac_entries: list[ListEntry]) -> None:
    entries = _by_id(ofac_entries)
    vessel = entries["7005"]
    assert vessel.entity_type == "vessel"
    assert ("call_sign", "9HA5071") in vessel.source_fields
    assert "IR" in vessel.countries
    assert Identifier("IMO", "9116412") in vessel.identifiers
    assert entries["36"].remarks == ""
    assert entries["36"].title == ""
    assert entries["7006"].entity_type == "aircraft"


def test_remarks_parser_handles_dates_aliases_and_countries() -> None:
    facts = parse_remarks(
        "DOB circa 1960; alt. DOB 1958 to 1962; alt. DOB Jan 1961; nationality Korea, North; "
        "a.k.a. 'AL QA'IDA'; n.k.a. 'NEW NAME'; Registration Number HRA 738077 (Stuttgart) "
        "(Germany)."
    )
    assert facts.dates_of_birth == ("1960", "1958/1962", "1961-01")
    assert facts.nationalities == ("Korea, North",)
    assert facts.aliases == (Alias("AL QA'IDA", "aka", "weak"), Alias("NEW NAME", "nka", "weak"))
    assert facts.identifiers == (Identifier("Registration Number", "HRA 738077", "DE", "Germany"),)


def test_ofac_decodes_windows_1252_and_streams(fixtures: Path) -> None:
    entries = list(parse_ofac_sdn(fixtures / "ofac" / "sdn_cp1252.csv"))
    assert entries[1].primary_name == "MUÑOZ, José"
    raw = (fixtures / "ofac" / "sdn.csv").read_bytes()
    streamed = list(parse_ofac_sdn(io.BytesIO(raw)))
    assert [e.source_id for e in streamed][:3] == ["36", "173", "306"]


@pytest.mark.parametrize(
    ("filename", "line", "message"),
    [
        ("sdn_broken_columns.csv", 4, "expected 12 columns, got 6"),
        ("sdn_broken_ent_num.csv", 3, "ent_num must be a whole number"),
    ],
)
def test_ofac_broken_file_names_the_line(
    fixtures: Path, filename: str, line: int, message: str
) -> None:
    with pytest.raises(ParseError) as raised:
        list(parse_ofac_sdn(fixtures / "ofac" / filename))
    assert raised.value.location == line
    assert message in str(raised.value)
    assert str(raised.value).startswith(f"{filename} line {line}:")


def test_ofac_repeated_ent_num_is_an_error() -> None:
    row = '36,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    with pytest.raises(ParseError, match="repeats the entry of line 1") as raised:
        list(parse_ofac_sdn(io.StringIO(row + row)))
    assert raised.value.location == 2


def test_csl_current_csv(fixtures: Path) -> None:
    entries = _by_id(list(parse_csl_csv(fixtures / "csl" / "consolidated.csv")))
    rim = entries["52291"]
    assert rim.list_code == "CSL-SDN"
    assert rim.entity_type == "individual"
    assert rim.dates_of_birth == ("1978-12-05",)
    assert rim.countries == ("KP",)
    assert rim.gender == "male"
    assert rim.identifiers == (Identifier("Passport", "836238033", "KP", "KP"),)
    assert [a.city for a in rim.addresses] == ["Shenyang", "Pyongyang"]
    assert any(key == "ids_other" for key, _ in rim.source_fields)
    sinobright = entries["233a4d725770c81f"]
    assert sinobright.primary_name == "Sinobright Import and Export Company"
    assert sinobright.entity_type == "unknown"
    cetc = entries["99ed1b052fdb0969"]
    assert Alias("CETC Research Institute 13") in cetc.aliases
    assert len(cetc.addresses) == 2
    bank = entries["18283"]
    assert bank.addresses[0] == Address(
        "79 ul. Sadovnicheskaya", "Moscow", "", "115035", "RU", "RU"
    )


def test_csl_2019_csv_reads_legacy_id_order(fixtures: Path) -> None:
    entries = list(parse_csl_csv(fixtures / "csl" / "csl-2019.csv"))
    holdings, denied, vessel = entries
    assert holdings.identifiers == (Identifier("Tax ID No.", "80-0890696", "US", "US"),)
    assert holdings.addresses[0].state_or_province == "FL"
    assert denied.source_id.startswith("h:")
    assert denied.list_code == "CSL-DPL"
    assert vessel.identifiers == (Identifier("Vessel Registration Identification", "IMO 8898831"),)
    assert vessel.countries == ("KP",)


def test_csl_json_matches_csv(fixtures: Path) -> None:
    from_json = _by_id(list(parse_csl_json(fixtures / "csl" / "consolidated.json")))
    from_csv = _by_id(list(parse_csl_csv(fixtures / "csl" / "consolidated.csv")))
    assert set(from_json) <= set(from_csv)
    for key in ("52291", "9673", "26182"):
        assert from_json[key].primary_name == from_csv[key].primary_name
        assert from_json[key].aliases == from_csv[key].aliases
        assert from_json[key].identifiers == from_csv[key].identifiers
        assert from_json[key].dates_of_birth == from_csv[key].dates_of_birth


def test_csl_broken_files(fixtures: Path) -> None:
    with pytest.raises(ParseError, match="expected 29 cells") as raised:
        list(parse_csl_csv(fixtures / "csl" / "consolidated_broken.csv"))
    assert raised.value.location == 4
    with pytest.raises(ParseError, match=r"results\[2\]"):
        list(parse_csl_json(fixtures / "csl" / "consolidated_broken.json"))
    with pytest.raises(ParseError, match="missing column"):
        list(parse_csl_csv(io.StringIO("a,b\n1,2\n")))


def test_bis_groups_rows_of_one_order(fixtures: Path) -> None:
    entries = list(parse_bis_dpl(fixtures / "bis" / "dpl.txt"))
    assert [e.primary_name for e in entries] == [
        "ADRIAN MANUEL HERNANDEZ",
        "I. ASH",
        "BOB BABU",
        "MAHAN AIRWAYS",
        "AEROSPACE TECHNOLOGY LTD.",
    ]
    ash = entries[1]
    assert len(ash.addresses) == 2
    assert ash.entity_type == "unknown"
    assert ("effective_date", "2002-03-04") in ash.source_fields
    again = list(parse_bis_dpl(fixtures / "bis" / "dpl.txt"))
    assert [e.source_id for e in again] == [e.source_id for e in entries]


def test_bis_broken_files(fixtures: Path) -> None:
    with pytest.raises(ParseError, match="expected 12 tab-separated cells") as raised:
        list(parse_bis_dpl(fixtures / "bis" / "dpl_broken.txt"))
    assert raised.value.location == 4
    with pytest.raises(ParseError, match="not a Denied Persons List"):
        list(parse_bis_dpl(fixtures / "bis" / "not_dpl.txt"))


def test_un_individuals_and_entities(fixtures: Path) -> None:
    entries = _by_id(list(parse_un_consolidated(fixtures / "un" / "consolidated.xml")))
    omar = entries["6908394"]
    assert omar.primary_name == "OMAR SABAWI IBRAHIM HASAN AL-TIKRITI"
    assert Alias("Abu Umar", "aka", "weak") in omar.aliases
    assert Alias("عمر سبعاوي إبراهيم حسن التكريتي", "original_script", "") in omar.aliases
    assert omar.dates_of_birth == ("1970",)
    assert omar.countries == ("IQ",)
    assert omar.identifiers == (Identifier("Passport", "2863795S", "IQ", "Iraq"),)
    assert omar.addresses[0].country == "SY"
    assert ("reference_number", "IQi.082") in omar.source_fields
    assert entries["6908462"].dates_of_birth == ("1957/1959",)
    assert entries["6908462"].title == "General; Major General"
    assert entries["6907993"].aliases == ()
    bureau = entries["6908526"]
    assert bureau.entity_type == "entity"
    assert Alias("KPA Unit 586", "fka", "") in bureau.aliases


@pytest.mark.parametrize(
    ("filename", "location", "message"),
    [
        ("broken.xml", 37, "not well formed"),
        ("missing_dataid.xml", "CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL[3]", "DATAID is missing"),
        ("doctype.xml", "prolog", "refusing XML with <!DOCTYPE"),
        ("wrong_root.xml", "RESULTS", "expected <CONSOLIDATED_LIST>"),
    ],
)
def test_un_broken_files(fixtures: Path, filename: str, location: int | str, message: str) -> None:
    with pytest.raises(ParseError, match=message) as raised:
        list(parse_un_consolidated(fixtures / "un" / filename))
    assert raised.value.location == location
