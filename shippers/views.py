"""The shipper portal. Views are thin: check access, validate a form, call a service.

Access: an organisation's pages and files are visible to its members and to officers;
anyone else gets 404 (we do not confirm that another organisation's record exists).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from core import public_cache, ratelimit
from core.client import client_address
from core.workflow import ActorKind, TransitionNotAllowed
from shippers import extensions, forms, panels, selectors, services
from shippers.documents import UploadRejectedError, download_name
from shippers.events import kind_of, title_of
from shippers.models import (
    Application,
    Certificate,
    Document,
    Invitation,
    Membership,
    Organisation,
    RequestForInformation,
)
from shippers.workflow import ACTIVE_STATUSES, APPLICATION, FINAL_STATUSES


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _visible_organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not request.user.has_perm("shippers.view_organisation_portal", organisation):
        raise Http404
    return organisation


def _visible_application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("organisation", "questionnaire"), pk=pk
    )
    if not request.user.has_perm("shippers.view_organisation_portal", application.organisation):
        raise Http404
    return application


def _is_member(request: HttpRequest, organisation: Organisation) -> bool:
    return request.user.has_perm("shippers.act_for_organisation", organisation)


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _client_ip(request: HttpRequest) -> str | None:
    return client_address(request)


# -- dashboard and organisations ---------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = selectors.dashboard_rows(user=user)
    invitations = Invitation.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True
    ).select_related("organisation", "invited_by")
    return render(
        request,
        "shippers/dashboard.html",
        {"rows": rows, "invitations": [i for i in invitations if i.is_open]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    form = forms.OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(user=_user(request), **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, f"{organisation.legal_name} is registered. You can now apply."
            )
            return redirect("shippers:organisation", pk=organisation.pk)
    return render(request, "shippers/organisation_new.html", {"form": form})


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible_organisation(request, pk)
    application = selectors.current_application(organisation=organisation)
    standing = selectors.standing_application(organisation=organisation)
    return render(
        request,
        "shippers/organisation_detail.html",
        {
            "organisation": organisation,
            "application": application,
            "standing": standing,
            "certificate": getattr(standing, "certificate", None) if standing else None,
            "applications": organisation.applications.all(),
            "suspension_reason": selectors.suspension_reason(application=standing)
            if standing is not None and standing.status == Application.Status.SUSPENDED
            else "",
            "is_member": _is_member(request, organisation),
            "can_apply": application is None or application.status in FINAL_STATUSES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible_organisation(request, pk)
    user = _user(request)
    is_owner = user.has_perm("shippers.manage_organisation_members", organisation)
    form = forms.InvitationForm(request.POST if "invite" in request.POST else None)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied("Only an owner can manage members.")
        try:
            if "remove" in request.POST:
                membership = get_object_or_404(
                    Membership, pk=request.POST["remove"], organisation=organisation
                )
                services.membership_remove(actor=user, membership=membership)
                messages.success(request, f"{membership.user} no longer acts for {organisation}.")
                return redirect("shippers:members", pk=pk)
            if form.is_valid():
                invitation = services.invitation_create(
                    actor=user, organisation=organisation, **form.cleaned_data
                )
                messages.success(request, f"An invitation was sent to {invitation.email}.")
                return redirect("shippers:members", pk=pk)
        except ValidationError as error:
            _add_errors(form, error)
    return render(
        request,
        "shippers/members.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user"),
            "invitations": [i for i in organisation.invitations.all() if i.is_open],
            "form": form,
            "is_owner": is_owner,
        },
    )


@login_required
def organisation_events(request: HttpRequest, pk: int) -> HttpResponse:
    """What happened to the organisation, for its members (never internal events)."""
    organisation = _visible_organisation(request, pk)
    if not _is_member(request, organisation):
        raise Http404
    paginator = Paginator(selectors.organisation_events(organisation=organisation), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "shippers/organisation_events.html",
        {
            "organisation": organisation,
            "page": page,
            "events": [
                selectors.TimelineEvent(event, kind_of(event), title_of(event))
                for event in page.object_list
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            membership = services.invitation_accept(user=_user(request), token=invitation.token)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"You now act for {membership.organisation}.")
            return redirect("shippers:organisation", pk=membership.organisation_id)
    return render(request, "shippers/invitation.html", {"invitation": invitation})


# -- the application -----------------------------------------------------------------------


@login_required
@require_POST
def application_start(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible_organisation(request, pk)
    if not _is_member(request, organisation):
        raise Http404
    try:
        application = services.application_create(actor=_user(request), organisation=organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("shippers:organisation", pk=pk)
    return redirect("shippers:application_step", pk=application.pk, step="company")


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    is_member = _is_member(request, application.organisation)
    return render(
        request,
        "shippers/application_detail.html",
        {
            "application": application,
            "organisation": application.organisation,
            "steps": selectors.application_steps(application=application),
            "events": selectors.timeline(application=application, for_shipper=True),
            "requests": application.information_requests.all(),
            "documents": application.documents.all(),
            "certificate": getattr(application, "certificate", None),
            "is_member": is_member,
            "can_withdraw": is_member
            and APPLICATION.can(application, "withdraw", ActorKind.SHIPPER),
            "is_active": application.status in ACTIVE_STATUSES,
            "panels": panels.application_panels(application=application, request=request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    if not _is_member(request, application.organisation):
        raise Http404
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                actor=_user(request), application=application, reason=form.cleaned_data["reason"]
            )
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Application {application.reference} is withdrawn.")
        return redirect("shippers:application", pk=pk)
    return render(request, "shippers/withdraw.html", {"application": application, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def rfi_answer(request: HttpRequest, pk: int) -> HttpResponse:
    information_request = get_object_or_404(
        RequestForInformation.objects.select_related("application__organisation"), pk=pk
    )
    application = information_request.application
    if not request.user.has_perm("shippers.view_organisation_portal", application.organisation):
        raise Http404
    is_member = _is_member(request, application.organisation)
    form = forms.RequestAnswerForm(
        request.POST or None,
        request.FILES or None,
        business_type=application.organisation.business_type,
    )
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied("Only the organisation's members answer its requests.")
        if form.is_valid():
            user = _user(request)
            try:
                services.rfi_answer_with_document(
                    actor=user,
                    request=information_request,
                    answer=form.cleaned_data["answer"],
                    doc_type=form.cleaned_data.get("doc_type") or "",
                    upload=form.cleaned_data.get("file") or None,
                )
            except UploadRejectedError as error:
                form.add_error("file", str(error))
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Your answer is sent to the officer.")
                return redirect("shippers:application", pk=application.pk)
    return render(
        request,
        "shippers/rfi_answer.html",
        {
            "request_item": information_request,
            "application": application,
            "form": form,
            "is_member": is_member,
        },
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("shippers.view_organisation_portal", document.organisation):
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


@login_required
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    certificate = get_object_or_404(
        Certificate.objects.select_related("organisation", "application"), number__iexact=number
    )
    if not request.user.has_perm("shippers.view_organisation_portal", certificate.organisation):
        raise Http404
    return render(
        request,
        "shippers/certificate.html",
        {
            "certificate": certificate,
            "recognitions": extensions.verification_extras(certificate).get("recognitions", []),
            "verify_url": request.build_absolute_uri(reverse("shippers:verify"))
            + f"?number={certificate.number}",
        },
    )


def verification_limit_reached(request: HttpRequest, limit: int = 30) -> bool:
    """A per-address limit on public look-ups (30 a minute), on the real client address."""
    return not ratelimit.hit_for_client(request, "shippers.verify", limit=limit, window_seconds=60)


def _verify_answer(request: HttpRequest, query: Mapping[str, str]) -> HttpResponse:
    """Public status verification for partner administrations: only legal name, country,
    status, tier and validity; nothing else about the organisation."""
    form = forms.VerifyForm(query or None)
    result = None
    status = 200
    if query:
        if verification_limit_reached(request):
            return render(
                request, "shippers/verify.html", {"form": form, "limited": True}, status=429
            )
        if form.is_valid():
            result = selectors.certificate_for_verification(number=form.cleaned_data["number"])
            if result is None:
                status = 404
    record = selectors.verification_record(certificate=result) if result else None
    return render(
        request,
        "shippers/verify.html",
        {"form": form, "record": record, "searched": form.is_bound and form.is_valid()},
        status=status,
    )


@require_safe
@public_cache.cached_public_page("verify", public_cache.VERIFY)
def verify(request: HttpRequest) -> HttpResponse:
    return _verify_answer(request, request.GET)


@require_safe
@public_cache.cached_public_page("verify", public_cache.VERIFY)
def verify_number(request: HttpRequest, number: str) -> HttpResponse:
    """The answer of ``/verify/?number=...`` at an address of its own, which a CDN keeps."""
    return _verify_answer(request, {"number": number})
