"""Certificate reminders and expiry: the policy the daily task follows."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from shippers import notifications
from shippers.events import AuditAction
from shippers.models import Certificate
from shippers.services.common import record_on_application
from shippers.services.decisions import application_expire
from shippers.workflow import ACTIVE_STATUSES, STANDING_STATUSES

# Reminders go this many days before a certificate ends, the nearest one only.
REMINDER_DAYS = (90, 30)


def certificate_reminder_due(*, valid_to: date, today: date) -> int | None:
    """Which reminder (90 or 30 days) a certificate ending on `valid_to` is due today, if
    any: the 30-day one inside 30 days, the 90-day one inside 90 days, none after the end."""
    days_left = (valid_to - today).days
    if days_left < 0 or days_left > max(REMINDER_DAYS):
        return None
    return min(days for days in REMINDER_DAYS if days_left <= days)


def certificate_send_expiry_reminder(*, certificate_id: int, days: int) -> bool:
    """Send the 90- or 30-day expiry reminder once. Returns whether one was sent."""
    field = {90: "reminded_90_at", 30: "reminded_30_at"}[days]
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if getattr(certificate, field) is not None:
            return False
        setattr(certificate, field, timezone.now())
        certificate.save(update_fields=[field])
        record_on_application(
            certificate.application,
            AuditAction.APPLICATION_EXPIRY_REMINDER,
            actor=None,
            detail={
                "days": days,
                "valid_to": certificate.valid_to.isoformat(),
                "certificate": certificate.number,
            },
        )
        transaction.on_commit(
            lambda: notifications.certificate_expiring(certificate_id=certificate_id, days=days)
        )
    return True


def certificate_expiry_sweep(*, today: date | None = None) -> dict[str, int]:
    """Reminders 90 and 30 days before a certificate ends; expiry after it. Idempotent:
    each reminder is sent once and an expired application is left."""
    today = today or timezone.localdate()
    counts = {"reminded_90": 0, "reminded_30": 0, "expired": 0}
    active = Certificate.objects.filter(
        application__status__in=ACTIVE_STATUSES,
        valid_to__lte=today + timedelta(days=max(REMINDER_DAYS)),
        valid_to__gte=today,
    )
    for certificate_id, valid_to in active.values_list("pk", "valid_to"):
        days = certificate_reminder_due(valid_to=valid_to, today=today)
        if days is not None and certificate_send_expiry_reminder(
            certificate_id=certificate_id, days=days
        ):
            counts[f"reminded_{days}"] += 1
    expiring = Certificate.objects.filter(
        valid_to__lt=today, application__status__in=STANDING_STATUSES
    )
    for application_id in expiring.values_list("application_id", flat=True):
        if application_expire(application_id=application_id):
            counts["expired"] += 1
    return counts
