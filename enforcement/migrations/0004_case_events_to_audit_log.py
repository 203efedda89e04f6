"""The case timelines move into the one audit log (core.AuditEvent), in time order, chained
after the events already there. Each case event becomes an event "case.<kind>" on the case:
its status change in `changes["status"]`, its documents in `detail["document_ids"]`, hidden
from the respondent as `internal`, concerning the respondent organisation when there is one.

Not reversible: the audit log is append-only (the table of case events comes back empty).
"""

from django.db import migrations

from core.chain import append_in_migration


def _rows(apps):
    case_event = apps.get_model("enforcement", "CaseEvent")
    events = (
        case_event.objects.select_related("case", "case__organisation", "actor")
        .prefetch_related("documents")
        .order_by("at", "pk")
    )
    for event in events.iterator(chunk_size=500):
        case = event.case
        respondent = case.organisation.legal_name if case.organisation_id else case.party_name
        detail = dict(event.detail or {})
        document_ids = sorted(document.pk for document in event.documents.all())
        if document_ids:
            detail["document_ids"] = document_ids
        changes = {}
        if event.from_status or event.to_status:
            changes["status"] = {
                "before": event.from_status or None,
                "after": event.to_status or None,
            }
        yield {
            "at": event.at,
            "actor_id": event.actor_id,
            "actor_label": event.actor.email[:254] if event.actor_id else "",
            "action": f"case.{event.kind}"[:64],
            "target_type": "enforcement.case",
            "target_id": str(case.pk),
            "target_label": f"{case.number} ({respondent})"[:200],
            "organisation_id": case.organisation_id,
            "changes": changes,
            "reason": event.reason,
            "detail": detail,
            "internal": not event.visible_to_respondent,
        }


def forwards(apps, schema_editor):
    append_in_migration(apps, _rows(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_append_only"),
        ("enforcement", "0003_mitigation_guideline_versions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
