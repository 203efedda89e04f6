"""Reading the guidance search page as a reader sees it (shared by the PostgreSQL and the
SQLite search tests)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_HIT_RE = re.compile(
    r'<h3 class="usa-collection__heading"><a class="usa-link" href="/guidance/articles/'
    r'(?P<slug>[\w-]+)/">.*?</h3>\s*<p class="usa-collection__description education-snippet">'
    r"(?P<snippet>.*?)</p>",
    re.S,
)


@dataclass(frozen=True)
class Hit:
    slug: str
    snippet: str  # HTML with <mark>


def hits(page: str) -> list[Hit]:
    return [Hit(match["slug"], match["snippet"]) for match in _HIT_RE.finditer(page)]


def result_count(page: str) -> int:
    found = re.search(r'id="results-heading"[^>]*>(\d+) results?', page)
    assert found, "no result count on the page"
    return int(found.group(1))


def marks_inside_words(snippet: str) -> list[str]:
    """Highlights that start or stop inside a word (the "de" of "trade")."""
    return re.findall(r"\w<mark>|</mark>\w", snippet)


def fragments(snippet: str) -> list[str]:
    """The snippet's pieces of article text, without highlights and "..." joins."""
    text = html.unescape(re.sub(r"</?mark>", "", snippet))
    return [piece.strip() for piece in text.split("...") if piece.strip()]


def page_text(page: str) -> str:
    body = page.split('class="usa-prose education-body"', 1)[-1]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", body)))


def cut_at_word_boundaries(fragment: str, text: str) -> bool:
    """The fragment occurs in the text and neither starts nor ends inside a word."""
    words = fragment.split()
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)"
    return re.search(pattern, text) is not None
