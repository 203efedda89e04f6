"""The respondent portal for penalty cases. Views are thin: check access, validate a form,
call a service, render.

Access: a case's pages and files are visible to the members of the respondent organisation
(from the first notice) and to officers; internal evidence to officers only. Anyone else gets
404, so the existence of another party's case is not confirmed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from accounts.models import User
from core.workflow import TransitionNotAllowed
from enforcement import forms, selectors, services
from enforcement.models import Case, CaseDocument, Notice, Payment, Petition
from enforcement.services.payments import PAYABLE_STATUSES
from shippers.documents import download_name

S = Case.Status


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _visible_case(request: HttpRequest, pk: int) -> Case:
    case = get_object_or_404(Case.objects.select_related("organisation", "assigned_officer"), pk=pk)
    if not request.user.has_perm("enforcement.view_case_portal", case):
        raise Http404
    return case


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _petition_kind(case: Case) -> str | None:
    if case.status == S.PENALTY_NOTICE:
        return Petition.Kind.PETITION
    if (
        case.status == S.DECIDED
        and not case.petitions.filter(kind=Petition.Kind.SUPPLEMENTAL).exists()
    ):
        return Petition.Kind.SUPPLEMENTAL
    return None


def _petition_refusal(case: Case, kind: str | None) -> str:
    """Why a petition cannot be filed now ("" when it can)."""
    if kind is None:
        return (
            f"The case is {case.get_status_display().lower()}: there is no petition to file at "
            "this stage."
        )
    deadline = services.petition_window(case=case, kind=kind)
    if deadline is None:
        return "The period for this petition is closed."
    if deadline.due_on < timezone.localdate():
        return (
            f"The deadline to file was {deadline.due_on:%-d %B %Y} and has passed, so the portal "
            "cannot accept the petition. Contact the officer named on the notice: the fines, "
            "penalties and forfeitures officer may grant an extension."
        )
    return ""


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_for_user(user=_user(request)).prefetch_related("deadlines")
    return render(request, "enforcement/portal/case_list.html", {"cases": cases})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    is_respondent = request.user.has_perm("enforcement.act_for_respondent", case)
    kind = _petition_kind(case)
    reply_refusal = services.reply_refusal(case=case)
    return render(
        request,
        "enforcement/portal/case_detail.html",
        {
            "case": case,
            "is_respondent": is_respondent,
            "deadlines": case.deadlines.all(),
            "notices": selectors.notices(case=case),
            "timeline": selectors.timeline(case=case, for_respondent=True),
            "documents": selectors.documents(case=case, for_respondent=True),
            "petitions": case.petitions.prefetch_related("documents"),
            "decisions": case.decisions.all(),
            "payments": case.payments.all(),
            "petition_kind": kind,
            "petition_refusal": _petition_refusal(case, kind),
            "can_pay": case.status in PAYABLE_STATUSES,
            "replies": case.prepenalty_replies.prefetch_related("documents"),
            "can_reply": is_respondent and not reply_refusal,
            "reply_refusal": reply_refusal,
            "reply_refusal_shown": case.status == S.PREPENALTY_NOTICE and bool(reply_refusal),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def petition_file(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    if not request.user.has_perm("enforcement.act_for_respondent", case):
        raise PermissionDenied("Only the respondent's members can file a petition.")
    kind = _petition_kind(case)
    refusal = _petition_refusal(case, kind)
    form = forms.PetitionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refusal and form.is_valid():
        filing = (
            services.case_file_petition
            if kind == Petition.Kind.PETITION
            else services.case_file_supplemental_petition
        )
        try:
            filing(
                actor=_user(request),
                case=case,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["documents"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except TransitionNotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your petition was filed. The officer has been told.")
            return redirect("enforcement:case", pk=case.pk)
    status = 200
    if request.method == "POST" and refusal:
        status = 409
    return render(
        request,
        "enforcement/portal/petition.html",
        {
            "case": case,
            "form": form,
            "kind": kind,
            "refusal": refusal,
            "deadline": services.petition_window(case=case, kind=kind) if kind else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def prepenalty_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The respondent's written reply, with documents, to the pre-penalty notice."""
    case = _visible_case(request, pk)
    if not request.user.has_perm("enforcement.act_for_respondent", case):
        raise PermissionDenied("Only the respondent's members can reply.")
    refusal = services.reply_refusal(case=case)
    form = forms.PrepenaltyReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.case_reply_to_prepenalty_notice(
                actor=_user(request),
                case=case,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["documents"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                "Your reply was sent. The officer will consider it before deciding whether to "
                "issue a penalty notice.",
            )
            return redirect("enforcement:case", pk=case.pk)
    return render(
        request,
        "enforcement/portal/reply.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal,
            "deadline": services.reply_window(case=case),
            "notice": case.notices.filter(kind=Notice.Kind.PREPENALTY).first(),
        },
        status=409 if request.method == "POST" and refusal else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    if not request.user.has_perm("enforcement.act_for_respondent", case):
        raise PermissionDenied("Only the respondent's members can record a payment.")
    form = forms.PaymentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_record_payment(
                actor=_user(request),
                case=case,
                amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
                paid_on=form.cleaned_data["paid_on"],
                upload=form.cleaned_data["proof"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, "The payment was recorded. The officer will confirm it on receipt."
            )
            return redirect("enforcement:case", pk=case.pk)
    return render(
        request,
        "enforcement/portal/payment.html",
        {
            "case": case,
            "form": form,
            "reported": case.payments.filter(status=Payment.Status.REPORTED),
        },
    )


@login_required
def notice_detail(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    """The notice exactly as issued: the stored, sanitised HTML, never re-rendered."""
    case = _visible_case(request, pk)
    notice = get_object_or_404(Notice, pk=notice_pk, case=case)
    if not request.user.has_perm("enforcement.view_notice", notice):
        raise Http404
    response = render(
        request,
        "enforcement/portal/notice.html",
        {
            "case": case,
            "notice": notice,
            # Sanitised with an allow-list when it was issued (enforcement.notices).
            "notice_html": mark_safe(notice.html),  # noqa: S308
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    case = _visible_case(request, pk)
    document = get_object_or_404(CaseDocument, pk=document_pk, case=case)
    if not request.user.has_perm("enforcement.view_case_document", document):
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=download_name(document.original_name, document.content_type),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
