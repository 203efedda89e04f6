"""Anonymous guidance pages from the shared cache: no query on a repeat, validators and
304s, headers a CDN can honour, changes shown at once, signed-in readers never served (or
storing) a shared copy, and HEAD wherever GET."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from education import services
from education.models import Article, Topic
from tests.accounts.factories import UserFactory
from tests.core.public_cache_support import public_cache_on  # noqa: F401 (a fixture)
from tests.education.factories import ArticleFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_cache_on")]


@pytest.fixture
def article() -> Article:
    return ArticleFactory(
        slug="cached-guide",
        title="Cached guide",
        body="## Duties\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        status=Article.Status.PUBLISHED,
        topics=[TopicFactory(slug="duties", name="Duties")],
    )


def _pages(article: Article) -> list[str]:
    return ["/guidance/", "/guidance/topics/duties/", article.get_absolute_url(), "/guidance/feed/"]


def test_a_repeat_visit_runs_no_query(
    client: Client, article: Article, django_assert_max_num_queries: Any
) -> None:
    for path in _pages(article):
        with django_assert_max_num_queries(8):
            first = client.get(path)
        assert first.status_code == 200, path
        with django_assert_max_num_queries(0):
            again = client.get(path)
        assert again.content == first.content


def test_headers_validators_and_not_modified(client: Client, article: Article) -> None:
    response = client.get(article.get_absolute_url())
    assert response["Cache-Control"] == (
        "public, max-age=60, s-maxage=300, stale-while-revalidate=60"
    )
    assert "Cookie" in response["Vary"]
    assert response["ETag"].startswith('"')
    again = client.get(
        article.get_absolute_url(),
        headers={"if-none-match": response["ETag"]},
    )
    assert again.status_code == 304
    since = client.get(
        article.get_absolute_url(), headers={"if-modified-since": response["Last-Modified"]}
    )
    assert since.status_code == 304
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


def test_head_is_allowed_wherever_get_is(client: Client, article: Article) -> None:
    for path in [*_pages(article), "/guidance/search/?q=duties", "/training/", "/sitemap.xml"]:
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b""
    assert client.post("/guidance/").status_code == 405


def test_publication_archive_and_topic_changes_show_at_once(
    client: Client, article: Article
) -> None:
    assert "Cached guide" in client.get("/guidance/").content.decode()
    etag = client.get(article.get_absolute_url())["ETag"]
    services.article_archive(article=article, actor=None)
    assert "Cached guide" not in client.get("/guidance/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get("/guidance/feed/").content.decode().count("Cached guide") == 0

    services.article_restore(article=article, actor=None)
    services.article_submit_for_review(article=article, actor=None)
    services.article_publish(article=article, actor=None)
    assert "Cached guide" in client.get(article.get_absolute_url()).content.decode()
    # The same page again: the reader's copy is still good.
    assert (
        client.get(article.get_absolute_url(), headers={"if-none-match": etag}).status_code == 304
    )

    topic = Topic.objects.get(slug="duties")
    topic.name = "Duties and taxes"
    topic.save()
    assert "Duties and taxes" in client.get("/guidance/topics/duties/").content.decode()
    # The article's breadcrumb names the topic: the old copy is no longer good.
    page = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert page.status_code == 200
    assert "Duties and taxes" in page.content.decode()


def test_signed_in_readers_are_never_served_or_stored_a_shared_copy(
    client: Client, article: Article
) -> None:
    anonymous = Client()
    assert "Sign in" in anonymous.get("/guidance/").content.decode()
    client.force_login(UserFactory(roles=["shipper"]))
    signed_in = client.get("/guidance/")
    assert "Sign out" in signed_in.content.decode()
    assert signed_in["Cache-Control"] == "private, no-cache"
    assert "Cookie" in signed_in["Vary"]
    client.get(article.get_absolute_url())
    # What the signed-in reader saw was not stored for anyone else.
    shared = anonymous.get(article.get_absolute_url()).content.decode()
    assert "Sign out" not in shared
    assert "Sign in" in shared


def test_feedback_works_without_a_csrf_token_from_a_cached_page(article: Article) -> None:
    reader = Client(enforce_csrf_checks=True)
    reader.get(article.get_absolute_url())
    response = reader.post(f"{article.get_absolute_url()}feedback/", {"helpful": "yes"})
    assert response.status_code == 302
    assert article.feedback.get().helpful is True


def test_made_up_query_parameters_are_not_stored(
    client: Client, article: Article, django_assert_max_num_queries: Any
) -> None:
    client.get("/guidance/?junk=1")
    with django_assert_max_num_queries(8) as captured:
        response = client.get("/guidance/?junk=1")
    assert len(captured.captured_queries) > 0
    assert response["Cache-Control"] == "private, no-cache"
    client.get("/guidance/?audience=importer")
    with django_assert_max_num_queries(0):
        assert client.get("/guidance/?audience=importer").status_code == 200


def test_the_search_forms_lists_come_from_the_cache_and_follow_changes(
    client: Client, article: Article, django_assert_num_queries: Any
) -> None:
    client.get("/guidance/search/?q=duties")
    # The ranking, the shown hits' texts and their headlines; the form's lists are stored.
    with django_assert_num_queries(3):
        page = client.get("/guidance/search/?q=duties").content.decode()
    assert '<option value="duties">Duties</option>' in page
    TopicFactory(slug="bonds", name="Bonds")
    page = client.get("/guidance/search/?q=duties").content.decode()
    assert '<option value="bonds">Bonds</option>' in page
    assert client.get("/guidance/search/?q=duties&topic=bonds").status_code == 200
