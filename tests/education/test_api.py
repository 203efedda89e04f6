"""The read-only guidance API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from education.models import Article
from tests.education.factories import ArticleFactory, TopicFactory, audience

pytestmark = pytest.mark.django_db


def test_anonymous_lists_published_articles_with_search_and_filters(api_client: APIClient) -> None:
    topic = TopicFactory(slug="money")
    ArticleFactory(
        slug="royalties",
        title="Royalties",
        topics=[topic],
        audiences=[audience("importer")],
        status=Article.Status.PUBLISHED,
    )
    ArticleFactory(slug="other", title="Other", status=Article.Status.PUBLISHED)
    ArticleFactory(slug="draft", title="Royalties draft")
    everything = api_client.get("/api/v1/guidance/articles/").json()
    assert everything["count"] == 2
    assert [item["slug"] for item in everything["results"]] == ["other", "royalties"]
    found = api_client.get("/api/v1/guidance/articles/", {"q": "royalties"}).json()
    assert [item["slug"] for item in found["results"]] == ["royalties"]
    first = found["results"][0]
    assert first["url"] == "http://testserver/guidance/articles/royalties/"
    assert first["topics"] == ["money"]
    assert first["audiences"] == ["importer"]
    by_topic = api_client.get("/api/v1/guidance/articles/", {"topic": "money"}).json()
    assert by_topic["count"] == 1
    by_audience = api_client.get("/api/v1/guidance/articles/", {"audience": "carrier"}).json()
    assert by_audience["count"] == 0


def test_detail_has_sanitised_html_and_references(api_client: APIClient) -> None:
    ArticleFactory(
        slug="guide", body="## A\n\n<script>x</script>text", status=Article.Status.PUBLISHED
    )
    data = api_client.get("/api/v1/guidance/articles/guide/").json()
    assert "<script" not in data["html"]
    assert data["references"][0]["citation"] == "19 USC 1484"


def test_the_api_is_throttled(api_client: APIClient) -> None:
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle

    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**original, "anon": "2/minute"}
    cache.clear()
    try:
        codes = [api_client.get("/api/v1/guidance/articles/").status_code for _ in range(3)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert codes == [200, 200, 429]
