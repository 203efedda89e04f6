"""Celery tasks for shippers: thin, take ids, idempotent, retried on transient errors."""

from __future__ import annotations

from datetime import timedelta

from celery import Task, shared_task
from django.db import OperationalError
from django.utils import timezone

from shippers import services
from shippers.models import Application, Certificate, RequestForInformation
from shippers.vetting import services as vetting


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, max_retries=5)
def start_vetting(application_id: int) -> str:
    """Move a submitted application to vetting and queue one task per check."""
    return vetting.vetting_start(application_id=application_id)


@shared_task(bind=True, max_retries=vetting.MAX_ATTEMPTS - 1)
def run_vetting_check(self: Task, check_id: int) -> str:
    """Run one vetting check. Retried with exponential backoff on any error; after the last
    attempt the check reports "error: manual check needed" and the run goes on."""
    try:
        return vetting.check_execute(check_id=check_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            return vetting.check_give_up(
                check_id=check_id, error=f"{type(error).__name__}: {error}"
            )
        raise self.retry(exc=error, countdown=min(10 * 2**self.request.retries, 300)) from error


@shared_task
def vetting_sweep() -> dict[str, int]:
    """Every 10 minutes: re-queue lost checks, give up on exhausted ones, finish runs."""
    return vetting.sweep_stuck_checks()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, max_retries=5)
def rescreen_after_list_update(version_id: int) -> dict[str, int]:
    """After a screening-list import: re-screen watched organisations against what changed."""
    return vetting.rescreen_after_list_update(version_id=version_id)


@shared_task
def revet_active_shippers() -> int:
    """Monthly: run every check again for shippers in the program."""
    return vetting.revet_watched_applications()


@shared_task
def certificate_expiry_sweep() -> dict[str, int]:
    """Daily: reminders 90 and 30 days before a certificate ends; expiry after it."""
    today = timezone.localdate()
    counts = {"reminded_90": 0, "reminded_30": 0, "expired": 0}
    active = Certificate.objects.filter(
        application__status__in=[Application.Status.APPROVED, Application.Status.REINSTATED]
    )
    for certificate in active.filter(valid_to__lte=today + timedelta(days=90), valid_to__gte=today):
        days_left = (certificate.valid_to - today).days
        if days_left <= 30 and services.certificate_send_expiry_reminder(
            certificate_id=certificate.pk, days=30
        ):
            counts["reminded_30"] += 1
        elif days_left > 30 and services.certificate_send_expiry_reminder(
            certificate_id=certificate.pk, days=90
        ):
            counts["reminded_90"] += 1
    expiring = Certificate.objects.filter(
        valid_to__lt=today,
        application__status__in=[
            Application.Status.APPROVED,
            Application.Status.REINSTATED,
            Application.Status.SUSPENDED,
        ],
    )
    for certificate in expiring:
        if services.application_expire(application_id=certificate.application_id):
            counts["expired"] += 1
    return counts


@shared_task
def rfi_overdue_sweep() -> int:
    """Daily: tell shippers (once) about requests for information past their due date."""
    overdue = RequestForInformation.objects.filter(
        status=RequestForInformation.Status.OPEN,
        due_date__lt=timezone.localdate(),
        overdue_notified_at__isnull=True,
    )
    return sum(
        services.rfi_flag_overdue(request_id=pk) for pk in overdue.values_list("pk", flat=True)
    )
