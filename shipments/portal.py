"""The shippers' portal pages for shipments: their organisation's shipments with the
decision and the reasons that concern them, the CSV upload (with a template to download),
and the organisation's API keys. Thin: check membership, validate, call a service, render.

Access: members of the organisation only (`shippers.act_for_organisation`); anyone else gets
404, so another organisation's shipments, uploads and keys are never confirmed to exist.
Officers work shipments in the admin, not here.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from apikeys.models import OrganisationAPIKey, Scope
from apikeys.services import api_key_create, api_key_revoke
from shipments import csv_rows, selectors
from shipments.models import Batch, Shipment
from shipments.uploads import shipments_upload_csv
from shippers.models import Organisation
from shippers.selectors import organisations_for_user


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _member_organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not request.user.has_perm("shippers.act_for_organisation", organisation):
        raise Http404
    return organisation


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="One row per item, UTF-8, in the template's columns (up to 5 MB).",
    )


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=50, help_text="The system that will use it.")
    scopes = forms.MultipleChoiceField(
        choices=[
            (Scope.SHIPMENTS_WRITE, Scope.SHIPMENTS_WRITE.label),
            (Scope.SHIPMENTS_READ, Scope.SHIPMENTS_READ.label),
        ],
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.SHIPMENTS_WRITE, Scope.SHIPMENTS_READ],
    )
    expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional; the key stops working at the end of this day.",
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisations = list(organisations_for_user(user=_user(request)))
    if len(organisations) == 1:
        return redirect("shipments:list", pk=organisations[0].pk)
    return render(request, "shipments/portal/home.html", {"organisations": organisations})


@login_required
def shipment_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _member_organisation(request, pk)
    shipments = selectors.shipments_for_organisation(organisation_id=organisation.pk).order_by(
        "-filed_at", "-id"
    )
    decision = request.GET.get("decision", "")
    if decision in {"release", "review", "hold", "pending"}:
        shipments = shipments.filter(decision=decision)
    page = Paginator(shipments, 50).get_page(request.GET.get("page"))
    rows = [{"shipment": s, "reasons": selectors.reasons_for_filer(s)} for s in page]
    return render(
        request,
        "shipments/portal/list.html",
        {
            "organisation": organisation,
            "page": page,
            "rows": rows,
            "decision": decision,
            "compliance": selectors.filer_compliance_rate(organisation.pk),
        },
    )


@login_required
def shipment_detail(request: HttpRequest, pk: int, shipment_id: Any) -> HttpResponse:
    organisation = _member_organisation(request, pk)
    shipment = selectors.shipment_for_organisation(
        organisation_id=organisation.pk, shipment_id=shipment_id
    )
    if shipment is None:
        raise Http404
    version = selectors.current_version(shipment=shipment)
    return render(
        request,
        "shipments/portal/detail.html",
        {
            "organisation": organisation,
            "shipment": shipment,
            "content": version.content if version else {},
            "reasons": selectors.reasons_for_filer(shipment),
        },
    )


@login_required
def csv_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        "\ufeff" + csv_rows.template_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="shipments-template.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _member_organisation(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[csv_rows.RowError] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        result = shipments_upload_csv(actor=_user(request), organisation=organisation, data=data)
        if result.ok and result.outcome is not None:
            batch = result.outcome.batch
            messages.success(
                request,
                f"{result.shipments} shipment(s) filed: {batch.accepted} new, "
                f"{batch.amended} amended, {batch.unchanged} unchanged.",
            )
            return redirect("shipments:list", pk=organisation.pk)
        errors = result.errors
        status = 400
    uploads = Batch.objects.filter(organisation=organisation, source=Batch.Source.CSV)[:10]
    return render(
        request,
        "shipments/portal/upload.html",
        {"organisation": organisation, "form": form, "errors": errors, "uploads": uploads},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _member_organisation(request, pk)
    form = ApiKeyForm(request.POST or None)
    created_key = ""
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = (
            timezone.make_aware(datetime.combine(expires_on, time.max)) if expires_on else None
        )
        try:
            api_key, created_key = api_key_create(
                organisation=organisation,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=expires_at,
                created_by=_user(request),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            form = ApiKeyForm()
            messages.success(request, f"Key {api_key.prefix} created. Copy it now.")
    keys = OrganisationAPIKey.objects.for_organisation(organisation.pk).order_by("-created")
    return render(
        request,
        "shipments/portal/api_keys.html",
        {
            "organisation": organisation,
            "form": form,
            "keys": keys,
            "created_key": created_key,
            "now": timezone.now(),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_POST
def api_key_revoke_view(request: HttpRequest, pk: int, key_id: str) -> HttpResponse:
    organisation = _member_organisation(request, pk)
    api_key = get_object_or_404(
        OrganisationAPIKey.objects.for_organisation(organisation.pk), pk=key_id
    )
    api_key_revoke(api_key=api_key, revoked_by=_user(request), reason="Revoked in the portal")
    messages.success(request, f"Key {api_key.prefix} revoked; it no longer works.")
    return redirect("shipments:api_keys", pk=organisation.pk)


__all__ = ["Shipment"]
