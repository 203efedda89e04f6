"""The forms of the officers' decisions on an application (admin pages use Django's own
widgets, not the portal's USWDS renderer)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import timezone

from shippers import services
from shippers.models import Application
from shippers.reference_data import load_document_requirements
from shippers.services import MAX_VALIDITY_YEARS
from shippers.services.decisions import unresolved_checks

S = Application.Status

# Shippers get two weeks to answer a request for information unless the officer says otherwise.
DEFAULT_RFI_DAYS = 14
# A corrective action plan is due a month after a suspension unless the officer says otherwise.
DEFAULT_CORRECTIVE_ACTION_DAYS = 30


def latest_certificate_end(today: date) -> date:
    """The furthest validity end the services accept (6 USC 969: revalidation every 4 years)."""
    return services.latest_validity_end(today)


class DecisionForm(forms.Form):
    """Base of the decision forms. `status_seen` is the status the officer looked at: if it
    has changed by the time the form is posted, someone else acted first."""

    # Admin pages use Django's own widgets, not the portal's USWDS renderer.
    default_renderer = DjangoTemplates()

    status_seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        if not self.is_bound:
            self.fields["status_seen"].initial = application.status

    def clean_status_seen(self) -> str:
        value = str(self.cleaned_data.get("status_seen") or "")
        return value if value in S.values else ""


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _reason_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, widget=forms.Textarea(attrs={"rows": 5, "cols": 80})
    )


class ConfirmForm(DecisionForm):
    """No fields: the officer confirms what the page describes."""


class ApproveForm(DecisionForm):
    tier = forms.TypedChoiceField(
        choices=Application.Tier.choices,
        coerce=int,
        initial=Application.Tier.TIER_1,
        widget=forms.RadioSelect,
        help_text="Tier 2 only after a site validation.",
    )
    valid_to = forms.DateField(
        label="Valid until",
        required=False,
        widget=_date_input(),
        help_text=f"At most {MAX_VALIDITY_YEARS} years from today (revalidation, 6 USC 969). "
        "Leave empty for the maximum.",
    )

    override_reason = forms.CharField(
        label="Reason to approve over failed or errored checks",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Needed when a check of the latest vetting run failed or could not run; "
        "recorded with the approval for supervisors and auditors (not shown to the applicant).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_to"].initial = latest_certificate_end(timezone.localdate())
        self.unresolved_checks = unresolved_checks(application=self.application)
        if self.unresolved_checks:
            self.fields["override_reason"].required = True
            self.fields["override_reason"].error_messages["required"] = (
                "These checks failed or could not run: "
                + "; ".join(self.unresolved_checks)
                + ". Say why you approve all the same."
            )
        else:
            del self.fields["override_reason"]


class RejectForm(DecisionForm):
    reason = _reason_field("Reason", "The applicant sees this reason in the portal and e-mail.")


class RequestInformationForm(DecisionForm):
    question = forms.CharField(
        help_text="What the applicant must answer or send. The applicant sees this text.",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
    )
    documents_requested = forms.MultipleChoiceField(
        label="Documents requested",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional: the document types the applicant should upload with the answer.",
    )
    due_date = forms.DateField(widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        document_types = load_document_requirements().document_types
        documents_field = cast(forms.MultipleChoiceField, self.fields["documents_requested"])
        documents_field.choices = [
            (code, document.name) for code, document in document_types.items()
        ]
        self.fields["due_date"].initial = timezone.localdate() + timedelta(days=DEFAULT_RFI_DAYS)


class SuspendForm(DecisionForm):
    reason = _reason_field("Reason", "The organisation sees this reason.")
    corrective_action_due = forms.DateField(
        label="Corrective action plan due",
        required=False,
        widget=_date_input(),
        help_text="Leave empty if no corrective action plan is expected.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["corrective_action_due"].initial = timezone.localdate() + timedelta(
            days=DEFAULT_CORRECTIVE_ACTION_DAYS
        )


class ReinstateForm(DecisionForm):
    reason = _reason_field("Reason", "Why the suspension ends (e.g. the corrective plan).")


class RevokeForm(DecisionForm):
    reason = _reason_field(
        "Reason", "The organisation sees this reason. It may re-apply only after 3 years."
    )


class NoteForm(forms.Form):
    default_renderer = DjangoTemplates()

    text = forms.CharField(
        label="New internal note",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Only officers and supervisors see notes.",
    )
