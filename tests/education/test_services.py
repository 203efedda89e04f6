"""Article state machine, revisions, the four-eyes rule, permissions and feedback."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from core.workflow import TransitionNotAllowed
from education import services, workflow
from education.events import AuditAction
from education.models import Article, ArticleFeedback, ArticleRevision
from tests.accounts.factories import UserFactory
from tests.education.factories import ArticleFactory, TopicFactory, audience

pytestmark = pytest.mark.django_db


def _history(article: Article) -> Any:
    return AuditEvent.objects.for_target(article)


def _content(article: Article, **changes: Any) -> dict[str, Any]:
    data = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "references": article.references,
    }
    data.update(changes)
    return data


def test_create_renders_records_first_revision_and_event(editor: Any) -> None:
    article = ArticleFactory(actor=editor, body="## Duty\n\n<script>x()</script>Pay it.")
    assert article.status == Article.Status.DRAFT
    assert '<h2 id="duty">Duty</h2>' in article.rendered_html
    assert "<script" not in article.rendered_html
    assert article.toc == [{"level": 2, "anchor": "duty", "text": "Duty"}]
    revision = article.revisions.get()
    assert (revision.number, revision.author, revision.body) == (1, editor, article.body)
    event = _history(article).get()
    assert (event.action, event.actor, event.to_status) == ("article.create", editor, "draft")
    assert event.internal
    assert event.changes["title"] == {"before": None, "after": article.title}
    assert article.created_by == article.last_edited_by == editor


def test_full_life_cycle_records_every_transition(editor: Any, second_editor: Any) -> None:
    article = ArticleFactory(actor=editor)
    article = services.article_submit_for_review(article=article, actor=editor)
    assert article.status == Article.Status.IN_REVIEW
    article = services.article_publish(article=article, actor=second_editor, note="checked")
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    article = services.article_archive(article=article, actor=second_editor)
    article = services.article_restore(article=article, actor=editor)
    assert article.status == Article.Status.DRAFT
    transitions = [
        (event.action, event.from_status, event.to_status, event.actor_id, event.reason)
        for event in _history(article).exclude(action="article.create")
    ]
    assert transitions == [
        ("article.submit", "draft", "in_review", editor.pk, ""),
        ("article.publish", "in_review", "published", second_editor.pk, "checked"),
        ("article.archive", "published", "archived", second_editor.pk, ""),
        ("article.restore", "archived", "draft", editor.pk, ""),
    ]


def test_undeclared_transitions_are_refused_and_change_nothing(editor: Any) -> None:
    article = ArticleFactory(actor=editor)
    assert not workflow.can_publish(article, None)
    with pytest.raises(TransitionNotAllowed, match=r"Cannot publish article .*: it is now draft"):
        services.article_publish(article=article, actor=None)
    with pytest.raises(TransitionNotAllowed):
        services.article_restore(article=article, actor=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert _history(article).count() == 1


def test_a_stale_copy_cannot_repeat_a_transition() -> None:
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    stale = Article.objects.get(pk=article.pk)
    services.article_publish(article=article, actor=None)
    # The second caller still holds an "in review" copy; the locked row says published.
    with pytest.raises(TransitionNotAllowed):
        services.article_publish(article=stale, actor=None)
    assert _history(article).filter(action="article.publish").count() == 1


def test_four_eyes_legal_guidance_needs_a_second_editor(editor: Any, second_editor: Any) -> None:
    article = ArticleFactory(actor=editor, legal_guidance=True)
    services.article_submit_for_review(article=article, actor=editor)
    article.refresh_from_db()
    assert not workflow.can_publish(article, editor)
    assert workflow.can_publish(article, second_editor)
    with pytest.raises(TransitionNotAllowed, match="second content editor"):
        services.article_publish(article=article, actor=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    services.article_publish(article=article, actor=second_editor)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_four_eyes_applies_to_the_author_of_the_current_revision(
    editor: Any, second_editor: Any
) -> None:
    article = ArticleFactory(actor=editor, legal_guidance=True)
    # The second editor rewrites it: now the original author is the reviewer.
    article = services.article_save_revision(
        article=article, actor=second_editor, **_content(article, body="## New\n\nRewritten.")
    )
    services.article_submit_for_review(article=article, actor=second_editor)
    with pytest.raises(TransitionNotAllowed):
        services.article_publish(article=article, actor=second_editor)
    services.article_publish(article=article, actor=editor)


def test_unmarking_legal_guidance_does_not_bypass_the_second_editor(
    editor: Any, second_editor: Any
) -> None:
    article = ArticleFactory(actor=editor, legal_guidance=True)
    article = services.article_save_revision(
        article=article, actor=editor, legal_guidance=False, **_content(article)
    )
    services.article_submit_for_review(article=article, actor=editor)
    with pytest.raises(TransitionNotAllowed, match="removed the legal-guidance mark"):
        services.article_publish(article=article, actor=editor)
    article = services.article_publish(article=article, actor=second_editor)
    assert article.legal_flag_cleared_by is None


def test_an_editor_may_publish_their_own_article_when_not_legal_guidance(editor: Any) -> None:
    article = ArticleFactory(actor=editor, legal_guidance=False)
    services.article_submit_for_review(article=article, actor=editor)
    assert services.article_publish(article=article, actor=editor).is_public


def test_submit_needs_a_body(editor: Any) -> None:
    article = ArticleFactory(actor=editor)
    Article.objects.filter(pk=article.pk).update(body="   ")
    article.refresh_from_db()
    assert not workflow.can_submit_for_review(article)
    with pytest.raises(TransitionNotAllowed, match="needs a title, summary and body"):
        services.article_submit_for_review(article=article, actor=editor)


def test_edits_create_revisions_with_changed_fields(editor: Any, second_editor: Any) -> None:
    article = ArticleFactory(actor=editor, status=Article.Status.PUBLISHED)
    before = article.content_updated_at
    article = services.article_save_revision(
        article=article,
        actor=second_editor,
        note="fix typo",
        **_content(article, title="Better title", body="## New body\n\nText."),
    )
    revision = article.revisions.order_by("-number").first()
    assert revision is not None
    assert revision.number == 2
    assert revision.author == second_editor
    assert revision.changed_fields == ["title", "body"]
    assert revision.note == "fix typo"
    assert article.last_edited_by == second_editor
    assert '<h2 id="new-body">' in article.rendered_html
    assert article.content_updated_at is not None
    assert article.content_updated_at > before
    # Earlier versions are kept intact.
    assert article.revisions.get(number=1).title != "Better title"


def test_saving_unchanged_content_records_nothing(editor: Any) -> None:
    article = ArticleFactory(actor=editor)
    services.article_save_revision(article=article, actor=editor, **_content(article))
    assert article.revisions.count() == 1
    assert _history(article).count() == 1


def test_metadata_changes_are_events_not_revisions(editor: Any) -> None:
    article = ArticleFactory(actor=editor)
    topic = TopicFactory()
    old_topics = sorted(article.topics.values_list("slug", flat=True))
    services.article_save_revision(
        article=article, actor=editor, topics=[topic], legal_guidance=True, **_content(article)
    )
    assert article.revisions.count() == 1
    event = _history(article).get(action=AuditAction.ARTICLE_EDIT)
    assert event.detail == {"changed": ["legal_guidance", "topics"]}
    assert event.changes == {
        "legal_guidance": {"before": False, "after": True},
        "topics": {
            "before": old_topics,
            "after": [topic.slug],
        },
    }


def test_bad_references_are_refused_and_nothing_is_written(editor: Any) -> None:
    article = ArticleFactory(actor=editor)
    with pytest.raises(ValidationError, match="https://"):
        services.article_save_revision(
            article=article,
            actor=editor,
            **_content(
                article,
                title="Changed",
                references=[{"citation": "x", "title": "x", "url": "javascript:alert(1)"}],
            ),
        )
    article.refresh_from_db()
    assert article.title != "Changed"
    assert article.revisions.count() == 1


@pytest.mark.parametrize("role", [None, "shipper", "officer", "partner"])
def test_the_wrong_user_is_refused_by_every_editing_service(role: str | None) -> None:
    user = UserFactory(roles=[role] if role else [])
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.article_create(
            actor=user, slug="x", title="x", summary="x", body="x", topics=[], audiences=[]
        )
    with pytest.raises(PermissionDenied):
        services.article_save_revision(article=article, actor=user, **_content(article, title="x"))
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, actor=user)
    with pytest.raises(PermissionDenied):
        services.article_archive(article=article, actor=user)
    with pytest.raises(PermissionDenied):
        services.article_mark_reviewed(article=article, actor=user)
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert not Article.objects.filter(slug="x").exists()
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_an_anonymous_user_is_refused(editor: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, actor=AnonymousUser())  # type: ignore[arg-type]


def test_feedback_is_stored_anonymously_and_rate_limited(settings: Any) -> None:
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    other = ArticleFactory(status=Article.Status.PUBLISHED)
    for _ in range(5):
        services.feedback_record(
            article=article, helpful=True, comment=" ok ", client_key="1.2.3.4"
        )
    with pytest.raises(services.FeedbackRateLimited, match="try again later"):
        services.feedback_record(article=article, helpful=False, client_key="1.2.3.4")
    # Another address, or another article, has its own allowance.
    services.feedback_record(article=article, helpful=False, client_key="5.6.7.8")
    services.feedback_record(article=other, helpful=False, client_key="1.2.3.4")
    assert ArticleFeedback.objects.filter(article=article).count() == 6
    assert ArticleFeedback.objects.filter(article=article, helpful=True).first().comment == "ok"
    field_names = {field.name for field in ArticleFeedback._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "user", "client_key"}


def test_feedback_comment_length_is_validated() -> None:
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    with pytest.raises(ValidationError, match="1000 characters"):
        services.feedback_record(article=article, helpful=True, comment="x" * 1001, client_key="a")
    assert not ArticleFeedback.objects.exists()


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_no_feedback_on_unpublished_articles(status: str) -> None:
    article = ArticleFactory(status=status)
    with pytest.raises(services.EducationError):
        services.feedback_record(article=article, helpful=True, client_key="a")


def test_audiences_exist_from_the_migration() -> None:
    assert audience("carrier").name == "Carriers and express consignors"
