"""An anonymous reader on the default set-up (embedded SQLite, FTS5 search, a subprocess
server as `make run` starts it) searches the guidance and reads an article, on a 390 px
phone and on a desktop; axe finds nothing serious on any page, and a wide table stays
inside the article column."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.axe import assert_no_serious_axe_violations
from tests.education.sqlite_site import sqlite_site  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# Widths of the page, the article column and every table container, in CSS pixels.
MEASURE = """() => ({
  page: document.documentElement.scrollWidth,
  viewport: window.innerWidth,
  column: document.querySelector('.education-article').getBoundingClientRect().width,
  tables: [...document.querySelectorAll('.education-body .usa-table-container--scrollable')]
    .map((box) => box.getBoundingClientRect().width),
})"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_reader_searches_and_reads_on_the_default_set_up(
    browser: Any,
    sqlite_site: str,  # noqa: F811
    viewport: str,
) -> None:
    context = browser.new_context(base_url=sqlite_site, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("response", lambda response: response.status >= 400 and errors.append(response.url))

    page.goto("/guidance/")
    assert page.title().startswith("Guidance |")
    assert_no_serious_axe_violations(page)

    search = page.locator("#guidance-search-field")
    search.fill("de minimis")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/guidance/search/\?q=de\+minimis"))
    first = page.locator(".usa-collection__heading a").first
    assert "de minimis" in first.inner_text().lower()
    highlighted = {
        text.lower() for text in page.locator(".education-snippet mark").all_inner_texts()
    }
    assert highlighted, "the snippets highlight the words searched for"
    assert highlighted <= {"de", "minimis", "de minimis"}, highlighted
    assert_no_serious_axe_violations(page)

    first.click()
    page.wait_for_url(re.compile(r"/guidance/articles/de-minimis-2025/$"))
    assert_no_serious_axe_violations(page)
    sizes = page.evaluate(MEASURE)
    assert sizes["tables"], "the de minimis article has a timeline table"
    assert sizes["page"] <= sizes["viewport"], sizes
    assert all(width <= sizes["column"] + 1 for width in sizes["tables"]), sizes

    page.goto("/guidance/search/?q=penalties")
    assert (
        page.locator(".usa-collection__heading a", has_text="penalty or seizure notice").count()
        >= 1
    )
    assert_no_serious_axe_violations(page)
    context.close()
    assert errors == [], errors
