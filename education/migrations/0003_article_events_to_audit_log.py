"""Move the article timeline (`ArticleEvent`) into the one audit log (`core.AuditEvent`),
keeping its history: kind -> action, from/to status -> changes["status"], note -> reason,
detail kept, staff-only (internal). Appended after the current head of the chain, oldest
first. The old table is dropped by the next migration.

The event table cannot be emptied (the log is append-only), so going back leaves the moved
events in the log and the old table empty."""

from django.db import migrations

from core.chain import append_in_migration

# Frozen here: the action names at the time of the move.
ACTIONS = {
    "created": "article.create",
    "edited": "article.edit",
    "submitted": "article.submit",
    "returned": "article.return_to_draft",
    "published": "article.publish",
    "archived": "article.archive",
    "restored": "article.restore",
    "reviewed": "article.mark_reviewed",
    "review_reminder": "article.review_reminder",
}


def _rows(apps):
    article_event = apps.get_model("education", "ArticleEvent")
    events = article_event.objects.select_related("article", "actor").order_by("created_at", "id")
    for event in events.iterator():
        changes = {}
        if event.from_status or event.to_status:
            changes["status"] = {
                "before": event.from_status or None,
                "after": event.to_status or None,
            }
        yield {
            "at": event.created_at,
            "actor_id": event.actor_id,
            "actor_kind": "user" if event.actor_id else "system",
            "actor_label": (event.actor.email or "")[:254] if event.actor_id else "",
            "action": ACTIONS.get(event.kind, f"article.{event.kind}"),
            "target_type": "education.article",
            "target_id": str(event.article_id),
            "target_label": event.article.title[:200],
            "changes": changes,
            "reason": event.note,
            "detail": event.detail or {},
            "internal": True,
        }


def forwards(apps, schema_editor):
    append_in_migration(apps, _rows(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_append_only"),
        ("education", "0002_roles_and_audiences"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
