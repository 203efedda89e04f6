"""Prohibited origins as dated data (core/reference/data/prohibited_origins.yaml): goods of
Iranian, Cuban or North Korean origin may not be imported, except as the regulations allow."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from core.reference.origins import (
    PROHIBITED_ORIGINS_FILE,
    load_prohibited_origins,
    prohibited_origin,
    prohibited_origin_codes,
)

TODAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("code", "citation", "adjective"),
    [
        ("IR", "31 CFR 560.201", "Iranian"),
        ("CU", "31 CFR 515.204", "Cuban"),
        ("KP", "31 CFR 510.206", "North Korean"),
    ],
)
def test_31_cfr_560_201_515_204_510_206_prohibit_these_origins(
    code: str, citation: str, adjective: str
) -> None:
    carpet = prohibited_origin(code.lower(), "5701.10", TODAY)

    assert carpet is not None
    assert carpet.prohibited
    assert (carpet.code, carpet.citation, carpet.adjective) == (code, citation, adjective)
    assert carpet.url.startswith("https://www.ecfr.gov/")
    assert carpet.explanation() == (
        f"Goods of {adjective} origin are a prohibited import under {citation}."
    )


def test_other_origins_are_not_prohibited() -> None:
    assert prohibited_origin("CN", "570110", TODAY) is None
    assert prohibited_origin("RU", "570110", TODAY) is None
    assert prohibited_origin("", "570110", TODAY) is None
    assert prohibited_origin_codes(TODAY) == {"IR", "CU", "KP"}


def test_informational_materials_are_excepted_under_31_cfr_560_210_c_and_50_usc_1702_b_3() -> None:
    book = prohibited_origin("IR", "4901.99.0070", TODAY)

    assert book is not None
    assert not book.prohibited
    assert book.exception is not None
    assert book.exception.code == "informational-materials"
    assert "560.210(c)" in book.exception.citation
    assert "515.206(a)" in book.exception.citation
    assert "510.213(c)" in book.exception.citation
    assert "excepted as informational materials" in book.explanation()
    # Without an HS code nothing shows the goods are informational materials.
    assert prohibited_origin("IR", "", TODAY).prohibited  # type: ignore[union-attr]


def test_the_berman_amendment_exception_starts_on_1988_08_23() -> None:
    before = prohibited_origin("IR", "490199", datetime.date(1988, 8, 22))
    after = prohibited_origin("IR", "490199", datetime.date(1988, 8, 23))

    assert before is not None
    assert before.prohibited
    assert after is not None
    assert not after.prohibited


def test_each_prohibition_has_its_own_start() -> None:
    # EO 12613 (Iran, 29 Oct 1987); EO 13570 (North Korea, effective 19 Apr 2011).
    assert prohibited_origin("IR", "570110", datetime.date(1987, 10, 28)) is None
    assert prohibited_origin("IR", "570110", datetime.date(1987, 10, 29)) is not None
    assert prohibited_origin("KP", "570110", datetime.date(2011, 4, 18)) is None
    assert prohibited_origin("KP", "570110", datetime.date(2011, 4, 19)) is not None
    moment = datetime.datetime(2011, 4, 19, 12, tzinfo=datetime.UTC)
    assert prohibited_origin("KP", "570110", moment) is not None


def test_the_file_loads_whole() -> None:
    data = load_prohibited_origins()
    assert set(data.origins) == {"IR", "CU", "KP"}
    assert all(exception.origins <= set(data.origins) for exception in data.exceptions)


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ("code: IR", "code: IRN", r"origins\[0\]: code 'IRN' does not match"),
        ("origins: [IR, CU, KP]", "origins: [IR, SY]", r"\['SY'\] are not prohibited origins"),
        ('"4901", ', '"49x1", ', r"hs_prefixes must be 2 to 10 digits"),
        (
            "effective_to: null\n    notes: >-\n      Imports of goods and services",
            "effective_to: 1980-01-01\n    notes: >-\n      Imports of goods and services",
            "effective_to is before effective_from",
        ),
    ],
)
def test_a_bad_edit_is_refused_naming_the_entry(
    tmp_path: Path, replace: str, by: str, message: str
) -> None:
    text = PROHIBITED_ORIGINS_FILE.read_text(encoding="utf-8")
    assert replace in text
    path = tmp_path / "prohibited_origins.yaml"
    path.write_text(text.replace(replace, by, 1), encoding="utf-8")

    with pytest.raises(ValueError, match=message):
        load_prohibited_origins(path)
