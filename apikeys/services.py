"""Creating and revoking organisation API keys, each with its audit event."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apikeys.events import AuditAction
from apikeys.models import OrganisationAPIKey, Scope
from core.audit import audit_record
from core.models import target_type_of
from shippers.models import Organisation

VALID_SCOPES = frozenset(Scope.values)


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    cleaned = sorted({str(scope).strip() for scope in scopes if str(scope).strip()})
    unknown = [scope for scope in cleaned if scope not in VALID_SCOPES]
    if unknown:
        raise ValidationError(
            {"scopes": f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(Scope.values)}."}
        )
    if not cleaned:
        raise ValidationError({"scopes": "Give at least one scope."})
    return cleaned


def api_key_create(
    *,
    organisation: Organisation,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
    created_by: Any = None,
) -> tuple[OrganisationAPIKey, str]:
    """A new key for the organisation. Returns the key and its plain text, which is shown
    once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the key a name (e.g. the system that uses it)."})
    if len(name) > 50:
        raise ValidationError({"name": "A key's name has at most 50 characters."})
    cleaned = _clean_scopes(scopes)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    with transaction.atomic():
        api_key, plain = OrganisationAPIKey.objects.create_key(
            organisation=organisation,
            name=name,
            scopes=cleaned,
            expiry_date=expires_at,
            created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        )
        audit_record(
            action=AuditAction.CREATE,
            target_type=target_type_of(api_key),
            target_id=api_key.prefix,  # the primary key embeds the hash; the prefix is unique
            target_label=f"API key {api_key.prefix} ({name})",
            actor=created_by,
            organisation_id=organisation.pk,
            detail={"prefix": api_key.prefix, "scopes": cleaned, "expires_at": expires_at},
        )
    return api_key, plain


def api_key_revoke(
    *, api_key: OrganisationAPIKey, revoked_by: Any = None, reason: str = ""
) -> OrganisationAPIKey:
    """Revoke the key for good (the library refuses to un-revoke). Revoking twice changes
    nothing the second time."""
    with transaction.atomic():
        locked = OrganisationAPIKey.objects.select_for_update().get(pk=api_key.pk)
        if locked.revoked:
            return locked
        locked.revoked = True
        locked.revoked_at = timezone.now()
        locked.revoked_by = revoked_by if getattr(revoked_by, "is_authenticated", False) else None
        locked.save(update_fields=["revoked", "revoked_at", "revoked_by"])
        audit_record(
            action=AuditAction.REVOKE,
            target_type=target_type_of(locked),
            target_id=locked.prefix,
            target_label=f"API key {locked.prefix} ({locked.name})",
            actor=revoked_by,
            organisation_id=locked.organisation_id,
            changes={"revoked": {"before": False, "after": True}},
            reason=reason,
            detail={"prefix": locked.prefix},
        )
    return locked
