"""The starter library against the legal corrections of issue 13, read from the content
files the loader uses (and, for the de minimis date, the seeded figures). Each test is named
after its source."""

from __future__ import annotations

import datetime
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


@pytest.mark.django_db
def test_pub_l_119_21_sec_70531_a_2_de_minimis_date_is_the_same_in_article_and_data() -> None:
    # 19 USC 1321(c) took effect 30 days after the enactment of 4 July 2025: 3 August 2025.
    from enforcement.models import StatutoryFigure

    rows = StatutoryFigure.objects.filter(key__startswith="de_minimis.")
    assert {row.effective_from for row in rows} == {datetime.date(2025, 8, 3)}
    assert {row.effective_to for row in rows} == {datetime.date(2027, 6, 30)}
    body = text("de-minimis-2025")
    assert "| **August 3, 2025** | The **de minimis misuse penalty** took effect" in body
    assert "| **July 4, 2025** | A new civil penalty" not in body
    assert "July 1, 2027" in body
    assert "Pub. L. 119-21, sec. 70531" in citations("de-minimis-2025")


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
