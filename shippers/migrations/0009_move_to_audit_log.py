"""Data: approvals pending in the JSON field become `ApprovalProposal` rows, and every
application's timeline (`ApplicationEvent`) moves into the one audit log (`core.AuditEvent`),
in time order, keeping actor, reason, detail and who may see it."""

from datetime import date, datetime

from django.db import migrations

from core.chain import append_in_migration


def move_pending_approvals(apps, schema_editor):
    application_model = apps.get_model("shippers", "Application")
    proposal_model = apps.get_model("shippers", "ApprovalProposal")
    user_model = apps.get_model("accounts", "User")
    for application in application_model.objects.filter(pending_approval__isnull=False):
        pending = application.pending_approval or {}
        if not pending.get("tier") or not pending.get("valid_to"):
            continue
        proposer = None
        if pending.get("proposed_by_id"):
            proposer = user_model.objects.filter(pk=pending["proposed_by_id"]).first()
        if proposer is None and pending.get("proposed_by"):
            proposer = user_model.objects.filter(email__iexact=pending["proposed_by"]).first()
        if proposer is None:
            continue
        proposed_at = pending.get("proposed_at")
        proposal_model.objects.create(
            application=application,
            proposed_by=proposer,
            proposed_at=datetime.fromisoformat(proposed_at) if proposed_at else application.created_at,
            tier=int(pending["tier"]),
            valid_to=date.fromisoformat(pending["valid_to"]),
            status="proposed",
        )


def _label(application):
    return f"KSA-{application.pk:06d} ({application.organisation.legal_name})"[:200]


def move_timelines(apps, schema_editor):
    event_model = apps.get_model("shippers", "ApplicationEvent")
    events = event_model.objects.select_related("application__organisation", "actor").order_by(
        "at", "pk"
    )

    def rows():
        for event in events.iterator(chunk_size=2000):
            changes = {}
            if event.from_status or event.to_status:
                changes["status"] = {
                    "before": event.from_status or None,
                    "after": event.to_status or None,
                }
            yield {
                "at": event.at,
                "actor_id": event.actor_id,
                "actor_label": (event.actor.email if event.actor else "")[:254],
                "action": f"application.{event.kind}"[:64],
                "target_type": "shippers.application",
                "target_id": str(event.application_id),
                "target_label": _label(event.application),
                "organisation_id": event.application.organisation_id,
                "changes": changes,
                "reason": event.reason,
                "detail": event.detail or {},
                "internal": not event.visible_to_shipper,
            }

    append_in_migration(apps, rows())


class Migration(migrations.Migration):
    dependencies = [
        ("shippers", "0008_approvalproposal"),
        ("core", "0002_append_only"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_pending_approvals, migrations.RunPython.noop),
        # The audit log is append-only: going back leaves the moved events where they are.
        migrations.RunPython(move_timelines, migrations.RunPython.noop),
    ]
