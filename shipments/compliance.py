"""A filer's compliance rate feeding back into vetting: when the rate falls below the
program's floor, a re-vetting alert is raised through the vetting services (the same
mechanism as a list update or the periodic re-vetting), at most once per cool-down period.

The compliance-rate vetting check reads `shipments.selectors.filer_compliance_rate`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEvent
from shipments.officers import OfficerAction
from shipments.selectors import ComplianceRate, filer_compliance_rate

COMPLIANCE_CHECK_KIND = "compliance_rate"


def alert_floor() -> float:
    """Below this rate (with enough examinations) the filer is re-vetted."""
    return float(getattr(settings, "SHIPMENTS_COMPLIANCE_ALERT_BELOW", 0.8))


def minimum_examined() -> int:
    return int(getattr(settings, "SHIPMENTS_COMPLIANCE_MIN_EXAMINED", 5))


WINDOW_DAYS = 90
COOL_DOWN = timedelta(days=30)


def is_falling(current: ComplianceRate, previous: ComplianceRate) -> bool:
    """Below the floor on enough examinations, and not better than the window before."""
    if current.rate is None or current.examined < minimum_examined():
        return False
    if current.rate >= alert_floor():
        return False
    return previous.rate is None or current.rate <= previous.rate


def filer_compliance_watch(*, organisation_id: int) -> str:
    """After a finding: raise a re-vetting alert when the filer's rate is falling.
    Idempotent within the cool-down (a second call finds the first alert's event)."""
    from shippers.models import Application, VettingRun
    from shippers.vetting import services as vetting_services
    from shippers.workflow import ACTIVE_STATUSES

    now = timezone.now()
    current = filer_compliance_rate(organisation_id, days=WINDOW_DAYS, now=now)
    previous = filer_compliance_rate(
        organisation_id, days=WINDOW_DAYS, now=now - timedelta(days=WINDOW_DAYS)
    )
    if not is_falling(current, previous):
        return f"no alert: {current.percent} of {current.examined}"
    application = (
        Application.objects.filter(organisation_id=organisation_id, status__in=ACTIVE_STATUSES)
        .order_by("-pk")
        .first()
    )
    if application is None:
        return "no alert: not a known shipper"
    with transaction.atomic():
        recent = AuditEvent.objects.filter(
            action=OfficerAction.COMPLIANCE_ALERT,
            organisation_id=organisation_id,
            at__gte=now - COOL_DOWN,
        ).exists()
        if recent:
            return "no alert: raised within the cool-down"
        run = vetting_services.run_begin(
            application=application,
            reason=VettingRun.Reason.PERIODIC,
            kinds=_alert_kinds(),
        )
        audit_record(
            action=OfficerAction.COMPLIANCE_ALERT,
            target=application,
            target_label=f"Application {application.reference}",
            organisation_id=organisation_id,
            reason=(
                f"Compliance rate {current.percent} over {current.examined} examinations in "
                f"{WINDOW_DAYS} days (floor {alert_floor():.0%}; previous window "
                f"{previous.percent})."
            ),
            detail={
                "run": run.pk,
                "examined": current.examined,
                "without_discrepancy": current.without_discrepancy,
                "previous_examined": previous.examined,
                "previous_without_discrepancy": previous.without_discrepancy,
            },
            internal=True,
        )
    return f"re-vetting run {run.pk}"


def _alert_kinds() -> list[str] | None:
    """Only the compliance-rate check when it is registered, else a full re-vetting."""
    try:
        from shippers.vetting.registry import registered_checks  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    kinds = [spec.kind for spec in registered_checks()]
    return [COMPLIANCE_CHECK_KIND] if COMPLIANCE_CHECK_KIND in kinds else None
