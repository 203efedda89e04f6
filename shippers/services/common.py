"""What the service modules share: the program's time limits, who may act, the row lock,
and applying a transition of the application's state machine with its audit event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User
from accounts.roles import staff_kind
from core.models import AuditEvent
from core.workflow import ActorKind
from shippers import notifications
from shippers.events import AuditAction, record
from shippers.models import Application, Membership, Organisation
from shippers.workflow import APPLICATION

S = Application.Status

# Revalidation at least every 4 years (6 USC 969): no certificate is valid for longer.
MAX_VALIDITY_YEARS = 4
# After revocation a new application waits 3 years (as for an EU AEO).
REAPPLY_AFTER_REVOCATION_DAYS = 3 * 365
# A member may apply for revalidation this many days before its certificate ends.
REVALIDATION_WINDOW_DAYS = 120


def reapply_after_rejection_days() -> int:
    return int(getattr(settings, "SHIPPERS_REAPPLY_AFTER_REJECTION_DAYS", 180))


def require_member(user: User, organisation: Organisation) -> None:
    if not Membership.objects.of(user, organisation).exists():
        raise PermissionDenied("You are not a member of this organisation.")


def require_owner(user: User, organisation: Organisation, message: str) -> None:
    if not Membership.objects.of(user, organisation).owners().exists():
        raise PermissionDenied(message)


def require_staff(user: User) -> ActorKind:
    kind = staff_kind(user)
    if kind is None:
        raise PermissionDenied("Only officers and supervisors can decide applications.")
    return kind


def locked(application: Application) -> Application:
    """Re-read the application under a row lock: concurrent decisions queue here, and the
    second one sees the first one's result."""
    return APPLICATION.lock(Application, application.pk)


def record_on_application(
    application: Application,
    action: AuditAction,
    *,
    actor: User | None,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
    internal: bool = False,
) -> AuditEvent:
    return record(
        action,
        target=application,
        organisation_id=application.organisation_id,
        actor=actor,
        reason=reason,
        detail=detail,
        changes=changes,
        internal=internal,
    )


# Steps the system takes on its own right after the applicant's action: the e-mail of
# that action says what happens next, so the applicant gets one e-mail per event (not
# "submitted", "vetting" and "under review" within seconds).
QUIET_TRANSITIONS = frozenset({"start_vetting", "complete_vetting"})


def transition(
    application: Application,
    name: str,
    *,
    actor: User | None,
    actor_kind: ActorKind,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
    update_fields: tuple[str, ...] = (),
) -> AuditEvent:
    """Apply a declared transition to a locked application, save it (with `update_fields`
    the caller changed alongside) and record it; the status e-mail goes to the
    organisation's members after commit."""
    before, after = APPLICATION.apply(application, name, actor_kind)
    application.save(update_fields=["status", *update_fields])
    event = record(
        AuditAction(f"application.{name}"),
        target=application,
        organisation_id=application.organisation_id,
        actor=actor,
        reason=reason,
        detail=detail,
        changes=changes,
        status=(before, after),
    )
    if name not in QUIET_TRANSITIONS:
        transaction.on_commit(lambda: notifications.status_changed(event_id=event.pk))
    return event
