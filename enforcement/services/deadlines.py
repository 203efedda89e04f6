"""Deadlines after they start: extensions granted by the officer, and the scheduled
reminders, overdue flags and statute-of-limitations warnings (idempotent)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from enforcement import notifications
from enforcement.deadlines import extension_problems
from enforcement.events import AuditAction
from enforcement.models import Case, Deadline, DeadlineExtension
from enforcement.services._common import locked, officer_kind, record
from enforcement.workflow import OPEN_STATUSES


def case_extend_deadline(
    *, actor: User, deadline: Deadline, new_due_on: date, reason: str
) -> Deadline:
    """The fines, penalties and forfeitures officer extends a running deadline."""
    officer_kind(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the extension."})
    with transaction.atomic():
        case = locked(deadline.case)
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if not deadline.is_open:
            raise ValidationError("Only a running deadline can be extended.")
        problems = extension_problems(
            current_due_on=deadline.due_on, new_due_on=new_due_on, today=timezone.localdate()
        )
        if problems:
            raise ValidationError({"new_due_on": problems})
        DeadlineExtension.objects.create(
            deadline=deadline,
            previous_due_on=deadline.due_on,
            new_due_on=new_due_on,
            reason=reason.strip(),
            granted_by=actor,
        )
        previous = deadline.due_on
        deadline.due_on = new_due_on
        deadline.reminded_at = None
        deadline.overdue_flagged_at = None
        deadline.save(update_fields=["due_on", "reminded_at", "overdue_flagged_at"])
        record(
            case,
            AuditAction.DEADLINE_EXTENDED,
            actor=actor,
            reason=reason.strip(),
            changes={"due_on": {"before": previous, "after": new_due_on}},
            detail={"deadline": deadline.get_kind_display()},
        )
        deadline_id = deadline.pk
        transaction.on_commit(lambda: notifications.deadline_extended(deadline_id=deadline_id))
    return deadline


def deadline_send_reminder(*, deadline_id: int, days_before: int) -> bool:
    """Remind the respondent once that a deadline falls due within `days_before` days."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline_id)
        today = timezone.localdate()
        if (
            not deadline.is_open
            or deadline.reminded_at is not None
            or not today <= deadline.due_on <= today + timedelta(days=days_before)
        ):
            return False
        deadline.reminded_at = timezone.now()
        deadline.save(update_fields=["reminded_at"])
        record(
            deadline.case,
            AuditAction.DEADLINE_REMINDER,
            actor=None,
            detail={"deadline": deadline.get_kind_display(), "due_on": deadline.due_on},
        )
        transaction.on_commit(lambda: notifications.deadline_reminder(deadline_id=deadline_id))
    return True


def deadline_flag_overdue(*, deadline_id: int) -> bool:
    """Flag (once) a deadline that passed: the officer and the respondent are told."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline_id)
        if not deadline.is_overdue or deadline.overdue_flagged_at is not None:
            return False
        deadline.overdue_flagged_at = timezone.now()
        deadline.save(update_fields=["overdue_flagged_at"])
        record(
            deadline.case,
            AuditAction.DEADLINE_OVERDUE,
            actor=None,
            detail={"deadline": deadline.get_kind_display(), "due_on": deadline.due_on},
        )
        transaction.on_commit(lambda: notifications.deadline_overdue(deadline_id=deadline_id))
    return True


def case_warn_limitations(*, case_id: int, within_days: int) -> bool:
    """Warn the officer (once) that the statute of limitations is near."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        horizon = timezone.localdate() + timedelta(days=within_days)
        if (
            case.status not in OPEN_STATUSES
            or case.limitations_warned_at is not None
            or case.limitations_date > horizon
        ):
            return False
        case.limitations_warned_at = timezone.now()
        case.save(update_fields=["limitations_warned_at"])
        record(
            case,
            AuditAction.LIMITATIONS_WARNING,
            actor=None,
            detail={"limitations_date": case.limitations_date},
            internal=True,
        )
        transaction.on_commit(lambda: notifications.limitations_near(case_id=case_id))
    return True
