"""Registering and updating partner administrations (officers only, in the admin)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_record, diff, snapshot
from partners.events import AuditAction
from partners.models import PartnerAdministration
from shippers.models import Organisation

MANAGE_PERMISSION = "partners.change_partneradministration"
FIELDS = [
    "name",
    "country",
    "mra_status",
    "mra_date",
    "contact_name",
    "contact_email",
    "receives_findings",
]


def _require_officer(actor: Any) -> None:
    if not (getattr(actor, "is_staff", False) and actor.has_perm(MANAGE_PERMISSION)):
        raise PermissionDenied("Only officers manage partner administrations.")


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = str(fields.get("name") or "").strip()
    if not name:
        errors["name"] = "Give the administration's name."
    country = str(fields.get("country") or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        errors["country"] = "Give the ISO 3166-1 alpha-2 country code (e.g. CA)."
    status = fields.get("mra_status") or PartnerAdministration.MraStatus.NONE
    if status not in PartnerAdministration.MraStatus.values:
        errors["mra_status"] = "Choose a known MRA status."
    mra_date = fields.get("mra_date")
    if mra_date is not None and not isinstance(mra_date, date):
        errors["mra_date"] = "Give the MRA date as a date."
    if status in {"signed", "in_force"} and mra_date is None:
        errors["mra_date"] = "A signed or in-force arrangement needs its date."
    if errors:
        raise ValidationError(errors)
    return {
        **fields,
        "name": name,
        "country": country,
        "mra_status": status,
        "contact_name": str(fields.get("contact_name") or "").strip(),
        "contact_email": str(fields.get("contact_email") or "").strip(),
        "receives_findings": bool(fields.get("receives_findings")),
    }


def partner_register(*, actor: Any, **fields: Any) -> PartnerAdministration:
    """A new partner administration with its own organisation (for its users and keys)."""
    _require_officer(actor)
    cleaned = _clean(fields)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            legal_name=cleaned["name"],
            country=cleaned["country"],
            business_type="other",
            created_by=actor,
        )
        partner = PartnerAdministration.objects.create(
            organisation=organisation, **{key: cleaned.get(key) for key in FIELDS}
        )
        audit_record(
            action=AuditAction.PARTNER_REGISTER,
            target=partner,
            actor=actor,
            organisation_id=organisation.pk,
            detail=snapshot(partner, FIELDS),
        )
    return partner


def partner_update(
    *, actor: Any, partner: PartnerAdministration, reason: str = "", **fields: Any
) -> PartnerAdministration:
    _require_officer(actor)
    with transaction.atomic():
        locked = PartnerAdministration.objects.select_for_update().get(pk=partner.pk)
        before = snapshot(locked, FIELDS)
        cleaned = _clean({**before, **fields})
        for key in FIELDS:
            setattr(locked, key, cleaned.get(key))
        changes = diff(before, snapshot(locked, FIELDS))
        if not changes:
            return locked
        locked.save(update_fields=FIELDS)
        audit_record(
            action=AuditAction.PARTNER_UPDATE,
            target=locked,
            actor=actor,
            organisation_id=locked.organisation_id,
            changes=changes,
            reason=reason,
        )
    return locked


def partner_of_organisation(organisation_id: int | None) -> PartnerAdministration | None:
    if organisation_id is None:
        return None
    return PartnerAdministration.objects.filter(organisation_id=organisation_id).first()
