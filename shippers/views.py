"""The shipper portal. Views are thin: check access, validate a form, call a service.

Access: an organisation's pages and files are visible to its members and to officers;
anyone else gets 404 (we do not confirm that another organisation's record exists).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
from shippers import forms, selectors, services, steps
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
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in selectors.STEP_SLUGS:
        raise Http404
    application = _visible_application(request, pk)
    organisation = application.organisation
    user = _user(request)
    editable = _is_member(request, organisation) and application.status == Application.Status.DRAFT
    if request.method == "POST" and not editable:
        raise PermissionDenied("This application cannot be changed now.")

    context: dict[str, Any] = {
        "application": application,
        "organisation": organisation,
        "step": step,
        "steps": selectors.application_steps(application=application),
        "step_slugs": selectors.STEP_SLUGS,
        "editable": editable,
        "next_step": steps.next_step(step),
    }
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    action = request.POST.get("action", "")
    main_form: BaseForm | None = None

    # Collections: add or remove one item.
    collections = steps.COLLECTIONS.get(step, {})
    collection_forms: dict[str, BaseForm] = {}
    for name, (_model, form_class, kwargs, _heading) in collections.items():
        bound = data if action == f"add:{name}" else None
        collection_forms[name] = form_class(bound, prefix=name, **kwargs)
    if request.method == "POST" and action.startswith("add:") and action[4:] in collections:
        name = action[4:]
        model, _form_class, _kwargs, heading = collections[name]
        form = collection_forms[name]
        if form.is_valid():
            try:
                services.organisation_add_item(
                    actor=user, organisation=organisation, model=model, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, f"Added to {heading.lower()}.")
                return redirect(request.path)
    if request.method == "POST" and action.startswith("remove:"):
        _, name, item_pk = action.split(":", 2)
        if name not in collections:
            raise Http404
        item = next(
            (i for i in steps.collection_items(organisation, name) if str(i.pk) == item_pk), None
        )
        if item is None:
            raise Http404
        try:
            services.organisation_remove_item(actor=user, item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Removed {item}.")
        return redirect(request.path)
    context["collections"] = [
        {
            "name": name,
            "heading": heading,
            "items": steps.collection_items(organisation, name),
            "form": collection_forms[name],
        }
        for name, (_m, _f, _k, heading) in collections.items()
    ]

    # The step's own form.
    if step == "company":
        main_form = forms.OrganisationProfileForm(
            data if action == "save" else None, instance=organisation
        )
    elif step == "security":
        main_form = forms.SecurityProfileForm(
            data if action == "save" else None,
            questions=list(application.questionnaire.questions.all()),
            answers=selectors.security_answers_by_code(application=application),
        )
    elif step == "trade":
        initial = {
            "annual_shipments": application.annual_shipments,
            "origin_countries": ", ".join(application.origin_countries),
            "hs_chapters": application.hs_chapters,
            "marketplaces": ", ".join(application.marketplaces),
            "carriers": ", ".join(application.carriers),
        }
        main_form = forms.TradeProfileForm(data if action == "save" else None, initial=initial)
    elif step == "documents":
        main_form = forms.DocumentUploadForm(
            data if action == "save" else None,
            files if action == "save" else None,
            business_type=organisation.business_type,
        )
        context["missing_documents"] = selectors.missing_documents(application=application)
        context["documents"] = application.documents.all()
    elif step == "attestation":
        attestation = getattr(application, "attestation", None)
        main_form = forms.AttestationForm(
            data if action == "save" else None,
            initial={
                "signer_name": attestation.signer_name,
                "signer_title": attestation.signer_title,
            }
            if attestation
            else {"signer_name": user.full_name},
        )
        context["attestation"] = attestation
    elif step == "review":
        context["problems"] = selectors.application_submission_problems(application=application)
        context["answers"] = selectors.security_answers_by_code(application=application)

    if request.method == "POST" and action == "delete-document":
        document = get_object_or_404(
            Document, pk=request.POST.get("document"), application=application
        )
        try:
            services.document_delete(actor=user, document=document)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Removed {document.original_name}.")
        return redirect(request.path)

    if request.method == "POST" and action == "submit" and step == "review":
        try:
            services.application_submit(actor=user, application=application)
        except ValidationError as error:
            context["problems"] = error.messages
            messages.error(request, "The application is not complete yet.")
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
            return redirect("shippers:application", pk=application.pk)
        else:
            messages.success(
                request, f"Application {application.reference} is submitted. Vetting has started."
            )
            return redirect("shippers:application", pk=application.pk)

    if (
        request.method == "POST"
        and action == "save"
        and main_form is not None
        and main_form.is_valid()
    ):
        try:
            steps.save_step(step, main_form, application, user, ip_address=_client_ip(request))
        except (ValidationError, UploadRejectedError) as error:
            if isinstance(error, UploadRejectedError):
                main_form.add_error("file", str(error))
            else:
                _add_errors(main_form, error)
        else:
            if step == "documents":
                messages.success(request, "The document is uploaded.")
                return redirect(request.path)
            messages.success(request, "Saved.")
            if "draft" in request.POST:
                return redirect(request.path)
            return redirect(
                "shippers:application_step", pk=application.pk, step=steps.next_step(step)
            )

    context["form"] = main_form
    return render(request, f"shippers/steps/{step}.html", context)


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
