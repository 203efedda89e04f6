"""The review-due reminder: sent once per review cycle to content editors."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail

from core.models import AuditEvent
from education import services
from education.models import Article, ReviewReminder
from education.tasks import remind_review_due
from tests.education.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _run(capture: Any) -> int:
    # E-mail is queued in the transaction and delivered after commit.
    with capture(execute=True):
        return int(remind_review_due.delay().get())


@pytest.fixture
def articles() -> dict[str, Article]:
    return {
        "old": ArticleFactory(
            title="Old", last_reviewed=datetime.date(2020, 1, 1), status=Article.Status.PUBLISHED
        ),
        "fresh": ArticleFactory(
            title="Fresh", last_reviewed=datetime.date.today(), status=Article.Status.PUBLISHED
        ),
        "old_draft": ArticleFactory(
            title="Old draft", last_reviewed=datetime.date(2020, 1, 1), status=Article.Status.DRAFT
        ),
    }


def test_reminder_is_sent_once_per_cycle(
    articles: dict[str, Article],
    editor: Any,
    second_editor: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert _run(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([editor.email, second_editor.email])
    assert "Old (last reviewed 1 January 2020)" in message.body
    assert "Fresh" not in message.body
    assert "Old draft" not in message.body
    reminder = AuditEvent.objects.get(action="article.review_reminder")
    assert (reminder.target_id, reminder.actor_kind) == (str(articles["old"].pk), "system")
    assert reminder.reason == "Last reviewed 2020-01-01"

    # Running again in the same cycle sends nothing.
    assert _run(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert ReviewReminder.objects.count() == 1

    # Marking it reviewed starts a new cycle; when that one is due, one more reminder.
    services.article_mark_reviewed(
        article=articles["old"], actor=editor, on=datetime.date(2021, 6, 1)
    )
    assert _run(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 2
    assert ReviewReminder.objects.count() == 2


def test_the_interval_is_a_setting(
    articles: dict[str, Article],
    editor: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EDUCATION_REVIEW_INTERVAL_DAYS = 365 * 100
    assert _run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_nothing_is_recorded_without_editors(
    articles: dict[str, Article], django_capture_on_commit_callbacks: Any
) -> None:
    assert _run(django_capture_on_commit_callbacks) == 0
    assert not ReviewReminder.objects.exists()
