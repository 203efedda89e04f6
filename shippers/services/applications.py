"""The application from draft to officer: creating it, the shipper's parts of the file,
submitting and withdrawing, the system's vetting transitions, assignment and notes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import staff_kind
from core.audit import diff, snapshot
from core.outbox import publish_on_commit
from core.workflow import ActorKind
from shippers.events import AuditAction
from shippers.models import (
    Application,
    Attestation,
    InternalNote,
    Organisation,
    SecurityAnswer,
    SecurityQuestionnaire,
)
from shippers.selectors import application_submission_problems
from shippers.services.common import (
    REVALIDATION_WINDOW_DAYS,
    S,
    locked,
    record_on_application,
    require_member,
    require_staff,
    transition,
)
from shippers.workflow import ACTIVE_STATUSES, APPLICATION, EDITABLE_STATUSES

TRADE_FIELDS = ["annual_shipments", "origin_countries", "hs_chapters", "marketplaces", "carriers"]


def _revalidation_window_open(application: Application) -> bool:
    certificate = getattr(application, "certificate", None)
    return (
        application.status in ACTIVE_STATUSES
        and certificate is not None
        and certificate.valid_to - timezone.localdate() <= timedelta(days=REVALIDATION_WINDOW_DAYS)
    )


def application_create(*, actor: User, organisation: Organisation) -> Application:
    """Start a draft. One open application per organisation; after a rejection or a
    revocation the organisation waits until `reapply_after`."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        require_member(actor, organisation)
        if organisation.applications.open().exists():
            raise ValidationError("This organisation already has an application in progress.")
        standing = organisation.applications.standing().first()
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
        record_on_application(
            application,
            AuditAction.APPLICATION_CREATED,
            actor=actor,
            changes={"status": {"before": None, "after": S.DRAFT}},
            detail={"questionnaire_version": questionnaire.version},
        )
    return application


def editable_draft(application: Application, actor: User) -> Application:
    application = locked(application)
    require_member(actor, application.organisation)
    if application.status not in EDITABLE_STATUSES:
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
        application = editable_draft(application, actor)
        before = snapshot(application, TRADE_FIELDS)
        application.annual_shipments = annual_shipments
        application.origin_countries = sorted({c.upper() for c in origin_countries})
        application.hs_chapters = sorted({c.zfill(2) for c in hs_chapters})
        application.marketplaces = [m.strip() for m in marketplaces if m.strip()]
        application.carriers = [c.strip() for c in carriers if c.strip()]
        application.save()
        record_on_application(
            application,
            AuditAction.APPLICATION_TRADE_PROFILE_SAVED,
            actor=actor,
            changes=diff(before, snapshot(application, TRADE_FIELDS)),
        )
    return application


def application_save_security_answers(
    *, actor: User, application: Application, answers: Mapping[str, tuple[str, str]]
) -> int:
    """Store answers by question code: (answer, explanation). A "no" needs an explanation;
    "not applicable" only where the question allows it. All or nothing."""
    with transaction.atomic():
        application = editable_draft(application, actor)
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
        existing = {
            answer.question.code: answer.answer
            for answer in application.security_answers.select_related("question")
        }
        for code, (answer, explanation) in answers.items():
            SecurityAnswer.objects.update_or_create(
                application=application,
                question=questions[code],
                defaults={"answer": answer, "explanation": explanation.strip()},
            )
        record_on_application(
            application,
            AuditAction.APPLICATION_SECURITY_ANSWERS_SAVED,
            actor=actor,
            changes=diff(
                {code: existing.get(code) for code in answers},
                {code: answer for code, (answer, _) in answers.items()},
            ),
        )
    return len(answers)


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
        application = editable_draft(application, actor)
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
        record_on_application(
            application,
            AuditAction.APPLICATION_ATTESTED,
            actor=actor,
            detail={"signer_name": attestation.signer_name, "signer_title": signer_title.strip()},
        )
    return attestation


def application_submit(*, actor: User, application: Application) -> Application:
    """Submit a complete draft; vetting starts after commit. Submitting twice is refused."""
    with transaction.atomic():
        application = locked(application)
        require_member(actor, application.organisation)
        APPLICATION.check(application, "submit", ActorKind.SHIPPER)
        problems = application_submission_problems(application=application)
        if problems:
            raise ValidationError(problems)
        application.submitted_at = timezone.now()
        transition(
            application,
            "submit",
            actor=actor,
            actor_kind=ActorKind.SHIPPER,
            update_fields=("submitted_at",),
        )
        # Recorded with the submission (the outbox): a broker outage delays vetting, never
        # loses it or fails the submission.
        publish_on_commit("shippers.tasks.start_vetting", args=[application.pk])
    return application


def application_withdraw(*, actor: User, application: Application, reason: str = "") -> Application:
    with transaction.atomic():
        application = locked(application)
        require_member(actor, application.organisation)
        transition(
            application, "withdraw", actor=actor, actor_kind=ActorKind.SHIPPER, reason=reason
        )
    return application


def application_start_vetting(*, application_id: int) -> Application | None:
    """System: vetting begins. Idempotent: an application already past submission is left."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if not APPLICATION.can(application, "start_vetting", ActorKind.SYSTEM):
            return None
        transition(application, "start_vetting", actor=None, actor_kind=ActorKind.SYSTEM)
    return application


def application_complete_vetting(
    *, application_id: int, risk_level: str, summary: Mapping[str, Any]
) -> Application | None:
    """System: vetting finished; the application goes to an officer with its risk level."""
    if risk_level not in Application.Risk.values:
        raise ValueError(f"Unknown risk level {risk_level!r}")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if not APPLICATION.can(application, "complete_vetting", ActorKind.SYSTEM):
            return None
        before = application.risk_level
        application.risk_level = risk_level
        transition(
            application,
            "complete_vetting",
            actor=None,
            actor_kind=ActorKind.SYSTEM,
            detail={"risk_level": risk_level, **summary},
            changes={"risk_level": {"before": before or None, "after": risk_level}},
            update_fields=("risk_level",),
        )
    return application


def application_assign(
    *, actor: User, application: Application, officer: User | None
) -> Application:
    require_staff(actor)
    if officer is not None and not (officer.is_active and staff_kind(officer) is not None):
        raise ValidationError("Applications can only be assigned to officers and supervisors.")
    with transaction.atomic():
        application = locked(application)
        before = application.assigned_officer.email if application.assigned_officer else None
        application.assigned_officer = officer
        application.save(update_fields=["assigned_officer"])
        record_on_application(
            application,
            AuditAction.APPLICATION_ASSIGNED,
            actor=actor,
            detail={"officer": officer.email if officer else None},
            changes={
                "assigned_officer": {"before": before, "after": officer.email if officer else None}
            },
            internal=True,
        )
    return application


def note_add(*, actor: User, application: Application, text: str) -> InternalNote:
    require_staff(actor)
    if not text.strip():
        raise ValidationError("A note cannot be empty.")
    with transaction.atomic():
        note = InternalNote.objects.create(application=application, author=actor, text=text.strip())
        record_on_application(
            application,
            AuditAction.APPLICATION_NOTE_ADDED,
            actor=actor,
            reason=note.text,
            internal=True,
        )
    return note
