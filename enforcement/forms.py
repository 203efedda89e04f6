"""Forms for the respondent portal and the officer pages. Validation of the business rules
happens in the services; these only parse input."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import User
from enforcement.models import (
    Case,
    Culpability,
    Deadline,
    PrepenaltyException,
    ReplyOutcome,
    ViolationType,
)
from shippers.models import Organisation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data]
        return [single_clean(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# -- respondent portal ----------------------------------------------------------------------


class PetitionForm(forms.Form):
    text = forms.CharField(
        label="Your petition",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="The facts, why relief is due, and any mitigating factors (19 CFR 171.11).",
    )
    documents = MultipleFileField(
        label="Supporting documents",
        required=False,
        help_text="PDF, PNG, JPEG, DOCX or XLSX; you can choose several files.",
    )


class PrepenaltyReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Why a penalty should not be issued, or not in the amount proposed: the facts, "
        "your reasons and anything the officer should consider (19 CFR 162.78).",
        error_messages={"required": "Write your reply."},
    )
    documents = MultipleFileField(
        label="Supporting documents",
        required=False,
        help_text="PDF, PNG, JPEG, DOCX or XLSX; you can choose several files.",
    )


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label="Amount paid (USD)", max_digits=16, decimal_places=2)
    reference = forms.CharField(
        label="Payment reference", max_length=120, help_text="As shown on your bank transfer."
    )
    paid_on = forms.DateField(label="Date paid", widget=DateInput())
    proof = forms.FileField(label="Proof of payment (optional)", required=False)


# -- officer pages --------------------------------------------------------------------------

FACT_FORM_FIELDS = [
    "summary",
    "culpability",
    "violation_date",
    "discovery_date",
    "currency",
    "loss_of_revenue",
    "loss_date",
    "dutiable_value",
    "domestic_value",
    "msrp_genuine",
    "liquidated_damages_claim",
    "bond_amount",
    "prior_violations",
    "prior_disclosure",
    "prior_disclosure_date",
    "involves_seizure",
]


class CaseFactsForm(forms.ModelForm):
    entry_references_text = forms.CharField(
        label="Entry or shipment references",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: entry numbers, bills of lading, tracking numbers.",
    )

    class Meta:
        model = Case
        fields = [f for f in FACT_FORM_FIELDS if f != "currency"]
        widgets = {
            "violation_date": DateInput(),
            "discovery_date": DateInput(),
            "loss_date": DateInput(),
            "prior_disclosure_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["entry_references_text"].initial = "\n".join(self.instance.entry_references)

    def changes(self) -> dict[str, Any]:
        changes = {
            name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields
        }
        if "entry_references_text" in self.changed_data:
            changes["entry_references"] = _lines(self.cleaned_data["entry_references_text"])
        return changes


class CaseOpenForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        help_text="The respondent, when it is a registered organisation.",
    )
    party_name = forms.CharField(label="Unregistered party: name", required=False)
    party_identifiers = forms.CharField(
        label="Unregistered party: identifiers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line (EIN, EORI, VAT...).",
    )
    party_address = forms.CharField(
        label="Unregistered party: address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    party_country = forms.CharField(
        label="Unregistered party: country", required=False, max_length=2
    )
    violation_type = forms.ChoiceField(choices=ViolationType.choices)
    culpability = forms.ChoiceField(
        choices=[("", "Not applicable"), *Culpability.choices], required=False
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    violation_date = forms.DateField(widget=DateInput())
    discovery_date = forms.DateField(widget=DateInput(), required=False)
    entry_references = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One per line."
    )
    loss_of_revenue = forms.DecimalField(
        label="Loss of duties, taxes and fees", min_value=0, decimal_places=2, initial=0
    )
    loss_date = forms.DateField(widget=DateInput(), required=False)
    dutiable_value = forms.DecimalField(min_value=0, decimal_places=2, required=False)
    domestic_value = forms.DecimalField(min_value=0, decimal_places=2, required=False)
    msrp_genuine = forms.DecimalField(
        label="MSRP of genuine goods", min_value=0, decimal_places=2, required=False
    )
    liquidated_damages_claim = forms.DecimalField(min_value=0, decimal_places=2, required=False)
    bond_amount = forms.DecimalField(min_value=0, decimal_places=2, required=False)
    prior_violations = forms.IntegerField(min_value=0, initial=0)
    prior_disclosure = forms.BooleanField(required=False)
    prior_disclosure_date = forms.DateField(widget=DateInput(), required=False)
    involves_seizure = forms.BooleanField(required=False)

    FACTS = (
        "loss_of_revenue",
        "loss_date",
        "dutiable_value",
        "domestic_value",
        "msrp_genuine",
        "liquidated_damages_claim",
        "bond_amount",
        "prior_violations",
        "prior_disclosure",
        "prior_disclosure_date",
        "involves_seizure",
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "party_name": data["party_name"],
            "party_identifiers": _lines(data["party_identifiers"]),
            "party_address": data["party_address"],
            "party_country": data["party_country"],
            "violation_type": data["violation_type"],
            "culpability": data["culpability"],
            "summary": data["summary"],
            "violation_date": data["violation_date"],
            "discovery_date": data["discovery_date"],
            "entry_references": _lines(data["entry_references"]),
            "facts": {name: data[name] for name in self.FACTS},
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AmountForm(forms.Form):
    amount = forms.DecimalField(label="Amount (USD)", min_value=0, decimal_places=2)
    departure_reason = forms.CharField(
        label="Reason to depart from the mitigation range",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the amount is outside the range, or when no guideline applies.",
    )


class PenaltyNoticeForm(AmountForm):
    prepenalty_exception = forms.ChoiceField(
        label="19 USC 1592 without a pre-penalty notice: the exception that applies",
        required=False,
        choices=[("", "None: a pre-penalty notice was issued"), *PrepenaltyException.choices],
        widget=forms.RadioSelect,
        help_text="Only for a 19 USC 1592 case issued without a pre-penalty notice (19 USC "
        "1592(b)(1)(B)); recorded on the case.",
    )
    without_prepenalty_reason = forms.CharField(
        label="Facts that bring the case under that exception",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    petition_days = forms.IntegerField(
        label="Days to petition",
        required=False,
        min_value=1,
        help_text="Leave empty for the standard period (60 days; 30 against a seizure). "
        "Shorter, not under 7 working days, only when under 180 days remain before the statute "
        "of limitations (19 CFR 171.2(e)); longer, up to 90, in a complex case (19 CFR "
        "171.2(c)).",
    )
    petition_period_reason = forms.CharField(
        label="Reason for a different petition period",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReplyDeterminationForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Determination", choices=ReplyOutcome.choices, widget=forms.RadioSelect
    )
    determination = forms.CharField(
        label="What the reply said and why you decided so (19 CFR 162.79)",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PrepenaltyNoticeForm(AmountForm):
    response_days = forms.IntegerField(
        label="Days to reply",
        required=False,
        min_value=1,
        help_text="Leave empty for 30. Shorter (not under 7) only when under a year remains "
        "before the statute of limitations.",
    )


class DecisionForm(AmountForm):
    culpability = forms.ChoiceField(
        label="Culpability finding (19 USC 1592)",
        choices=[("", "Unchanged / not applicable"), *Culpability.choices],
        required=False,
    )
    reasoning = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
    payment_days = forms.IntegerField(
        label="Days to pay", required=False, min_value=1, help_text="Leave empty for 60."
    )


class OfficerPaymentForm(forms.Form):
    amount = forms.DecimalField(label="Amount received (USD)", min_value=0, decimal_places=2)
    reference = forms.CharField(max_length=120)
    paid_on = forms.DateField(widget=DateInput())


class ExtendDeadlineForm(forms.Form):
    new_due_on = forms.DateField(label="New due date", widget=DateInput())
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_due_on"].help_text = f"Now due on {deadline.due_on:%-d %B %Y}."


class EvidenceForm(forms.Form):
    file = forms.FileField()
    description = forms.CharField(max_length=300, required=False)
    visible_to_respondent = forms.BooleanField(
        label="Share with the respondent",
        required=False,
        help_text="Evidence is internal unless shared.",
    )


class NoteForm(forms.Form):
    text = forms.CharField(label="Internal note", widget=forms.Textarea(attrs={"rows": 4}))


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        field = self.fields["officer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            User.objects.filter(is_active=True, is_staff=True)
            .filter(Q(groups__name__in=["officer", "supervisor"]) | Q(is_superuser=True))
            .distinct()
        )


class RelateForm(forms.Form):
    number = forms.CharField(label="Related case number", max_length=24)


class PaymentReviewForm(forms.Form):
    received = forms.TypedChoiceField(
        choices=[("1", "Received: confirm"), ("0", "Not received")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApprovalDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", "Approve and issue the notice"), ("0", "Reject")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
