"""Search (ranking, filters, snippets, fallback) and the required-training status."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from education import selectors, services
from education.models import Article, Audience
from tests.accounts.factories import UserFactory
from tests.education.factories import (
    ArticleFactory,
    ModuleFactory,
    TopicFactory,
    answers_for,
    audience,
    questions,
)

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)


def _slugs(hits: list[selectors.SearchHit]) -> list[str]:
    return [hit.article.slug for hit in hits]


@pytest.fixture
def corpus() -> dict[str, Article]:
    valuation = TopicFactory(slug="valuation")
    origin = TopicFactory(slug="origin")
    return {
        "title": ArticleFactory(
            slug="royalty-rules",
            title="Royalty payments and customs value",
            summary="How payments to licensors change value.",
            body="## Overview\n\nSome text about payments.",
            topics=[valuation],
            audiences=[audience(Audience.IMPORTER)],
            status=Article.Status.PUBLISHED,
        ),
        "body": ArticleFactory(
            slug="assists",
            title="Assists",
            summary="Tools and molds supplied by the buyer.",
            body="## Assists\n\nA mold is an assist. A royalty may also be added to the price.",
            topics=[valuation],
            audiences=[audience(Audience.SHIPPER)],
            status=Article.Status.PUBLISHED,
        ),
        "other": ArticleFactory(
            slug="marking",
            title="Marking of origin",
            summary="Country of origin marking.",
            body="## Marking\n\nMark goods with the country of origin, royalty free.",
            topics=[origin],
            audiences=[audience(Audience.CARRIER)],
            status=Article.Status.PUBLISHED,
        ),
        "draft": ArticleFactory(
            slug="draft-royalty", title="Royalty draft", status=Article.Status.DRAFT
        ),
        "review": ArticleFactory(
            slug="review-royalty", title="Royalty in review", status=Article.Status.IN_REVIEW
        ),
        "archived": ArticleFactory(
            slug="archived-royalty", title="Royalty archived", status=Article.Status.ARCHIVED
        ),
    }


@needs_postgres
def test_title_match_ranks_above_body_match(corpus: dict[str, Article]) -> None:
    hits = selectors.article_search(query="royalty")
    assert _slugs(hits) == ["royalty-rules", "assists", "marking"]
    assert hits[0].rank > hits[1].rank


@pytest.mark.parametrize("status", ["draft", "review", "archived"])
def test_unpublished_articles_are_never_found(corpus: dict[str, Article], status: str) -> None:
    assert corpus[status].slug not in _slugs(selectors.article_search(query="royalty"))
    assert corpus[status].slug not in [
        a.slug for a in selectors.article_search_queryset(query="royalty")
    ]


@needs_postgres
def test_filters_by_topic_and_audience(corpus: dict[str, Article]) -> None:
    assert _slugs(selectors.article_search(query="royalty", topic="valuation")) == [
        "royalty-rules",
        "assists",
    ]
    assert _slugs(selectors.article_search(query="royalty", audience="carrier")) == ["marking"]
    assert selectors.article_search(query="royalty", topic="origin", audience="importer") == []


@needs_postgres
def test_web_search_syntax(corpus: dict[str, Article]) -> None:
    assert set(_slugs(selectors.article_search(query="royalty -mold"))) == {
        "royalty-rules",
        "marking",
    }
    assert _slugs(selectors.article_search(query='"country of origin"')) == ["marking"]
    assert set(_slugs(selectors.article_search(query="mold or marking"))) == {"assists", "marking"}
    # Stemming: "royalties" finds "royalty".
    assert "assists" in _slugs(selectors.article_search(query="royalties"))


@needs_postgres
def test_snippets_highlight_matches_and_are_safe(corpus: dict[str, Article]) -> None:
    ArticleFactory(
        slug="tricky",
        title="Tricky",
        body="## Tricky\n\nA tariff &lt;b onmouseover=x&gt; 5 &lt; 6 &amp; tariff classification.",
        status=Article.Status.PUBLISHED,
    )
    hit = next(h for h in selectors.article_search(query="mold") if h.article.slug == "assists")
    assert "<mark>mold</mark>" in hit.snippet
    tricky = selectors.article_search(query="tariff")[0]
    assert "<mark>tariff</mark>" in tricky.snippet
    assert "<b" not in tricky.snippet
    assert "onmouseover" not in tricky.snippet  # PostgreSQL drops tag-like text
    assert "5 &lt; 6 &amp;" in tricky.snippet  # and the rest is escaped


def test_empty_query_finds_nothing(corpus: dict[str, Article]) -> None:
    assert selectors.article_search(query="   ") == []


def test_fallback_search_without_postgres(
    corpus: dict[str, Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "full_text_search_available", lambda: False)
    hits = selectors.article_search(query="royalty")
    assert _slugs(hits) == ["royalty-rules", "assists", "marking"]
    assert "<mark>royalty</mark>" in hits[1].snippet.lower()
    assert _slugs(selectors.article_search(query="royalty", audience="carrier")) == ["marking"]
    ordered = selectors.article_search_queryset(query="royalty", topic="valuation")
    assert [a.slug for a in ordered] == ["royalty-rules", "assists"]


@needs_postgres
def test_search_vector_follows_edits(corpus: dict[str, Article]) -> None:
    article = corpus["other"]
    services.article_save_revision(
        article=article,
        actor=None,
        title=article.title,
        summary=article.summary,
        body="## Marking\n\nNow about zeppelins.",
        references=article.references,
    )
    assert _slugs(selectors.article_search(query="zeppelins")) == ["marking"]


# -- required training ---------------------------------------------------------------------


@pytest.fixture
def modules() -> dict[str, Any]:
    return {
        "basics": ModuleFactory(
            slug="basics", title="Basics", required_for=["online_seller", "marketplace"]
        ),
        "security": ModuleFactory(
            slug="security", title="Security", required_for=["online_seller"]
        ),
        "optional": ModuleFactory(slug="optional", title="Optional"),
    }


def _pass(user: Any, module: Any) -> None:
    module.refresh_from_db()
    services.quiz_attempt_submit(
        user=user,
        module=module,
        version=module.version,
        answers=answers_for(module, correct=module.questions.count()),
    )


def test_nothing_completed(modules: dict[str, Any]) -> None:
    user = UserFactory()
    status = selectors.required_training_status(user_ids=[user.pk], business_type="online_seller")
    assert [ref.slug for ref in status.required] == ["basics", "security"]
    assert [ref.slug for ref in status.missing] == ["basics", "security"]
    assert status.completed == []
    assert status.complete is False


def test_completions_of_any_user_of_the_organisation_count(modules: dict[str, Any]) -> None:
    first, second, outsider = UserFactory(), UserFactory(), UserFactory()
    _pass(first, modules["basics"])
    _pass(outsider, modules["security"])  # not in this organisation
    status = selectors.required_training_status(
        user_ids=[first.pk, second.pk], business_type="online_seller"
    )
    assert [ref.slug for ref in status.completed] == ["basics"]
    assert status.completed[0].completed_by == first.email
    assert status.completed[0].completed_at is not None
    assert [ref.slug for ref in status.missing] == ["security"]
    assert not status.complete
    _pass(second, modules["security"])
    status = selectors.required_training_status(
        user_ids=[first.pk, second.pk], business_type="online_seller"
    )
    assert status.complete
    assert {ref.completed_by for ref in status.completed} == {first.email, second.email}


def test_only_the_current_version_counts(modules: dict[str, Any]) -> None:
    user = UserFactory()
    _pass(user, modules["basics"])
    services.module_set_questions(module=modules["basics"], actor=None, questions=questions(6))
    status = selectors.required_training_status(user_ids=[user.pk], business_type="marketplace")
    assert status.missing[0].slug == "basics"
    assert status.missing[0].version == 2
    _pass(user, modules["basics"])
    assert selectors.required_training_status(
        user_ids=[user.pk], business_type="marketplace"
    ).complete


def test_business_type_without_requirements_is_complete(modules: dict[str, Any]) -> None:
    status = selectors.required_training_status(user_ids=[], business_type="manufacturer")
    assert status.required == []
    assert status.complete


def test_unpublished_modules_are_not_required(modules: dict[str, Any]) -> None:
    from education.models import Module

    Module.objects.filter(slug="security").update(published=False)
    status = selectors.required_training_status(user_ids=[], business_type="online_seller")
    assert [ref.slug for ref in status.required] == ["basics"]


def test_a_failed_attempt_is_not_a_completion(modules: dict[str, Any]) -> None:
    user = UserFactory()
    module = modules["basics"]
    services.quiz_attempt_submit(
        user=user, module=module, version=module.version, answers=answers_for(module, correct=1)
    )
    status = selectors.required_training_status(user_ids=[user.pk], business_type="marketplace")
    assert not status.complete


def test_status_is_a_frozen_dataclass(modules: dict[str, Any]) -> None:
    import dataclasses

    status = selectors.required_training_status(user_ids=[], business_type="online_seller")
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.complete = True  # type: ignore[misc]
