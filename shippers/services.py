"""Writes for shippers. Each business action is one keyword-only function, one transaction,
and records its `ApplicationEvent`; e-mail and tasks are deferred until commit.

The portal, the API, the admin and the Celery tasks all call these functions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import SUPERVISOR
from shippers import notifications
from shippers.documents import inspect_upload
from shippers.identifiers import IdentifierError, validate_identifier
from shippers.models import (
    Application,
    ApplicationEvent,
    Attestation,
    Certificate,
    Document,
    Identifier,
    InternalNote,
    Invitation,
    Membership,
    Organisation,
    RequestForInformation,
    SecurityAnswer,
    SecurityQuestion,
    SecurityQuestionnaire,
)
from shippers.workflow import (
    OPEN_STATUSES,
    Actor,
    TransitionNotAllowedError,
    transition_for,
)

S = Application.Status

# Revalidation at least every 4 years (6 USC 969): no certificate is valid for longer.
MAX_VALIDITY_YEARS = 4
# After revocation a new application waits 3 years (as for an EU AEO).
REAPPLY_AFTER_REVOCATION_DAYS = 3 * 365


# A member may apply for revalidation this many days before its certificate ends.
REVALIDATION_WINDOW_DAYS = 120


def _revalidation_window_open(application: Application) -> bool:
    certificate = getattr(application, "certificate", None)
    return (
        application.status in {S.APPROVED, S.REINSTATED}
        and certificate is not None
        and certificate.valid_to - timezone.localdate() <= timedelta(days=REVALIDATION_WINDOW_DAYS)
    )


def reapply_after_rejection_days() -> int:
    return int(getattr(settings, "SHIPPERS_REAPPLY_AFTER_REJECTION_DAYS", 180))


# -- helpers ---------------------------------------------------------------------------


def _is_member(user: User, organisation: Organisation) -> bool:
    return organisation.memberships.filter(user=user).exists()


def _require_member(user: User, organisation: Organisation) -> None:
    if not _is_member(user, organisation):
        raise PermissionDenied("You are not a member of this organisation.")


def _require_staff(user: User) -> Actor:
    if user.has_role(SUPERVISOR):
        return Actor.SUPERVISOR
    if user.is_staff and user.has_perm("accounts.use_officer_pages"):
        return Actor.OFFICER
    raise PermissionDenied("Only officers and supervisors can decide applications.")


def _locked(application: Application) -> Application:
    """Re-read the application under a row lock: concurrent decisions queue here, and the
    second one sees the first one's result."""
    return Application.objects.select_for_update().get(pk=application.pk)


def _record(
    application: Application,
    kind: str,
    *,
    actor: User | None,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    from_status: str = "",
    to_status: str = "",
    visible_to_shipper: bool = True,
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        reason=reason,
        detail=dict(detail or {}),
        from_status=from_status,
        to_status=to_status,
        visible_to_shipper=visible_to_shipper,
    )


def _transition(
    application: Application,
    name: str,
    *,
    actor: User | None,
    actor_kind: Actor,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
) -> ApplicationEvent:
    """Apply a declared transition to a locked application and record it; the status
    e-mail goes to the organisation's members after commit."""
    transition = transition_for(application, name, actor_kind)
    from_status = application.status
    application.status = transition.target
    application.save(update_fields=["status"])
    event = _record(
        application,
        name,
        actor=actor,
        reason=reason,
        detail=detail,
        from_status=from_status,
        to_status=transition.target,
    )
    transaction.on_commit(lambda: notifications.status_changed(event_id=event.pk))
    return event


# -- organisations and members -----------------------------------------------------------


def organisation_create(
    *,
    user: User,
    legal_name: str,
    country: str,
    business_type: str = "online_seller",
    **profile: Any,
) -> Organisation:
    """Create an organisation with its creator as owner."""
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
    return organisation


def organisation_can_edit_profile(*, organisation: Organisation) -> bool:
    """The profile is frozen while officers review it, and after a decision (an approved
    shipper asks for changes through the program)."""
    current = organisation.applications.order_by("-created_at").first()
    return current is None or current.status in {S.DRAFT, S.INFORMATION_REQUESTED}


def organisation_update_profile(
    *, actor: User, organisation: Organisation, **fields: Any
) -> Organisation:
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        _require_member(actor, organisation)
        if not organisation_can_edit_profile(organisation=organisation):
            raise ValidationError(
                "The profile cannot be changed while the application is reviewed."
            )
        for name, value in fields.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save()
        _record_profile_change(organisation, actor, "profile", sorted(fields))
    return organisation


def _record_profile_change(
    organisation: Organisation, actor: User, part: str, fields: Iterable[str] = ()
) -> None:
    current = organisation.applications.order_by("-created_at").first()
    if current is not None and current.status == S.INFORMATION_REQUESTED:
        _record(
            current, "profile_changed", actor=actor, detail={"part": part, "fields": list(fields)}
        )


def organisation_add_item(
    *, actor: User, organisation: Organisation, model: type[Any], **values: Any
) -> Any:
    """Add an address, principal, contact, supply-chain partner or identifier."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        _require_member(actor, organisation)
        if not organisation_can_edit_profile(organisation=organisation):
            raise ValidationError(
                "The profile cannot be changed while the application is reviewed."
            )
        if model is Identifier:
            try:
                values["value"] = validate_identifier(
                    values["kind"], values["value"], values.get("issuing_country") or None
                )
            except IdentifierError as error:
                raise ValidationError({"value": error.message}) from error
            if organisation.identifiers.filter(kind=values["kind"], value=values["value"]).exists():
                raise ValidationError({"value": "This identifier is already recorded."})
        item = model(organisation=organisation, **values)
        item.full_clean()
        item.save()
        _record_profile_change(organisation, actor, model._meta.verbose_name)
    return item


def organisation_remove_item(*, actor: User, item: Any) -> None:
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=item.organisation_id)
        _require_member(actor, organisation)
        if not organisation_can_edit_profile(organisation=organisation):
            raise ValidationError(
                "The profile cannot be changed while the application is reviewed."
            )
        item.delete()
        _record_profile_change(organisation, actor, item._meta.verbose_name)


def invitation_create(
    *, actor: User, organisation: Organisation, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    email = email.strip().lower()
    with transaction.atomic():
        if not organisation.memberships.filter(user=actor, role=Membership.Role.OWNER).exists():
            raise PermissionDenied("Only an owner can invite colleagues.")
        if organisation.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError({"email": "This person is already a member."})
        if any(i.is_open for i in organisation.invitations.filter(email__iexact=email)):
            raise ValidationError({"email": "An invitation to this address is still open."})
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, invited_by=actor
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
        membership, _ = Membership.objects.get_or_create(
            organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def membership_remove(*, actor: User, membership: Membership) -> None:
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
        if not organisation.memberships.filter(user=actor, role=Membership.Role.OWNER).exists():
            raise PermissionDenied("Only an owner can remove members.")
        owners = organisation.memberships.filter(role=Membership.Role.OWNER)
        if membership.role == Membership.Role.OWNER and owners.count() == 1:
            raise ValidationError("An organisation needs at least one owner.")
        membership.delete()


# -- the application ---------------------------------------------------------------------


def application_create(*, actor: User, organisation: Organisation) -> Application:
    """Start a draft. One open application per organisation; after a rejection or a
    revocation the organisation waits until `reapply_after`."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        _require_member(actor, organisation)
        if organisation.applications.filter(status__in=OPEN_STATUSES).exists():
            raise ValidationError("This organisation already has an application in progress.")
        standing = organisation.applications.filter(
            status__in=[S.APPROVED, S.REINSTATED, S.SUSPENDED]
        ).first()
        if standing is not None and not _revalidation_window_open(standing):
            raise ValidationError(
                "This organisation is already a member of the program; revalidation opens "
                f"{REVALIDATION_WINDOW_DAYS} days before the certificate expires."
            )
        waiting = (
            organisation.applications.filter(reapply_after__gt=timezone.localdate())
            .order_by("-reapply_after")
            .first()
        )
        if waiting is not None:
            raise ValidationError(
                f"A new application can be made from {waiting.reapply_after:%-d %B %Y} "
                f"(after the decision on {waiting.reference})."
            )
        questionnaire = SecurityQuestionnaire.objects.get(is_current=True)
        application = Application.objects.create(
            organisation=organisation, questionnaire=questionnaire, created_by=actor
        )
        _record(application, "created", actor=actor, to_status=S.DRAFT)
    return application


def _editable_draft(application: Application, actor: User) -> Application:
    application = _locked(application)
    _require_member(actor, application.organisation)
    if application.status not in {S.DRAFT, S.INFORMATION_REQUESTED}:
        raise ValidationError(
            f"The application is {application.get_status_display().lower()} and cannot be changed."
        )
    return application


def application_save_trade_profile(
    *,
    actor: User,
    application: Application,
    annual_shipments: int,
    origin_countries: list[str],
    hs_chapters: list[str],
    marketplaces: list[str],
    carriers: list[str],
) -> Application:
    with transaction.atomic():
        application = _editable_draft(application, actor)
        application.annual_shipments = annual_shipments
        application.origin_countries = sorted({c.upper() for c in origin_countries})
        application.hs_chapters = sorted({c.zfill(2) for c in hs_chapters})
        application.marketplaces = [m.strip() for m in marketplaces if m.strip()]
        application.carriers = [c.strip() for c in carriers if c.strip()]
        application.save()
    return application


def application_save_security_answers(
    *, actor: User, application: Application, answers: Mapping[str, tuple[str, str]]
) -> int:
    """Store answers by question code: (answer, explanation). A "no" needs an explanation;
    "not applicable" only where the question allows it. All or nothing."""
    with transaction.atomic():
        application = _editable_draft(application, actor)
        questions = {q.code: q for q in application.questionnaire.questions.all()}
        errors: dict[str, str] = {}
        for code, (answer, explanation) in answers.items():
            question = questions.get(code)
            if question is None:
                errors[code] = "Unknown question."
            elif answer not in SecurityAnswer.Answer.values:
                errors[code] = "Choose yes, no or not applicable."
            elif answer == SecurityAnswer.Answer.NO and not explanation.strip():
                errors[code] = "Explain why the answer is no, and what you do instead."
            elif (
                answer == SecurityAnswer.Answer.NOT_APPLICABLE and not question.allow_not_applicable
            ):
                errors[code] = "This question applies to every applicant; answer yes or no."
        if errors:
            raise ValidationError(errors)
        for code, (answer, explanation) in answers.items():
            SecurityAnswer.objects.update_or_create(
                application=application,
                question=questions[code],
                defaults={"answer": answer, "explanation": explanation.strip()},
            )
    return len(answers)


def document_upload(
    *, actor: User, application: Application, doc_type: str, upload: UploadedFile
) -> Document:
    """Store an uploaded document after checking its content; the stored name is ours."""
    from shippers.reference_data import load_document_requirements

    known = set(load_document_requirements().document_types)
    if doc_type not in known:
        raise ValidationError({"doc_type": "Choose a document type from the list."})
    detected, sha256 = inspect_upload(upload, upload.size or 0)
    with transaction.atomic():
        application = _locked(application)
        _require_member(actor, application.organisation)
        if application.status not in {S.DRAFT, S.INFORMATION_REQUESTED}:
            raise ValidationError(
                "Documents can be added while the application is a draft, or to answer a request."
            )
        document = Document(
            organisation=application.organisation,
            application=application,
            doc_type=doc_type,
            original_name=(upload.name or "document")[:255],
            content_type=detected.content_type,
            size=upload.size or 0,
            sha256=sha256,
            uploaded_by=actor,
        )
        document.file.save(f"{uuid.uuid4().hex}.{detected.extension}", File(upload), save=False)
        document.save()
        if application.status == S.INFORMATION_REQUESTED:
            _record(application, "document_added", actor=actor, detail={"doc_type": doc_type})
    return document


def document_delete(*, actor: User, document: Document) -> None:
    with transaction.atomic():
        application = _editable_draft(document.application, actor) if document.application else None
        if application is None:
            raise ValidationError("This document belongs to no application.")
        if application.status != S.DRAFT:
            raise ValidationError("Documents sent with a submitted application are kept.")
        storage, name = document.file.storage, document.file.name
        document.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)


def application_attest(
    *,
    actor: User,
    application: Application,
    signer_name: str,
    signer_title: str,
    ip_address: str | None,
) -> Attestation:
    if not signer_name.strip() or not signer_title.strip():
        raise ValidationError("Type your full name and your title to sign.")
    with transaction.atomic():
        application = _editable_draft(application, actor)
        attestation, _ = Attestation.objects.update_or_create(
            application=application,
            defaults={
                "signer_name": signer_name.strip(),
                "signer_title": signer_title.strip(),
                "signed_by": actor,
                "signed_at": timezone.now(),
                "ip_address": ip_address,
            },
        )
    return attestation


def application_submit(*, actor: User, application: Application) -> Application:
    """Submit a complete draft; vetting starts after commit. Submitting twice is refused."""
    from shippers.selectors import application_submission_problems

    with transaction.atomic():
        application = _locked(application)
        _require_member(actor, application.organisation)
        if application.status != S.DRAFT:
            raise TransitionNotAllowedError(application, "submit")
        problems = application_submission_problems(application=application)
        if problems:
            raise ValidationError(problems)
        application.submitted_at = timezone.now()
        application.save(update_fields=["submitted_at"])
        _transition(application, "submit", actor=actor, actor_kind=Actor.SHIPPER)
        application_id = application.pk
        transaction.on_commit(lambda: _enqueue_vetting(application_id))
    return application


def _enqueue_vetting(application_id: int) -> None:
    from shippers.tasks import start_vetting

    start_vetting.delay(application_id)


def application_withdraw(*, actor: User, application: Application, reason: str = "") -> Application:
    with transaction.atomic():
        application = _locked(application)
        _require_member(actor, application.organisation)
        _transition(application, "withdraw", actor=actor, actor_kind=Actor.SHIPPER, reason=reason)
    return application


def application_start_vetting(*, application_id: int) -> Application | None:
    """System: vetting begins. Idempotent: an application already past submission is left."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.status != S.SUBMITTED:
            return None
        _transition(application, "start_vetting", actor=None, actor_kind=Actor.SYSTEM)
    return application


def application_complete_vetting(
    *, application_id: int, risk_level: str, summary: Mapping[str, Any]
) -> Application | None:
    """System: vetting finished; the application goes to an officer with its risk level."""
    if risk_level not in Application.Risk.values:
        raise ValueError(f"Unknown risk level {risk_level!r}")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.status != S.VETTING:
            return None
        application.risk_level = risk_level
        application.save(update_fields=["risk_level"])
        _transition(
            application,
            "complete_vetting",
            actor=None,
            actor_kind=Actor.SYSTEM,
            detail={"risk_level": risk_level, **summary},
        )
    return application


def application_assign(
    *, actor: User, application: Application, officer: User | None
) -> Application:
    _require_staff(actor)
    if officer is not None and not (
        officer.is_active and officer.is_staff and officer.has_perm("accounts.use_officer_pages")
    ):
        raise ValidationError("Applications can only be assigned to officers and supervisors.")
    with transaction.atomic():
        application = _locked(application)
        application.assigned_officer = officer
        application.save(update_fields=["assigned_officer"])
        _record(
            application,
            "assigned",
            actor=actor,
            detail={"officer": officer.email if officer else None},
            visible_to_shipper=False,
        )
    return application


def note_add(*, actor: User, application: Application, text: str) -> InternalNote:
    _require_staff(actor)
    if not text.strip():
        raise ValidationError("A note cannot be empty.")
    return InternalNote.objects.create(application=application, author=actor, text=text.strip())


def application_request_information(
    *,
    actor: User,
    application: Application,
    question: str,
    due_date: date,
    documents_requested: list[str] | None = None,
) -> RequestForInformation:
    actor_kind = _require_staff(actor)
    if not question.strip():
        raise ValidationError({"question": "Write the question for the applicant."})
    if due_date <= timezone.localdate():
        raise ValidationError({"due_date": "The due date must be in the future."})
    with transaction.atomic():
        application = _locked(application)
        request = RequestForInformation.objects.create(
            application=application,
            question=question.strip(),
            documents_requested=list(documents_requested or []),
            due_date=due_date,
            asked_by=actor,
        )
        _transition(
            application,
            "request_information",
            actor=actor,
            actor_kind=actor_kind,
            reason=question.strip(),
            detail={"request_id": request.pk, "due_date": due_date.isoformat()},
        )
    return request


def rfi_answer(
    *,
    actor: User,
    request: RequestForInformation,
    answer: str,
    documents: Iterable[Document] = (),
) -> RequestForInformation:
    """The shipper answers; when no request is left open, review resumes."""
    if not answer.strip():
        raise ValidationError({"answer": "Write your answer."})
    with transaction.atomic():
        application = _locked(request.application)
        _require_member(actor, application.organisation)
        request = RequestForInformation.objects.select_for_update().get(pk=request.pk)
        if request.status != RequestForInformation.Status.OPEN:
            raise ValidationError("This request has already been answered.")
        request.answer = answer.strip()
        request.answered_by = actor
        request.answered_at = timezone.now()
        request.status = RequestForInformation.Status.ANSWERED
        request.save()
        request.answer_documents.set(list(documents))
        _record(application, "information_provided", actor=actor, detail={"request_id": request.pk})
        if not application.information_requests.filter(
            status=RequestForInformation.Status.OPEN
        ).exists():
            _transition(application, "resume_review", actor=actor, actor_kind=Actor.SHIPPER)
        request_id = request.pk
        transaction.on_commit(lambda: notifications.rfi_answered(request_id=request_id))
    return request


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


def application_approve(
    *, actor: User, application: Application, tier: int, valid_to: date | None = None
) -> Application:
    """Approve and issue a certificate. A high-risk approval by an officer waits for a
    supervisor's confirmation (`application_confirm_approval`)."""
    actor_kind = _require_staff(actor)
    if tier not in Application.Tier.values:
        raise ValidationError({"tier": "Choose tier 1 or tier 2."})
    today = timezone.localdate()
    valid_to = _validity_end(today, valid_to)
    with transaction.atomic():
        application = _locked(application)
        transition_for(application, "approve", actor_kind)
        if application.risk_level == Application.Risk.HIGH and actor_kind != Actor.SUPERVISOR:
            if application.pending_approval:
                raise ValidationError("An approval is already waiting for a supervisor.")
            application.pending_approval = {
                "tier": tier,
                "valid_to": valid_to.isoformat(),
                "proposed_by": actor.email,
                "proposed_by_id": actor.pk,
                "proposed_at": timezone.now().isoformat(),
            }
            application.save(update_fields=["pending_approval"])
            _record(
                application,
                "approval_proposed",
                actor=actor,
                detail={"tier": tier, "valid_to": valid_to.isoformat()},
                visible_to_shipper=False,
            )
            return application
        _approve(application, actor=actor, actor_kind=actor_kind, tier=tier, valid_to=valid_to)
    return application


def application_confirm_approval(*, actor: User, application: Application) -> Application:
    """A supervisor confirms an officer's approval of a high-risk application."""
    if not actor.has_perm("shippers.confirm_high_risk_approval"):
        raise PermissionDenied("Only a supervisor can confirm this approval.")
    with transaction.atomic():
        application = _locked(application)
        pending = application.pending_approval
        if not pending:
            raise TransitionNotAllowedError(application, "approve")
        if pending.get("proposed_by_id") == actor.pk:
            raise PermissionDenied("The approval must be confirmed by a second person.")
        _approve(
            application,
            actor=actor,
            actor_kind=Actor.SUPERVISOR,
            tier=int(pending["tier"]),
            valid_to=date.fromisoformat(pending["valid_to"]),
            detail={"proposed_by": pending.get("proposed_by"), "confirmed_by": actor.email},
        )
    return application


def _approve(
    application: Application,
    *,
    actor: User,
    actor_kind: Actor,
    tier: int,
    valid_to: date,
    detail: Mapping[str, Any] | None = None,
) -> Certificate:
    application.decided_at = timezone.now()
    application.pending_approval = None
    application.decision_reason = ""
    application.save(update_fields=["decided_at", "pending_approval", "decision_reason"])
    certificate = Certificate.objects.create(
        application=application,
        organisation=application.organisation,
        number=f"pending-{uuid.uuid4().hex[:8]}",
        tier=tier,
        valid_from=timezone.localdate(),
        valid_to=valid_to,
    )
    certificate.number = f"KS-{settings.PROGRAM_COUNTRY}-{certificate.pk:06d}"
    certificate.save(update_fields=["number"])
    # A revalidation supersedes the organisation's previous standing.
    for previous in (
        Application.objects.select_for_update()
        .filter(organisation=application.organisation, status__in=[S.APPROVED, S.REINSTATED])
        .exclude(pk=application.pk)
    ):
        _transition(
            previous,
            "expire",
            actor=None,
            actor_kind=Actor.SYSTEM,
            reason=f"Superseded by the revalidation {application.reference}.",
        )
    _transition(
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
    )
    return certificate


def application_reject(*, actor: User, application: Application, reason: str) -> Application:
    actor_kind = _require_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason; the applicant will see it."})
    with transaction.atomic():
        application = _locked(application)
        application.decided_at = timezone.now()
        application.decision_reason = reason.strip()
        application.reapply_after = timezone.localdate() + timedelta(
            days=reapply_after_rejection_days()
        )
        application.pending_approval = None
        application.save(
            update_fields=["decided_at", "decision_reason", "reapply_after", "pending_approval"]
        )
        _transition(
            application,
            "reject",
            actor=actor,
            actor_kind=actor_kind,
            reason=reason.strip(),
            detail={"reapply_after": application.reapply_after.isoformat()},
        )
    return application


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
    actor_kind = _require_staff(actor) if actor is not None else Actor.SYSTEM
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the suspension."})
    if corrective_action_due is not None and corrective_action_due <= timezone.localdate():
        raise ValidationError({"corrective_action_due": "The due date must be in the future."})
    with transaction.atomic():
        application = _locked(application)
        application.corrective_action_due = corrective_action_due
        application.save(update_fields=["corrective_action_due"])
        _transition(
            application,
            "suspend",
            actor=actor,
            actor_kind=actor_kind,
            reason=reason.strip(),
            detail={
                "source": source,
                "corrective_action_due": corrective_action_due.isoformat()
                if corrective_action_due
                else None,
            },
        )
    return application


def application_reinstate(*, actor: User, application: Application, reason: str) -> Application:
    actor_kind = _require_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the suspension ends."})
    with transaction.atomic():
        application = _locked(application)
        application.corrective_action_due = None
        application.save(update_fields=["corrective_action_due"])
        _transition(
            application, "reinstate", actor=actor, actor_kind=actor_kind, reason=reason.strip()
        )
    return application


def application_revoke(*, actor: User, application: Application, reason: str) -> Application:
    actor_kind = _require_staff(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason; the organisation will see it."})
    with transaction.atomic():
        application = _locked(application)
        application.decision_reason = reason.strip()
        application.reapply_after = timezone.localdate() + timedelta(
            days=REAPPLY_AFTER_REVOCATION_DAYS
        )
        application.save(update_fields=["decision_reason", "reapply_after"])
        _transition(
            application,
            "revoke",
            actor=actor,
            actor_kind=actor_kind,
            reason=reason.strip(),
            detail={"reapply_after": application.reapply_after.isoformat()},
        )
    return application


def application_expire(*, application_id: int) -> Application | None:
    """System: the certificate's validity ended. Idempotent."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        certificate = getattr(application, "certificate", None)
        if certificate is None or certificate.valid_to >= timezone.localdate():
            return None
        if application.status not in {S.APPROVED, S.REINSTATED, S.SUSPENDED}:
            return None
        _transition(
            application,
            "expire",
            actor=None,
            actor_kind=Actor.SYSTEM,
            reason=f"Certificate {certificate.number} expired on {certificate.valid_to:%-d %B %Y}.",
        )
    return application


def certificate_send_expiry_reminder(*, certificate_id: int, days: int) -> bool:
    """Send the 90- or 30-day expiry reminder once. Returns whether one was sent."""
    field = {90: "reminded_90_at", 30: "reminded_30_at"}[days]
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if getattr(certificate, field) is not None:
            return False
        setattr(certificate, field, timezone.now())
        certificate.save(update_fields=[field])
        _record(
            certificate.application,
            "expiry_reminder",
            actor=None,
            detail={"days": days, "valid_to": certificate.valid_to.isoformat()},
        )
        transaction.on_commit(
            lambda: notifications.certificate_expiring(certificate_id=certificate_id, days=days)
        )
    return True


def rfi_flag_overdue(*, request_id: int) -> bool:
    """Tell the shipper (once) that a request is overdue."""
    with transaction.atomic():
        request = RequestForInformation.objects.select_for_update().get(pk=request_id)
        if not request.is_overdue or request.overdue_notified_at is not None:
            return False
        request.overdue_notified_at = timezone.now()
        request.save(update_fields=["overdue_notified_at"])
        _record(
            request.application,
            "information_overdue",
            actor=None,
            detail={"request_id": request.pk},
        )
        transaction.on_commit(lambda: notifications.rfi_overdue(request_id=request_id))
    return True


def organisation_current_standing(*, organisation: Organisation) -> Application | None:
    """The application that carries the organisation's standing (for enforcement)."""
    return (
        organisation.applications.exclude(status__in=[*OPEN_STATUSES, S.WITHDRAWN])
        .order_by("-decided_at", "-created_at")
        .first()
    )


# -- security questionnaire versions --------------------------------------------------------


def questionnaire_new_version(
    *, actor: User, questionnaire: SecurityQuestionnaire
) -> SecurityQuestionnaire:
    """A new, not yet current version with the same questions, for a supervisor to revise.
    Applications keep the version they answered."""
    if not actor.has_perm("shippers.add_securityquestionnaire"):
        raise PermissionDenied("Only supervisors can make new questionnaire versions.")
    with transaction.atomic():
        # Lock the newest version: two supervisors copying at once get consecutive numbers.
        newest = SecurityQuestionnaire.objects.select_for_update().order_by("-version").first()
        version = (newest.version if newest else 0) + 1
        copy = SecurityQuestionnaire.objects.create(
            version=version,
            title=questionnaire.title,
            source=questionnaire.source,
            minimum_must_score=questionnaire.minimum_must_score,
            is_current=False,
            created_by=actor,
        )
        SecurityQuestion.objects.bulk_create(
            SecurityQuestion(
                questionnaire=copy,
                area_code=question.area_code,
                area_name=question.area_name,
                code=question.code,
                text=question.text,
                help=question.help,
                requirement=question.requirement,
                weight=question.weight,
                allow_not_applicable=question.allow_not_applicable,
                order=question.order,
            )
            for question in questionnaire.questions.order_by("order", "pk")
        )
    return copy


def questionnaire_make_current(
    *, actor: User, questionnaire: SecurityQuestionnaire
) -> SecurityQuestionnaire:
    """Make this version the one new applications answer; exactly one is current. Who made
    it current, and when, is recorded on the version."""
    if not actor.has_perm("shippers.change_securityquestionnaire"):
        raise PermissionDenied("Only supervisors can change the current questionnaire.")
    with transaction.atomic():
        versions = list(SecurityQuestionnaire.objects.select_for_update().order_by("pk"))
        if not any(v.pk == questionnaire.pk for v in versions):
            raise ValidationError("This questionnaire no longer exists.")
        if not SecurityQuestion.objects.filter(questionnaire=questionnaire).exists():
            raise ValidationError("A questionnaire without questions cannot be made current.")
        SecurityQuestionnaire.objects.filter(is_current=True).exclude(pk=questionnaire.pk).update(
            is_current=False
        )
        SecurityQuestionnaire.objects.filter(pk=questionnaire.pk).update(
            is_current=True, made_current_at=timezone.now(), made_current_by=actor
        )
    questionnaire.refresh_from_db()
    return questionnaire
