"""Markdown to safe HTML for guidance articles.

markdown-it-py (CommonMark plus tables) produces HTML, which nh3 then cleans with an explicit
allow-list: no scripts, no event-handler or style attributes, only http(s), mailto and
relative links. Headings get stable ids for the table of contents; external links get
``rel="noopener noreferrer"``. The result is cached on the article by the services and never
taken from input.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel", "class"},
    "abbr": {"title"},
    "div": {"class", "tabindex"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
    "table": {"class"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
ALLOWED_CLASSES = {
    "usa-link",
    "usa-link--external",
    "usa-table",
    "usa-table--borderless",
    "usa-table-container--scrollable",
}
TOC_LEVELS = (2, 3)


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[TocEntry] = field(default_factory=list)
    text: str = ""


def slugify_heading(text: str) -> str:
    normalised = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", normalised.lower()).strip("-")
    return slug or "section"


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [name for name in value.split() if name in ALLOWED_CLASSES]
        return " ".join(kept) or None
    if attribute == "tabindex":
        return "0" if value == "0" else None
    if attribute == "id":
        return slugify_heading(value)
    return value


def _is_external(href: str) -> bool:
    parts = urlsplit(href)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    parser.enable("table")

    def table_open(renderer: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
        return (
            '<div class="usa-table-container--scrollable" tabindex="0"><table class="usa-table">\n'
        )

    def table_close(renderer: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
        return "</table></div>\n"

    def link_open(renderer: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
        token = tokens[index]
        href = str(token.attrGet("href") or "")
        if _is_external(href):
            token.attrSet("rel", "noopener noreferrer")
            token.attrSet("class", "usa-link usa-link--external")
        else:
            token.attrSet("class", "usa-link")
        return str(renderer.renderToken(tokens, index, options, env))

    parser.add_render_rule("table_open", table_open)
    parser.add_render_rule("table_close", table_close)
    parser.add_render_rule("link_open", link_open)
    return parser


_PARSER = _build_parser()


def _heading_ids(tokens: list[Token]) -> list[TocEntry]:
    toc: list[TocEntry] = []
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        text = "".join(
            child.content
            for child in (inline.children or [])
            if child.type in {"text", "code_inline"}
        ).strip()
        anchor = slugify_heading(text)
        if anchor in seen:
            seen[anchor] += 1
            anchor = f"{anchor}-{seen[anchor]}"
        else:
            seen[anchor] = 1
        token.attrSet("id", anchor)
        level = int(token.tag[1])
        if level in TOC_LEVELS:
            toc.append(TocEntry(level=level, anchor=anchor, text=text))
    return toc


def sanitize_html(raw_html: str) -> str:
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        attribute_filter=_attribute_filter,
    )


def as_safe_html(value: str) -> SafeString:
    """Mark HTML safe for a template after passing it through the allow-list again, so a
    value that did not come from `render_markdown` cannot smuggle markup in."""
    return mark_safe(sanitize_html(value))  # noqa: S308 (sanitised on the line itself)


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML, for search and snippets."""
    text = nh3.clean(value, tags=set(), attributes={})
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def render_markdown(source: str) -> Rendered:
    """Render Markdown to sanitised HTML with heading ids, a table of contents (h2, h3) and
    the plain text. A top-level ``#`` heading is demoted: the page title is the only h1."""
    env: dict[str, Any] = {}
    tokens = _PARSER.parse(source, env)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"
    toc = _heading_ids(tokens)
    raw = _PARSER.renderer.render(tokens, _PARSER.options, env)
    clean = sanitize_html(raw)
    return Rendered(html=clean, toc=toc, text=html_to_text(clean))


def highlight_snippet(marked: str, start: str, stop: str) -> str:
    """Make a search headline safe: escape everything, then turn the engine's start/stop
    markers (chosen to be plain text) into <mark> elements. Only <mark> survives."""
    escaped = html.escape(marked, quote=False)
    escaped = escaped.replace(html.escape(start), "<mark>").replace(html.escape(stop), "</mark>")
    return nh3.clean(escaped, tags={"mark"}, attributes={})
