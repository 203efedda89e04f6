"""The application's steps in the portal: which parts of the profile each step edits, and
which service saves a step's form."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm

from accounts.models import User
from shippers import forms, selectors, services
from shippers.models import (
    Address,
    Application,
    Contact,
    Identifier,
    Organisation,
    Principal,
    SupplyChainPartner,
)

# Which collections each step edits: name -> (model, form class, form kwargs, heading).
COLLECTIONS: dict[str, dict[str, tuple[type[Any], type[BaseForm], dict[str, Any], str]]] = {
    "company": {
        "identifier": (Identifier, forms.IdentifierForm, {}, "Company identifiers"),
        "address": (
            Address,
            forms.AddressForm,
            {"kinds": ["registered", "operating"]},
            "Addresses",
        ),
    },
    "people": {
        "principal": (Principal, forms.PrincipalForm, {}, "Owners, directors and officers"),
        "contact": (Contact, forms.ContactForm, {}, "Contacts"),
    },
    "facilities": {
        "facility": (Address, forms.AddressForm, {"kinds": ["facility"]}, "Shipping facilities"),
        "partner": (SupplyChainPartner, forms.PartnerForm, {}, "Supply-chain partners"),
    },
}


def collection_items(organisation: Organisation, name: str) -> list[Any]:
    if name == "identifier":
        return list(organisation.identifiers.all())
    if name == "address":
        return list(organisation.addresses.exclude(kind=Address.Kind.FACILITY))
    if name == "facility":
        return list(organisation.addresses.filter(kind=Address.Kind.FACILITY))
    if name == "principal":
        return list(organisation.principals.all())
    if name == "contact":
        return list(organisation.contacts.all())
    return list(organisation.partners.all())


def next_step(step: str) -> str:
    index = selectors.STEP_SLUGS.index(step)
    return selectors.STEP_SLUGS[min(index + 1, len(selectors.STEP_SLUGS) - 1)]


def save_step(
    step: str, form: BaseForm, application: Application, user: User, *, ip_address: str | None
) -> None:
    data = form.cleaned_data
    if step == "company":
        services.organisation_update_profile(
            actor=user, organisation=application.organisation, **data
        )
    elif step == "security":
        assert isinstance(form, forms.SecurityProfileForm)
        services.application_save_security_answers(
            actor=user, application=application, answers=form.answers()
        )
    elif step == "trade":
        services.application_save_trade_profile(actor=user, application=application, **data)
    elif step == "documents":
        services.document_upload(
            actor=user, application=application, doc_type=data["doc_type"], upload=data["file"]
        )
    elif step == "attestation":
        services.application_attest(
            actor=user,
            application=application,
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            ip_address=ip_address,
        )
