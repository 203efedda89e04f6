"""Consequences for the known-shipper standing, reinstatement, and the compliance record the
vetting engine reads."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from enforcement import services
from enforcement.models import Case, Deadline
from enforcement.selectors import CaseSummary, compliance_record
from enforcement.tasks import consequences_sweep
from shippers.models import Application
from tests.enforcement.factories import (
    approved_respondent,
    case_at,
    events,
    move_deadline,
    officer,
    open_case,
    reply_period_ends,
    respondent,
)
from tests.shippers.factories import application_events

pytestmark = pytest.mark.django_db
S = Case.Status
A = Application.Status
D = Deadline.Kind

FRAUD_FACTS = {"loss_of_revenue": Decimal("10000"), "domestic_value": Decimal("100000")}


def today():  # type: ignore[no-untyped-def]
    return timezone.localdate()


def fraud_decided(staff, organisation):  # type: ignore[no-untyped-def]
    """A fraud case decided at 60,000 (range 5x-8x of 10,000 = 50,000-80,000)."""
    case = open_case(actor=staff, organisation=organisation, culpability="fraud", facts=FRAUD_FACTS)
    services.case_start_investigation(actor=staff, case=case)
    services.case_issue_prepenalty_notice(actor=staff, case=case, amount="60000")
    reply_period_ends(case, actor=staff)
    services.case_issue_penalty_notice(
        actor=staff, case=case, amount="49000", departure_reason="Below the approval amount."
    )
    services.case_decide(
        actor=staff,
        case=case,
        amount="49000",
        departure_reason="Ability to pay.",
        reasoning="Fraud.",
    )
    return Case.objects.get(pk=case.pk)


def test_a_fraud_finding_is_final_after_the_supplemental_period_and_then_suspends(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    staff = officer()
    member, organisation, application = approved_respondent(staff)
    case = fraud_decided(staff, organisation)
    # While a supplemental petition is still possible the finding is not final.
    assert consequences_sweep() == 0
    application.refresh_from_db()
    assert application.status == A.APPROVED

    move_deadline(case, D.SUPPLEMENTAL_PETITION, today() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert consequences_sweep() == 1
    application.refresh_from_db()
    assert application.status == A.SUSPENDED
    suspension = application_events(application, "suspend").get()
    assert suspension.actor is None
    assert suspension.detail["source"] == f"enforcement:{case.number}"
    assert "Final fraud finding" in suspension.reason
    # The organisation's members are told (by the shippers app).
    assert any("suspended" in m.subject and member.email in m.to for m in mail.outbox)
    case.refresh_from_db()
    assert case.suspended_application == application
    assert events(case).filter(action="case.suspension").count() == 1
    # Once only.
    assert consequences_sweep() == 0
    assert application_events(application, "suspend").count() == 1


def test_a_fraud_finding_on_a_supplemental_petition_suspends_at_once() -> None:
    staff = officer()
    member, organisation, application = approved_respondent(staff)
    case = fraud_decided(staff, organisation)
    services.case_file_supplemental_petition(actor=member, case=case, text="Reconsider.")
    services.case_decide(
        actor=staff,
        case=case,
        amount="45000",
        reasoning="Fraud confirmed.",
        departure_reason="Ability to pay.",
    )
    application.refresh_from_db()
    assert application.status == A.SUSPENDED


def test_a_decided_penalty_unpaid_30_days_past_due_suspends_once() -> None:
    staff = officer()
    _, organisation, application = approved_respondent(staff)
    case = case_at("decided", actor=staff, organisation=organisation)
    move_deadline(case, D.PAYMENT, today() - timedelta(days=30))
    assert consequences_sweep() == 0  # exactly 30 days: not yet
    move_deadline(case, D.PAYMENT, today() - timedelta(days=31))
    assert consequences_sweep() == 1
    application.refresh_from_db()
    assert application.status == A.SUSPENDED
    assert "unpaid 30 days" in application_events(application, "suspend").get().reason
    assert consequences_sweep() == 0


def test_a_reported_payment_awaiting_confirmation_holds_the_suspension() -> None:
    staff = officer()
    member, organisation, application = approved_respondent(staff)
    case = case_at("decided", actor=staff, organisation=organisation)
    services.case_record_payment(
        actor=member, case=case, amount="8000", reference="SWIFT-1", paid_on=today()
    )
    move_deadline(case, D.PAYMENT, today() - timedelta(days=40))
    assert consequences_sweep() == 0
    application.refresh_from_db()
    assert application.status == A.APPROVED


def test_nothing_to_suspend_is_recorded_on_the_case() -> None:
    staff = officer()
    _, organisation = respondent()  # no approved application
    case = case_at("decided", actor=staff, organisation=organisation)
    move_deadline(case, D.PAYMENT, today() - timedelta(days=31))
    assert consequences_sweep() == 1
    case.refresh_from_db()
    assert case.suspension_outcome.startswith("Nothing suspended")
    assert case.suspended_application is None
    assert events(case).filter(action="case.suspension_not_applied").count() == 1
    assert consequences_sweep() == 0


def test_an_already_suspended_standing_is_left_and_noted() -> None:
    staff = officer()
    _, organisation, application = approved_respondent(staff)
    from shippers import services as shipper_services

    shipper_services.application_suspend(actor=staff, application=application, reason="Seals")
    case = case_at("decided", actor=staff, organisation=organisation)
    move_deadline(case, D.PAYMENT, today() - timedelta(days=31))
    services.case_apply_consequences(case_id=case.pk)
    case.refresh_from_db()
    assert "is suspended" in case.suspension_outcome
    assert case.suspended_application is None


def test_paying_lets_an_officer_reinstate() -> None:
    staff = officer()
    _member, organisation, application = approved_respondent(staff)
    case = case_at("decided", actor=staff, organisation=organisation)
    move_deadline(case, D.PAYMENT, today() - timedelta(days=31))
    consequences_sweep()
    case.refresh_from_db()
    assert not services.can_reinstate_shipper(case=case)
    with pytest.raises(ValidationError, match="follows payment or closure"):
        services.case_reinstate_shipper(actor=staff, case=case, reason="Early")
    services.case_record_payment(
        actor=staff, case=case, amount="8000", reference="WIRE-9", paid_on=today()
    )
    case.refresh_from_db()
    assert case.status == S.PAID
    assert services.can_reinstate_shipper(case=case)
    services.case_reinstate_shipper(actor=staff, case=case, reason="Penalty paid in full.")
    application.refresh_from_db()
    assert application.status == A.REINSTATED
    assert events(case).filter(action="case.shipper_reinstated").exists()
    case.refresh_from_db()
    assert not services.can_reinstate_shipper(case=case)


def test_compliance_record_reads_cases_of_the_last_three_years() -> None:
    staff = officer()
    _, organisation = respondent()
    _, other = respondent()
    since = today() - timedelta(days=3 * 365)
    recent = case_at("decided", actor=staff, organisation=organisation)
    old = open_case(actor=staff, organisation=organisation)
    Case.objects.filter(pk=old.pk).update(opened_at=timezone.now() - timedelta(days=4 * 365))
    dropped = open_case(actor=staff, organisation=organisation)
    services.case_cancel(actor=staff, case=dropped, reason="Opened in error.")
    fraud = open_case(actor=staff, organisation=other, culpability="fraud", facts=FRAUD_FACTS)

    record = compliance_record(organisation_ids=[organisation.pk, other.pk], since=since)
    assert [summary.case_number for summary in record] == [recent.number, fraud.number]
    first = record[0]
    assert isinstance(first, CaseSummary)
    assert first.organisation_id == organisation.pk
    assert first.violation_type == "1592"
    assert first.status == S.DECIDED
    assert first.culpability == "negligence"
    assert first.final_penalty_amount == Decimal("8000.00")
    assert first.is_serious is False  # negligence, single case, no prior violations
    assert record[1].is_serious is True  # fraud
    assert record[1].final_penalty_amount is None  # not decided yet
    assert compliance_record(organisation_ids=[], since=since) == []


def test_compliance_record_flags_repeated_violations_as_serious() -> None:
    staff = officer()
    _, organisation = respondent()
    open_case(actor=staff, organisation=organisation)
    open_case(actor=staff, organisation=organisation)
    record = compliance_record(
        organisation_ids=[organisation.pk], since=today() - timedelta(days=3 * 365)
    )
    assert len(record) == 2
    assert all(summary.is_serious for summary in record)


def test_a_payment_period_closed_by_a_supplemental_petition_never_suspends() -> None:
    """The first decision's payment period ends when a supplemental petition is filed; after
    the decision on it, only the new period counts, however old the closed one is."""
    staff = officer()
    member, organisation, application = approved_respondent(staff)
    case = case_at("decided", actor=staff, organisation=organisation)
    move_deadline(case, D.PAYMENT, today() - timedelta(days=45))
    services.case_file_supplemental_petition(actor=member, case=case, text="Reconsider.")
    services.case_decide(actor=staff, case=case, amount="7000", reasoning="Reconsidered.")
    case.refresh_from_db()
    closed = case.deadlines.get(kind=D.PAYMENT, closed_at__isnull=False)
    assert closed.met_at is None
    assert closed.due_on < today() - timedelta(days=30)
    assert consequences_sweep() == 0
    application.refresh_from_db()
    assert application.status == A.APPROVED
    case.refresh_from_db()
    assert case.suspension_checked_at is None
