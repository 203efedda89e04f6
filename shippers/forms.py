"""Portal forms. They validate input and hand clean values to `shippers.services`."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone

from core.reference.countries import countries, country_choices
from shippers import certificate_numbers
from shippers.documents import ALLOWED_LABELS, max_upload_bytes
from shippers.formatting import HS_CHAPTERS, hs_chapter_label
from shippers.identifiers import IdentifierType
from shippers.models import (
    BUSINESS_TYPE_CHOICES,
    Address,
    Contact,
    Identifier,
    Membership,
    Organisation,
    Principal,
    SecurityAnswer,
    SecurityQuestion,
    SupplyChainPartner,
)
from shippers.reference_data import load_document_requirements


def _country(value: str, field: str = "country") -> str:
    code = (value or "").strip().upper()
    if code not in countries():
        raise forms.ValidationError(
            "“%(value)s” is not an ISO 3166 country code: choose the country from the list "
            "(for example GB for the United Kingdom, CN for China).",
            code="invalid",
            params={"value": value.strip()},
        )
    return code


class CountryField(forms.CharField):
    """A country chosen from the ISO 3166 list; the value is its two-letter code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.Select(
                choices=[("", "Choose a country"), *country_choices()],
                attrs={"autocomplete": "country"},
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return _country(value) if value else value


class ListField(forms.CharField):
    """Comma- or line-separated values."""

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        return [item.strip() for item in re.split(r"[,\n]", text) if item.strip()]


class OrganisationCreateForm(forms.Form):
    legal_name = forms.CharField(
        max_length=300, help_text="As registered, with the legal form (Ltd, LLC, GmbH...)."
    )
    country = CountryField(label="Country of registration")
    business_type = forms.ChoiceField(choices=BUSINESS_TYPE_CHOICES)


class OrganisationProfileForm(forms.ModelForm):
    trade_names = ListField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Other names you trade under, separated by commas.",
    )
    country = CountryField(label="Country of registration")

    class Meta:
        model = Organisation
        fields = (
            "legal_name",
            "trade_names",
            "business_type",
            "country",
            "ownership",
            "ownership_details",
            "year_founded",
            "employees",
            "website",
        )
        widgets = {"ownership_details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("ownership", "year_founded", "employees"):
            self.fields[name].required = True
        if self.instance.pk:
            self.initial["trade_names"] = ", ".join(self.instance.trade_names or [])

    def clean_year_founded(self) -> int:
        year = self.cleaned_data["year_founded"]
        if year > timezone.localdate().year:
            raise forms.ValidationError("The year founded cannot be in the future.")
        return year


class IdentifierForm(forms.ModelForm):
    kind = forms.ChoiceField(label="Type", choices=IdentifierType.choices())
    issuing_country = CountryField(
        required=False,
        label="Issuing country",
        help_text="For VAT and EORI numbers: the country that issued it.",
    )

    class Meta:
        model = Identifier
        fields = ("kind", "value", "issuing_country")
        labels = {"value": "Number"}


class AddressForm(forms.ModelForm):
    country = CountryField()

    class Meta:
        model = Address
        fields = ("kind", "label", "line1", "line2", "city", "region", "postal_code", "country")

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds:
            kind_field = self.fields["kind"]
            assert isinstance(kind_field, forms.ChoiceField)
            kind_field.choices = [c for c in Address.Kind.choices if c[0] in kinds]
            if len(kinds) == 1:
                self.fields["kind"].initial = kinds[0]


class PrincipalForm(forms.ModelForm):
    nationality = CountryField()

    class Meta:
        model = Principal
        fields = ("full_name", "role", "nationality", "date_of_birth")
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"date_of_birth": "Optional; helps tell you apart from listed persons."}

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data.get("date_of_birth")
        if born and born >= timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past.")
        return born


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ("full_name", "job_title", "email", "phone", "is_company_officer")

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not re.fullmatch(r"\+?[0-9 ()-]{6,30}", phone):
            raise forms.ValidationError(
                "Enter a phone number with its country code, e.g. +44 1394 000000."
            )
        return phone


class PartnerForm(forms.ModelForm):
    country = CountryField()

    class Meta:
        model = SupplyChainPartner
        fields = ("name", "role", "country")


HS_CHAPTER_CHOICES = [(code, hs_chapter_label(code)) for code in HS_CHAPTERS]


class TradeProfileForm(forms.Form):
    annual_shipments = forms.IntegerField(
        min_value=1, max_value=100_000_000, help_text="Expected parcels or consignments a year."
    )
    origin_countries = forms.MultipleChoiceField(
        label="Origin countries",
        choices=country_choices,
        widget=forms.CheckboxSelectMultiple(attrs={"filter_mode": "collapsed"}),
        help_text="Tick every country your goods are made in or ship from.",
        error_messages={
            "required": "Choose at least one country your goods come from.",
            "invalid_choice": "“%(value)s” is not an ISO 3166 country code: choose the "
            "country from the list.",
        },
    )
    hs_chapters = forms.MultipleChoiceField(
        label="Product categories (HS chapters)",
        choices=HS_CHAPTER_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"data-filterable": "HS chapters"}),
        help_text="Tick every chapter your goods fall in: the first two digits of their "
        "tariff codes, e.g. 61 knitted clothing, 85 electrical equipment.",
    )
    marketplaces = ListField(
        required=False, help_text="Marketplaces or web shops you sell through."
    )
    carriers = ListField(
        required=False, help_text="Carriers and postal operators you hand parcels to."
    )


class SecurityProfileForm(forms.Form):
    """One yes / no / not-applicable choice and an explanation per question."""

    def __init__(
        self,
        *args: Any,
        questions: list[SecurityQuestion],
        answers: dict[str, SecurityAnswer],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            choices = [
                (SecurityAnswer.Answer.YES, "Yes"),
                (SecurityAnswer.Answer.NO, "No"),
            ]
            if question.allow_not_applicable:
                choices.append((SecurityAnswer.Answer.NOT_APPLICABLE, "Not applicable"))
            existing = answers.get(question.code)
            self.fields[f"answer_{question.code}"] = forms.ChoiceField(
                label=f"{question.code}. {question.text}",
                choices=choices,
                widget=forms.RadioSelect,
                help_text=question.help,
                required=False,
                initial=existing.answer if existing else None,
            )
            self.fields[f"explanation_{question.code}"] = forms.CharField(
                label=f"Explanation for {question.code}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Required when you answer no: say why, and what you do instead.",
                initial=existing.explanation if existing else "",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question in self.questions:
            answer = cleaned.get(f"answer_{question.code}")
            if (
                answer == SecurityAnswer.Answer.NO
                and not cleaned.get(f"explanation_{question.code}", "").strip()
            ):
                self.add_error(f"explanation_{question.code}", "Explain why the answer is no.")
        return cleaned

    def answers(self) -> dict[str, tuple[str, str]]:
        return {
            question.code: (
                self.cleaned_data[f"answer_{question.code}"],
                self.cleaned_data.get(f"explanation_{question.code}", ""),
            )
            for question in self.questions
            if self.cleaned_data.get(f"answer_{question.code}")
        }

    def grouped(self) -> list[tuple[str, list[tuple[SecurityQuestion, Any, Any]]]]:
        areas: dict[str, list[tuple[SecurityQuestion, Any, Any]]] = {}
        for question in self.questions:
            areas.setdefault(question.area_name, []).append(
                (question, self[f"answer_{question.code}"], self[f"explanation_{question.code}"])
            )
        return list(areas.items())


def document_type_choices(business_type: str) -> list[tuple[str, str]]:
    requirements = load_document_requirements()
    own = requirements.for_business_type(business_type)
    listed = [*own.required, *own.optional]
    others = [d for d in requirements.document_types.values() if d not in listed]
    return [(d.code, d.name) for d in [*listed, *others]]


ACCEPTED_UPLOADS = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"


def upload_field(*, required: bool = True) -> forms.FileField:
    """A file input that says which files it takes and how large; the browser refuses a
    larger file before uploading it (static/js/portal.js), the server checks again."""
    limit = max_upload_bytes()
    megabytes = f"{limit / (1024 * 1024):g} MB"
    return forms.FileField(
        required=required,
        help_text=("Optional. " if not required else "")
        + f"{ALLOWED_LABELS} files, up to {megabytes}.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ACCEPTED_UPLOADS,
                "data-max-bytes": str(limit),
                "data-max-label": megabytes,
            }
        ),
    )


class DocumentUploadForm(forms.Form):
    doc_type = forms.ChoiceField(label="Document type")

    def __init__(self, *args: Any, business_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = upload_field()
        doc_type = self.fields["doc_type"]
        assert isinstance(doc_type, forms.ChoiceField)
        doc_type.choices = document_type_choices(business_type)


class AttestationForm(forms.Form):
    signer_name = forms.CharField(label="Your full name", max_length=200)
    signer_title = forms.CharField(label="Your title", max_length=120)
    confirm = forms.BooleanField(
        label="I confirm that the information in this application is true and complete, "
        "and that I am authorised to sign for the organisation."
    )


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequestAnswerForm(forms.Form):
    answer = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))
    doc_type = forms.ChoiceField(label="Type of the attached document", required=False)

    def __init__(self, *args: Any, business_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = upload_field(required=False)
        doc_type = self.fields["doc_type"]
        assert isinstance(doc_type, forms.ChoiceField)
        doc_type.choices = [
            ("", "Choose a type"),
            *document_type_choices(business_type),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("file") and not cleaned.get("doc_type"):
            self.add_error("doc_type", "Say what the attached document is.")
        return cleaned


class VerifyForm(forms.Form):
    number = forms.CharField(
        label="Certificate number",
        max_length=20,
        help_text=f"For example {certificate_numbers.EXAMPLE}.",
    )

    def clean_number(self) -> str:
        number = certificate_numbers.normalise(self.cleaned_data["number"])
        problem = certificate_numbers.problem(number)
        if problem:
            raise forms.ValidationError(problem)
        return number
