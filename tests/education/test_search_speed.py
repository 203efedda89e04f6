"""What keeps the search page fast without changing what it shows: PostgreSQL's headline
function gets a window of each shown article around the first match (it parses all it is
given), the form is written in Python (the same markup as the templates), its lists come from
the shared cache, and the hits' addresses from one reverse."""

from __future__ import annotations

import re

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

    topics = [("a&b", "A & B"), ("c", "C")]
    form = SearchForm({"topic": "a&b"}, topics=topics, audiences=[("x", "X")])
    assert form.is_valid()
    html = str(form["topic"])
    assert html.startswith('<select name="topic"')
    assert 'class="usa-select"' in html
    assert '<option value="a&amp;b" selected>A &amp; B</option>' in html
    assert '<option value="">All topics</option>' in html
    assert 'id="id_topic"' in html


_CHOICES = [("", "All"), ("a&b", "A & B"), ("c", '"C" <c>')]


@pytest.mark.parametrize("value", [None, "", "a&b", "c", "none"])
def test_the_python_select_writes_exactly_what_djangos_writes(value: str | None) -> None:
    from django import forms

    from education.forms import OptionsSelect

    attrs = {"id": "id_topic", "class": "usa-select", "aria-invalid": "true", "data-x": False}
    django = forms.Select(choices=_CHOICES).render("topic", value, dict(attrs))
    ours = OptionsSelect(choices=_CHOICES).render("topic", value, dict(attrs))
    # Django's template puts line breaks between the options.
    assert ours == re.sub(r">\s+<", "><", django)


@pytest.mark.parametrize("value", [None, "", "duties & <bonds>", '"quoted"'])
def test_the_python_text_input_writes_exactly_what_djangos_writes(value: str | None) -> None:
    from django import forms

    from education.forms import PlainTextInput

    attrs = {"id": "search_q", "class": "usa-input", "required": True, "disabled": False}
    django = forms.TextInput(attrs={"maxlength": "200"}).render("q", value, dict(attrs))
    ours = PlainTextInput(attrs={"maxlength": "200"}).render("q", value, dict(attrs))
    assert ours == django


def _without_blank_lines(html: str) -> str:
    return "\n".join(line for line in html.splitlines() if line.strip())


@pytest.mark.parametrize(
    "data", [None, {"q": "duties & <bonds>"}, {"q": "duties", "topic": "c", "audience": "x"}]
)
def test_the_search_form_is_written_as_the_templates_write_it(data: dict[str, str] | None) -> None:
    from django import forms

    from education.forms import SearchForm

    form = SearchForm(data, topics=[("c", "C")], audiences=[("x", "X")], auto_id="search_%s")
    assert not form.errors
    templates = forms.Form.render(form)
    assert _without_blank_lines(str(form)) == _without_blank_lines(templates)
    assert '<label class="usa-label" for="search_q">Search guidance</label>' in str(form)


def test_a_search_form_with_errors_is_rendered_by_the_templates_with_its_summary() -> None:
    from education.forms import SearchForm

    form = SearchForm({"q": "x" * 201, "topic": "nope"}, topics=[("c", "C")], auto_id="search_%s")
    html = str(form)
    assert "There is a problem" in html
    assert 'href="#search_topic"' in html
    assert 'class="usa-form-group usa-form-group--error"' in html


@pytest.mark.django_db
def test_the_hits_link_to_their_articles(client: Client) -> None:
    articles = [
        ArticleFactory(slug=f"bond-{index}", title=f"Bond {index}", status=Article.Status.PUBLISHED)
        for index in range(3)
    ]
    page = client.get("/guidance/search/?q=bond").content.decode()
    for article in articles:
        link = f'<a class="usa-link" href="{article.get_absolute_url()}">{article.title}</a>'
        assert link in page
