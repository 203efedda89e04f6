"""Guidance search on PostgreSQL full-text search, held to the same reader's expectations
as the SQLite default (`test_search_sqlite.py`): whole words with stemming, the
known-shipper article first for "how to apply", snippets cut at word boundaries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.education import search_pages

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search"),
]


def _search(client: Client, query: str) -> list[search_pages.Hit]:
    return search_pages.hits(client.get("/guidance/search/", {"q": query}).content.decode())


def test_whole_words_stemming_and_ranking(client: Client, library: Any) -> None:
    de_minimis = _search(client, "de minimis")
    assert de_minimis[0].slug == "de-minimis-2025"
    for hit in de_minimis:
        assert search_pages.marks_inside_words(hit.snippet) == [], hit
    singular = {hit.slug for hit in _search(client, "penalty")}
    assert "answering-penalty-notice" in singular
    assert singular == {hit.slug for hit in _search(client, "penalties")}
    assert _search(client, "how to apply")[0].slug == "known-shipper-program"
    assert _search(client, '"prior disclosure"')[0].slug == "prior-disclosure"


def test_snippets_are_cut_at_word_boundaries(client: Client, library: Any) -> None:
    for query in ("reasonable care", "penalty", "de minimis"):
        for hit in _search(client, query)[:3]:
            text = search_pages.page_text(
                client.get(f"/guidance/articles/{hit.slug}/").content.decode()
            )
            for fragment in search_pages.fragments(hit.snippet):
                assert search_pages.cut_at_word_boundaries(fragment, text), (hit.slug, fragment)
