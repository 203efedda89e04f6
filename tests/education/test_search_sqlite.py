"""Guidance search on the default set-up (embedded SQLite, FTS5 with the Porter stemmer),
through a real server in a subprocess: whole words with stemming, phrases, exclusions,
snippets cut at word boundaries, and the known-shipper article first for "how to apply"."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest

from education.search_sqlite import match_expression
from tests.education import search_pages
from tests.education.sqlite_site import sqlite_site  # noqa: F401 (a fixture)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own server)
        return str(response.read().decode())


def _search(site: str, query: str) -> list[search_pages.Hit]:
    return search_pages.hits(_get(f"{site}/guidance/search/?q={urllib.parse.quote(query)}"))


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("de minimis", '"de" AND "minimis"'),
        ('"prior disclosure" penalty', '"prior disclosure" AND "penalty"'),
        ("seizure or forfeiture", '("seizure" OR "forfeiture")'),
        ("duty -china", '("duty") NOT "china"'),
        ('de-minimis "unclosed', '"de minimis" AND "unclosed"'),
        ("NEAR(a b) * ^ :", '"NEAR a" AND "b"'),
        ("-only -negative", ""),
        ("   ", ""),
    ],
)
def test_web_style_queries_become_quoted_fts5_expressions(query: str, expression: str) -> None:
    assert match_expression(query) == expression


def test_whole_words_with_stemming(sqlite_site: str) -> None:  # noqa: F811
    de_minimis = _search(sqlite_site, "de minimis")
    assert de_minimis[0].slug == "de-minimis-2025"
    for hit in de_minimis:
        assert search_pages.marks_inside_words(hit.snippet) == [], hit
    singular = {hit.slug for hit in _search(sqlite_site, "penalty")}
    plural = {hit.slug for hit in _search(sqlite_site, "penalties")}
    assert "answering-penalty-notice" in singular
    assert singular == plural
    assert _search(sqlite_site, "zzzz no such thing") == []


def test_ranking_phrases_and_exclusions(sqlite_site: str) -> None:  # noqa: F811
    assert _search(sqlite_site, "how to apply")[0].slug == "known-shipper-program"
    assert _search(sqlite_site, '"prior disclosure"')[0].slug == "prior-disclosure"
    everything = _get(f"{sqlite_site}/guidance/search/?q=customs")
    excluded = _get(f"{sqlite_site}/guidance/search/?q=customs+-minimis")
    assert 0 < search_pages.result_count(excluded) < search_pages.result_count(everything)
    assert "de-minimis-2025" not in {hit.slug for hit in search_pages.hits(excluded)}


def test_snippets_are_cut_at_word_boundaries(sqlite_site: str) -> None:  # noqa: F811
    for query in ("reasonable care", "penalty", "de minimis"):
        for hit in _search(sqlite_site, query)[:3]:
            text = search_pages.page_text(_get(f"{sqlite_site}/guidance/articles/{hit.slug}/"))
            for fragment in search_pages.fragments(hit.snippet):
                assert search_pages.cut_at_word_boundaries(fragment, text), (hit.slug, fragment)
