"""The people who act for an organisation: invitations and memberships."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import SHIPPER
from accounts.services import user_grant_role
from shippers import notifications
from shippers.events import AuditAction, record
from shippers.models import Invitation, Membership, Organisation
from shippers.services.common import require_owner


def invitation_create(
    *, actor: User, organisation: Organisation, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    email = email.strip().lower()
    with transaction.atomic():
        require_owner(actor, organisation, "Only an owner can invite colleagues.")
        if organisation.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError({"email": "This person is already a member."})
        if any(i.is_open for i in organisation.invitations.filter(email__iexact=email)):
            raise ValidationError({"email": "An invitation to this address is still open."})
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, invited_by=actor
        )
        record(
            AuditAction.INVITATION_SEND,
            target=invitation,
            organisation_id=organisation.pk,
            actor=actor,
            detail={"email": email, "role": role, "expires_on": invitation.expires_on},
        )
        transaction.on_commit(lambda: notifications.invitation_sent(invitation_id=invitation.pk))
    return invitation


def invitation_accept(*, user: User, token: uuid.UUID) -> Membership:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token=token).first()
        if invitation is None or not invitation.is_open:
            raise ValidationError("This invitation is no longer valid. Ask for a new one.")
        if invitation.email.lower() != user.email.lower():
            raise PermissionDenied("This invitation was sent to another e-mail address.")
        membership, created = Membership.objects.get_or_create(
            organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record(
            AuditAction.INVITATION_ACCEPT,
            target=invitation,
            organisation_id=invitation.organisation_id,
            actor=user,
            detail={"email": user.email, "role": membership.role, "joined": created},
        )
        user_grant_role(
            user=user,
            role=SHIPPER,
            actor=user,
            reason=f"Accepted an invitation to act for {invitation.organisation.legal_name}.",
        )
    return membership


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """An owner withdraws an invitation not yet accepted."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        require_owner(actor, invitation.organisation, "Only an owner can revoke invitations.")
        if not invitation.is_open:
            raise ValidationError("This invitation is no longer open.")
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record(
            AuditAction.INVITATION_REVOKE,
            target=invitation,
            organisation_id=invitation.organisation_id,
            actor=actor,
            detail={"email": invitation.email},
        )
    return invitation


def _owners_left(organisation: Organisation) -> int:
    return organisation.memberships.owners().count()


def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """An owner makes a member an owner, or an owner a member (one owner always remains)."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Choose owner or member."})
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
        require_owner(actor, organisation, "Only an owner can change roles.")
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == role:
            return membership
        if membership.role == Membership.Role.OWNER and _owners_left(organisation) == 1:
            raise ValidationError("An organisation needs at least one owner.")
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record(
            AuditAction.MEMBERSHIP_CHANGE_ROLE,
            target=membership,
            organisation_id=organisation.pk,
            actor=actor,
            changes={"role": {"before": before, "after": role}},
            detail={"member": membership.user.email},
        )
    return membership


def membership_remove(*, actor: User, membership: Membership) -> None:
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
        require_owner(actor, organisation, "Only an owner can remove members.")
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Membership.Role.OWNER and _owners_left(organisation) == 1:
            raise ValidationError("An organisation needs at least one owner.")
        record(
            AuditAction.MEMBERSHIP_REMOVE,
            target=membership,
            organisation_id=organisation.pk,
            actor=actor,
            detail={"member": membership.user.email, "role": membership.role},
        )
        membership.delete()
