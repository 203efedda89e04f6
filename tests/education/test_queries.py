"""Query-count guards: every education list page and list endpoint runs a fixed number of
queries, however many articles, topics or modules it lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from education import services
from education.models import Article, Completion, Module
from tests.accounts.factories import UserFactory
from tests.education.factories import (
    ArticleFactory,
    ModuleFactory,
    TopicFactory,
    answers_for,
    audience,
)

pytestmark = pytest.mark.django_db

# The sitemap lists articles, modules, and topics with their published articles (two).
SITEMAP_QUERIES = 4


def _library(count: int) -> None:
    """`count` published articles over two topics, and `count` modules."""
    topics = [TopicFactory(), TopicFactory()]
    for index in range(count):
        article = ArticleFactory(
            title=f"Duties and bonds {index}",
            status=Article.Status.PUBLISHED,
            topics=[topics[index % 2]],
            audiences=[audience("importer"), audience("carrier")],
        )
        ModuleFactory(articles=[article])


def _count(fetch: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = fetch()
    assert response.status_code == 200
    return len(context.captured_queries)


PAGES = {
    "guidance home": ("/guidance/", 5),
    "guidance home by audience": ("/guidance/?audience=importer", 5),
    "topic page": ("/guidance/topics/{topic}/", 4),
    # Search: topics and audiences for the form (from the shared cache when it is on), the
    # ranking (with its planner setting), the shown hits' texts (to place each snippet's
    # window) and their headlines.
    "search": ("/guidance/search/?q=duties", 5),
    "feed": ("/guidance/feed/", 2),
    "sitemap": ("/sitemap.xml", SITEMAP_QUERIES),
    "training list": ("/training/", 1),
    "api list": ("/api/v1/guidance/articles/", 4),
    "api search": ("/api/v1/guidance/articles/?q=duties&audience=importer", 4),
}

ADMIN_LISTS = [
    "/admin/education/article/",
    "/admin/education/article/?review=due",
    "/admin/education/module/",
    "/admin/education/question/",
    "/admin/education/moduleversion/",
    "/admin/education/requiredmodule/",
    "/admin/education/quizattempt/",
    "/admin/education/completion/",
    "/admin/education/articlefeedback/",
    "/admin/education/reviewreminder/",
]


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_run_a_fixed_number_of_queries(
    name: str, client: Client, django_assert_num_queries: Any
) -> None:
    url, expected = PAGES[name]
    _library(2)
    topic = Article.objects.first().topics.get().slug  # type: ignore[union-attr]
    fetcher = APIClient() if url.startswith("/api/") else client
    small = _count(lambda: fetcher.get(url.format(topic=topic)))
    _library(6)
    with django_assert_num_queries(expected):
        fetcher.get(url.format(topic=topic))
    assert small == expected


def _complete_every_module(user: Any) -> None:
    for module in Module.objects.all():
        if not Completion.objects.filter(user=user, module=module).exists():
            services.quiz_attempt_submit(
                user=user,
                module=module,
                version=module.version,
                answers=answers_for(module, correct=5),
            )


def test_training_list_for_a_signed_in_user(client: Client, django_assert_num_queries: Any) -> None:
    _library(2)
    user = UserFactory()
    client.force_login(user)
    _complete_every_module(user)
    small = _count(lambda: client.get("/training/"))
    _library(4)
    _complete_every_module(user)
    with django_assert_num_queries(small):
        response = client.get("/training/")
    assert response.content.decode().count("View certificate") == 6


@pytest.mark.parametrize("url", ADMIN_LISTS)
def test_admin_lists_run_a_fixed_number_of_queries(
    url: str, client: Client, django_assert_num_queries: Any
) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    _library(2)
    _complete_every_module(admin)
    services.required_module_designate(
        actor=None, module=Module.objects.first(), business_type="online_seller"
    )
    small = _count(lambda: client.get(url))
    _library(5)
    _complete_every_module(admin)
    for module in Module.objects.all()[:3]:
        services.required_module_designate(actor=None, module=module, business_type="marketplace")
    for article in Article.objects.all():
        services.feedback_record(article=article, helpful=True, client_key="1.2.3.4")
    with django_assert_num_queries(small):
        client.get(url)
