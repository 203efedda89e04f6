"""Registering and updating partner administrations (officers only, in the admin)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from accounts.roles import PARTNER, ROLE_LABELS
from accounts.services import user_set_roles
from core.audit import audit_record, diff, snapshot
from partners.events import AuditAction
from partners.models import PartnerAdministration
from shippers.models import Membership, Organisation

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


def partner_add_user(
    *, actor: Any, partner: PartnerAdministration, email: str, owner: bool = False
) -> Membership:
    """Attach an existing account (the partner's official signed up) to the partner: it
    becomes a member (an owner can then invite colleagues from the portal) with the
    partner role. Adding someone twice changes nothing the second time."""
    _require_officer(actor)
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise ValidationError(
            {"email": "No account has this e-mail address: ask the person to sign up first."}
        )
    if user.is_staff:
        raise ValidationError({"email": "Staff accounts cannot act for a partner."})
    role = Membership.Role.OWNER if owner else Membership.Role.MEMBER
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            organisation_id=partner.organisation_id, user=user, defaults={"role": role}
        )
        if not created:
            return membership
        held = user.groups.filter(name__in=ROLE_LABELS).values_list("name", flat=True)
        roles = sorted({*held, PARTNER})
        user_set_roles(user=user, roles=roles, actor=actor)
        audit_record(
            action=AuditAction.PARTNER_ADD_USER,
            target=partner,
            actor=actor,
            organisation_id=partner.organisation_id,
            detail={"user": user.email, "role": role},
        )
    return membership


def partner_of_organisation(organisation_id: int | None) -> PartnerAdministration | None:
    if organisation_id is None:
        return None
    return PartnerAdministration.objects.filter(organisation_id=organisation_id).first()
