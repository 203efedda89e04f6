"""The application's steps in the portal.

Each step is one HTML form: the step's own fields, the items it lists (identifiers,
addresses, people, facilities, partners) and every button. Whichever button is pressed,
everything typed is kept: the step's fields are saved when they are valid (and shown
again with their errors when not), an item typed but not added is added with the step's
fields, and an item half-typed under another "Add" is shown again as typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.client import client_address
from core.workflow import TransitionNotAllowed
from shippers import extensions, forms, panels, selectors, services, steps, summary
from shippers.documents import UploadRejectedError
from shippers.models import Application, Document
from shippers.views import _add_errors, _is_member, _user, _visible_application


def _typed(form_class: type[BaseForm], name: str, kwargs: dict[str, Any], data: QueryDict) -> bool:
    """Whether anything was typed into a collection's "Add" fields (choices left as they
    were do not count: a select always sends a value)."""
    empty = form_class(prefix=name, **kwargs)
    for field_name, field in empty.fields.items():
        if getattr(field.widget, "input_type", "") in ("select", "radio", "checkbox"):
            continue
        if field.widget.__class__.__name__.startswith("Select"):
            continue
        if data.get(f"{name}-{field_name}", "").strip():
            return True
    return False


def _as_typed(form_class: type[BaseForm], name: str, kwargs: dict[str, Any], data: QueryDict):  # type: ignore[no-untyped-def]
    """An unbound form showing what was typed (no errors: its button was not pressed)."""
    empty = form_class(prefix=name, **kwargs)
    initial = {
        field_name: data.get(f"{name}-{field_name}")
        for field_name in empty.fields
        if data.get(f"{name}-{field_name}")
    }
    return form_class(prefix=name, initial=initial, **kwargs)


def _step_form(
    step: str, application: Application, data: QueryDict | None, files: Any, user: Any, area: int
) -> BaseForm | None:
    organisation = application.organisation
    if step == "company":
        return forms.OrganisationProfileForm(data, instance=organisation)
    if step == "security":
        return forms.SecurityProfileForm(
            data,
            questions=summary.security_area_questions(application=application, index=area),
            answers=selectors.security_answers_by_code(application=application),
        )
    if step == "trade":
        return forms.TradeProfileForm(
            data,
            initial={
                "annual_shipments": application.annual_shipments,
                "origin_countries": application.origin_countries,
                "hs_chapters": application.hs_chapters,
                "marketplaces": ", ".join(application.marketplaces),
                "carriers": ", ".join(application.carriers),
            },
        )
    if step == "documents":
        return forms.DocumentUploadForm(data, files, business_type=organisation.business_type)
    if step == "attestation":
        attestation = getattr(application, "attestation", None)
        initial = (
            {"signer_name": attestation.signer_name, "signer_title": attestation.signer_title}
            if attestation
            else {"signer_name": user.full_name}
        )
        return forms.AttestationForm(data, initial=initial)
    return None


def _save_main(request: HttpRequest, step: str, form: BaseForm, application: Application) -> bool:
    if not form.is_valid():
        return False
    try:
        steps.save_step(step, form, application, _user(request), ip_address=client_address(request))
    except UploadRejectedError as error:
        form.add_error("file", str(error))
        return False
    except ValidationError as error:
        _add_errors(form, error)
        return False
    return True


def _remove_item(request: HttpRequest, application: Application, action: str) -> None:
    _, name, item_pk = action.split(":", 2)
    if name not in steps.COLLECTIONS.get(request.resolver_match.kwargs["step"], {}):  # type: ignore[union-attr]
        raise Http404
    item = next(
        (i for i in steps.collection_items(application.organisation, name) if str(i.pk) == item_pk),
        None,
    )
    if item is None:
        raise Http404
    try:
        services.organisation_remove_item(actor=_user(request), item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Removed {item}.")


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
    areas = summary.security_areas(application=application) if step == "security" else []
    try:
        area = int(request.GET.get("area", "0"))
    except ValueError:
        area = 0
    if areas and not 0 <= area < len(areas):
        raise Http404

    posted = request.method == "POST"
    data = request.POST if posted else None
    action = request.POST.get("action", "") if posted else ""
    collections = steps.COLLECTIONS.get(step, {})
    uses_main_form = action in ("save", "draft") or (
        step == "company" and (action.startswith("add:") or action.startswith("remove:"))
    )
    main_form = _step_form(
        step,
        application,
        data if uses_main_form else None,
        request.FILES if posted and uses_main_form else None,
        user,
        area,
    )

    if (
        main_form is not None
        and main_form.is_bound
        and action.startswith(("add:", "remove:"))
        and not main_form.has_changed()
    ):
        main_form = _step_form(step, application, None, None, user, area)  # nothing to save

    # Collections: the pressed "Add", and any item typed before "Save" is added; an item
    # typed under another "Add" is shown again as typed.
    collection_forms: dict[str, BaseForm] = {}
    for name, (_model, form_class, kwargs, _heading) in collections.items():
        if posted and data is not None:
            pressed = action == f"add:{name}"
            typed = _typed(form_class, name, kwargs, data)
            if pressed or (typed and action in ("save", "draft")):
                collection_forms[name] = form_class(data, prefix=name, **kwargs)
            elif typed:
                collection_forms[name] = _as_typed(form_class, name, kwargs, data)
            else:
                collection_forms[name] = form_class(prefix=name, **kwargs)
        else:
            collection_forms[name] = form_class(prefix=name, **kwargs)

    complete = True
    if posted and action == "delete-document":
        document = get_object_or_404(
            Document, pk=request.POST.get("document"), application=application
        )
        try:
            services.document_delete(actor=user, document=document)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Removed {document.original_name}.")
        return redirect(request.get_full_path())
    if posted and action == "submit" and step == "review":
        try:
            services.application_submit(actor=user, application=application)
        except ValidationError:
            messages.error(request, "The application is not complete yet.")
            complete = False
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
            return redirect("shippers:application", pk=application.pk)
        else:
            messages.success(
                request, f"Application {application.reference} is submitted. Vetting has started."
            )
            return redirect("shippers:application", pk=application.pk)
    if posted and main_form is not None and main_form.is_bound:
        complete = _save_main(request, step, main_form, application) and complete
    if posted and action.startswith("remove:"):
        _remove_item(request, application, action)
    for name, form in list(collection_forms.items()):
        if not form.is_bound:
            continue
        model, form_class, kwargs, heading = collections[name]
        if form.is_valid():
            try:
                services.organisation_add_item(
                    actor=user, organisation=organisation, model=model, **form.cleaned_data
                )
            except ValidationError as error:
                _add_errors(form, error)
                complete = False
            else:
                messages.success(request, f"Added to {heading.lower()}.")
                collection_forms[name] = form_class(prefix=name, **kwargs)
        else:
            complete = False

    if posted and complete and action != "submit":
        if action == "save":
            if step == "documents":
                messages.success(request, "The document is uploaded.")
                return redirect(request.get_full_path())
            messages.success(request, "Saved.")
            if step == "security" and area + 1 < len(areas):
                return redirect(f"{request.path}?area={area + 1}")
            return redirect(
                "shippers:application_step", pk=application.pk, step=steps.next_step(step)
            )
        if action == "draft":
            messages.success(request, "Saved as a draft.")
        return redirect(request.get_full_path())
    if posted and action.startswith(("add:", "remove:")) and main_form and main_form.errors:
        messages.warning(
            request,
            "The company profile is not saved yet: correct what is marked and save again. "
            "Nothing you typed is lost.",
        )

    context: dict[str, Any] = {
        "application": application,
        "organisation": organisation,
        "step": step,
        "steps": selectors.application_steps(application=application),
        "step_slugs": selectors.STEP_SLUGS,
        "editable": editable,
        "next_step": steps.next_step(step),
        "form": main_form,
        "collections": [
            {
                "name": name,
                "heading": heading,
                "items": steps.collection_items(organisation, name),
                "form": collection_forms[name],
            }
            for name, (_m, _f, _k, heading) in collections.items()
        ],
        "panels": panels.application_panels(application=application, request=request),
    }
    if step == "security":
        context["areas"] = areas
        context["area"] = area
        context["area_info"] = areas[area] if areas else None
        context["exempt_areas"] = extensions.exempt_areas(application)
    if step == "documents":
        context["missing_documents"] = selectors.missing_documents(application=application)
        context["documents"] = application.documents.all()
    if step == "attestation":
        context["attestation"] = getattr(application, "attestation", None)
    if step == "review":
        context["problems"] = selectors.application_submission_problems(application=application)
        context["summary"] = summary.application_summary(application=application)
    return render(request, f"shippers/steps/{step}.html", context)
