"""Migration 0003 moves the old article timeline into the audit log, keeping its history."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from core.audit import audit_record
from core.models import AuditEvent

BEFORE = [("education", "0002_roles_and_audiences")]
AFTER = [("education", "0004_delete_articleevent")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_article_events_move_into_the_audit_log_with_their_history() -> None:
    with transaction.atomic():
        earlier = audit_record(action="test.before", target_type="auth.group", target_id=1)
    old_apps = _migrate(BEFORE)
    try:
        user_model = old_apps.get_model("accounts", "User")
        article_model = old_apps.get_model("education", "Article")
        event_model = old_apps.get_model("education", "ArticleEvent")
        editor = user_model.objects.create(email="editor@example.gov", password="!")
        article = article_model.objects.create(
            slug="bonds", title="Customs bonds", summary="s", body="b", status="published"
        )
        start = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
        rows = [
            ("created", editor.pk, "", "draft", "first draft", {"revision": 1}),
            ("submitted", editor.pk, "draft", "in_review", "", {}),
            ("published", None, "in_review", "published", "loader", {}),
            ("review_reminder", None, "", "", "Last reviewed 2025-01-01", {"recipients": 2}),
        ]
        for hours, (kind, actor_id, from_status, to_status, note, detail) in enumerate(rows):
            event = event_model.objects.create(
                article=article,
                kind=kind,
                actor_id=actor_id,
                from_status=from_status,
                to_status=to_status,
                note=note,
                detail=detail,
            )
            # Stored out of order: the move must follow the time they happened.
            event_model.objects.filter(pk=event.pk).update(
                created_at=start + datetime.timedelta(hours=len(rows) - hours)
            )
    finally:
        _migrate(AFTER)

    moved = list(
        AuditEvent.objects.filter(target_type="education.article", target_id=str(article.pk))
        .order_by("pk")
        .values_list("action", "actor_id", "actor_label", "changes", "reason", "detail")
    )
    # Appended in the order they happened, not the order they were stored.
    assert moved == [
        ("article.review_reminder", None, "", {}, "Last reviewed 2025-01-01", {"recipients": 2}),
        (
            "article.publish",
            None,
            "",
            {"status": {"before": "in_review", "after": "published"}},
            "loader",
            {},
        ),
        (
            "article.submit",
            editor.pk,
            "editor@example.gov",
            {"status": {"before": "draft", "after": "in_review"}},
            "",
            {},
        ),
        (
            "article.create",
            editor.pk,
            "editor@example.gov",
            {"status": {"before": None, "after": "draft"}},
            "first draft",
            {"revision": 1},
        ),
    ]
    events = AuditEvent.objects.filter(target_id=str(article.pk), target_type="education.article")
    assert {event.internal for event in events} == {True}
    assert {event.target_label for event in events} == {"Customs bonds"}
    first = events.order_by("pk").first()
    assert first is not None
    assert first.previous_hash == AuditEvent.objects.get(pk=earlier.pk).hash
    assert first.at == start + datetime.timedelta(hours=1)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "verified: 5 events" in out.getvalue()
