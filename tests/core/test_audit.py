"""The audit log: one event per change, append-only in the database, a verifiable chain."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from core.audit import audit_record, diff
from core.chain import GENESIS
from core.models import AuditEvent
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _record(**kwargs):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return audit_record(**kwargs)


def test_an_event_records_actor_target_changes_and_chains_to_the_previous_one() -> None:
    user = UserFactory(email="officer@example.gov")
    group = Group.objects.create(name="audited")
    first = _record(
        action="test.created", target=group, actor=user, organisation_id=7, reason="why"
    )
    second = _record(
        action="test.renamed",
        target=group,
        changes=diff({"name": "a"}, {"name": "b"}),
        internal=True,
    )
    first.refresh_from_db()
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash
    assert first.actor == user
    assert first.actor_label == "officer@example.gov"
    assert first.actor_kind == "user"
    assert second.actor_kind == "system"
    assert (first.target_type, first.target_id, first.organisation_id) == (
        "auth.group",
        str(group.pk),
        7,
    )
    assert second.changes == {"name": {"before": "a", "after": "b"}}
    assert list(AuditEvent.objects.for_target(group)) == [first, second]
    assert list(AuditEvent.objects.for_target(group).visible_to_members()) == [first]


def test_the_model_refuses_to_save_an_existing_event() -> None:
    event = _record(action="test.x", target_type="auth.group", target_id=1)
    event.reason = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete() -> None:
    event = _record(action="test.x", target_type="auth.group", target_id=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.reason == ""


def test_audit_verify_passes_on_an_intact_chain_and_names_the_first_tampered_row() -> None:
    events = [
        _record(action=f"test.step{i}", target_type="auth.group", target_id=i) for i in range(4)
    ]
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "verified: 4 events" in out.getvalue()

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A database superuser tampering: triggers off for this session.
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        cursor.execute("UPDATE core_auditevent SET reason = 'forged' WHERE id = %s", [events[2].pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}"):
        call_command("audit_verify")


def test_audit_verify_detects_a_removed_row() -> None:
    events = [
        _record(action=f"test.step{i}", target_type="auth.group", target_id=i) for i in range(3)
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A database superuser tampering: triggers off for this session.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}.*previous-hash"):
        call_command("audit_verify")


def test_decimal_and_date_values_hash_the_same_after_reading_back() -> None:
    import datetime
    from decimal import Decimal

    _record(
        action="test.amount",
        target_type="auth.group",
        target_id=1,
        changes={"amount": {"before": Decimal("10.50"), "after": Decimal("20.00")}},
        detail={"due": datetime.date(2026, 12, 1)},
    )
    call_command("audit_verify", stdout=StringIO())
