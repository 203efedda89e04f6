"""Reads for guidance and training. Public reads only ever see published articles and
published modules."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from core import public_cache
from core.models import AuditEvent
from education import caching, search_sqlite
from education.models import (
    Article,
    Audience,
    Completion,
    Module,
    QuizAttempt,
    RequiredModule,
    Topic,
)
from education.rendering import highlight_snippet

SEARCH_CONFIG = "english"
# Matches ranked on their whole text (see `_postgres_search`).
SEARCH_CANDIDATES = 200
# Plain-text markers for ts_headline, escaped away and replaced by <mark> afterwards.
_MARK_START = "\x02"
_MARK_STOP = "\x03"


def published_articles() -> QuerySet[Article]:
    return Article.objects.published()


def article_get_published(*, slug: str) -> Article | None:
    return (
        published_articles()
        .prefetch_related(
            "topics",
            "audiences",
            Prefetch("related", queryset=published_articles().only("slug", "title", "summary")),
        )
        .filter(slug=slug)
        .first()
    )


def topics_with_articles(*, audience: str | None = None) -> list[Topic]:
    """Topics that have published articles (for `audience`, if given), each with
    `.published` set to its articles."""
    articles = published_articles().only("slug", "title", "summary")
    if audience:
        articles = articles.filter(audiences__slug=audience)
    topics = Topic.objects.prefetch_related(
        Prefetch("articles", queryset=articles.order_by("title"), to_attr="published")
    )
    return [topic for topic in topics if topic.published]


def topic_get(*, slug: str) -> Topic | None:
    return Topic.objects.filter(slug=slug).first()


def topic_articles(*, topic: Topic, audience: str | None = None) -> QuerySet[Article]:
    articles = published_articles().filter(topics=topic)
    if audience:
        articles = articles.filter(audiences__slug=audience)
    return articles.order_by("title")


def audiences() -> QuerySet[Audience]:
    return Audience.objects.all()


def all_topics() -> QuerySet[Topic]:
    return Topic.objects.all()


def search_form_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The search form's topics and audiences as (slug, name) pairs, kept in the shared cache
    until the guidance next changes (one cache round trip instead of two queries a search)."""
    return public_cache.scoped_value(
        caching.SCOPE,
        "search-form-choices",
        lambda: (
            list(all_topics().values_list("slug", "name")),
            list(audiences().values_list("slug", "name")),
        ),
    )


def recently_updated_articles(*, limit: int = 20, audience: str | None = None) -> QuerySet[Article]:
    articles = published_articles()
    if audience:
        articles = articles.filter(audiences__slug=audience)
    return articles.order_by(
        Coalesce("content_updated_at", "published_at").desc(nulls_last=True), "title"
    )[:limit]


def review_interval_days() -> int:
    """How long a published article may go unreviewed (`EDUCATION_REVIEW_INTERVAL_DAYS`)."""
    return int(getattr(settings, "EDUCATION_REVIEW_INTERVAL_DAYS", 365))


def articles_due_for_review(*, today: datetime.date | None = None) -> QuerySet[Article]:
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=review_interval_days())
    return (
        published_articles()
        .annotate(
            reviewed_on=Coalesce(
                "last_reviewed", TruncDate("published_at"), TruncDate("created_at")
            )
        )
        .filter(reviewed_on__lte=cutoff)
        .order_by("reviewed_on", "title")
    )


def article_history(*, article: Article) -> QuerySet[AuditEvent]:
    """The article's audit events (its editorial history), oldest first."""
    return AuditEvent.objects.for_target(article).select_related("actor")


def article_feedback_counts(*, queryset: QuerySet[Article]) -> QuerySet[Article]:
    return queryset.annotate(
        helpful_yes=Count("feedback", filter=Q(feedback__helpful=True)),
        helpful_no=Count("feedback", filter=Q(feedback__helpful=False)),
    )


# -- search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    article: Article
    rank: float
    snippet: str  # safe HTML: text with <mark> around matches


def full_text_search_available() -> bool:
    return connection.vendor == "postgresql"


def article_search(
    *,
    query: str,
    topic: str | None = None,
    audience: str | None = None,
    limit: int = 20,
    snippets: bool = True,
) -> list[SearchHit]:
    """Published articles matching a web-style query ("quoted phrase", or, -exclude),
    best first (title matches weigh most, then summary, then body), with highlighted
    snippets: PostgreSQL's full-text search, SQLite's FTS5 index, else a substring match
    ranked the same way. ``snippets=False``: on PostgreSQL, where a snippet costs a pass over
    the text, hits carry their summary until `search_snippets` is asked for the ones shown.
    """
    query = query.strip()[:200]
    if not query:
        return []
    if full_text_search_available():
        hits = _postgres_search(query, topic or None, audience or None, limit)
        return search_snippets(hits=hits, query=query) if snippets else hits
    articles = published_articles()
    if topic:
        articles = articles.filter(topics__slug=topic)
    if audience:
        articles = articles.filter(audiences__slug=audience)
    if search_sqlite.available(connection):
        return _sqlite_search(articles, query, limit)
    return _fallback_search(articles, query, limit)


def article_search_queryset(
    *, query: str, topic: str | None = None, audience: str | None = None
) -> QuerySet[Article]:
    """Like `article_search`, as a queryset (for pagination in the API), without snippets."""
    articles = published_articles()
    if topic:
        articles = articles.filter(topics__slug=topic)
    if audience:
        articles = articles.filter(audiences__slug=audience)
    query = query.strip()[:200]
    if not query:
        return articles.order_by("title")
    if full_text_search_available():
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            articles.filter(search_vector=search_query)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "title")
        )
    if search_sqlite.available(connection):
        ids = [hit.article.pk for hit in _sqlite_search(articles, query, 500)]
    else:
        ids = [hit.article.pk for hit in _fallback_search(articles, query, 500)]
    order = Case(
        *[When(pk=pk, then=Value(index)) for index, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return Article.objects.filter(pk__in=ids).order_by(order) if ids else articles.none()


_RANK_SQL = """
SELECT a.id, a.slug, a.title, a.summary,
       ts_rank(a.search_vector, websearch_to_tsquery(%(config)s::regconfig, %(query)s))
       + COALESCE(ts_rank(a.search_head, websearch_to_tsquery(%(config)s::regconfig, %(query)s)), 0)
       AS rank
FROM {article} a
WHERE a.id IN (
    SELECT c.id FROM {article} c
    WHERE c.status = 'published'
      AND c.search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(query)s)
      {filters}
    ORDER BY ts_rank(c.search_head, websearch_to_tsquery(%(config)s::regconfig, %(query)s))
             DESC NULLS LAST, c.id
    LIMIT %(candidates)s
)
ORDER BY rank DESC, a.title
LIMIT %(limit)s
"""
_HIT_FIELDS = ["id", "slug", "title", "summary"]
_TOPIC_FILTER = (
    "AND EXISTS (SELECT 1 FROM {through} t JOIN {topic} tp ON tp.id = t.topic_id "
    "WHERE t.article_id = c.id AND tp.slug = %(topic)s)"
)
_AUDIENCE_FILTER = (
    "AND EXISTS (SELECT 1 FROM {through} t JOIN {audience} au ON au.id = t.audience_id "
    "WHERE t.article_id = c.id AND au.slug = %(audience)s)"
)


def _rank_sql(*, topic: bool, audience: bool) -> str:
    filters = []
    if topic:
        filters.append(
            _TOPIC_FILTER.format(
                through=Article.topics.through._meta.db_table, topic=Topic._meta.db_table
            )
        )
    if audience:
        filters.append(
            _AUDIENCE_FILTER.format(
                through=Article.audiences.through._meta.db_table,
                audience=Audience._meta.db_table,
            )
        )
    return _RANK_SQL.format(article=Article._meta.db_table, filters="\n      ".join(filters))


def _postgres_search(
    query: str, topic: str | None, audience: str | None, limit: int
) -> list[SearchHit]:
    """Two passes, so that a common word in a large library stays fast: the GIN index finds
    the published matches and the small head vector (title, summary, headings) picks the
    best `SEARCH_CANDIDATES`; only those are ranked on their whole text, plus the head's
    rank (a match in a title or a section heading, "How to apply", counts twice). With
    fewer matches than that, every match is ranked this way. One statement, written out
    (building it with the ORM cost more than running it on a small library)."""
    params = {
        "config": SEARCH_CONFIG,
        "query": query,
        "topic": topic,
        "audience": audience,
        "candidates": SEARCH_CANDIDATES,
        "limit": limit,
    }
    with connection.cursor() as cursor:
        # When most articles contain a word, the planner would read every article's whole
        # vector to test the match; the partial GIN index answers it without reading them.
        # Sent with the ranking as one query string (one round trip, where a transaction of
        # its own took four): PostgreSQL runs the string as one transaction, in which SET
        # LOCAL holds (or in the caller's transaction, with which it then ends).
        cursor.execute(
            "SET LOCAL enable_seqscan = off;\n"
            + _rank_sql(topic=bool(topic), audience=bool(audience)),
            params,
        )
        if cursor.description is None:  # psycopg stops at the first statement's result
            cursor.nextset()
        rows = cursor.fetchall()
    return [
        SearchHit(
            article=Article.from_db(connection.alias, _HIT_FIELDS, (pk, slug, title, summary)),
            rank=float(rank),
            snippet=html.escape(summary, quote=False),
        )
        for pk, slug, title, summary, rank in rows
    ]


# Text handed to PostgreSQL's headline function: it parses all it is given, which on a whole
# article cost a few milliseconds a hit, so it gets a window around the first match instead.
SNIPPET_WINDOW = 900
# The shown hits' texts (written out: building the statement with the ORM cost more than
# running it).
_BODIES_SQL = "SELECT id, body_text FROM {article} WHERE id = ANY(%s)"
_HEADLINE_SQL = (
    "SELECT u.ord, ts_headline(%s::regconfig, u.body, websearch_to_tsquery(%s::regconfig, %s), "
    "%s) FROM unnest(%s::text[]) WITH ORDINALITY AS u(body, ord)"
)
_HEADLINE_OPTIONS = (
    'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" ... ", '
    f"StartSel={_MARK_START}, StopSel={_MARK_STOP}"
)


def _query_pattern(query: str) -> re.Pattern[str] | None:
    """Where a query's words (not the excluded ones) may start in a text: each word cut to
    a rough stem, so that "penalties" is found for "penalty". Only places the window."""
    words = [
        word
        for word in re.findall(r"(?<![\w-])-?[\w']+", query)
        if not word.startswith("-") and word.lower() != "or"
    ]
    stems = {word[: max(4, len(word) - 3)] if len(word) > 4 else word for word in words}
    if not stems:
        return None
    alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})", re.IGNORECASE)


def snippet_window(text: str, pattern: re.Pattern[str] | None) -> str:
    """About `SNIPPET_WINDOW` characters of `text` from shortly before the first place a query
    word may match (the start when none does), cut at word boundaries."""
    if len(text) <= SNIPPET_WINDOW:
        return text
    found = pattern.search(text) if pattern is not None else None
    start = max(0, found.start() - SNIPPET_WINDOW // 4) if found else 0
    end = min(len(text), start + SNIPPET_WINDOW)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < end else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return text[start:end]


def search_snippets(*, hits: Iterable[SearchHit], query: str) -> list[SearchHit]:
    """The hits with highlighted snippets of their text (PostgreSQL's headlines, over a window
    of each text around the first match: ask only for the hits shown). Elsewhere hits come
    with snippets."""
    hits = list(hits)
    if not hits or not full_text_search_available():
        return hits
    query = query.strip()[:200]
    pattern = _query_pattern(query)
    with connection.cursor() as cursor:
        cursor.execute(
            _BODIES_SQL.format(article=Article._meta.db_table), [[hit.article.pk for hit in hits]]
        )
        bodies = dict(cursor.fetchall())
        windows = [snippet_window(bodies.get(hit.article.pk, ""), pattern) for hit in hits]
        cursor.execute(
            _HEADLINE_SQL, [SEARCH_CONFIG, SEARCH_CONFIG, query, _HEADLINE_OPTIONS, windows]
        )
        headlines = {int(ordinal): headline for ordinal, headline in cursor.fetchall()}
    return [
        SearchHit(
            article=hit.article,
            rank=hit.rank,
            snippet=highlight_snippet(
                headlines.get(index) or hit.article.summary, _MARK_START, _MARK_STOP
            ),
        )
        for index, hit in enumerate(hits, start=1)
    ]


def _sqlite_search(articles: QuerySet[Article], query: str, limit: int) -> list[SearchHit]:
    """SQLite's FTS5 index (`education.search_sqlite`): whole words with stemming, ranked
    by bm25 with title, summary and headings above the body."""
    matches = search_sqlite.search(
        connection, query=query, start=_MARK_START, stop=_MARK_STOP, limit=max(limit, 500)
    )
    if not matches:
        return []
    found = {
        article.pk: article
        for article in articles.filter(pk__in=[match.article_id for match in matches]).only(
            "slug", "title", "summary"
        )
    }
    hits = [
        SearchHit(
            article=found[match.article_id],
            rank=match.rank,
            snippet=highlight_snippet(
                match.snippet if _MARK_START in match.snippet else found[match.article_id].summary,
                _MARK_START,
                _MARK_STOP,
            ),
        )
        for match in matches
        if match.article_id in found
    ]
    return hits[:limit]


_WORD_RE = re.compile(r"[\w'-]+", re.UNICODE)


def _fallback_search(articles: QuerySet[Article], query: str, limit: int) -> list[SearchHit]:
    """Every word (ignoring web-search operators) must appear in the title, summary or body;
    title matches rank above summary matches, which rank above body matches."""
    words = [word for word in _WORD_RE.findall(query) if word.lower() != "or"][:8]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= (
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body_text__icontains=word)
        )
    hits = []
    for article in articles.filter(condition).only("slug", "title", "summary", "body_text"):
        rank = 0.0
        for word in words:
            lowered = word.lower()
            rank += 1.0 if lowered in article.title.lower() else 0.0
            rank += 0.4 if lowered in article.summary.lower() else 0.0
            rank += 0.1 if lowered in article.body_text.lower() else 0.0
        hits.append(SearchHit(article=article, rank=rank, snippet=_simple_snippet(article, words)))
    hits.sort(key=lambda hit: (-hit.rank, hit.article.title))
    return hits[:limit]


def _simple_snippet(article: Article, words: Iterable[str]) -> str:
    text = article.body_text or article.summary
    lowered = text.lower()
    positions = [lowered.find(word.lower()) for word in words if word.lower() in lowered]
    first = min(positions) if positions else 0
    start = max(0, first - 80)
    end = start + 240
    # Cut at word boundaries: start after a space, end before one.
    if start and not text[start - 1].isspace():
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else first
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", max(start, first), end)
        end = space if space != -1 else end
    excerpt = text[start:end]
    escaped = html.escape(excerpt, quote=False)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(html.escape(w, quote=False)) for w in words) + ")",
        re.I,
    )
    marked = pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", escaped)
    return ("... " if start else "") + marked + (" ..." if end < len(text) else "")


# -- training ------------------------------------------------------------------------------


def published_modules() -> QuerySet[Module]:
    return Module.objects.filter(published=True).annotate(question_count=Count("questions"))


def module_get_published(*, slug: str) -> Module | None:
    return Module.objects.filter(published=True, slug=slug).first()


def module_articles(*, module: Module) -> list[Article]:
    """The module's articles in order; unpublished ones are left out."""
    return [
        item.article
        for item in module.module_articles.select_related("article").order_by("position")
        if item.article.is_public
    ]


def module_quiz(*, module: Module) -> list[Any]:
    return list(module.questions.prefetch_related("choices"))


def user_completions(*, user: Any) -> QuerySet[Completion]:
    if not user.is_authenticated:
        return Completion.objects.none()
    return Completion.objects.filter(user=user).select_related("module")


def user_completion_for(*, user: Any, module: Module) -> Completion | None:
    """The user's completion of the module's current version, if any."""
    if not user.is_authenticated:
        return None
    return Completion.objects.filter(user=user, module=module, version=module.version).first()


def user_attempts(*, user: Any, module: Module) -> QuerySet[QuizAttempt]:
    if not user.is_authenticated:
        return QuizAttempt.objects.none()
    return QuizAttempt.objects.filter(user=user, module=module)


def attempt_get_for_user(*, user: Any, attempt_id: int) -> QuizAttempt | None:
    if not user.is_authenticated:
        return None
    return QuizAttempt.objects.select_related("module").filter(pk=attempt_id, user=user).first()


def completion_get(*, certificate_number: str) -> Completion | None:
    return (
        Completion.objects.select_related("module", "user")
        .filter(certificate_number=certificate_number)
        .first()
    )


@dataclass(frozen=True)
class ModuleRef:
    slug: str
    title: str
    version: int
    completed_by: str | None
    completed_at: datetime.datetime | None


@dataclass(frozen=True)
class RequiredTrainingStatus:
    required: list[ModuleRef]
    completed: list[ModuleRef]
    missing: list[ModuleRef]
    complete: bool


def required_training_status(
    *, user_ids: Iterable[int], business_type: str
) -> RequiredTrainingStatus:
    """The training an organisation of ``business_type`` must complete, given its users.

    Rule: a required module counts as completed when ANY of the given users has passed the
    module's CURRENT version (a completion of an earlier version does not count: when a
    quiz changes, someone must pass the new one). Unpublished modules are not required.
    Each completed module names the user who completed it first and when.
    """
    ids = sorted({int(pk) for pk in user_ids})
    requirements = (
        RequiredModule.objects.filter(business_type=business_type, module__published=True)
        .select_related("module")
        .order_by("module__title")
    )
    modules = [requirement.module for requirement in requirements]
    first_completion: dict[int, Completion] = {}
    if ids and modules:
        completions = (
            Completion.objects.filter(
                user_id__in=ids, module__in=modules, version=F("module__version")
            )
            .select_related("user")
            .order_by("completed_at", "pk")
        )
        for completion in completions:
            first_completion.setdefault(completion.module_id, completion)
    required: list[ModuleRef] = []
    completed: list[ModuleRef] = []
    missing: list[ModuleRef] = []
    for module in modules:
        done = first_completion.get(module.pk)
        ref = ModuleRef(
            slug=module.slug,
            title=module.title,
            version=module.version,
            completed_by=done.user.email if done else None,
            completed_at=done.completed_at if done else None,
        )
        required.append(ref)
        (completed if done else missing).append(ref)
    return RequiredTrainingStatus(
        required=required, completed=completed, missing=missing, complete=not missing
    )
