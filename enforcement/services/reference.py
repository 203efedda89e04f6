"""Versions of the statutory figures and mitigation guidelines. A change in the law or the
guidelines is a new row from its effective date; the rows before it stay as they were, so a
calculation made under them can be re-read. Each version is audited with the value it
replaces."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from core.audit import audit_record
from enforcement.calculator import UNDERPAYMENT_RATE
from enforcement.events import AuditAction
from enforcement.models import MitigationGuideline, StatutoryFigure


def _require_editor(actor: User) -> None:
    if not actor.is_authenticated or not actor.has_perm("enforcement.edit_mitigation_guidelines"):
        raise PermissionDenied("Only a supervisor can record statutory figures and guidelines.")


def _check_after(latest: date | None, effective_from: date) -> None:
    if latest is not None and effective_from <= latest:
        raise ValidationError(
            {
                "effective_from": (
                    f"A new version takes effect after the latest one ({latest:%-d %B %Y}); "
                    "earlier versions are history and stay as they are."
                )
            }
        )


def _quarter_end(key: str, effective_from: date) -> date | None:
    """The 26 USC 6621 rates are set for one calendar quarter at a time (6621(b)): a rate
    starts on a quarter's first day and ends on its last, so an unannounced quarter is never
    covered by the rate before it."""
    if key != UNDERPAYMENT_RATE:
        return None
    if effective_from.day != 1 or effective_from.month not in (1, 4, 7, 10):
        raise ValidationError(
            {
                "effective_from": (
                    "A 26 USC 6621 rate applies to a calendar quarter: it starts on 1 January, "
                    "1 April, 1 July or 1 October."
                )
            }
        )
    month = effective_from.month + 3
    following = date(effective_from.year + (month > 12), (month - 1) % 12 + 1, 1)
    return following - timedelta(days=1)


def statutory_figure_version_problems(*, key: str, effective_from: date) -> None:
    """Raise the ValidationError a new version would meet (for forms, before saving)."""
    latest = (
        StatutoryFigure.objects.filter(key=key).order_by("-effective_from").first() if key else None
    )
    _check_after(latest.effective_from if latest else None, effective_from)
    _quarter_end(key.strip(), effective_from)


def statutory_figure_add_version(
    *,
    actor: User,
    key: str,
    value: Decimal,
    effective_from: date,
    citation: str,
    unit: str = "",
    description: str = "",
    notes: str = "",
    reason: str = "",
) -> StatutoryFigure:
    """Record a figure (or its new value) from `effective_from`; unit and description default
    to the version it replaces."""
    _require_editor(actor)
    with transaction.atomic():
        previous = (
            StatutoryFigure.objects.select_for_update()
            .filter(key=key)
            .order_by("-effective_from")
            .first()
        )
        _check_after(previous.effective_from if previous else None, effective_from)
        ends = _quarter_end(key.strip(), effective_from)
        row = StatutoryFigure(
            key=key.strip(),
            value=value,
            unit=unit or (previous.unit if previous else ""),
            description=description.strip() or (previous.description if previous else ""),
            citation=citation.strip(),
            effective_from=effective_from,
            effective_to=ends,
            notes=notes.strip(),
        )
        row.full_clean()
        row.save()
        row.refresh_from_db()  # the values as stored (decimal places) for the audit
        audit_record(
            action=AuditAction.STATUTORY_FIGURE_VERSION,
            target=row,
            actor=actor,
            changes={
                "value": {"before": previous.value if previous else None, "after": row.value},
                **(
                    {"citation": {"before": previous.citation, "after": row.citation}}
                    if previous and previous.citation != row.citation
                    else {}
                ),
            },
            reason=reason.strip(),
            detail={
                "key": row.key,
                "effective_from": row.effective_from,
                "replaces": previous.pk if previous else None,
                "replaces_effective_from": previous.effective_from if previous else None,
            },
        )
    return row


GUIDELINE_FIELDS = ("basis", "low_share", "high_share", "citation")


def _guideline_versions(violation_type: str, culpability: str, situation: str) -> Any:
    return MitigationGuideline.objects.filter(
        violation_type=violation_type, culpability=culpability, situation=situation
    ).order_by("-effective_from", "-pk")


def mitigation_guideline_version_problems(
    *, violation_type: str, culpability: str, situation: str, effective_from: date
) -> None:
    latest = _guideline_versions(violation_type, culpability, situation).first()
    _check_after(latest.effective_from if latest else None, effective_from)


def mitigation_guideline_add_version(
    *,
    actor: User,
    violation_type: str,
    culpability: str,
    situation: str,
    basis: str,
    low_share: Decimal,
    high_share: Decimal,
    citation: str,
    effective_from: date,
    notes: str = "",
    reason: str = "",
) -> MitigationGuideline:
    """Record a mitigation range (or its new version) for a kind of violation in a
    situation, from `effective_from`."""
    _require_editor(actor)
    with transaction.atomic():
        previous = (
            _guideline_versions(violation_type, culpability, situation).select_for_update().first()
        )
        _check_after(previous.effective_from if previous else None, effective_from)
        row = MitigationGuideline(
            violation_type=violation_type,
            culpability=culpability,
            situation=situation,
            basis=basis,
            low_share=low_share,
            high_share=high_share,
            citation=citation.strip(),
            effective_from=effective_from,
            notes=notes.strip(),
            recorded_by=actor,
        )
        row.full_clean()
        if row.low_share > row.high_share:
            raise ValidationError({"low_share": "The low share cannot be above the high share."})
        row.save()
        row.refresh_from_db()
        before = {name: getattr(previous, name) for name in GUIDELINE_FIELDS} if previous else {}
        audit_record(
            action=AuditAction.MITIGATION_GUIDELINE_VERSION,
            target=row,
            actor=actor,
            changes={
                name: {"before": before.get(name), "after": getattr(row, name)}
                for name in GUIDELINE_FIELDS
                if before.get(name) != getattr(row, name)
            },
            reason=reason.strip(),
            detail={
                "effective_from": row.effective_from,
                "replaces": previous.pk if previous else None,
                "replaces_effective_from": previous.effective_from if previous else None,
            },
        )
    return row
