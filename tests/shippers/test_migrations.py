"""The data migrations of the move into the audit log: an application's older timeline
(`ApplicationEvent`) and an approval pending in the JSON field survive, in order, with
their actors and who may see them, and the audit chain holds afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import AuditEvent
from shippers.models import Application, ApprovalProposal

pytestmark = pytest.mark.django_db

BEFORE = [("shippers", "0008_approvalproposal")]
# The data moves in 0009-0010; later migrations of shippers run too, so that the current
# models below match the schema.
AFTER = [("shippers", "0012_approval_proposal_override")]


def migrate(targets: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_application_timeline_moves_into_the_audit_log(capsys) -> None:  # type: ignore[no-untyped-def]
    # Schema changes below must not meet deferred foreign-key checks of this transaction.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    apps = migrate(BEFORE)
    user_model = apps.get_model("accounts", "User")
    officer = user_model.objects.create(email="officer@example.org", is_staff=True)
    shipper = user_model.objects.create(email="shipper@example.org")
    organisation = apps.get_model("shippers", "Organisation").objects.create(
        legal_name="Old Timer Ltd", country="GB"
    )
    questionnaire = apps.get_model("shippers", "SecurityQuestionnaire").objects.get(is_current=True)
    application = apps.get_model("shippers", "Application").objects.create(
        organisation=organisation,
        questionnaire=questionnaire,
        created_by=shipper,
        status="under_review",
        risk_level="high",
        pending_approval={
            "tier": 2,
            "valid_to": "2029-05-01",
            "proposed_by": officer.email,
            "proposed_by_id": officer.pk,
            "proposed_at": "2026-11-02T09:30:00+00:00",
        },
    )
    event_model = apps.get_model("shippers", "ApplicationEvent")

    def at(day: int) -> datetime:
        return datetime(2026, 10, day, 12, 0, tzinfo=UTC)

    # Written out of time order: the log keeps the order they happened in.
    event_model.objects.create(
        application=application,
        kind="submit",
        actor=shipper,
        at=at(2),
        from_status="draft",
        to_status="submitted",
    )
    event_model.objects.create(
        application=application, kind="created", actor=shipper, at=at(1), to_status="draft"
    )
    event_model.objects.create(
        application=application,
        kind="assigned",
        actor=officer,
        at=at(3),
        detail={"officer": officer.email},
        visible_to_shipper=False,
    )
    event_model.objects.create(
        application=application,
        kind="complete_vetting",
        at=at(4),
        from_status="vetting",
        to_status="under_review",
        reason="",
        detail={"risk_level": "high"},
    )

    migrate(AFTER)

    current = Application.objects.get(pk=application.pk)
    events = list(AuditEvent.objects.for_target(current))
    assert [e.action for e in events] == [
        "application.created",
        "application.submit",
        "application.assigned",
        "application.complete_vetting",
    ]
    assert [e.actor_id for e in events] == [shipper.pk, shipper.pk, officer.pk, None]
    assert [e.actor_kind for e in events] == ["user", "user", "user", "system"]
    assert [e.internal for e in events] == [False, False, True, False]
    assert events[1].changes == {"status": {"before": "draft", "after": "submitted"}}
    assert events[0].changes == {"status": {"before": None, "after": "draft"}}
    assert events[2].changes == {}
    assert events[2].detail == {"officer": officer.email}
    assert {e.organisation_id for e in events} == {organisation.pk}
    assert events[0].at == at(1)
    assert list(
        AuditEvent.objects.for_organisation(organisation.pk)
        .visible_to_members()
        .order_by("at")
        .values_list("action", flat=True)
    ) == ["application.created", "application.submit", "application.complete_vetting"]

    proposal = ApprovalProposal.objects.get(application=current)
    assert (proposal.status, proposal.tier, proposal.proposed_by_id) == ("proposed", 2, officer.pk)
    assert proposal.valid_to.isoformat() == "2029-05-01"
    assert Application.objects.awaiting_supervisor().get() == current

    call_command("audit_verify")
    assert "Audit chain verified" in capsys.readouterr().out
