"""Markdown rendering: sanitised HTML, heading ids and the table of contents."""

from __future__ import annotations

import re

import pytest

from education.rendering import highlight_snippet, render_markdown


def test_scripts_are_removed_with_their_content() -> None:
    rendered = render_markdown(
        "Hello\n\n<script>alert('x')</script>\n\n<SCRIPT src=//evil></SCRIPT>"
    )
    assert "<script" not in rendered.html.lower()
    assert "alert" not in rendered.html
    assert "Hello" in rendered.html


@pytest.mark.parametrize(
    "source",
    [
        '<p onclick="steal()">text</p>',
        '<a href="/x" onmouseover="steal()">text</a>',
        '<img src="x" onerror="steal()">',
        '<div style="background:url(javascript:steal())">text</div>',
    ],
)
def test_event_handlers_and_styles_are_removed(source: str) -> None:
    html = render_markdown(source).html
    assert "steal" not in html
    assert "onclick" not in html
    assert "onerror" not in html
    assert "onmouseover" not in html
    assert "style=" not in html


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="data:text/html,hi">click</a>',
        '<a href="vbscript:msgbox">click</a>',
    ],
)
def test_dangerous_links_are_removed(source: str) -> None:
    html = render_markdown(source).html.lower()
    assert "click" in html  # the text stays, the link goes
    assert not re.search(r"href=\"\s*(javascript|data|vbscript):", html)


def test_unknown_tags_are_dropped_but_safe_markup_kept() -> None:
    html = render_markdown(
        '<iframe src="https://evil.example"></iframe><form><input></form>\n\n**bold** `code`'
    ).html
    assert "<iframe" not in html
    assert "<form" not in html
    assert "<input" not in html
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html


def test_headings_get_unique_ids_and_form_the_table_of_contents() -> None:
    rendered = render_markdown(
        "# Title in body\n\n## What it means\n\ntext\n\n### Details\n\n"
        "## What it means\n\n#### Deep"
    )
    assert '<h2 id="title-in-body">' in rendered.html  # the page title is the only h1
    assert '<h2 id="what-it-means">' in rendered.html
    assert '<h2 id="what-it-means-2">' in rendered.html
    assert [(e.level, e.anchor) for e in rendered.toc] == [
        (2, "title-in-body"),
        (2, "what-it-means"),
        (3, "details"),
        (2, "what-it-means-2"),
    ]


def test_external_links_get_noopener_internal_links_do_not() -> None:
    html = render_markdown("[CBP](https://www.cbp.gov/) and [guide](/guidance/)").html
    assert (
        '<a href="https://www.cbp.gov/" rel="noopener noreferrer" '
        'class="usa-link usa-link--external">CBP</a>'
    ) in html
    assert '<a href="/guidance/" class="usa-link">guide</a>' in html


def test_tables_are_usw_ds_tables_in_a_scrollable_container() -> None:
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |").html
    assert (
        '<div class="usa-table-container--scrollable" tabindex="0"><table class="usa-table">'
        in html
    )
    assert "<td>1</td>" in html


def test_class_attributes_from_input_are_limited_to_known_classes() -> None:
    html = render_markdown('<div class="evil usa-table" tabindex="5">x</div>').html
    assert 'class="usa-table"' in html
    assert "evil" not in html
    assert 'tabindex="5"' not in html


def test_plain_text_is_extracted_for_search() -> None:
    rendered = render_markdown("## Heading\n\nSome **bold** text &amp; more.")
    assert rendered.text == "Heading Some bold text & more."


def test_search_snippets_only_keep_mark() -> None:
    snippet = highlight_snippet(
        "a <script>x</script> \x02royalty\x03 <b>b</b>", start="\x02", stop="\x03"
    )
    assert "<mark>royalty</mark>" in snippet
    assert "<script>" not in snippet
    assert "<b>" not in snippet
    assert "&lt;script&gt;" in snippet
