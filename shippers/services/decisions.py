"""Officers' and supervisors' decisions on an application, the four-eyes approval of a
high-risk one, and what follows a decision (suspension, reinstatement, revocation, expiry).

A certificate has no status of its own: it follows its application, so the application's
approve, suspend, reinstate, revoke and expire events are the certificate's history too
(their detail names the certificate).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.workflow import ActorKind
from shippers import certificate_numbers
from shippers.events import AuditAction
from shippers.models import Application, ApprovalProposal, Certificate, VettingCheck
from shippers.services.common import (
    MAX_VALIDITY_YEARS,
    REAPPLY_AFTER_REVOCATION_DAYS,
    locked,
    reapply_after_rejection_days,
    record_on_application,
    require_staff,
    transition,
)
from shippers.workflow import APPLICATION, PROPOSAL


def latest_validity_end(valid_from: date) -> date:
    """The latest revalidation date: the same day MAX_VALIDITY_YEARS on (28 February for
    a certificate issued on 29 February, never 1 March: at most, not more)."""
    try:
        return valid_from.replace(year=valid_from.year + MAX_VALIDITY_YEARS)
    except ValueError:
        return valid_from.replace(year=valid_from.year + MAX_VALIDITY_YEARS, day=28)


def _validity_end(valid_from: date, valid_to: date | None) -> date:
    latest = latest_validity_end(valid_from)
    if valid_to is None:
        return latest
    if valid_to <= valid_from:
        raise ValidationError({"valid_to": "The validity must end after today."})
    if valid_to > latest:
        raise ValidationError(
            {
                "valid_to": f"Revalidation is due at most {MAX_VALIDITY_YEARS} years out "
                f"(6 USC 969): by {latest:%-d %B %Y}."
            }
        )
    return valid_to


def pending_proposal(application: Application) -> ApprovalProposal | None:
    """The approval waiting for a supervisor, if any."""
    return application.approval_proposals.pending().select_related("proposed_by").first()


def unresolved_checks(*, application: Application) -> list[str]:
    """The checks of the latest vetting run that failed or could not run ("Required
    training: failed"): approving over them needs a recorded override reason."""
    run = application.vetting_runs.order_by("-started_at", "-pk").first()
    if run is None:
        return []
    blocking = (VettingCheck.Status.FAILED, VettingCheck.Status.ERROR)
    return [
        f"{check.get_kind_display()}: {check.get_status_display().lower()}"
        for check in run.checks.filter(status__in=blocking).order_by("pk")
    ]


def application_approve(
    *,
    actor: User,
    application: Application,
    tier: int,
    valid_to: date | None = None,
    override_reason: str = "",
) -> Application:
    """Approve and issue a certificate. A high-risk approval by an officer waits for a
    supervisor's confirmation (`application_confirm_approval`). Approving while a check of
    the latest vetting run failed or errored is recorded as an override, with
    `override_reason` (shown to officers on the application's timeline)."""
    actor_kind = require_staff(actor)
    if tier not in Application.Tier.values:
        raise ValidationError({"tier": "Choose tier 1 or tier 2."})
    override_reason = override_reason.strip()
    # The officer's decision page asks for the reason (ApproveForm); a caller without one
    # (the demo data, imports) still leaves the overridden checks on the record.
    unresolved = unresolved_checks(application=application)
    override = (
        {"override_reason": override_reason, "overridden_checks": unresolved} if unresolved else {}
    )
    today = timezone.localdate()
    valid_to = _validity_end(today, valid_to)
    with transaction.atomic():
        application = locked(application)
        APPLICATION.check(application, "approve", actor_kind)
        if application.risk_level == Application.Risk.HIGH and actor_kind != ActorKind.SUPERVISOR:
            if application.approval_proposals.pending().exists():
                raise ValidationError("An approval is already waiting for a supervisor.")
            proposal = ApprovalProposal.objects.create(
                application=application,
                proposed_by=actor,
                tier=tier,
                valid_to=valid_to,
                override_reason=override_reason if unresolved else "",
                overridden_checks=unresolved,
            )
            record_on_application(
                application,
                AuditAction.APPLICATION_APPROVAL_PROPOSED,
                actor=actor,
                detail={
                    "tier": tier,
                    "valid_to": valid_to.isoformat(),
                    "proposal": proposal.pk,
                    **override,
                },
                reason=override_reason,
                internal=True,  # the override reason goes with the proposal
            )
            return application
        if override:
            # Internal: officers read why; the applicant's timeline shows the approval only.
            record_on_application(
                application,
                AuditAction.APPLICATION_APPROVAL_OVERRIDE,
                actor=actor,
                reason=override_reason,
                detail=override,
                internal=True,
            )
        _approve(application, actor=actor, actor_kind=actor_kind, tier=tier, valid_to=valid_to)
    return application


def application_confirm_approval(*, actor: User, application: Application) -> Application:
    """A supervisor confirms an officer's approval of a high-risk application."""
    if not actor.has_perm("shippers.confirm_high_risk_approval"):
        raise PermissionDenied("Only a supervisor can confirm this approval.")
    with transaction.atomic():
        application = locked(application)
        proposal = application.approval_proposals.pending().select_for_update().first()
        if proposal is None:
            raise APPLICATION.not_allowed(application, "approve")
        if proposal.proposed_by_id == actor.pk:
            raise PermissionDenied("The approval must be confirmed by a second person.")
        _approve(
            application,
            actor=actor,
            actor_kind=ActorKind.SUPERVISOR,
            tier=proposal.tier,
            valid_to=proposal.valid_to,
            detail={"proposed_by": proposal.proposed_by.email, "confirmed_by": actor.email},
            proposal=proposal,
        )
    return application


def _unused_certificate_number() -> str:
    """A random number not yet issued (a collision is about one in 10^12; try again)."""
    while True:
        number = certificate_numbers.new_number(settings.PROGRAM_COUNTRY)
        if not Certificate.objects.filter(number=number).exists():
            return number


def _close_proposal(
    application: Application, *, actor: User, confirmed: ApprovalProposal | None = None
) -> None:
    """The decision ends the four-eyes wait: the confirmed proposal is confirmed, any other
    waiting one withdrawn (recorded in the decision's own event)."""
    now = timezone.now()
    for proposal in application.approval_proposals.pending().select_for_update():
        if confirmed is not None and proposal.pk == confirmed.pk:
            PROPOSAL.apply(proposal, "confirm", ActorKind.SUPERVISOR)
            proposal.confirmed_by, proposal.confirmed_at = actor, now
            proposal.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        else:
            PROPOSAL.apply(proposal, "withdraw", ActorKind.SYSTEM)
            proposal.withdrawn_at = now
            proposal.save(update_fields=["status", "withdrawn_at"])


def _approve(
    application: Application,
    *,
    actor: User,
    actor_kind: ActorKind,
    tier: int,
    valid_to: date,
    detail: Mapping[str, Any] | None = None,
    proposal: ApprovalProposal | None = None,
) -> Certificate:
    _close_proposal(application, actor=actor, confirmed=proposal)
    certificate = Certificate.objects.create(
        application=application,
        organisation=application.organisation,
        number=_unused_certificate_number(),
        tier=tier,
        valid_from=timezone.localdate(),
        valid_to=valid_to,
    )
    # A revalidation supersedes the organisation's previous standing (each application
    # records its own transition).
    for previous in (
        Application.objects.select_for_update()
        .filter(organisation=application.organisation)
        .active()
        .exclude(pk=application.pk)
    ):
        transition(
            previous,
            "expire",
            actor=None,
            actor_kind=ActorKind.SYSTEM,
            reason=f"Superseded by the revalidation {application.reference}.",
        )
    application.decided_at = timezone.now()
    application.decision_reason = ""
    transition(
        application,
        "approve",
        actor=actor,
        actor_kind=actor_kind,
        detail={
            "tier": tier,
            "certificate": certificate.number,
            "valid_to": valid_to.isoformat(),
            **(detail or {}),
        },
        update_fields=("decided_at", "decision_reason"),
    )
    return certificate


def application_reject(*, actor: User, application: Application, reason: str) -> Application:
    actor_kind = require_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason; the applicant will see it."})
    with transaction.atomic():
        application = locked(application)
        APPLICATION.check(application, "reject", actor_kind)
        _close_proposal(application, actor=actor)
        application.decided_at = timezone.now()
        application.decision_reason = reason.strip()
        application.reapply_after = timezone.localdate() + timedelta(
            days=reapply_after_rejection_days()
        )
        transition(
            application,
            "reject",
            actor=actor,
            actor_kind=actor_kind,
            reason=reason.strip(),
            detail={"reapply_after": application.reapply_after.isoformat()},
            update_fields=("decided_at", "decision_reason", "reapply_after"),
        )
    return application


def _certificate_number(application: Application) -> str | None:
    certificate = getattr(application, "certificate", None)
    return certificate.number if certificate else None


def application_suspend(
    *,
    actor: User | None,
    application: Application,
    reason: str,
    corrective_action_due: date | None = None,
    source: str = "officer",
) -> Application:
    """Suspend an organisation's standing (an officer, or the enforcement process with
    `actor=None, source="enforcement:<case>"`). A corrective action plan may be due."""
    actor_kind = require_staff(actor) if actor is not None else ActorKind.SYSTEM
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the suspension."})
    if corrective_action_due is not None and corrective_action_due <= timezone.localdate():
        raise ValidationError({"corrective_action_due": "The due date must be in the future."})
    with transaction.atomic():
        application = locked(application)
        application.corrective_action_due = corrective_action_due
        transition(
            application,
            "suspend",
            actor=actor,
            actor_kind=actor_kind,
            reason=reason.strip(),
            detail={
                "source": source,
                "certificate": _certificate_number(application),
                "corrective_action_due": corrective_action_due.isoformat()
                if corrective_action_due
                else None,
            },
            update_fields=("corrective_action_due",),
        )
    return application


def application_reinstate(*, actor: User, application: Application, reason: str) -> Application:
    actor_kind = require_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the suspension ends."})
    with transaction.atomic():
        application = locked(application)
        application.corrective_action_due = None
        transition(
            application,
            "reinstate",
            actor=actor,
            actor_kind=actor_kind,
            reason=reason.strip(),
            detail={"certificate": _certificate_number(application)},
            update_fields=("corrective_action_due",),
        )
    return application


def application_revoke(*, actor: User, application: Application, reason: str) -> Application:
    actor_kind = require_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason; the organisation will see it."})
    with transaction.atomic():
        application = locked(application)
        application.decision_reason = reason.strip()
        application.reapply_after = timezone.localdate() + timedelta(
            days=REAPPLY_AFTER_REVOCATION_DAYS
        )
        transition(
            application,
            "revoke",
            actor=actor,
            actor_kind=actor_kind,
            reason=reason.strip(),
            detail={
                "reapply_after": application.reapply_after.isoformat(),
                "certificate": _certificate_number(application),
            },
            update_fields=("decision_reason", "reapply_after"),
        )
    return application


def application_expire(*, application_id: int) -> Application | None:
    """System: the certificate's validity ended. Idempotent."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        certificate = getattr(application, "certificate", None)
        if certificate is None or certificate.valid_to >= timezone.localdate():
            return None
        if not APPLICATION.can(application, "expire", ActorKind.SYSTEM):
            return None
        transition(
            application,
            "expire",
            actor=None,
            actor_kind=ActorKind.SYSTEM,
            reason=f"Certificate {certificate.number} expired on {certificate.valid_to:%-d %B %Y}.",
            detail={"certificate": certificate.number},
        )
    return application
