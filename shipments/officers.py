"""What officers do with shipments sent to them: release, send to examination, record the
examination's finding, and open a penalty case from a finding.

Each is one service: keyword-only, one transaction, the status moved only through
`SHIPMENT_MACHINE` after locking the row, and one audit event. The admin's queue and
review page, and the bulk release, call these and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import staff_kind
from core.audit import audit_record
from core.workflow import ActorKind
from shipments.models import Shipment, ShipmentStatus
from shipments.models.examination import (
    RELEASE_KINDS,
    SEIZURE_KINDS,
    ExaminationFinding,
    FindingKind,
)
from shipments.workflow import SHIPMENT_MACHINE

DECIDE_PERMISSION = "shipments.decide_shipment"


class OfficerAction(StrEnum):
    RELEASE = "shipment.release"
    EXAMINE = "shipment.examine"
    RECORD_FINDING = "shipment.record_finding"
    OPEN_PENALTY_CASE = "shipment.open_penalty_case"
    COMPLIANCE_ALERT = "filer.compliance_alert"


TITLES: dict[str, str] = {
    OfficerAction.RELEASE: "Shipment released by an officer",
    OfficerAction.EXAMINE: "Shipment sent to examination",
    OfficerAction.RECORD_FINDING: "Examination finding recorded",
    OfficerAction.OPEN_PENALTY_CASE: "Penalty case opened from a finding",
    OfficerAction.COMPLIANCE_ALERT: "Re-vetting alert: falling compliance rate",
}

# The penalty a finding points to (19 USC 1592 for false statements, 1526(f) counterfeits).
VIOLATION_FOR_FINDING: dict[str, str] = {
    FindingKind.MISDESCRIBED: "1592",
    FindingKind.UNDERVALUED: "1592",
    FindingKind.WRONG_ORIGIN: "1592",
    FindingKind.COUNTERFEIT: "1526f",
    # Prohibited goods are seized and forfeited (19 USC 1595a(c)); the money penalty for the
    # unlawful importation is 1595a(b).
    FindingKind.PROHIBITED: "1595a_b",
    FindingKind.SEIZED: "1595a_b",
}
# Findings that never lead to a penalty case.
NO_CASE_KINDS = frozenset({FindingKind.NO_DISCREPANCY, FindingKind.MINOR_DISCREPANCY})


def officer_kind(user: User) -> ActorKind:
    """The staff kind (`accounts.roles.staff_kind`) the state machine sees; refuses anyone
    without the permission to decide shipments."""
    kind = staff_kind(user) if user.has_perm(DECIDE_PERMISSION) else None
    if kind is None:
        raise PermissionDenied("Only officers and supervisors can act on shipments.")
    return kind


def _label(shipment: Shipment) -> str:
    return f"Shipment {shipment.reference}"


def _move(shipment: Shipment, name: str, kind: ActorKind) -> dict[str, Any]:
    before, after = SHIPMENT_MACHINE.apply(shipment, name, kind)
    return {"before": before, "after": after}


def _officer_transition(
    *,
    actor: User,
    shipment_id: Any,
    name: str,
    action: str,
    reason: str,
    detail_of: Callable[[Shipment], dict[str, Any]] | None = None,
) -> Shipment:
    kind = officer_kind(actor)
    with transaction.atomic():
        # Locked: of two officers acting at once, the second sees the first one's result.
        shipment = SHIPMENT_MACHINE.lock(Shipment, shipment_id)
        status = _move(shipment, name, kind)
        shipment.updated_at = timezone.now()
        shipment.save(update_fields=["status", "updated_at"])
        audit_record(
            action=action,
            target=shipment,
            target_label=_label(shipment),
            actor=actor,
            organisation_id=shipment.organisation_id,
            changes={"status": status},
            reason=reason.strip(),
            detail=detail_of(shipment) if detail_of else None,
        )
    return shipment


def shipment_release(*, actor: User, shipment_id: Any, reason: str = "") -> Shipment:
    """Release a shipment an officer has looked at (from review, hold or examination)."""
    return _officer_transition(
        actor=actor,
        shipment_id=shipment_id,
        name="release",
        action=OfficerAction.RELEASE,
        reason=reason,
        detail_of=lambda shipment: {
            "decision": shipment.decision,
            "risk_score": shipment.risk_score,
        },
    )


def shipment_send_to_examination(*, actor: User, shipment_id: Any, reason: str = "") -> Shipment:
    """Mark a shipment as being examined (its goods are opened and checked)."""
    return _officer_transition(
        actor=actor,
        shipment_id=shipment_id,
        name="examine",
        action=OfficerAction.EXAMINE,
        reason=reason,
    )


def _money(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: "Give an amount, e.g. 125.00."}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e14"):
        raise ValidationError({field: "Give an amount of zero or more."})
    return amount.quantize(Decimal("0.01"))


def _officer_rules(shipment: Shipment) -> list[str]:
    return [
        str(reason["rule"])
        for reason in shipment.risk_reasons or []
        if isinstance(reason, dict) and reason.get("rule") and not reason.get("shadow")
    ]


def finding_record(
    *,
    actor: User,
    shipment_id: Any,
    kind: str,
    notes: str,
    found_value: Any = None,
    msrp_genuine: Any = None,
    examined_at: datetime | None = None,
) -> ExaminationFinding:
    """Record what the examination found. The shipment is examined if it was not yet; a
    counterfeit, prohibited or seized finding seizes it, no or a minor discrepancy releases
    it, the others leave it examined (held) for the officer to settle. One finding per
    shipment. The filer's compliance rate is re-checked after commit."""
    officer = officer_kind(actor)
    if kind not in FindingKind.values:
        raise ValidationError({"kind": "Choose what the examination found."})
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": "Describe what the examination found."})
    found = _money(found_value, "found_value")
    msrp = _money(msrp_genuine, "msrp_genuine")
    examined_at = examined_at or timezone.now()
    if examined_at > timezone.now():
        raise ValidationError({"examined_at": "The examination cannot be in the future."})
    with transaction.atomic():
        shipment = SHIPMENT_MACHINE.lock(Shipment, shipment_id)
        earlier = ExaminationFinding.objects.filter(shipment_id=shipment.pk).first()
        if earlier is not None:
            raise ValidationError(
                f"A finding ({earlier.get_kind_display().lower()}) was already recorded for "
                f"shipment {shipment.reference} by {earlier.recorded_by} on "
                f"{earlier.recorded_at:%-d %B %Y}. Reload to see it."
            )
        if kind == FindingKind.UNDERVALUED and (found is None or found <= shipment.total_value):
            raise ValidationError(
                {
                    "found_value": "An undervaluation needs the value found, above the "
                    f"declared {shipment.total_value} {shipment.currency}."
                }
            )
        before = shipment.status
        if shipment.status != ShipmentStatus.EXAMINED:
            SHIPMENT_MACHINE.apply(shipment, "examine", officer)
        finding = ExaminationFinding.objects.create(
            shipment=shipment,
            shipment_version=shipment.version,
            organisation_id=shipment.organisation_id,
            kind=kind,
            notes=notes,
            currency=shipment.currency,
            declared_value=shipment.total_value,
            found_value=found,
            msrp_genuine=msrp,
            rule_codes=_officer_rules(shipment),
            decision=shipment.decision,
            port_of_arrival=shipment.port_of_arrival,
            examined_at=examined_at,
            recorded_by=actor,
        )
        if kind in SEIZURE_KINDS:
            SHIPMENT_MACHINE.apply(shipment, "seize", officer)
        elif kind in RELEASE_KINDS:
            SHIPMENT_MACHINE.apply(shipment, "release", officer)
        shipment.updated_at = timezone.now()
        shipment.save(update_fields=["status", "updated_at"])
        audit_record(
            action=OfficerAction.RECORD_FINDING,
            target=shipment,
            target_label=_label(shipment),
            actor=actor,
            organisation_id=shipment.organisation_id,
            changes={"status": {"before": before, "after": shipment.status}},
            reason=notes,
            detail={
                "finding": finding.pk,
                "kind": kind,
                "found_value": found,
                "msrp_genuine": msrp,
                "rules": finding.rule_codes,
            },
        )
        organisation_id = shipment.organisation_id
        transaction.on_commit(lambda: _watch_compliance(organisation_id))
    return finding


def _watch_compliance(organisation_id: int) -> None:
    from shipments.tasks import watch_filer_compliance

    watch_filer_compliance.delay(organisation_id)


def _case_summary(finding: ExaminationFinding, shipment: Shipment) -> str:
    bills = ", ".join(
        f"{label} {value}"
        for label, value in (
            ("house bill", shipment.house_bill),
            ("master bill", shipment.master_bill),
            ("tracking number", shipment.tracking_number),
        )
        if value
    )
    text = (
        f"Examination on {finding.examined_at:%-d %B %Y} at port {finding.port_of_arrival} of "
        f"shipment {shipment.reference} ({bills}), filed on {shipment.filed_at:%-d %B %Y}: "
        f"{finding.get_kind_display().lower()}. Declared value {finding.declared_value} "
        f"{finding.currency}"
    )
    if finding.found_value is not None:
        text += f"; value found {finding.found_value} {finding.currency}"
    return f"{text}. {finding.notes}"


def finding_open_penalty_case(
    *,
    actor: User,
    finding_id: int,
    violation_type: str = "",
    culpability: str = "",
    summary: str = "",
) -> Any:
    """Open a penalty case against the filer with the finding's facts filled in, through
    `enforcement.services.case_open`; the finding keeps a link to it (one case per finding).

    The violation type follows the finding (misdescribed, undervalued, wrong origin: 19 USC
    1592, negligence unless the officer says otherwise; counterfeit: 1526(f)); the officer
    may choose another (e.g. de minimis misuse)."""
    from enforcement import services as enforcement_services

    officer_kind(actor)
    with transaction.atomic():
        finding = (
            ExaminationFinding.objects.select_for_update()
            .select_related("organisation")
            .get(pk=finding_id)
        )
        if finding.kind in NO_CASE_KINDS and not violation_type:
            raise ValidationError(
                f"A finding of {finding.get_kind_display().lower()} is no violation; choose a "
                "violation type if there is one."
            )
        if finding.penalty_case_id is not None:
            raise ValidationError(
                f"Penalty case {finding.penalty_case} was already opened from this finding."
            )
        shipment = Shipment.objects.get(pk=finding.shipment_id)
        violation = violation_type or VIOLATION_FOR_FINDING[finding.kind]
        if violation == "1592":
            culpability = culpability or "negligence"
        earlier_seizures = (
            ExaminationFinding.objects.filter(
                organisation_id=finding.organisation_id,
                kind=finding.kind,
                examined_at__lt=finding.examined_at,
            ).count()
            if finding.kind == FindingKind.COUNTERFEIT
            else 0
        )
        facts: dict[str, Any] = {
            "dutiable_value": finding.declared_value,
            "domestic_value": finding.found_value or finding.declared_value,
            "involves_seizure": finding.kind in SEIZURE_KINDS,
            "prior_violations": earlier_seizures,
        }
        if finding.msrp_genuine is not None:
            facts["msrp_genuine"] = finding.msrp_genuine
        case = enforcement_services.case_open(
            actor=actor,
            violation_type=violation,
            culpability=culpability,
            summary=summary.strip() or _case_summary(finding, shipment),
            violation_date=timezone.localdate(shipment.filed_at),
            discovery_date=timezone.localdate(finding.examined_at),
            organisation=finding.organisation,
            entry_references=[
                r
                for r in (
                    shipment.reference,
                    shipment.house_bill,
                    shipment.master_bill,
                    shipment.tracking_number,
                )
                if r
            ],
            facts=facts,
        )
        finding.penalty_case = case
        finding.save(update_fields=["penalty_case"])
        audit_record(
            action=OfficerAction.OPEN_PENALTY_CASE,
            target=shipment,
            target_label=_label(shipment),
            actor=actor,
            organisation_id=shipment.organisation_id,
            detail={"finding": finding.pk, "case": case.number, "violation_type": violation},
        )
    return case
