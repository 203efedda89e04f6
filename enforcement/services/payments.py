"""Payments: reported by the respondent (an officer confirms on receipt) or recorded by an
officer (confirmed at once). A confirmation that settles what is due marks the case paid, in
the same event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.models import AuditEvent
from core.workflow import ActorKind
from enforcement import notifications
from enforcement.events import AuditAction
from enforcement.models import ZERO, Case, CaseDocument, Deadline, Payment
from enforcement.services._common import (
    end_deadlines,
    locked,
    money,
    officer_kind,
    record,
    require_respondent,
    store_upload,
)
from enforcement.workflow import CASE, PAYMENT

S = Case.Status
D = Deadline.Kind

PAYABLE_STATUSES = frozenset({S.PENALTY_NOTICE, S.DECIDED, S.REFERRED_FOR_COLLECTION})


def case_record_payment(
    *,
    actor: User,
    case: Case,
    amount: Any,
    reference: str,
    paid_on: date,
    upload: UploadedFile | None = None,
) -> Payment:
    """Record a payment. The respondent's report awaits an officer's confirmation; an
    officer's record is confirmed at once."""
    amount = money(amount)
    if amount <= ZERO:
        raise ValidationError({"amount": "Enter the amount paid."})
    if not reference.strip():
        raise ValidationError({"reference": "Enter the payment reference."})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "The payment date cannot be in the future."})
    is_officer = actor.has_perm("enforcement.work_cases")
    with transaction.atomic():
        case = locked(case)
        if not is_officer:
            require_respondent(actor, case)
        if case.status not in PAYABLE_STATUSES:
            raise ValidationError(
                f"A payment cannot be recorded while the case is "
                f"{case.get_status_display().lower()}."
            )
        documents = []
        if upload is not None:
            documents.append(
                store_upload(
                    case,
                    upload,
                    kind=CaseDocument.Kind.PAYMENT,
                    actor=actor,
                    visible_to_respondent=True,
                )
            )
        payment = Payment.objects.create(
            case=case,
            amount=amount,
            currency=case.currency,
            reference=reference.strip(),
            paid_on=paid_on,
            recorded_by=actor,
        )
        detail = {"payment": payment.pk, "amount": amount, "reference": payment.reference}
        if is_officer:
            _confirm(
                case,
                payment,
                actor=actor,
                actor_kind=officer_kind(actor),
                action=AuditAction.PAYMENT_RECORDED,
                detail=detail,
                documents=documents,
            )
        else:
            event = record(
                case,
                AuditAction.PAYMENT_REPORTED,
                actor=actor,
                detail=detail,
                documents=documents,
                acting_for_id=case.organisation_id,
            )
            event_id = event.pk
            transaction.on_commit(lambda: notifications.respondent_acted(event_id=event_id))
    return payment


def _confirm(
    case: Case,
    payment: Payment,
    *,
    actor: User,
    actor_kind: ActorKind,
    action: str,
    detail: dict[str, Any],
    documents: list[CaseDocument] | None = None,
) -> AuditEvent:
    """The payment counts as collected; when nothing remains due the case is paid."""
    PAYMENT.apply(payment, "confirm", actor_kind)
    payment.reviewed_by = actor
    payment.reviewed_at = timezone.now()
    payment.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    collected_before = case.collected_amount
    case.collected_amount += payment.amount
    case.save(update_fields=["collected_amount"])
    changes: dict[str, Any] = {
        "collected_amount": {"before": collected_before, "after": case.collected_amount}
    }
    if case.amount_due == ZERO:
        end_deadlines(case, [D.PAYMENT, D.PETITION, D.SUPPLEMENTAL_PETITION], met=True)
        before, after = CASE.apply(case, "mark_paid", actor_kind)
        case.save(update_fields=["status"])
        changes["status"] = {"before": before, "after": after}
    event = record(
        case,
        action,
        actor=actor,
        changes=changes,
        detail={**detail, "collected": case.collected_amount},
        documents=documents or (),
    )
    if "status" in changes:
        event_id = event.pk
        transaction.on_commit(lambda: notifications.case_status_changed(event_id=event_id))
    return event


def case_review_payment(
    *, actor: User, payment: Payment, received: bool, reason: str = ""
) -> Payment:
    """An officer confirms a reported payment (it counts as collected) or records that it was
    not received."""
    actor_kind = officer_kind(actor)
    with transaction.atomic():
        case = locked(payment.case)
        payment = PAYMENT.lock(Payment, payment.pk)
        if payment.status != Payment.Status.REPORTED:
            raise ValidationError("This payment has already been reviewed.")
        detail = {"payment": payment.pk, "amount": payment.amount}
        if received:
            _confirm(
                case,
                payment,
                actor=actor,
                actor_kind=actor_kind,
                action=AuditAction.PAYMENT_CONFIRMED,
                detail=detail,
            )
        else:
            if not reason.strip():
                raise ValidationError({"reason": "Say what was found, for the respondent."})
            PAYMENT.apply(payment, "mark_not_received", actor_kind)
            payment.reviewed_by = actor
            payment.reviewed_at = timezone.now()
            payment.save(update_fields=["status", "reviewed_by", "reviewed_at"])
            record(
                case,
                AuditAction.PAYMENT_NOT_RECEIVED,
                actor=actor,
                reason=reason.strip(),
                detail=detail,
            )
    return payment
