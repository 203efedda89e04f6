"""What keeps the search page fast without changing what it shows: PostgreSQL's headline
function gets a window of each shown article around the first match (it parses all it is
given), and the topic and audience lists are written without a template per option."""

from __future__ import annotations

import pytest
from django.test import Client

from education.models import Article
from education.selectors import SNIPPET_WINDOW, _query_pattern, snippet_window
from tests.education.factories import ArticleFactory


def test_the_window_starts_shortly_before_the_first_match_at_a_word() -> None:
    text = "filler " * 400 + "The penalties for misdescribed goods. " + "tail " * 400
    window = snippet_window(text, _query_pattern("penalty"))
    assert "penalties for misdescribed goods" in window
    assert len(window) <= SNIPPET_WINDOW
    assert window.startswith("filler")
    assert not window.startswith(" ")


def test_without_a_match_in_the_text_the_window_is_its_start() -> None:
    text = "opening words " + "more " * 500
    assert snippet_window(text, _query_pattern("title-only-word")).startswith("opening words")
    assert snippet_window("short text", _query_pattern("x")) == "short text"


def test_excluded_words_do_not_place_the_window() -> None:
    pattern = _query_pattern('"prior disclosure" -penalty')
    assert pattern is not None
    assert pattern.search("a penalty") is None
    assert pattern.search("a prior disclosure") is not None


@pytest.mark.django_db
def test_a_match_deep_in_a_long_article_is_highlighted(client: Client) -> None:
    ArticleFactory(
        slug="long-read",
        title="Long read",
        body="Opening paragraph about nothing in particular. " * 300
        + "\n\nThe liquidated damages claim follows the bond.\n",
        status=Article.Status.PUBLISHED,
    )
    page = client.get("/guidance/search/?q=liquidated").content.decode()
    assert "<mark>liquidated</mark> damages" in page


def test_the_search_forms_lists_render_as_djangos_select_would() -> None:
    from education.forms import SearchForm
    from education.models import Audience, Topic

    topics = [Topic(slug="a&b", name="A & B"), Topic(slug="c", name="C")]
    form = SearchForm({"topic": "a&b"}, topics=topics, audiences=[Audience(slug="x", name="X")])
    assert form.is_valid()
    html = str(form["topic"])
    assert html.startswith('<select name="topic"')
    assert 'class="usa-select"' in html
    assert '<option value="a&amp;b" selected>A &amp; B</option>' in html
    assert '<option value="">All topics</option>' in html
    assert 'id="id_topic"' in html
