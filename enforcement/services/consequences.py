"""Consequences of a case for the respondent's known-shipper standing: a final fraud finding,
or a decided penalty unpaid long after it fell due, suspends the standing once; after
payment or closure an officer reinstates it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.workflow import TransitionNotAllowed
from enforcement.events import AuditAction
from enforcement.models import ZERO, Case, Culpability, Deadline, Payment, ViolationType
from enforcement.services._common import locked, officer_kind, record, unpaid_suspension_days
from shippers import services as shipper_services
from shippers.models import Application

# Applications refuse a transition with core.workflow's one error.
APPLICATION_REFUSALS: tuple[type[Exception], ...] = (TransitionNotAllowed,)

S = Case.Status
D = Deadline.Kind

DECIDED_STATUSES = frozenset({S.DECIDED, S.PAID, S.CLOSED, S.REFERRED_FOR_COLLECTION})


def _consequence(case: Case, today: date) -> str:
    """Why the case now suspends the respondent's standing ("" when it does not)."""
    fraud = (
        case.violation_type == ViolationType.SECTION_1592 and case.culpability == Culpability.FRAUD
    )
    if fraud and case.decided_at is not None and case.status in DECIDED_STATUSES:
        supplemental_window_open = (
            case.deadlines.open().filter(kind=D.SUPPLEMENTAL_PETITION, due_on__gte=today).exists()
        )
        final = case.status != S.DECIDED or not supplemental_window_open
        if final:
            return f"Final fraud finding in penalty case {case.number}."
    if case.status in {S.DECIDED, S.REFERRED_FOR_COLLECTION} and (case.amount_due or ZERO) > ZERO:
        limit = today - timedelta(days=unpaid_suspension_days())
        # Only the running payment period: one closed by a supplemental petition is not owed.
        overdue = case.deadlines.overdue(on=limit).filter(kind=D.PAYMENT)
        waiting = case.payments.filter(status=Payment.Status.REPORTED).exists()
        payment = overdue.order_by("-due_on").first()
        if payment is not None and not waiting:
            return (
                f"The penalty decided in case {case.number} was due on "
                f"{payment.due_on:%-d %B %Y} and is unpaid {unpaid_suspension_days()} days later."
            )
    return ""


def apply_consequences(case: Case) -> str:
    """Suspend the respondent's known-shipper standing once, when the case calls for it.
    Call with the case locked, inside the caller's transaction. Returns the outcome recorded
    ("" when nothing applies)."""
    if case.suspension_checked_at is not None:
        return ""
    reason = _consequence(case, timezone.localdate())
    if not reason:
        return ""
    standing = (
        shipper_services.organisation_current_standing(organisation=case.organisation)
        if case.organisation is not None
        else None
    )
    detail: dict[str, Any] = {"reason": reason}
    if case.organisation is None:
        outcome = "Nothing suspended: the respondent is not a registered organisation."
    elif standing is None:
        outcome = "Nothing suspended: the organisation holds no known-shipper standing."
    else:
        try:
            shipper_services.application_suspend(
                actor=None,
                application=standing,
                reason=reason,
                source=f"enforcement:{case.number}",
            )
        except APPLICATION_REFUSALS:
            outcome = (
                f"Nothing suspended: application {standing.reference} is "
                f"{standing.get_status_display().lower()}."
            )
        else:
            case.suspended_application = standing
            outcome = f"Suspended the known-shipper standing ({standing.reference})."
        detail["application"] = standing.reference
    case.suspension_checked_at = timezone.now()
    case.suspension_outcome = outcome
    case.save(
        update_fields=["suspension_checked_at", "suspension_outcome", "suspended_application"]
    )
    record(
        case,
        AuditAction.SUSPENSION
        if case.suspended_application_id
        else AuditAction.SUSPENSION_NOT_APPLIED,
        actor=None,
        reason=reason,
        detail={**detail, "outcome": outcome},
    )
    return outcome


def case_apply_consequences(*, case_id: int) -> str:
    """System (daily sweep and decisions): apply the case's consequences once. Idempotent."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        return apply_consequences(case)


def case_reinstate_shipper(*, actor: User, case: Case, reason: str) -> Case:
    """After payment or closure an officer reinstates the standing the case suspended."""
    officer_kind(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the suspension ends."})
    with transaction.atomic():
        case = locked(case)
        if case.status not in {S.PAID, S.CLOSED}:
            raise ValidationError("Reinstatement follows payment or closure of the case.")
        application = case.suspended_application
        if application is None or application.status != Application.Status.SUSPENDED:
            raise ValidationError("This case has no suspended standing to reinstate.")
        shipper_services.application_reinstate(
            actor=actor, application=application, reason=reason.strip()
        )
        record(
            case,
            AuditAction.SHIPPER_REINSTATED,
            actor=actor,
            reason=reason.strip(),
            detail={"application": application.reference},
        )
    return case


def can_reinstate_shipper(*, case: Case) -> bool:
    application = case.suspended_application
    return (
        case.status in {S.PAID, S.CLOSED}
        and application is not None
        and application.status == Application.Status.SUSPENDED
    )
