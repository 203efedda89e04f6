"""Public guidance pages, feed, sitemap, feedback and the training pages over HTTP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from education.models import Article, ArticleFeedback, Completion
from tests.accounts.factories import UserFactory
from tests.education.factories import ArticleFactory, ModuleFactory, TopicFactory, answers_for

pytestmark = pytest.mark.django_db

UNPUBLISHED = [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED]


@pytest.fixture
def published() -> Article:
    return ArticleFactory(
        slug="published-guide",
        title="Published guide",
        body="## First part\n\nAbout **duties**.\n\n## Second part\n\nMore.",
        status=Article.Status.PUBLISHED,
    )


def test_guidance_home_lists_topics_and_articles(client: Client, published: Article) -> None:
    response = client.get("/guidance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Published guide" in html
    assert published.topics.get().name in html
    assert 'href="/guidance/feed/"' in html


def test_guidance_home_filters_by_audience(client: Client, published: Article) -> None:
    from tests.education.factories import audience

    carrier_article = ArticleFactory(
        title="For carriers", audiences=[audience("carrier")], status=Article.Status.PUBLISHED
    )
    html = client.get("/guidance/?audience=carrier").content.decode()
    assert carrier_article.title in html
    assert "Published guide" not in html


def test_article_page_has_toc_references_and_feedback_form(
    client: Client, published: Article
) -> None:
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<ul class="usa-sidenav">' in html
    assert '<a href="#first-part">First part</a>' in html
    assert '<h2 id="first-part">First part</h2>' in html
    assert "19 USC 1484" in html
    assert "https://www.law.cornell.edu/uscode/text/19/1484" in html
    assert "Was this helpful?" in html
    assert "<script>" not in html  # CSP: no inline script
    assert " style=" not in html


def test_topic_page(client: Client, published: Article) -> None:
    topic = published.topics.get()
    response = client.get(f"/guidance/topics/{topic.slug}/")
    assert response.status_code == 200
    assert "Published guide" in response.content.decode()
    assert client.get("/guidance/topics/no-such-topic/").status_code == 404


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_content_is_never_public(client: Client, status: str) -> None:
    topic = TopicFactory(slug="lonely")
    article = ArticleFactory(
        slug="secret", title="Secret zebra guidance", topics=[topic], status=status
    )
    assert client.get("/guidance/articles/secret/").status_code == 404
    assert client.get("/guidance/topics/lonely/").status_code == 404
    assert client.post("/guidance/articles/secret/feedback/", {"helpful": "yes"}).status_code == 404
    for url in ["/guidance/", "/guidance/search/?q=zebra", "/guidance/feed/", "/sitemap.xml"]:
        assert "secret" not in client.get(url).content.decode().lower(), url
    api = client.get("/api/v1/guidance/articles/?q=zebra").json()
    assert api["count"] == 0
    assert client.get("/api/v1/guidance/articles/secret/").status_code == 404
    assert client.get("/api/v1/guidance/articles/").json()["count"] == 0
    assert article.pk


def test_search_page(client: Client, published: Article) -> None:
    ArticleFactory(title="Other", body="## x\n\nNothing.", status=Article.Status.PUBLISHED)
    response = client.get("/guidance/search/", {"q": "duties"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 result for" in html
    assert "Published guide" in html
    assert "<mark>duties</mark>" in html
    assert "Other" not in re.sub(r"<select.*?</select>", "", html, flags=re.S)


def test_search_page_topic_filter_and_bad_input(client: Client, published: Article) -> None:
    response = client.get("/guidance/search/", {"q": "duties", "topic": "no-such-topic"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_atom_feed(client: Client, published: Article) -> None:
    ArticleFactory(slug="draft-one", title="Draft one", status=Article.Status.DRAFT)
    response = client.get("/guidance/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in xml
    assert "<title>Published guide</title>" in xml
    assert "http://testserver/guidance/articles/published-guide/" in xml
    assert "<updated>" in xml
    assert "Draft one" not in xml


def test_sitemap(client: Client, published: Article) -> None:
    ModuleFactory(slug="basics-module")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://testserver/guidance/articles/published-guide/</loc>" in xml
    assert "<loc>http://testserver/guidance/</loc>" in xml
    assert "<loc>http://testserver/training/basics-module/</loc>" in xml
    assert f"<loc>http://testserver/guidance/topics/{published.topics.get().slug}/</loc>" in xml
    assert "<lastmod>" in xml


def test_feedback_is_stored_and_rate_limited_per_ip(client: Client, published: Article) -> None:
    url = "/guidance/articles/published-guide/feedback/"
    for _ in range(5):
        response = client.post(url, {"helpful": "yes", "comment": "Clear"}, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 302
        assert response["Location"] == "/guidance/articles/published-guide/#feedback"
    limited = client.post(url, {"helpful": "no"}, REMOTE_ADDR="10.0.0.1", follow=True)
    assert "Please try again later" in limited.content.decode()
    assert ArticleFeedback.objects.count() == 5
    client.post(url, {"helpful": "no"}, REMOTE_ADDR="10.0.0.2")
    assert ArticleFeedback.objects.count() == 6
    thanks = client.post(url, {"helpful": "no"}, REMOTE_ADDR="10.0.0.3", follow=True)
    assert "Thank you for your feedback" in thanks.content.decode()


def test_feedback_limit_keys_on_the_real_client_address(
    client: Client, published: Article, settings: Any
) -> None:
    url = "/guidance/articles/published-guide/feedback/"
    settings.EDUCATION_FEEDBACK_LIMIT_PER_HOUR = 1

    def post(forwarded_for: str) -> str:
        response = client.post(
            url,
            {"helpful": "yes"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=forwarded_for,
            follow=True,
        )
        return response.content.decode()

    # No trusted proxy: the header is the client's to write and is ignored, so changing
    # it does not buy another answer.
    settings.TRUSTED_PROXY_COUNT = 0
    assert "Thank you for your feedback" in post("203.0.113.1")
    assert "Please try again later" in post("203.0.113.2")
    assert ArticleFeedback.objects.count() == 1

    # Behind one trusted proxy (10.0.0.9), the client is the address it forwarded.
    settings.TRUSTED_PROXY_COUNT = 1
    assert "Thank you for your feedback" in post("198.51.100.1")
    assert "Thank you for your feedback" in post("198.51.100.2")
    assert "Please try again later" in post("198.51.100.1")
    # Entries further left are written by the client: forging one changes nothing.
    assert "Please try again later" in post("203.0.113.7, 198.51.100.2")
    assert ArticleFeedback.objects.count() == 3


def test_feedback_validation_errors_are_shown(client: Client, published: Article) -> None:
    url = "/guidance/articles/published-guide/feedback/"
    response = client.post(url, {"helpful": "maybe", "comment": "x" * 1001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "at most 1000 characters" in html
    assert not ArticleFeedback.objects.exists()


# -- training ------------------------------------------------------------------------------


@pytest.fixture
def module() -> Any:
    return ModuleFactory(slug="basics", title="Basics")


def test_anonymous_sees_modules_but_must_sign_in_for_the_quiz(client: Client, module: Any) -> None:
    assert "Basics" in client.get("/training/").content.decode()
    page = client.get("/training/basics/").content.decode()
    assert "Sign in to take the quiz" in page
    assert module.module_articles.get().article.title in page
    response = client.get("/training/basics/quiz/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/training/basics/quiz/")
    assert client.post("/training/basics/quiz/", {}).status_code == 302


def test_take_quiz_fail_then_retake_and_pass(client: Client, module: Any) -> None:
    user = UserFactory()
    client.force_login(user)
    page = client.get("/training/basics/quiz/")
    html = page.content.decode()
    assert html.count('<fieldset class="usa-fieldset') == 5
    assert 'class="usa-radio__input"' in html
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token is not None

    failed = client.post(
        "/training/basics/quiz/", {"token": token.group(1), **_fields(module, correct=2)}
    )
    assert failed.status_code == 302
    result = client.get(failed["Location"]).content.decode()
    assert "Not passed this time" in result
    assert "40%" in result
    assert "Because of rule 3." in result  # explanation of a wrong answer
    assert "Answers to review" in result

    passed = client.post(
        "/training/basics/quiz/", {"token": token.group(1), **_fields(module, correct=5)}
    )
    result = client.get(passed["Location"]).content.decode()
    assert "You passed" in result
    assert "100%" in result
    completion = Completion.objects.get(user=user)
    assert completion.get_absolute_url() in result
    certificate = client.get(completion.get_absolute_url()).content.decode()
    assert completion.certificate_number in certificate
    assert "Basics (version 1)" in certificate


def _fields(module: Any, correct: int) -> dict[str, str]:
    return {f"question_{key}": value for key, value in answers_for(module, correct=correct).items()}


def test_missing_answers_show_errors(client: Client, module: Any) -> None:
    client.force_login(UserFactory())
    html = client.get("/training/basics/quiz/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    response = client.post("/training/basics/quiz/", {"token": token})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Choose an answer." in response.content.decode()


def test_a_tampered_token_is_refused(client: Client, module: Any) -> None:
    client.force_login(UserFactory())
    response = client.post(
        "/training/basics/quiz/", {"token": "forged", **_fields(module, correct=5)}
    )
    assert response.status_code == 200
    assert "The quiz expired" in response.content.decode()
    assert not Completion.objects.exists()


def test_certificates_and_results_are_private(client: Client, module: Any) -> None:
    from education import services

    owner, other = UserFactory(), UserFactory(roles=["shipper"])
    attempt = services.quiz_attempt_submit(
        user=owner, module=module, version=module.version, answers=answers_for(module, correct=5)
    )
    completion = Completion.objects.get(user=owner)
    url = completion.get_absolute_url()
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(f"/training/basics/results/{attempt.pk}/").status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200
    assert client.get(f"/training/basics/results/{attempt.pk}/").status_code == 200
    officer = UserFactory(roles=["officer"])
    client.force_login(officer)
    assert client.get(url).status_code == 200
    # A content editor writes training; who took it is not theirs to read.
    editor = UserFactory(roles=["content_editor"])
    assert editor.is_staff
    client.force_login(editor)
    assert client.get(url).status_code == 404


def test_unpublished_module_is_not_public(client: Client) -> None:
    ModuleFactory(slug="hidden", published=False)
    assert client.get("/training/hidden/").status_code == 404
    assert "hidden" not in client.get("/training/").content.decode()


def test_required_training_panel_tag(module: Any) -> None:
    from django.template import Context, Template

    from education import services

    services.required_module_designate(actor=None, module=module, business_type="online_seller")
    user = UserFactory()
    template = Template(
        "{% load education_tags %}{% required_training_panel user_ids business_type %}"
    )
    html = template.render(Context({"user_ids": [user.pk], "business_type": "online_seller"}))
    assert "usa-summary-box" in html
    assert 'href="/training/basics/"' in html
    assert "1 more training module" in html
    services.quiz_attempt_submit(
        user=user, module=module, version=module.version, answers=answers_for(module, correct=5)
    )
    html = template.render(Context({"user_ids": [user.pk], "business_type": "online_seller"}))
    assert "All required training is complete" in html
