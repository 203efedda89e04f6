"""Celery tasks for shippers: thin, take ids, idempotent, retried on transient errors."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import OperationalError

from shippers import services
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
    return services.certificate_expiry_sweep()


@shared_task
def rfi_overdue_sweep() -> int:
    """Daily: tell shippers (once) about requests for information past their due date."""
    return services.rfi_overdue_sweep()
