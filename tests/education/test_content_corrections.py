"""The starter library against the legal corrections of issue 13, read from the content
files the loader uses (no database). Each test is named after its source."""

from __future__ import annotations

import datetime
import importlib
import re

import pytest

from education.loader import CONTENT_DIR, ArticleSource, parse_article


def article(slug: str) -> ArticleSource:
    return parse_article(CONTENT_DIR / "articles" / f"{slug}.md")


def text(slug: str) -> str:
    source = article(slug)
    return " ".join([source.meta["summary"], source.body])


def citations(slug: str) -> set[str]:
    return {reference["citation"] for reference in article(slug).meta["references"]}


@pytest.mark.parametrize("slug", ["internet-purchases", "ipr-counterfeits"])
def test_19_cfr_133_27_the_1526_f_fine_is_for_imports_for_sale_or_public_distribution(
    slug: str,
) -> None:
    body = text(slug)
    assert "for sale or public distribution" in body
    assert "forfeited" in body
    assert "19 CFR 133.27" in citations(slug)
    # The consumer with one pair of sunglasses is no longer told she faces a fine.
    assert "Maria, as importer, could face a penalty notice" not in body
    assert "the importer can receive a penalty notice based on the price" not in body


def test_19_usc_1526_f_2_and_f_3_first_and_later_seizures() -> None:
    body = text("ipr-counterfeits")
    assert "(19 U.S.C. 1526(f)(2))" in body
    assert "(19 U.S.C. 1526(f)(3))" in body


def test_19_cfr_102_21_decides_apparel_origin_not_the_substantial_transformation_shirt() -> None:
    body = text("country-of-origin")
    assert "finished shirt is usually a substantial transformation" not in body
    assert "wholly assembled" in body
    assert "knit to shape" in body
    assert "19 CFR 102.21" in citations("country-of-origin")


def test_pub_l_119_21_de_minimis_penalty_date_is_the_same_in_the_article_and_the_data() -> None:
    seed = importlib.import_module(
        "enforcement.migrations.0002_statutory_figures_guidelines_and_roles"
    )
    law_date = seed.DE_MINIMIS_LAW
    assert law_date == datetime.date(2025, 7, 4)
    body = text("de-minimis-2025")
    assert f"| **{law_date:%B} {law_date.day}, {law_date.year}** | A new civil penalty" in body
    assert "August 3, 2025" not in body
    assert "Pub. L. 119-21" in citations("de-minimis-2025")


def test_26_usc_6621_prior_disclosure_interest_is_quarterly_and_compounded_daily() -> None:
    body = text("prior-disclosure")
    assert "compounded daily" in body
    assert "26 U.S.C. 6622" in body


def test_19_usc_1621_and_28_usc_2415_a_limitations_by_kind_of_claim() -> None:
    body = text("answering-penalty-notice")
    assert "5 years from discovery" in body
    assert "28 U.S.C. 2415(a)" in body
    assert "19 CFR 162.78(a)" in body


@pytest.mark.parametrize(
    "path", sorted((CONTENT_DIR / "articles").glob("*.md")), ids=lambda path: path.stem
)
def test_every_article_carries_last_reviewed_and_its_sources(path) -> None:  # type: ignore[no-untyped-def]
    source = parse_article(path)
    assert isinstance(source.meta["last_reviewed"], datetime.date)
    assert source.meta["references"], f"{path.name} has no sources"
    for reference in source.meta["references"]:
        assert reference["citation"].strip()
        assert re.match(r"https://", reference["url"])
    # No article may describe the removed "prohibited goods" money penalty or the wrong cite.
    assert "162.78(b) gives 30" not in source.body
