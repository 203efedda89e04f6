"""Organisations and their profile: registration, profile edits, and the items of the
profile (identifiers, addresses, principals, contacts, supply-chain partners)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.roles import SHIPPER
from accounts.services import user_grant_role
from core.audit import diff, snapshot
from shippers.events import AuditAction, record
from shippers.identifiers import IdentifierError, validate_identifier
from shippers.models import (
    Address,
    Application,
    Contact,
    Identifier,
    Membership,
    Organisation,
    Principal,
    SupplyChainPartner,
)
from shippers.services.common import S, require_member
from shippers.workflow import EDITABLE_STATUSES, OPEN_STATUSES

# What a shipper adds to or removes from its profile, one item at a time.
ProfileItem = Identifier | Address | Principal | Contact | SupplyChainPartner
ProfileItemModel = (
    type[Identifier] | type[Address] | type[Principal] | type[Contact] | type[SupplyChainPartner]
)

PROFILE_FIELDS = (
    "legal_name",
    "trade_names",
    "business_type",
    "country",
    "ownership",
    "ownership_details",
    "year_founded",
    "employees",
    "website",
)

FROZEN_PROFILE = "The profile cannot be changed while the application is reviewed."


def organisation_create(
    *,
    user: User,
    legal_name: str,
    country: str,
    business_type: str = "online_seller",
    **profile: Any,
) -> Organisation:
    """Create an organisation with its creator as owner; the creator becomes a shipper (the
    role that opens the portal's organisation, shipment and case pages)."""
    with transaction.atomic():
        organisation = Organisation(
            legal_name=legal_name.strip(),
            country=country.upper(),
            business_type=business_type,
            created_by=user,
            **profile,
        )
        organisation.full_clean()
        organisation.save()
        Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.OWNER)
        record(
            AuditAction.ORGANISATION_CREATE,
            target=organisation,
            organisation_id=organisation.pk,
            actor=user,
            changes=diff({}, snapshot(organisation, list(PROFILE_FIELDS))),
        )
        user_grant_role(
            user=user,
            role=SHIPPER,
            actor=user,
            reason=f"Registered the organisation {organisation.legal_name}.",
        )
    return organisation


def organisation_can_edit_profile(*, organisation: Organisation) -> bool:
    """The profile is frozen while officers review it, and after a decision (an approved
    shipper asks for changes through the program)."""
    current = organisation.applications.order_by("-created_at").first()
    return current is None or current.status in EDITABLE_STATUSES


def _editable_organisation(actor: User, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    require_member(actor, organisation)
    if not organisation_can_edit_profile(organisation=organisation):
        raise ValidationError(FROZEN_PROFILE)
    return organisation


def organisation_update_profile(
    *, actor: User, organisation: Organisation, **fields: Any
) -> Organisation:
    with transaction.atomic():
        organisation = _editable_organisation(actor, organisation.pk)
        before = snapshot(organisation, sorted(fields))
        for name, value in fields.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save()
        record(
            AuditAction.ORGANISATION_UPDATE_PROFILE,
            target=organisation,
            organisation_id=organisation.pk,
            actor=actor,
            changes=diff(before, snapshot(organisation, sorted(fields))),
        )
    return organisation


def _item_fields(item: ProfileItem) -> dict[str, Any]:
    return {
        field.name: getattr(item, field.attname)
        for field in item._meta.concrete_fields
        if not field.primary_key and field.name != "organisation"
    }


def _record_item(action: AuditAction, actor: User, item: ProfileItem, organisation_id: int) -> None:
    fields = _item_fields(item)
    added = action == AuditAction.ORGANISATION_ADD_ITEM
    record(
        action,
        target=item,
        organisation_id=organisation_id,
        actor=actor,
        changes=diff({}, fields) if added else diff(fields, {}),
        detail={"part": str(item._meta.verbose_name), "item": str(item)},
    )


def organisation_add_item(
    *, actor: User, organisation: Organisation, model: ProfileItemModel, **values: Any
) -> ProfileItem:
    """Add an address, principal, contact, supply-chain partner or identifier."""
    with transaction.atomic():
        organisation = _editable_organisation(actor, organisation.pk)
        if model is Identifier:
            try:
                values["value"] = validate_identifier(
                    values["kind"], values["value"], values.get("issuing_country") or None
                )
            except IdentifierError as error:
                raise ValidationError({"value": error.message}) from error
            if organisation.identifiers.filter(kind=values["kind"], value=values["value"]).exists():
                raise ValidationError({"value": "This identifier is already recorded."})
        same = _same_principal(organisation, values) if model is Principal else None
        if same is not None:
            raise ValidationError(
                {
                    "full_name": f"{same.full_name} is already listed"
                    + (" with this date of birth." if values.get("date_of_birth") else ".")
                    + " Remove the entry first to change it."
                }
            )
        item: ProfileItem = model(organisation=organisation, **values)
        item.full_clean()
        item.save()
        _record_item(AuditAction.ORGANISATION_ADD_ITEM, actor, item, organisation.pk)
    return item


def _same_principal(organisation: Organisation, values: dict[str, Any]) -> Principal | None:
    """The same person listed twice: the same name (ignoring case and spacing) and, when
    both give one, the same date of birth. Two different people may share a name only
    when their dates of birth tell them apart."""
    name = " ".join(str(values.get("full_name", "")).split()).casefold()
    born = values.get("date_of_birth")
    for principal in organisation.principals.all():
        if " ".join(principal.full_name.split()).casefold() != name:
            continue
        if born is None or principal.date_of_birth is None or principal.date_of_birth == born:
            return principal
    return None


def organisation_remove_item(*, actor: User, item: ProfileItem) -> None:
    with transaction.atomic():
        organisation = _editable_organisation(actor, item.organisation_id)
        _record_item(AuditAction.ORGANISATION_REMOVE_ITEM, actor, item, organisation.pk)
        item.delete()


def organisation_current_standing(*, organisation: Organisation) -> Application | None:
    """The application that carries the organisation's standing (for enforcement)."""
    return (
        organisation.applications.exclude(status__in=[*OPEN_STATUSES, S.WITHDRAWN])
        .order_by("-decided_at", "-created_at")
        .first()
    )
