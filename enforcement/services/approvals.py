"""A supervisor's approval of a penalty notice above the approval amount (four eyes: never
the officer who asked)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from enforcement import notifications
from enforcement.events import AuditAction
from enforcement.models import Notice, PenaltyNoticeApproval
from enforcement.services._common import locked, officer_kind, record
from enforcement.services.notices import check_penalty_notice, issue_penalty_notice
from enforcement.workflow import APPROVAL


def _require_approver(actor: User) -> None:
    if not actor.has_perm("enforcement.approve_large_penalty"):
        raise PermissionDenied("Only a supervisor can approve a large penalty notice.")


def _locked_pending(approval: PenaltyNoticeApproval) -> PenaltyNoticeApproval:
    approval = APPROVAL.lock(PenaltyNoticeApproval, approval.pk)
    if approval.status != PenaltyNoticeApproval.Status.PENDING:
        raise ValidationError("This request has already been decided.")
    return approval


def case_approve_penalty_notice(*, actor: User, approval: PenaltyNoticeApproval) -> Notice:
    """A supervisor (not the requester) approves; the notice is issued now. The event is the
    notice's, naming who asked and who approved."""
    _require_approver(actor)
    actor_kind = officer_kind(actor)
    with transaction.atomic():
        case = locked(approval.case)
        approval = _locked_pending(approval)
        if approval.requested_by_id == actor.pk:
            raise PermissionDenied("The notice must be approved by a second person.")
        check_penalty_notice(
            case,
            actor_kind,
            approval.amount,
            approval.departure_reason,
            prepenalty_exception=case.prepenalty_exception,
            without_prepenalty_reason=case.prepenalty_waiver_reason,
        )
        APPROVAL.apply(approval, "approve", actor_kind)
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "decided_by", "decided_at"])
        notice = issue_penalty_notice(
            case,
            actor=actor,
            actor_kind=actor_kind,
            amount=approval.amount,
            departure_reason=approval.departure_reason,
            petition_days=approval.petition_days,
            petition_period_reason=approval.petition_period_reason,
            detail={"requested_by": approval.requested_by.email, "approved_by": actor.email},
        )
        transaction.on_commit(lambda: notifications.approval_decided(approval_id=approval.pk))
    return notice


def case_reject_penalty_notice(
    *, actor: User, approval: PenaltyNoticeApproval, reason: str
) -> PenaltyNoticeApproval:
    _require_approver(actor)
    actor_kind = officer_kind(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Say why, for the officer."})
    with transaction.atomic():
        case = locked(approval.case)
        approval = _locked_pending(approval)
        APPROVAL.apply(approval, "reject", actor_kind)
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.decision_reason = reason.strip()
        approval.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        record(
            case,
            AuditAction.APPROVAL_REJECTED,
            actor=actor,
            reason=reason.strip(),
            detail={"amount": approval.amount},
            internal=True,
        )
        transaction.on_commit(lambda: notifications.approval_decided(approval_id=approval.pk))
    return approval
