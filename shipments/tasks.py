"""Celery tasks of the officer side: thin, take ids, idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from shipments.compliance import filer_compliance_watch


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, max_retries=5)
def watch_filer_compliance(organisation_id: int) -> str:
    """After a finding: raise a re-vetting alert if the filer's compliance rate is falling."""
    return filer_compliance_watch(organisation_id=organisation_id)
