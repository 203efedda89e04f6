"""Celery tasks of shipments (risk targeting, and the officers' compliance watch): thin,
take ids, idempotent."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from shipments.models import ScreeningState, Shipment


@shared_task(autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def screen_shipment_parties(shipment_ids: list[str]) -> dict[str, int]:
    """Screen the parties of these shipments and write their final decision. Running it
    again changes nothing; shipments closed or amended since are skipped."""
    from shipments.targeting.screening import shipments_finalise

    return shipments_finalise(shipment_ids=shipment_ids)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def screen_shipments_in_chunks(shipment_ids: list[str]) -> int:
    """A big batch's screening, split here into tasks of ``SHIPMENTS_SCREENING_CHUNK``: the
    web request records one outbox message and publishes once, and the worker fans out
    (the tasks are idempotent, so a fan-out run twice only screens twice)."""
    return enqueue_screening(shipment_ids)


def enqueue_screening(shipment_ids: Iterable[Any]) -> int:
    """Queue the screening of ``shipment_ids`` in tasks of ``SHIPMENTS_SCREENING_CHUNK``;
    call it on commit (the ingest path does, after storing a batch)."""
    chunk = int(settings.SHIPMENTS_SCREENING_CHUNK)
    ids = [str(pk) for pk in shipment_ids]
    for start in range(0, len(ids), chunk):
        screen_shipment_parties.delay(ids[start : start + chunk])
    return len(ids)


def _open_ids(since: datetime.datetime, **filters: Any) -> Sequence[str]:
    return [
        str(pk)
        for pk in Shipment.objects.open()
        .filter(estimated_arrival__gte=since, **filters)
        .values_list("id", flat=True)
        .iterator(chunk_size=5000)
    ]


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, max_retries=5)
def rescreen_open_shipments(version_id: int | None = None) -> int:
    """A denied-party list changed: screen again the open shipments that have not arrived
    (their cached screenings belong to the old list versions)."""
    return enqueue_screening(_open_ids(timezone.now()))


@shared_task
def screening_sweep() -> int:
    """Shipments whose screening is still pending a while after filing (a lost task, a
    worker that died) are queued again."""
    stale = timezone.now() - datetime.timedelta(minutes=2)
    return enqueue_screening(
        _open_ids(
            timezone.now() - datetime.timedelta(days=2),
            screening_state=ScreeningState.PENDING,
            updated_at__lt=stale,
        )
    )


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=3)
def refresh_value_statistics() -> int:
    """The median unit value of each HS heading, for the undervaluation rule."""
    from shipments.targeting.services import value_statistics_refresh

    return value_statistics_refresh()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, max_retries=5)
def watch_filer_compliance(organisation_id: int) -> str:
    """After a finding: raise a re-vetting alert if the filer's compliance rate is falling."""
    from shipments.compliance import filer_compliance_watch

    return filer_compliance_watch(organisation_id=organisation_id)
