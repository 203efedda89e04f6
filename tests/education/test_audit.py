"""Every state-changing education service writes exactly one audit event in its
transaction, and the chain stays verifiable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Max

from core.models import AuditEvent
from education import services
from education.events import TITLES, AuditAction, title
from education.models import Article, Completion, Module, RequiredModule
from tests.accounts.factories import UserFactory
from tests.education.factories import ArticleFactory, ModuleFactory, answers_for, questions
from tests.shippers.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@contextmanager
def _one_event(action: str) -> Iterator[list[AuditEvent]]:
    """Exactly one new audit event, with this action, is written inside the block."""
    last = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    found: list[AuditEvent] = []
    yield found
    new = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
    assert [event.action for event in new] == [action]
    found.extend(new)


def _no_event() -> Callable[[], None]:
    last = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0

    def check() -> None:
        assert not AuditEvent.objects.filter(pk__gt=last).exists()

    return check


def test_every_action_has_a_title() -> None:
    assert set(TITLES) == set(AuditAction)
    assert title("article.publish") == "Published"
    assert title("something.else") == "something.else"


def test_each_article_service_writes_one_event(editor: Any, second_editor: Any) -> None:
    with _one_event(AuditAction.ARTICLE_CREATE) as created:
        article = ArticleFactory(actor=editor, title="Bonds")
    assert created[0].target_type == "education.article"
    assert created[0].target_id == str(article.pk)
    assert created[0].target_label == "Bonds"
    steps: list[tuple[str, Callable[[], Article]]] = [
        (
            AuditAction.ARTICLE_EDIT,
            lambda: services.article_save_revision(
                article=article,
                actor=editor,
                title="Customs bonds",
                summary=article.summary,
                body=article.body,
                references=article.references,
            ),
        ),
        (
            AuditAction.ARTICLE_SUBMIT,
            lambda: services.article_submit_for_review(article=article, actor=editor),
        ),
        (
            AuditAction.ARTICLE_RETURN,
            lambda: services.article_return_to_draft(article=article, actor=second_editor),
        ),
        (
            AuditAction.ARTICLE_ARCHIVE,
            lambda: services.article_archive(article=article, actor=second_editor),
        ),
        (
            AuditAction.ARTICLE_RESTORE,
            lambda: services.article_restore(article=article, actor=editor),
        ),
        (
            AuditAction.ARTICLE_MARK_REVIEWED,
            lambda: services.article_mark_reviewed(article=article, actor=editor, note="ok"),
        ),
    ]
    for action, step in steps:
        with _one_event(action) as found:
            step()
        event = found[0]
        assert event.actor is not None
        assert event.internal
    edit = AuditEvent.objects.get(action=AuditAction.ARTICLE_EDIT)
    assert edit.changes == {"title": {"before": "Bonds", "after": "Customs bonds"}}
    assert edit.detail == {"changed": ["title"], "revision": 2}
    reviewed = AuditEvent.objects.get(action=AuditAction.ARTICLE_MARK_REVIEWED)
    assert reviewed.reason == "ok"
    assert list(reviewed.changes) == ["last_reviewed"]


def test_a_refused_transition_writes_nothing(editor: Any) -> None:
    article = ArticleFactory(actor=editor)
    check = _no_event()
    with pytest.raises(services.TransitionNotAllowed):
        services.article_publish(article=article, actor=editor)
    check()


def test_module_services_record_versions_and_requirements(supervisor: Any) -> None:
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    with _one_event(AuditAction.MODULE_CREATE) as created:
        module = ModuleFactory(title="Essentials", pass_mark=80, articles=[article])
    assert created[0].changes["articles"] == {"before": None, "after": [article.slug]}
    assert created[0].changes["version"] == {"before": None, "after": 1}
    assert created[0].changes["pass_mark"] == {"before": None, "after": 80}

    with _one_event(AuditAction.MODULE_EDIT) as edited:
        module = services.module_save(
            actor=None,
            module=module,
            slug=module.slug,
            title="Essentials",
            summary=module.summary,
            pass_mark=60,
            articles=list(module.articles.all()),
            questions=questions(),
        )
    assert edited[0].changes == {
        "pass_mark": {"before": 80, "after": 60},
        "version": {"before": 1, "after": 2},
    }

    check = _no_event()
    services.module_set_questions(module=module, actor=None, questions=questions())
    check()
    with _one_event(AuditAction.MODULE_SET_QUESTIONS) as replaced:
        module = services.module_set_questions(module=module, actor=None, questions=questions(3))
    assert replaced[0].changes == {"version": {"before": 2, "after": 3}}

    question = module.questions.first()
    assert question is not None
    question.explanation = "Reworded."
    question.save()
    with _one_event(AuditAction.MODULE_EDIT_EXPLANATIONS):
        services.module_refresh_version(module=module, actor=None)
    assert Module.objects.get(pk=module.pk).version == 3

    with _one_event(AuditAction.MODULE_REQUIRE) as required:
        requirement = services.required_module_designate(
            actor=supervisor, module=module, business_type="online_seller"
        )
    assert required[0].detail == {"business_type": "online_seller"}
    assert required[0].actor == supervisor
    check = _no_event()
    services.required_module_designate(
        actor=supervisor, module=module, business_type="online_seller"
    )
    check()
    with _one_event(AuditAction.MODULE_UNREQUIRE):
        services.required_module_remove(actor=supervisor, requirement=requirement)
    assert not RequiredModule.objects.exists()


def test_quiz_attempts_are_events_about_the_users_organisation() -> None:
    module = ModuleFactory(pass_mark=80)
    membership = MembershipFactory()
    user = membership.user

    with _one_event(AuditAction.QUIZ_SUBMIT) as failed:
        attempt = services.quiz_attempt_submit(
            user=user, module=module, version=module.version, answers=answers_for(module, correct=1)
        )
    event = failed[0]
    assert (event.target_type, event.target_id) == ("education.quizattempt", str(attempt.pk))
    assert event.organisation_id == membership.organisation_id
    assert event.actor == user
    assert event.internal  # a failed score is not shown to colleagues
    assert event.detail["score"] == 20

    with _one_event(AuditAction.MODULE_COMPLETE) as passed:
        services.quiz_attempt_submit(
            user=user, module=module, version=module.version, answers=answers_for(module, correct=5)
        )
    completion = Completion.objects.get(user=user)
    event = passed[0]
    assert (event.target_type, event.target_id) == ("education.completion", str(completion.pk))
    assert event.detail["certificate_number"] == completion.certificate_number
    assert not event.internal
    visible = AuditEvent.objects.for_organisation(membership.organisation_id).visible_to_members()
    assert list(visible) == [event]

    # A retake after passing is an attempt, not a second completion.
    with _one_event(AuditAction.QUIZ_SUBMIT):
        services.quiz_attempt_submit(
            user=user, module=module, version=module.version, answers=answers_for(module, correct=5)
        )


def test_a_user_without_an_organisation_is_the_subject_of_their_own_events() -> None:
    module = ModuleFactory()
    user = UserFactory()
    with _one_event(AuditAction.MODULE_COMPLETE) as found:
        services.quiz_attempt_submit(
            user=user, module=module, version=module.version, answers=answers_for(module, correct=5)
        )
    assert found[0].organisation_id is None
    assert found[0].actor == user


def test_the_chain_verifies_after_education_work(editor: Any) -> None:
    article = ArticleFactory(actor=editor, status=Article.Status.PUBLISHED)
    services.article_archive(article=article, actor=editor)
    module = ModuleFactory()
    services.quiz_attempt_submit(
        user=UserFactory(),
        module=module,
        version=module.version,
        answers=answers_for(module, correct=5),
    )
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "verified" in out.getvalue()
