"""Guidance search on SQLite (the embedded default set-up): an FTS5 index with the Porter
stemmer, as good as PostgreSQL's full-text search for whole words ("de minimis" never
matches the "de" in "trade"; "penalty" finds "penalties").

The index `education_article_fts` keeps its own copy of each article's title, summary,
section headings and plain text, and SQLite triggers keep it in step with
`education_article` whatever writes the row. `ensure_index` (run after every `migrate`)
creates the table and the triggers when they are missing, since SQLite rebuilds a table
that a migration alters and drops its triggers with it, and refills the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "education_article_fts"
# bm25 weights of the indexed columns: a title match counts most, then summary and headings.
WEIGHTS = (10.0, 4.0, 4.0, 1.0)
_HEADINGS = (
    "(SELECT coalesce(group_concat(json_extract(entry.value, '$.text'), ' '), '') "
    "FROM json_each(CASE WHEN json_valid({row}.toc) THEN {row}.toc ELSE '[]' END) AS entry)"
)
_INSERT = (
    f"INSERT INTO {TABLE}(rowid, title, summary, headings, body_text) "  # noqa: S608 (constants only)
    "VALUES ({row}.id, {row}.title, {row}.summary, " + _HEADINGS + ", {row}.body_text);"
)
_STATEMENTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, summary, headings, body_text, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS education_article_fts_insert AFTER INSERT ON education_article "
    "BEGIN " + _INSERT.format(row="new") + " END",
    "CREATE TRIGGER IF NOT EXISTS education_article_fts_delete AFTER DELETE ON education_article "  # noqa: S608 (constants only)
    f"BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS education_article_fts_update AFTER UPDATE OF "  # noqa: S608 (constants only)
    "title, summary, toc, body_text ON education_article "
    f"BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; " + _INSERT.format(row="new") + " END",
)
_REFILL = (
    f"DELETE FROM {TABLE}",  # noqa: S608 (constants only)
    f"INSERT INTO {TABLE}(rowid, title, summary, headings, body_text) "  # noqa: S608 (constants only)
    "SELECT education_article.id, title, summary, "
    + _HEADINGS.format(row="education_article")
    + ", body_text FROM education_article",
)


def available(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
        return cursor.fetchone() is not None


def ensure_index(connection: BaseDatabaseWrapper) -> None:
    """Create the index and its triggers if missing, and refill it from the articles."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'education_article'"
        )
        if cursor.fetchone() is None:
            return
        for statement in _STATEMENTS + _REFILL:
            cursor.execute(statement)


_TERM_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def match_expression(query: str) -> str:
    """A web-style query ("quoted phrase", or, -exclude) as an FTS5 MATCH expression in which
    every word is a quoted string (so nothing the user types is FTS5 syntax). Empty when the
    query has no word to look for."""
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    for match in _TERM_RE.finditer(query):
        excluded, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or" and positive:
                pending_or = True
                continue
            excluded = "-" if bare.startswith("-") else ""
            phrase = bare
        words = _WORD_RE.findall(phrase or "")
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if excluded:
            negative.append(term)
        elif pending_or:
            positive[-1] = f"({positive[-1]} OR {term})"
            pending_or = False
        else:
            positive.append(term)
    if not positive:
        return ""
    expression = " AND ".join(positive)
    for term in negative:
        expression = f"({expression}) NOT {term}"
    return expression


@dataclass(frozen=True)
class Match:
    article_id: int
    rank: float  # higher is better
    snippet: str  # plain text with the start and stop markers around matched words


def search(
    connection: BaseDatabaseWrapper, *, query: str, start: str, stop: str, limit: int
) -> list[Match]:
    """Articles (any status; the caller filters) matching `query`, best first."""
    expression = match_expression(query)
    if not expression:
        return []
    weights = ", ".join(str(weight) for weight in WEIGHTS)
    sql = (
        f"SELECT rowid, bm25({TABLE}, {weights}) AS score, "  # noqa: S608 (constants only)
        f"snippet({TABLE}, 3, %s, %s, ' ... ', 32) FROM {TABLE} "
        f"WHERE {TABLE} MATCH %s ORDER BY score LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, stop, expression, limit])
        rows: list[Any] = cursor.fetchall()
    return [Match(article_id=int(row[0]), rank=-float(row[1]), snippet=str(row[2])) for row in rows]
