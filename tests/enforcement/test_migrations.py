"""The case timelines moved into the audit log (migration 0004): every event kept, in time
order, chained after the events already in the log, with its actor, status change, documents,
organisation and visibility; the old table is gone (0005)."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEvent
from enforcement.models import Case
from tests.enforcement.factories import officer, respondent

BEFORE = [("enforcement", "0003_mitigation_guideline_versions")]
AFTER = [("enforcement", "0005_delete_caseevent")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    if targets == AFTER:
        # Forward again to every app's latest migration: going back to BEFORE also undid
        # later migrations of apps that depend on this one.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_case_events_move_into_the_audit_log_in_order_and_the_chain_holds() -> None:
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old_case, old_event = (
        old.get_model("enforcement", "Case"),
        old.get_model("enforcement", "CaseEvent"),
    )
    old_document = old.get_model("enforcement", "CaseDocument")
    staff = officer()
    member, organisation = respondent()
    with transaction.atomic():
        earlier = audit_record(action="test.earlier", target_type="auth.group", target_id=1)
    facts = {
        "violation_type": "1592",
        "culpability": "negligence",
        "summary": "Understated values.",
        "violation_date": date(2024, 1, 1),
        "limitations_date": date(2029, 1, 1),
        "opened_by_id": staff.pk,
    }
    case = old_case.objects.create(
        number="PC-2025-000001", status="petition_filed", organisation_id=organisation.pk, **facts
    )
    party_case = old_case.objects.create(
        number="PC-2025-000002", party_name="Unregistered Exports Co", **facts
    )
    document = old_document.objects.create(
        case=case,
        kind="petition",
        visible_to_respondent=True,
        file="enforcement/2025/01/petition.pdf",
        original_name="petition.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by_id=member.pk,
    )
    start = timezone.now() - timedelta(days=30)

    def event(target, minutes, kind, **fields):  # type: ignore[no-untyped-def]
        return old_event.objects.create(
            case=target, kind=kind, at=start + timedelta(minutes=minutes), **fields
        )

    # Created out of time order: the log follows the time of each event.
    petition = event(
        case,
        40,
        "file_petition",
        actor_id=member.pk,
        from_status="penalty_notice",
        to_status="petition_filed",
        detail={"petition": 7, "documents": 1},
    )
    petition.documents.set([document])
    event(
        case,
        0,
        "opened",
        actor_id=staff.pk,
        to_status="opened",
        detail={"culpability": "negligence"},
    )
    event(party_case, 5, "opened", actor_id=staff.pk, to_status="opened")
    event(
        case,
        10,
        "start_investigation",
        actor_id=staff.pk,
        from_status="opened",
        to_status="investigating",
        visible_to_respondent=False,
    )
    event(case, 20, "note_added", actor_id=staff.pk, visible_to_respondent=False)
    event(case, 30, "deadline_reminder", detail={"due_on": "2025-02-01"})

    _migrate(AFTER)

    moved = list(AuditEvent.objects.filter(action__startswith="case.").order_by("pk"))
    assert [(e.target_id, e.action) for e in moved] == [
        (str(case.pk), "case.opened"),
        (str(party_case.pk), "case.opened"),
        (str(case.pk), "case.start_investigation"),
        (str(case.pk), "case.note_added"),
        (str(case.pk), "case.deadline_reminder"),
        (str(case.pk), "case.file_petition"),
    ]
    assert moved[0].pk > earlier.pk
    assert moved[0].previous_hash == earlier.hash
    timeline = list(
        AuditEvent.objects.filter(target_type="enforcement.case", target_id=str(case.pk)).order_by(
            "at", "pk"
        )
    )
    assert [e.action for e in timeline] == [e.action for e in moved if e.target_id == str(case.pk)]
    opened, investigation, _note, reminder, filed = timeline
    assert (opened.from_status, opened.to_status, opened.actor_id) == ("", "opened", staff.pk)
    assert opened.actor_label == staff.email
    assert opened.detail == {"culpability": "negligence"}
    assert (investigation.from_status, investigation.to_status) == ("opened", "investigating")
    assert [e.internal for e in timeline] == [False, True, True, False, False]
    assert (reminder.actor_id, reminder.actor_kind) == (None, "system")
    assert filed.detail == {"petition": 7, "documents": 1, "document_ids": [document.pk]}
    assert (filed.actor_id, filed.to_status) == (member.pk, "petition_filed")
    assert {e.organisation_id for e in timeline} == {organisation.pk}
    assert moved[1].organisation_id is None
    assert moved[1].target_label == "PC-2025-000002 (Unregistered Exports Co)"
    assert "enforcement_caseevent" not in connection.introspection.table_names()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    # Other apps' migrations re-applied on the way forward may add their own events.
    assert f"verified: {AuditEvent.objects.count()} events" in out.getvalue()


BEFORE_1595A_C = [("enforcement", "0006_prepenalty_reply_and_limitations_rule")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_19_usc_1595a_c_prohibited_goods_cases_become_1595a_b_with_a_visible_note() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_1595A_C)
    old = executor.loader.project_state(BEFORE_1595A_C).apps
    staff = officer()
    _, organisation = respondent()
    case = old.get_model("enforcement", "Case").objects.create(
        number="PC-2025-000009",
        status="investigating",
        organisation_id=organisation.pk,
        violation_type="prohibited",
        summary="Undeclared goods of a prohibited kind.",
        violation_date=date(2024, 1, 1),
        discovery_date=date(2024, 6, 1),
        limitations_date=date(2029, 1, 1),
        opened_by_id=staff.pk,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = Case.objects.get(pk=case.pk)
    assert migrated.violation_type == "1595a_b"
    assert "19 USC 1595a(c)" in migrated.notes.get().text
    event = AuditEvent.objects.for_target(migrated).get(action="case.facts_updated")
    assert event.changes["violation_type"] == {"before": "prohibited", "after": "1595a_b"}
    assert "seizure and forfeiture" in event.reason
    # 19 USC 1621: a 1595a(b) penalty runs five years from the discovery.
    assert migrated.limitations_date == date(2029, 6, 1)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert f"verified: {AuditEvent.objects.count()} events" in out.getvalue()


BEFORE_DE_MINIMIS_DATE = [("enforcement", "0007_legal_corrections")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pub_l_119_21_sec_70531_a_2_de_minimis_cases_before_2025_08_03_get_a_note() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_DE_MINIMIS_DATE)
    old = executor.loader.project_state(BEFORE_DE_MINIMIS_DATE).apps
    staff = officer()
    _, organisation = respondent()
    old_case = old.get_model("enforcement", "Case")
    facts = {
        "status": "investigating",
        "organisation_id": organisation.pk,
        "violation_type": "de_minimis",
        "summary": "Split orders declared under the de minimis limit.",
        "discovery_date": date(2025, 9, 1),
        "limitations_date": date(2030, 9, 1),
        "opened_by_id": staff.pk,
    }
    early = old_case.objects.create(
        number="PC-2025-000011", violation_date=date(2025, 7, 20), **facts
    )
    later = old_case.objects.create(
        number="PC-2025-000012", violation_date=date(2025, 8, 3), **facts
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert "3 August 2025" in Case.objects.get(pk=early.pk).notes.get().text
    assert not Case.objects.get(pk=later.pk).notes.exists()
    event = AuditEvent.objects.for_target(Case.objects.get(pk=early.pk)).get(
        action="case.note_added"
    )
    assert event.internal
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert f"verified: {AuditEvent.objects.count()} events" in out.getvalue()
