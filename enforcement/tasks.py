"""Celery tasks for enforcement: thin, idempotent sweeps that call the services.

Scheduled daily (see the README's beat entries): `deadline_sweep` reminds respondents before
a deadline, flags overdue deadlines and warns officers when the statute of limitations is
near; `consequences_sweep` suspends the known-shipper standing of respondents with a final
fraud finding or a decided penalty unpaid 30 days past its due date (once per case).
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from enforcement import services
from enforcement.models import Case, Culpability, Deadline


def reminder_days() -> int:
    return int(getattr(settings, "ENFORCEMENT_REMINDER_DAYS_BEFORE", 7))


def limitations_warning_days() -> int:
    return int(getattr(settings, "ENFORCEMENT_LIMITATIONS_WARNING_DAYS", 180))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, max_retries=5)
def deadline_sweep() -> dict[str, int]:
    """Daily. Running it twice the same day sends nothing the second time."""
    today = timezone.localdate()
    running = Deadline.objects.open().on_open_cases()
    counts = {"reminded": 0, "overdue": 0, "limitations": 0}
    soon = running.filter(
        reminded_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=reminder_days()),
    )
    for deadline_id in soon.values_list("pk", flat=True):
        counts["reminded"] += services.deadline_send_reminder(
            deadline_id=deadline_id, days_before=reminder_days()
        )
    late = running.overdue(on=today).filter(overdue_flagged_at__isnull=True)
    for deadline_id in late.values_list("pk", flat=True):
        counts["overdue"] += services.deadline_flag_overdue(deadline_id=deadline_id)
    near = Case.objects.open().filter(
        limitations_warned_at__isnull=True,
        limitations_date__lte=today + timedelta(days=limitations_warning_days()),
    )
    for case_id in near.values_list("pk", flat=True):
        counts["limitations"] += services.case_warn_limitations(
            case_id=case_id, within_days=limitations_warning_days()
        )
    return counts


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, max_retries=5)
def consequences_sweep() -> int:
    """Daily: apply each case's consequences once; returns how many cases were acted on."""
    candidates = Case.objects.filter(suspension_checked_at__isnull=True, decided_at__isnull=False)
    candidates = candidates.filter(
        status__in=[
            Case.Status.DECIDED,
            Case.Status.REFERRED_FOR_COLLECTION,
            Case.Status.PAID,
            Case.Status.CLOSED,
        ]
    )
    fraud_or_unpaid = candidates.filter(culpability=Culpability.FRAUD) | candidates.filter(
        status__in=[Case.Status.DECIDED, Case.Status.REFERRED_FOR_COLLECTION]
    )
    return sum(
        bool(services.case_apply_consequences(case_id=case_id))
        for case_id in fraud_or_unpaid.values_list("pk", flat=True).distinct()
    )
