"""What the shippers app records in the audit log (`core.AuditEvent`), and how timelines
name it.

Events about an application (its transitions, decisions, requests for information,
documents, vetting) target the application, so `AuditEvent.objects.for_target(application)`
is its timeline. Events about the organisation itself (profile, members, invitations)
target the organisation. Every event carries the organisation concerned, so its members can
read `for_organisation(...).visible_to_members()`; `internal=True` events are for staff.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.db import models

from core.audit import audit_record
from core.models import AuditEvent
from shippers.models import Membership
from shippers.workflow import ApplicationStatus


class AuditAction(StrEnum):
    # The application's transitions: "application.<transition name>".
    APPLICATION_CREATED = "application.created"
    APPLICATION_SUBMIT = "application.submit"
    APPLICATION_WITHDRAW = "application.withdraw"
    APPLICATION_START_VETTING = "application.start_vetting"
    APPLICATION_COMPLETE_VETTING = "application.complete_vetting"
    APPLICATION_REQUEST_INFORMATION = "application.request_information"
    APPLICATION_RESUME_REVIEW = "application.resume_review"
    APPLICATION_APPROVE = "application.approve"
    APPLICATION_REJECT = "application.reject"
    APPLICATION_SUSPEND = "application.suspend"
    APPLICATION_REINSTATE = "application.reinstate"
    APPLICATION_REVOKE = "application.revoke"
    APPLICATION_EXPIRE = "application.expire"
    # Other things that happen to an application (names kept from the older timeline).
    APPLICATION_TRADE_PROFILE_SAVED = "application.trade_profile_saved"
    APPLICATION_SECURITY_ANSWERS_SAVED = "application.security_answers_saved"
    APPLICATION_ATTESTED = "application.attested"
    APPLICATION_PROFILE_CHANGED = "application.profile_changed"
    APPLICATION_DOCUMENT_ADDED = "application.document_added"
    APPLICATION_DOCUMENT_REMOVED = "application.document_removed"
    APPLICATION_INFORMATION_PROVIDED = "application.information_provided"
    APPLICATION_INFORMATION_OVERDUE = "application.information_overdue"
    APPLICATION_EXPIRY_REMINDER = "application.expiry_reminder"
    APPLICATION_ASSIGNED = "application.assigned"
    APPLICATION_NOTE_ADDED = "application.note_added"
    APPLICATION_APPROVAL_PROPOSED = "application.approval_proposed"
    APPLICATION_APPROVAL_OVERRIDE = "application.approval_override"
    APPLICATION_APPROVAL_WITHDRAWN = "application.approval_withdrawn"
    # Vetting (written by shippers.vetting).
    APPLICATION_VETTING_REQUESTED = "application.vetting_requested"
    APPLICATION_VETTING_ALERT = "application.vetting_alert"
    APPLICATION_VETTING_RERUN = "application.vetting_rerun"
    APPLICATION_VETTING_ALERT_ACKNOWLEDGED = "application.vetting_alert_acknowledged"
    APPLICATION_SCREENING_MATCH_CLEARED = "application.screening_match_cleared"
    # The organisation.
    ORGANISATION_CREATE = "organisation.create"
    ORGANISATION_UPDATE_PROFILE = "organisation.update_profile"
    ORGANISATION_ADD_ITEM = "organisation.add_item"
    ORGANISATION_REMOVE_ITEM = "organisation.remove_item"
    INVITATION_SEND = "invitation.send"
    INVITATION_ACCEPT = "invitation.accept"
    INVITATION_REVOKE = "invitation.revoke"
    MEMBERSHIP_REMOVE = "membership.remove"
    MEMBERSHIP_CHANGE_ROLE = "membership.change_role"
    # The security questionnaire.
    QUESTIONNAIRE_CREATE_VERSION = "questionnaire.create_version"
    QUESTIONNAIRE_EDIT = "questionnaire.edit"
    QUESTIONNAIRE_MAKE_CURRENT = "questionnaire.make_current"


# What happened, in words a shipper understands (transitions show the new status instead).
TITLES: dict[str, str] = {
    AuditAction.APPLICATION_CREATED: "Application started",
    AuditAction.APPLICATION_TRADE_PROFILE_SAVED: "Trade profile saved",
    AuditAction.APPLICATION_SECURITY_ANSWERS_SAVED: "Security profile saved",
    AuditAction.APPLICATION_ATTESTED: "Attestation signed",
    AuditAction.APPLICATION_PROFILE_CHANGED: "Profile changed",
    AuditAction.APPLICATION_DOCUMENT_ADDED: "Document added",
    AuditAction.APPLICATION_DOCUMENT_REMOVED: "Document removed",
    AuditAction.APPLICATION_INFORMATION_PROVIDED: "Information provided",
    AuditAction.APPLICATION_INFORMATION_OVERDUE: "Request for information overdue",
    AuditAction.APPLICATION_EXPIRY_REMINDER: "Certificate expiry reminder sent",
    AuditAction.APPLICATION_ASSIGNED: "Assigned to an officer",
    AuditAction.APPLICATION_NOTE_ADDED: "Internal note added",
    AuditAction.APPLICATION_APPROVAL_PROPOSED: "Approval proposed, awaiting a supervisor",
    AuditAction.APPLICATION_APPROVAL_OVERRIDE: "Approved over failed or errored checks",
    AuditAction.APPLICATION_APPROVAL_WITHDRAWN: "Proposed approval withdrawn",
    AuditAction.APPLICATION_VETTING_REQUESTED: "Vetting requested by an officer",
    AuditAction.APPLICATION_VETTING_ALERT: "Vetting alert",
    AuditAction.APPLICATION_VETTING_RERUN: "Vetting run again",
    AuditAction.APPLICATION_VETTING_ALERT_ACKNOWLEDGED: "Vetting alert dealt with",
    AuditAction.APPLICATION_SCREENING_MATCH_CLEARED: "Screening match cleared",
    AuditAction.ORGANISATION_CREATE: "Organisation registered",
    AuditAction.ORGANISATION_UPDATE_PROFILE: "Company profile changed",
    AuditAction.ORGANISATION_ADD_ITEM: "Added to the profile",
    AuditAction.ORGANISATION_REMOVE_ITEM: "Removed from the profile",
    AuditAction.INVITATION_SEND: "Invitation sent",
    AuditAction.INVITATION_ACCEPT: "Invitation accepted",
    AuditAction.INVITATION_REVOKE: "Invitation revoked",
    AuditAction.MEMBERSHIP_REMOVE: "Member removed",
    AuditAction.MEMBERSHIP_CHANGE_ROLE: "Member's role changed",
    AuditAction.QUESTIONNAIRE_CREATE_VERSION: "Questionnaire version created",
    AuditAction.QUESTIONNAIRE_EDIT: "Questionnaire version edited",
    AuditAction.QUESTIONNAIRE_MAKE_CURRENT: "Questionnaire version made current",
}

# Changes to the organisation's profile: shown on the application's timeline while the
# application is with officers (the shipper answers a request by correcting its profile).
PROFILE_ACTIONS = frozenset(
    {
        AuditAction.ORGANISATION_UPDATE_PROFILE,
        AuditAction.ORGANISATION_ADD_ITEM,
        AuditAction.ORGANISATION_REMOVE_ITEM,
    }
)


def kind_of(event: AuditEvent) -> str:
    """The short name of an event ("submit", "profile_changed"), as e-mails and pages use."""
    return event.action.split(".", 1)[1] if "." in event.action else event.action


def title_of(event: AuditEvent) -> str:
    """What happened, in words a shipper understands."""
    status = event.to_status
    if status in ApplicationStatus.values and event.action != AuditAction.APPLICATION_CREATED:
        return str(ApplicationStatus(status).label)
    return TITLES.get(event.action, kind_of(event).replace("_", " ").capitalize())


def record(
    action: AuditAction,
    *,
    target: models.Model,
    organisation_id: int | None,
    actor: Any = None,
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    detail: Mapping[str, Any] | None = None,
    internal: bool = False,
    status: tuple[str, str] | None = None,
) -> AuditEvent:
    """Append one event about `target` (inside the service's transaction). `status` is the
    (from, to) of a transition, stored as changes["status"]."""
    all_changes = dict(changes or {})
    if status is not None:
        all_changes["status"] = {"before": status[0] or None, "after": status[1]}
    return audit_record(
        action=action,
        target=target,
        actor=actor,
        acting_for_id=organisation_id if _is_member_actor(actor, organisation_id) else None,
        organisation_id=organisation_id,
        changes=all_changes,
        reason=reason,
        detail=detail,
        internal=internal,
    )


def _is_member_actor(actor: Any, organisation_id: int | None) -> bool:
    """A shipper acting for its organisation (not an officer acting on it)."""
    if organisation_id is None or not getattr(actor, "is_authenticated", False):
        return False
    return Membership.objects.of(actor, organisation_id).exists()
