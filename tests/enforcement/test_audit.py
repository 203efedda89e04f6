"""The case's history is the audit log: every state-changing enforcement service writes
exactly one `core.AuditEvent` in its transaction; the respondent's timeline never shows an
internal event; the officer's timeline reads as labels and values; the chain holds."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from core.models import AuditEvent
from enforcement import selectors, services
from enforcement.events import ACTION_LABELS, AuditAction
from enforcement.models import Case, Deadline
from tests.enforcement.factories import (
    events,
    move_deadline,
    officer,
    open_case,
    pdf,
    respondent,
    supervisor,
)
from tests.enforcement.test_admin import staff_client

pytestmark = pytest.mark.django_db
S = Case.Status
D = Deadline.Kind


def one_event(run: Callable[[], Any], action: str) -> Any:
    """Run a service; exactly one audit event is written, with this action."""
    before = AuditEvent.objects.count()
    result = run()
    new = list(AuditEvent.objects.order_by("pk")[before:])
    assert [event.action for event in new] == [action]
    return result


def test_every_service_on_the_path_writes_exactly_one_event(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ENFORCEMENT_SUPERVISOR_APPROVAL_ABOVE = "10000.00"
    staff, boss = officer(), supervisor()
    member, organisation = respondent()
    case = one_event(lambda: open_case(actor=staff, organisation=organisation), AuditAction.OPENED)
    one_event(lambda: services.case_assign(actor=staff, case=case, officer=boss), "case.assigned")
    one_event(
        lambda: services.case_add_note(actor=staff, case=case, text="Call the broker."),
        "case.note_added",
    )
    one_event(
        lambda: services.case_add_evidence(actor=staff, case=case, upload=pdf()),
        "case.evidence_added",
    )
    one_event(
        lambda: services.case_update_facts(actor=staff, case=case, changes={"prior_violations": 1}),
        "case.facts_updated",
    )
    one_event(
        lambda: services.case_start_investigation(actor=staff, case=case),
        "case.start_investigation",
    )
    one_event(
        lambda: services.case_propose_amount(actor=staff, case=case, amount="15000"),
        "case.amount_proposed",
    )
    one_event(
        lambda: services.case_issue_prepenalty_notice(actor=staff, case=case),
        "case.issue_prepenalty_notice",
    )
    move_deadline(case, D.PREPENALTY_RESPONSE, timezone.localdate() - timezone.timedelta(days=1))
    one_event(
        lambda: services.case_record_reply_determination(
            actor=staff, case=case, outcome="penalty_warranted", determination="No reply."
        ),
        "case.reply_determination",
    )
    approval = one_event(
        lambda: services.case_issue_penalty_notice(
            actor=staff, case=case, amount="18000", departure_reason="Repeated."
        ),
        "case.penalty_notice_approval_requested",
    )
    one_event(
        lambda: services.case_reject_penalty_notice(actor=boss, approval=approval, reason="No."),
        "case.penalty_notice_approval_rejected",
    )
    approval = services.case_issue_penalty_notice(
        actor=staff, case=case, amount="18000", departure_reason="Repeated."
    )
    one_event(
        lambda: services.case_approve_penalty_notice(actor=boss, approval=approval),
        "case.issue_penalty_notice",
    )
    deadline = case.deadlines.open().get(kind=D.PETITION)
    one_event(
        lambda: services.case_extend_deadline(
            actor=staff,
            deadline=deadline,
            new_due_on=deadline.due_on + timezone.timedelta(days=10),
            reason="Asked in time.",
        ),
        "case.deadline_extended",
    )
    one_event(
        lambda: services.case_file_petition(actor=member, case=case, text="Relief, please."),
        "case.file_petition",
    )
    one_event(
        lambda: services.case_decide(
            actor=staff, case=case, amount="16000", reasoning="Mitigated.", departure_reason="x"
        ),
        "case.decide",
    )
    reported = one_event(
        lambda: services.case_record_payment(
            actor=member, case=case, amount="6000", reference="W-1", paid_on=timezone.localdate()
        ),
        "case.payment_reported",
    )
    one_event(
        lambda: services.case_review_payment(actor=staff, payment=reported, received=True),
        "case.payment_confirmed",
    )
    one_event(
        lambda: services.case_record_payment(
            actor=staff, case=case, amount="10000", reference="W-2", paid_on=timezone.localdate()
        ),
        "case.payment_recorded",
    )
    case.refresh_from_db()
    assert case.status == S.PAID
    one_event(lambda: services.case_close(actor=staff, case=case), "case.close")

    history = list(events(case))
    paid = [e for e in history if e.to_status == S.PAID]
    assert [(e.action, e.from_status, e.changes["collected_amount"]["after"]) for e in paid] == [
        ("case.payment_recorded", S.DECIDED, "16000.00")
    ]
    assert {e.organisation_id for e in history} == {organisation.pk}
    petition = next(e for e in history if e.action == "case.file_petition")
    assert (petition.actor, petition.acting_for_id) == (member, organisation.pk)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert f"verified: {AuditEvent.objects.count()} events" in out.getvalue()


def test_a_refused_action_writes_no_event() -> None:
    staff = officer()
    case = open_case(actor=staff)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.case_withdraw(actor=staff, case=case, reason="")
    with pytest.raises(ValidationError):
        services.case_add_note(actor=staff, case=case, text=" ")
    assert AuditEvent.objects.count() == before


def test_ending_a_case_closes_a_waiting_approval_in_the_same_event() -> None:
    staff = officer()
    case = open_case(actor=staff, violation_type="1526f", facts={"msrp_genuine": Decimal("9e5")})
    services.case_start_investigation(actor=staff, case=case)
    approval = services.case_issue_penalty_notice(
        actor=staff, case=case, amount="60000", departure_reason="No guideline."
    )
    one_event(
        lambda: services.case_withdraw(actor=staff, case=case, reason="Goods released."),
        "case.withdraw",
    )
    approval.refresh_from_db()
    assert (approval.status, approval.decision_reason) == ("rejected", "The case was withdraw.")
    assert events(case).get(action="case.withdraw").detail["lapsed_approval"] == ["60000.00"]


def test_the_respondent_timeline_never_shows_internal_events(client: Client) -> None:
    staff = officer()
    member, organisation = respondent()
    case = open_case(actor=staff, organisation=organisation)
    services.case_add_note(actor=staff, case=case, text="Informant: do not disclose.")
    services.case_start_investigation(actor=staff, case=case)
    services.case_issue_prepenalty_notice(actor=staff, case=case, amount="15000")
    visible = selectors.timeline(case=case, for_respondent=True)
    everything = selectors.timeline(case=case, for_respondent=False)
    assert [entry.label for entry in visible] == ["Case opened", "Pre-penalty notice issued"]
    assert {"Internal note", "Investigation started"} <= {entry.label for entry in everything}
    assert all(not entry.internal for entry in visible)
    client.force_login(member)
    page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert "Pre-penalty notice issued" in page
    assert "Informant" not in page
    assert "Internal note" not in page


def test_the_officer_timeline_reads_as_labels_and_values(client: Client) -> None:
    staff = staff_client(client)
    _, organisation = respondent()
    case = open_case(actor=staff, organisation=organisation)
    services.case_start_investigation(actor=staff, case=case)
    services.case_issue_prepenalty_notice(actor=staff, case=case, amount="15000")
    page = client.get(f"/admin/enforcement/case/{case.pk}/change/").content.decode()
    assert "Investigation started (internal)" in page
    assert "Opened &rarr; Investigating" in page
    assert "Amount: USD 15,000.00" in page
    assert "Reply due: " in page
    assert "{&#x27;" not in page  # no raw dictionaries
    assert "{'" not in page
    entry = selectors.timeline(case=case, for_respondent=False)[-1]
    assert entry.to_status_label == "Pre-penalty notice issued"
    assert ("Amount", "USD 15,000.00") in entry.details


def test_every_action_has_a_label() -> None:
    assert set(AuditAction) <= set(ACTION_LABELS)
