"""`PublicPageMiddleware`: a stored anonymous page is answered at the top of the middleware
stack (no session, CSRF or authentication middleware runs, no query) with every header the
whole stack gave it, never after a change, and never to a signed-in visitor."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from education import services
from education.models import Article
from tests.accounts.factories import UserFactory
from tests.core.public_cache_support import public_cache_on  # noqa: F401 (a fixture)
from tests.education.factories import ArticleFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_cache_on")]


@pytest.fixture
def article() -> Article:
    return ArticleFactory(
        slug="early-answer",
        title="Early answer",
        body="Text.",
        status=Article.Status.PUBLISHED,
        topics=[TopicFactory(slug="early", name="Early")],
    )


def _stack_ran(response: Any) -> bool:
    # AuthenticationMiddleware gives every request that passes through it a `user`.
    return hasattr(response.wsgi_request, "user")


def test_a_stored_page_is_answered_before_the_stack_with_the_stacks_headers(
    client: Client, article: Article, django_assert_max_num_queries: Any
) -> None:
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200
    assert _stack_ran(first)
    with django_assert_max_num_queries(0):
        again = client.get(article.get_absolute_url())
    assert not _stack_ran(again)
    assert again.content == first.content
    for header in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cache-Control",
        "ETag",
        "Last-Modified",
        "Vary",
    ):
        assert again[header] == first[header], header
    # The request id is the request's own, never the stored page's.
    assert again["X-Request-ID"] != first["X-Request-ID"]
    assert not again.cookies


def test_validators_head_and_not_modified_from_the_early_answer(
    client: Client, article: Article
) -> None:
    first = client.get(article.get_absolute_url())
    not_modified = client.get(article.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert not_modified.status_code == 304
    assert not _stack_ran(not_modified)
    head = client.head(article.get_absolute_url())
    assert head.status_code == 200
    assert head["ETag"] == first["ETag"]


def test_a_change_is_never_answered_from_the_stored_page(client: Client, article: Article) -> None:
    client.get(article.get_absolute_url())
    services.article_archive(article=article, actor=None)
    gone = client.get(article.get_absolute_url())
    assert gone.status_code == 404
    assert _stack_ran(gone)


def test_signed_in_visitors_and_other_paths_go_down_the_stack(
    client: Client, article: Article
) -> None:
    client.get(article.get_absolute_url())
    client.force_login(UserFactory())
    signed_in = client.get(article.get_absolute_url())
    assert _stack_ran(signed_in)
    assert "private" in signed_in["Cache-Control"]
    anonymous = Client()
    anonymous.get("/")
    home = anonymous.get("/")
    assert _stack_ran(home)  # not a public cached path


def test_a_request_no_cached_view_would_store_is_not_looked_up(
    client: Client, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core import public_cache

    looked_up: list[str] = []
    early_answer = public_cache._early_answer

    def recording(request: Any) -> Any:
        looked_up.append(request.get_full_path())
        return early_answer(request)

    monkeypatch.setattr(public_cache, "_early_answer", recording)
    assert client.get("/guidance/search/?q=early").status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    # `q` is a parameter no cached view's pages depend on: there is no stored copy to look for.
    assert looked_up == [article.get_absolute_url()]


@pytest.mark.parametrize("first_accepts", ["gzip, deflate, br", ""])
def test_a_stored_page_is_compressed_once_for_clients_that_accept_gzip(
    client: Client, article: Article, first_accepts: str
) -> None:
    import gzip

    path = "/guidance/"
    first = client.get(path, headers={"accept-encoding": first_accepts})
    packed = client.get(path, headers={"accept-encoding": "gzip, deflate, br"})
    plain = client.get(path)
    assert not _stack_ran(packed)
    assert not _stack_ran(plain)
    assert packed["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    assert packed["Content-Length"] == str(len(packed.content))
    assert plain["Content-Length"] == str(len(plain.content))
    assert (first.has_header("Content-Encoding")) == bool(first_accepts)
    for response in (first, packed, plain):
        assert "Accept-Encoding" in response["Vary"]
        assert "Cookie" in response["Vary"]
    # Either form's tag revalidates the page.
    assert packed["ETag"] == f"W/{plain['ETag']}"
    for tag in (packed["ETag"], plain["ETag"]):
        again = client.get(path, headers={"accept-encoding": "gzip", "if-none-match": tag})
        assert again.status_code == 304


def test_a_short_answer_is_not_compressed(client: Client) -> None:
    client.get("/api/v1/verify/KS-US-0000-0000-0/")
    unknown = client.get("/api/v1/verify/KS-US-0000-0000-0/", headers={"accept-encoding": "gzip"})
    assert unknown.status_code == 404
    assert not unknown.has_header("Content-Encoding")
    assert unknown["Content-Length"] == str(len(unknown.content))
