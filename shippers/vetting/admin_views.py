"""The officer's vetting actions on the application review page (POST only): re-run
vetting, clear a screening match as a false positive, acknowledge an alert. Each calls
`shippers.vetting.services` and returns to the page's vetting section."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.models import User
from shippers.models import Application, VettingRun
from shippers.vetting import services


class FalsePositiveForm(forms.Form):
    list_code = forms.CharField(max_length=20)
    source_id = forms.CharField(max_length=100)
    query = forms.CharField(max_length=500, required=False)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Say why this is not the listed party."},
    )


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Say what you found and did."},
    )


def _application(
    model_admin: ModelAdmin[Application], request: HttpRequest, object_id: str
) -> tuple[Application, User]:
    if request.method != "POST":
        raise Http404
    application = model_admin.get_object(request, unquote(object_id))
    if application is None:
        raise Http404("No such application.")
    user = request.user
    if not isinstance(user, User) or not model_admin.has_view_permission(request, application):
        raise PermissionDenied
    if not user.has_perm(services.MANAGE_PERMISSION):
        raise PermissionDenied
    return application, user


def _back(application: Application) -> HttpResponseRedirect:
    url = reverse("admin:shippers_application_change", args=[application.pk])
    return HttpResponseRedirect(url + "#vetting")


def _error(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


def rerun_view(
    model_admin: ModelAdmin[Application], request: HttpRequest, object_id: str
) -> HttpResponse:
    application, user = _application(model_admin, request, object_id)
    try:
        run = services.vetting_rerun(actor=user, application=application)
    except (ValidationError, PermissionDenied) as error:
        _error(request, error)
    else:
        messages.success(
            request,
            f"Vetting started again ({run.checks.count()} checks); reload to follow progress.",
        )
    return _back(application)


def false_positive_view(
    model_admin: ModelAdmin[Application], request: HttpRequest, object_id: str
) -> HttpResponse:
    application, user = _application(model_admin, request, object_id)
    form = FalsePositiveForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(error) for errors in form.errors.values() for error in errors)
        )
        return _back(application)
    data = form.cleaned_data
    try:
        services.vetting_mark_false_positive(
            actor=user,
            application=application,
            list_code=data["list_code"],
            source_id=data["source_id"],
            note=data["note"],
            matched_query=data["query"],
        )
    except (ValidationError, PermissionDenied) as error:
        _error(request, error)
    else:
        messages.success(
            request,
            f"{data['list_code']} {data['source_id']} recorded as not a match for "
            f"{application.organisation}. It will not be raised again unless the listed entry "
            "changes.",
        )
    return _back(application)


def acknowledge_view(
    model_admin: ModelAdmin[Application], request: HttpRequest, object_id: str, run_id: int
) -> HttpResponse:
    application, user = _application(model_admin, request, object_id)
    run = VettingRun.objects.filter(pk=run_id, application=application).first()
    if run is None:
        raise Http404("No such vetting run.")
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what you found and did.")
        return _back(application)
    try:
        services.alert_acknowledge(actor=user, run=run, note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied) as error:
        _error(request, error)
    else:
        messages.success(request, "Alert acknowledged.")
    return _back(application)
