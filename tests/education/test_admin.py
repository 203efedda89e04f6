"""The admin: editors write, preview and move articles through review; the four-eyes
error is shown; the wrong users cannot reach the change pages; supervisors designate
required modules."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from education.models import Article, Module, RequiredModule
from tests.accounts.factories import UserFactory
from tests.education.factories import ArticleFactory, ModuleFactory, TopicFactory, audience

pytestmark = pytest.mark.django_db


def _form(article: Article | None = None, **changes: Any) -> dict[str, Any]:
    topic = TopicFactory()
    data = {
        "title": "Customs bonds",
        "slug": "customs-bonds",
        "summary": "What a bond is.",
        "body": "## Bonds\n\nA bond secures duties.",
        "references_text": "19 CFR Part 113 | CBP bonds | https://www.ecfr.gov/current/title-19/chapter-I/part-113",
        "topics": [topic.pk],
        "audiences": [audience("importer").pk],
        "related": [],
        "legal_guidance": "on",
        "last_reviewed": "2026-11-01",
        "note": "first draft",
        # read-only inlines still post their management forms
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_editor_creates_and_edits_an_article_through_the_services(
    client: Client, editor: Any
) -> None:
    client.force_login(editor)
    response = client.post("/admin/education/article/add/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="customs-bonds")
    assert article.status == Article.Status.DRAFT
    assert article.created_by == editor
    assert article.references == [
        {
            "citation": "19 CFR Part 113",
            "title": "CBP bonds",
            "url": "https://www.ecfr.gov/current/title-19/chapter-I/part-113",
        }
    ]
    assert article.revisions.get().note == "first draft"
    assert '<h2 id="bonds">Bonds</h2>' in article.rendered_html

    change_url = f"/admin/education/article/{article.pk}/change/"
    page = client.get(change_url).content.decode()
    assert "Preview of the saved version" in page
    assert '<h2 id="bonds">Bonds</h2>' in page  # the rendered preview
    response = client.post(
        change_url,
        _form(body="## Bonds\n\nA bond secures duties and fees.", note="more precise"),
    )
    assert response.status_code == 302
    assert article.revisions.count() == 2
    revision = article.revisions.get(number=1)
    earlier = client.get(f"/admin/education/article/{article.pk}/revisions/{revision.pk}/")
    assert earlier.status_code == 200
    assert "A bond secures duties.</p>" in earlier.content.decode()


def test_bad_reference_lines_are_form_errors(client: Client, editor: Any) -> None:
    client.force_login(editor)
    response = client.post(
        "/admin/education/article/add/",
        _form(references_text="only a citation\nx | y | javascript:alert(1)"),
    )
    assert response.status_code == 200
    assert "three parts separated by |" in response.content.decode()
    assert not Article.objects.exists()


def test_publish_action_shows_the_four_eyes_error(
    client: Client, editor: Any, second_editor: Any
) -> None:
    from education import services

    article = ArticleFactory(actor=editor, legal_guidance=True)
    services.article_submit_for_review(article=article, actor=editor)
    client.force_login(editor)
    response = client.post(
        "/admin/education/article/",
        {"action": "publish", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "a second content editor must review and publish it" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW

    client.force_login(second_editor)
    response = client.post(
        "/admin/education/article/",
        {"action": "publish", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "1 article(s) published." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_the_change_page_shows_history_from_the_audit_log_and_the_next_steps(
    client: Client, editor: Any, second_editor: Any
) -> None:
    from education import services

    article = ArticleFactory(actor=editor, legal_guidance=True, note="first draft")
    services.article_submit_for_review(article=article, actor=editor, note="ready")
    url = f"/admin/education/article/{article.pk}/change/"

    client.force_login(editor)
    html = client.get(url).content.decode()
    history = html[html.index("<th>When</th>") :]
    assert "Created" in history
    assert "first draft" in history
    assert "Submitted for review" in history
    assert "Draft -&gt; In review" in history
    assert editor.email in history
    # The author of legal guidance may return it but not publish it.
    assert "Return to draft (Actions on the article list)" in html

    client.force_login(second_editor)
    html = client.get(url).content.decode()
    assert "Return to draft, Publish (Actions on the article list)" in html


def test_changelist_shows_feedback_counts_and_review_filter(client: Client, editor: Any) -> None:
    from education import services

    article = ArticleFactory(status=Article.Status.PUBLISHED, title="Counted")
    services.feedback_record(article=article, helpful=True, client_key="a")
    services.feedback_record(article=article, helpful=False, client_key="b")
    client.force_login(editor)
    response = client.get("/admin/education/article/")
    assert response.status_code == 200
    assert response.context["cl"].result_list[0].helpful_yes == 1
    assert client.get("/admin/education/article/?review=due").status_code == 200
    assert client.get("/admin/education/article/?status__exact=published").status_code == 200


@pytest.mark.parametrize("role", ["shipper", "partner", None])
def test_the_wrong_user_cannot_reach_the_education_admin(client: Client, role: str | None) -> None:
    article = ArticleFactory()
    client.force_login(UserFactory(roles=[role] if role else []))
    for url in [
        "/admin/education/article/",
        f"/admin/education/article/{article.pk}/change/",
        "/admin/education/article/add/",
        "/admin/education/requiredmodule/",
    ]:
        assert client.get(url).status_code in {302, 403}, url
    response = client.post(f"/admin/education/article/{article.pk}/change/", _form())
    assert response.status_code in {302, 403}
    article.refresh_from_db()
    assert article.title != "Customs bonds"


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    article = ArticleFactory()
    response = client.get(f"/admin/education/article/{article.pk}/change/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_officer_cannot_edit_articles(client: Client) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    officer = UserFactory(roles=["officer"])
    TOTP.activate(officer, generate_totp_secret())
    client.force_login(officer)
    article = ArticleFactory()
    assert client.get(f"/admin/education/article/{article.pk}/change/").status_code == 403


def test_supervisor_designates_required_modules(client: Client, supervisor: Any) -> None:
    module = ModuleFactory()
    client.force_login(supervisor)
    response = client.post(
        "/admin/education/requiredmodule/add/",
        {"business_type": "freight_forwarder", "module": module.pk},
    )
    assert response.status_code == 302
    requirement = RequiredModule.objects.get()
    assert (requirement.business_type, requirement.designated_by) == (
        "freight_forwarder",
        supervisor,
    )


def test_editor_cannot_designate_required_modules(client: Client, editor: Any) -> None:
    module = ModuleFactory()
    client.force_login(editor)
    response = client.post(
        "/admin/education/requiredmodule/add/",
        {"business_type": "freight_forwarder", "module": module.pk},
    )
    assert response.status_code == 403
    assert not RequiredModule.objects.exists()


def test_editing_choices_in_the_admin_makes_a_new_quiz_version(client: Client, editor: Any) -> None:
    module = ModuleFactory()
    question = module.questions.first()
    assert question is not None
    choices = list(question.choices.all())
    client.force_login(editor)
    data: dict[str, Any] = {
        "module": module.pk,
        "position": question.position,
        "text": question.text,
        "explanation": question.explanation,
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": str(len(choices)),
        "choices-MIN_NUM_FORMS": "2",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for index, choice in enumerate(choices):
        data.update(
            {
                f"choices-{index}-id": choice.pk,
                f"choices-{index}-question": question.pk,
                f"choices-{index}-position": choice.position,
                f"choices-{index}-text": choice.text,
                # move the correct answer from the first to the second choice
                **({f"choices-{index}-is_correct": "on"} if index == 1 else {}),
            }
        )
    response = client.post(f"/admin/education/question/{question.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Module.objects.get(pk=module.pk).version == 2

    # Two correct answers are refused.
    data["choices-0-is_correct"] = "on"
    response = client.post(f"/admin/education/question/{question.pk}/change/", data)
    assert response.status_code == 200
    assert "Mark exactly one choice as correct." in response.content.decode()


def test_every_education_admin_page_renders_for_its_role(
    client: Client, editor: Any, supervisor: Any, library: Any
) -> None:
    article = Article.objects.get(slug="reasonable-care")
    module = Module.objects.get(slug="importer-basics")
    question = module.questions.first()
    assert question is not None
    client.force_login(editor)
    for url in [
        "/admin/education/",
        "/admin/education/article/",
        "/admin/education/article/add/",
        f"/admin/education/article/{article.pk}/change/",
        "/admin/education/topic/",
        "/admin/education/module/",
        f"/admin/education/module/{module.pk}/change/",
        f"/admin/education/question/{question.pk}/change/",
        "/admin/education/articlefeedback/",
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(supervisor)
    for url in [
        "/admin/education/requiredmodule/",
        "/admin/education/requiredmodule/add/",
        "/admin/education/module/",
        "/admin/education/completion/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(f"/admin/education/article/{article.pk}/change/").status_code == 200
    response = client.post(f"/admin/education/article/{article.pk}/change/", _form())
    assert response.status_code == 403  # supervisors read articles, editors write them


def test_module_details_are_saved_through_the_service_and_audited(
    client: Client, editor: Any
) -> None:
    from core.models import AuditEvent

    module = ModuleFactory(title="Basics", pass_mark=80)
    client.force_login(editor)
    data = {
        "title": "Basics of importing",
        "slug": module.slug,
        "summary": module.summary,
        "pass_mark": "60",
        "published": "on",
        "module_articles-TOTAL_FORMS": "0",
        "module_articles-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/education/module/{module.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    module.refresh_from_db()
    assert (module.title, module.pass_mark, module.version) == ("Basics of importing", 60, 2)
    events = list(AuditEvent.objects.for_target(module).values_list("action", "actor", "changes"))
    assert events[-2:] == [
        (
            "module.edit",
            editor.pk,
            {
                "pass_mark": {"before": 80, "after": 60},
                "title": {"before": "Basics", "after": "Basics of importing"},
            },
        ),
        ("module.new_version", editor.pk, {"version": {"before": 1, "after": 2}}),
    ]
