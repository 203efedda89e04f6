"""The officer's side of an application in the admin: the read-only review page, the
decision forms and the views that call `shippers.services`.

Every decision is a service call; the admin never assigns a status. What the page offers
follows `shippers.workflow.APPLICATION.allowed` for the user's kind of actor, and only to
users with `shippers.decide_application`; the service re-checks everything under a row
lock, so a decision taken by someone else first becomes a clear conflict message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import staff_kind
from core.workflow import ActorKind, TransitionNotAllowed
from shippers import selectors, services
from shippers.admin_forms import (
    ApproveForm,
    ConfirmForm,
    DecisionForm,
    NoteForm,
    ReinstateForm,
    RejectForm,
    RequestInformationForm,
    RevokeForm,
    SuspendForm,
)
from shippers.models import (
    Application,
    SecurityAnswer,
    SecurityQuestion,
)
from shippers.reference_data import load_document_requirements
from shippers.workflow import APPLICATION, FINAL_STATUSES

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

S = Application.Status

DECIDE_PERMISSION = "shippers.decide_application"
CONFIRM_PERMISSION = "shippers.confirm_high_risk_approval"
CONFLICT_HINT = "It may have been changed by someone else; reload to see its current state."


def staff_user(request: HttpRequest) -> User:
    return cast(User, request.user)


def actor_kind(user: User) -> ActorKind | None:
    """The kind of actor the services will see this user as (`accounts.roles.staff_kind`)."""
    return staff_kind(user)


# -- decisions -----------------------------------------------------------------------------

Performer = Callable[[User, Application, dict[str, Any]], str]


def _approve(user: User, application: Application, data: dict[str, Any]) -> str:
    application = services.application_approve(
        actor=user,
        application=application,
        tier=data["tier"],
        valid_to=data.get("valid_to"),
        override_reason=data.get("override_reason") or "",
    )
    if application.status == S.APPROVED:
        return (
            f"{application.reference} approved; certificate {application.certificate.number} "
            f"issued (tier {application.certificate.tier})."
        )
    return (
        f"Approval of {application.reference} proposed. The application is high risk: a "
        "supervisor must confirm the approval before the certificate is issued."
    )


def _confirm(user: User, application: Application, data: dict[str, Any]) -> str:
    application = services.application_confirm_approval(actor=user, application=application)
    return (
        f"Approval of {application.reference} confirmed; certificate "
        f"{application.certificate.number} issued."
    )


def _reject(user: User, application: Application, data: dict[str, Any]) -> str:
    application = services.application_reject(
        actor=user, application=application, reason=data["reason"]
    )
    return (
        f"{application.reference} rejected. The applicant may re-apply from "
        f"{application.reapply_after:%-d %B %Y}."
    )


def _request_information(user: User, application: Application, data: dict[str, Any]) -> str:
    request = services.application_request_information(
        actor=user,
        application=application,
        question=data["question"],
        due_date=data["due_date"],
        documents_requested=list(data.get("documents_requested") or []),
    )
    return f"Information requested from the applicant; due {request.due_date:%-d %B %Y}."


def _suspend(user: User, application: Application, data: dict[str, Any]) -> str:
    application = services.application_suspend(
        actor=user,
        application=application,
        reason=data["reason"],
        corrective_action_due=data.get("corrective_action_due"),
    )
    return f"{application.reference} suspended."


def _reinstate(user: User, application: Application, data: dict[str, Any]) -> str:
    application = services.application_reinstate(
        actor=user, application=application, reason=data["reason"]
    )
    return f"{application.reference} reinstated."


def _revoke(user: User, application: Application, data: dict[str, Any]) -> str:
    application = services.application_revoke(
        actor=user, application=application, reason=data["reason"]
    )
    return (
        f"{application.reference} revoked. Re-application from "
        f"{application.reapply_after:%-d %B %Y}."
    )


def _assign_to_me(user: User, application: Application, data: dict[str, Any]) -> str:
    services.application_assign(actor=user, application=application, officer=user)
    return f"{application.reference} is assigned to you."


def _unassign(user: User, application: Application, data: dict[str, Any]) -> str:
    services.application_assign(actor=user, application=application, officer=None)
    return f"{application.reference} is no longer assigned."


@dataclass(frozen=True)
class Decision:
    slug: str
    label: str
    form_class: type[DecisionForm]
    perform: Performer
    explanation: str
    # Decisions that change the status refuse a form posted after the status changed.
    changes_status: bool = True
    permission: str = DECIDE_PERMISSION
    # Shown in red on the page (irreversible or adverse for the shipper).
    adverse: bool = False


DECISIONS: dict[str, Decision] = {
    decision.slug: decision
    for decision in (
        Decision(
            "approve",
            "Approve",
            ApproveForm,
            _approve,
            "Approve the application and issue a certificate. A high-risk application "
            "approved by an officer waits for a supervisor's confirmation.",
        ),
        Decision(
            "confirm_approval",
            "Confirm approval",
            ConfirmForm,
            _confirm,
            "Confirm the officer's approval of this high-risk application; the certificate "
            "is issued with the tier and validity the officer proposed.",
            permission=CONFIRM_PERMISSION,
        ),
        Decision(
            "request_information",
            "Request information",
            RequestInformationForm,
            _request_information,
            "Ask the applicant a question. The application waits until it is answered.",
        ),
        Decision(
            "reject",
            "Reject",
            RejectForm,
            _reject,
            "Reject the application. The applicant sees the reason and may re-apply later.",
            adverse=True,
        ),
        Decision(
            "suspend",
            "Suspend",
            SuspendForm,
            _suspend,
            "Suspend the organisation's known-shipper standing.",
            adverse=True,
        ),
        Decision(
            "reinstate",
            "Reinstate",
            ReinstateForm,
            _reinstate,
            "End the suspension and restore the organisation's standing.",
        ),
        Decision(
            "revoke",
            "Revoke",
            RevokeForm,
            _revoke,
            "Revoke the organisation's membership of the program. This is final.",
            adverse=True,
        ),
        Decision(
            "assign_to_me",
            "Assign to me",
            ConfirmForm,
            _assign_to_me,
            "Make yourself the officer responsible for this application.",
            changes_status=False,
        ),
        Decision(
            "unassign",
            "Unassign",
            ConfirmForm,
            _unassign,
            "Remove the assigned officer; the application goes back to the shared queue.",
            changes_status=False,
        ),
    )
}


def available_decisions(user: User, application: Application) -> list[Decision]:
    """What this user may do with the application now (the services check again)."""
    kind = actor_kind(user)
    if not user.has_perm(DECIDE_PERMISSION) or kind is None:
        return []
    allowed = {transition.name for transition in APPLICATION.allowed(application, kind)}
    pending = services.pending_proposal(application)
    slugs: list[str] = []
    if "approve" in allowed and pending is None:
        slugs.append("approve")
    if (
        "approve" in allowed
        and pending is not None
        and user.has_perm(CONFIRM_PERMISSION)
        and kind == ActorKind.SUPERVISOR
        and pending.proposed_by_id != user.pk
    ):
        slugs.append("confirm_approval")
    slugs.extend(
        name
        for name in ("request_information", "reject", "suspend", "reinstate", "revoke")
        if name in allowed
    )
    if application.status != S.DRAFT and application.status not in FINAL_STATUSES:
        if application.assigned_officer_id != user.pk:
            slugs.append("assign_to_me")
        if application.assigned_officer_id is not None:
            slugs.append("unassign")
    return [DECISIONS[slug] for slug in slugs]


def _attach_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def _change_url(application: Application) -> str:
    return reverse("admin:shippers_application_change", args=[application.pk])


def decision_view(
    model_admin: ModelAdmin[Application], request: HttpRequest, object_id: str, slug: str
) -> HttpResponse:
    """GET: the decision's form page. POST: call the service, then back to the application."""
    decision = DECISIONS.get(slug)
    if decision is None:
        raise Http404("No such decision.")
    application = model_admin.get_object(request, unquote(object_id))
    if application is None:
        raise Http404("No such application.")
    user = staff_user(request)
    if not model_admin.has_view_permission(request, application) or not user.has_perm(
        decision.permission
    ):
        raise PermissionDenied
    change_url = _change_url(application)
    if request.method == "POST":
        form = decision.form_class(request.POST, application=application)
        if form.is_valid():
            seen = form.cleaned_data.get("status_seen")
            if decision.changes_status and seen and seen != application.status:
                messages.error(
                    request,
                    f"Cannot {decision.label.lower()} application {application.reference}: it "
                    f"was {S(seen).label.lower()} when you opened the form and is now "
                    f"{application.get_status_display().lower()}. {CONFLICT_HINT}",
                )
                return HttpResponseRedirect(change_url)
            try:
                message = decision.perform(user, application, form.cleaned_data)
            except TransitionNotAllowed as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(change_url)
            except (PermissionDenied, PermissionError) as error:
                messages.error(request, str(error) or "You may not do this.")
                return HttpResponseRedirect(change_url)
            except ValidationError as error:
                _attach_errors(form, error)
                messages.error(request, f"{decision.label}: not done. " + " ".join(error.messages))
            else:
                messages.success(request, message)
                return HttpResponseRedirect(change_url)
    else:
        if decision not in available_decisions(user, application):
            messages.error(
                request,
                f"{decision.label} is not possible now: application {application.reference} "
                f"is {application.get_status_display().lower()}. {CONFLICT_HINT}",
            )
            return HttpResponseRedirect(change_url)
        form = decision.form_class(application=application)
    opts = model_admin.opts
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "title": f"{decision.label}: {application.reference}",
        "subtitle": str(application.organisation),
        "application": application,
        "decision": decision,
        "pending_approval": services.pending_proposal(application),
        "form": form,
        "change_url": change_url,
        "has_view_permission": True,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/shippers/application/decision.html", context)


def note_view(
    model_admin: ModelAdmin[Application], request: HttpRequest, object_id: str
) -> HttpResponse:
    """POST only: add an internal note through `services.note_add`."""
    if request.method != "POST":
        raise Http404
    application = model_admin.get_object(request, unquote(object_id))
    if application is None:
        raise Http404("No such application.")
    user = staff_user(request)
    if not model_admin.has_view_permission(request, application) or not user.has_perm(
        "shippers.add_internalnote"
    ):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(actor=user, application=application, text=form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "Note added.")
    else:
        messages.error(request, "A note cannot be empty.")
    return HttpResponseRedirect(_change_url(application) + "#notes")


# -- the review page -----------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    question: SecurityQuestion
    answer: str
    answer_label: str
    explanation: str
    flagged: bool


def security_answers_by_area(application: Application) -> list[tuple[str, list[AnswerRow]]]:
    """Every question of the application's questionnaire version, with its answer, grouped
    by security area in questionnaire order. A "no" to a must-question is flagged."""
    answers = selectors.security_answers_by_code(application=application)
    areas: dict[str, list[AnswerRow]] = {}
    for question in application.questionnaire.questions.order_by("order", "pk"):
        answer = answers.get(question.code)
        value = answer.answer if answer else ""
        areas.setdefault(question.area_name, []).append(
            AnswerRow(
                question=question,
                answer=value,
                answer_label=answer.get_answer_display() if answer else "Not answered",
                explanation=answer.explanation if answer else "",
                flagged=(
                    question.requirement == SecurityQuestion.Requirement.MUST
                    and value == SecurityAnswer.Answer.NO
                ),
            )
        )
    return list(areas.items())


def detail_rows(detail: dict[str, Any]) -> list[tuple[str, Any]]:
    """An event's JSON detail as labelled rows (empty values left out)."""
    return [
        (key.replace("_", " ").capitalize(), value)
        for key, value in detail.items()
        if value not in (None, "", [], {})
    ]


def _model_rows(obj: models.Model) -> list[tuple[str, Any]]:
    """(label, value) pairs of a record's own fields, for records the page does not know."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or (field.is_relation and field.name == "application"):
            continue
        display = getattr(obj, f"get_{field.name}_display", None)
        rows.append((str(field.verbose_name), display() if display else getattr(obj, field.name)))
    return rows


def vetting_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    """Every vetting run of the application with its checks, and the screening matches
    officers cleared for the organisation."""
    from screening.models import FalsePositive
    from shippers.vetting import selectors as vetting_selectors
    from shippers.vetting.services import MANAGE_PERMISSION

    return {
        "vetting_runs": vetting_selectors.run_views(application=application),
        "can_manage_vetting": request.user.has_perm(MANAGE_PERMISSION),
        "cleared_matches": FalsePositive.objects.filter(
            organisation_id=application.organisation_id
        ).select_related("marked_by"),
    }


def _event_rows(application: Application) -> list[dict[str, Any]]:
    rows = []
    for event in selectors.timeline(application=application, for_shipper=False):
        rows.append(
            {
                "event": event,
                "label": event.kind.replace("_", " ").capitalize(),
                "detail": detail_rows(event.detail or {}),
                "from_label": S(event.from_status).label if event.from_status else "",
                "to_label": S(event.to_status).label if event.to_status else "",
            }
        )
    return rows


def _document_names() -> dict[str, str]:
    document_types = load_document_requirements().document_types
    return {code: document.name for code, document in document_types.items()}


def document_rows(application: Application) -> list[dict[str, Any]]:
    names = _document_names()
    return [
        {
            "document": document,
            "type_name": names.get(document.doc_type, document.doc_type),
            "url": reverse("shippers:document_download", args=[document.pk]),
        }
        for document in application.documents.select_related("uploaded_by").order_by(
            "doc_type", "-uploaded_at"
        )
    ]


def review_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    """Everything the review page shows about one application."""
    user = staff_user(request)
    organisation = application.organisation
    submitted_at = application.submitted_at
    certificate = getattr(application, "certificate", None)
    requests = application.information_requests.select_related(
        "asked_by", "answered_by"
    ).prefetch_related("answer_documents")
    pending = services.pending_proposal(application)
    document_names = _document_names()
    return {
        "application": application,
        "organisation": organisation,
        "age_days": (timezone.now() - submitted_at).days if submitted_at else None,
        "certificate": certificate,
        "certificate_url": reverse("shippers:certificate", args=[certificate.number])
        if certificate
        else None,
        "identifiers": organisation.identifiers.all(),
        "addresses": organisation.addresses.all(),
        "principals": organisation.principals.all(),
        "contacts": organisation.contacts.all(),
        "partners": organisation.partners.all(),
        "answer_areas": security_answers_by_area(application),
        "documents": document_rows(application),
        "missing_documents": selectors.missing_documents(application=application),
        **vetting_context(request, application),
        "events": _event_rows(application),
        "information_requests": [
            {
                "request": item,
                "documents_requested": [
                    document_names.get(code, code) for code in item.documents_requested
                ],
            }
            for item in requests
        ],
        "notes": application.notes.select_related("author"),
        "note_form": NoteForm(),
        "can_add_note": user.has_perm("shippers.add_internalnote"),
        "pending_approval": pending,
        "decisions": available_decisions(user, application),
        "attestation": getattr(application, "attestation", None),
    }


def application_review_view(
    model_admin: ModelAdmin[Application], request: HttpRequest, object_id: str
) -> HttpResponse:
    application = model_admin.get_object(request, unquote(object_id))
    if application is None:
        raise Http404("No such application.")
    if not model_admin.has_view_permission(request, application):
        raise PermissionDenied
    opts = model_admin.opts
    context = {
        **model_admin.admin_site.each_context(request),
        **review_context(request, application),
        "opts": opts,
        "app_label": opts.app_label,
        "title": f"Application {application.reference}",
        "subtitle": str(application.organisation),
        "original": application,
        "has_view_permission": True,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/shippers/application/review.html", context)
