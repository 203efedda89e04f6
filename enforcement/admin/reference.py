"""Reference data supervisors maintain, as immutable versions: the statutory figures and
mitigation guidelines. The admin offers "add a new version" (through the services, which
audit the value replaced) and read-only pages of the versions recorded; never an edit or a
deletion. Also the supervisors' queue of penalty notices awaiting approval."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms as django_forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from enforcement import services
from enforcement.admin._common import request_user
from enforcement.models import MitigationGuideline, PenaltyNoticeApproval, StatutoryFigure

EDIT_PERMISSION = "enforcement.edit_mitigation_guidelines"


class _VersionForm(django_forms.ModelForm):
    reason = django_forms.CharField(
        required=False,
        widget=django_forms.Textarea(attrs={"rows": 2}),
        help_text="Why the new version (recorded in the audit log with the old value).",
    )

    def check_version(self) -> None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("effective_from") and not self.errors:
            try:
                self.check_version()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned


class StatutoryFigureVersionForm(_VersionForm):
    class Meta:
        model = StatutoryFigure
        fields = ("key", "value", "unit", "description", "citation", "effective_from", "notes")

    def check_version(self) -> None:
        services.statutory_figure_version_problems(
            key=self.cleaned_data.get("key", ""),
            effective_from=self.cleaned_data["effective_from"],
        )


class MitigationGuidelineVersionForm(_VersionForm):
    class Meta:
        model = MitigationGuideline
        fields = (
            "violation_type",
            "culpability",
            "situation",
            "basis",
            "low_share",
            "high_share",
            "citation",
            "effective_from",
            "notes",
        )

    def check_version(self) -> None:
        services.mitigation_guideline_version_problems(
            violation_type=self.cleaned_data.get("violation_type", ""),
            culpability=self.cleaned_data.get("culpability", ""),
            situation=self.cleaned_data.get("situation", ""),
            effective_from=self.cleaned_data["effective_from"],
        )


class _VersionedAdmin(admin.ModelAdmin):
    """Add a version; the versions recorded are read-only history."""

    add_form: type[_VersionForm]
    version_fields: tuple[str, ...] = ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(EDIT_PERMISSION)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    @admin.display(description="")
    def new_version(self, obj: Any) -> str:
        url = reverse(f"admin:enforcement_{obj._meta.model_name}_add")
        query = urlencode({name: getattr(obj, name) for name in self.version_fields})
        return format_html('<a href="{}?{}">Add a new version</a>', url, query)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Only additions reach here (no change permission): the service writes the row.
        version = self.add_version(request, form.cleaned_data)
        obj.pk = version.pk

    def add_version(self, request: HttpRequest, data: dict[str, Any]) -> Any:
        raise NotImplementedError


@admin.register(StatutoryFigure)
class StatutoryFigureAdmin(_VersionedAdmin):
    add_form = StatutoryFigureVersionForm
    list_display = ("key", "value", "unit", "citation", "effective_from", "new_version")
    list_filter = ("unit",)
    search_fields = ("key", "citation", "description")
    version_fields = ("key", "value", "unit", "description", "citation")

    def add_version(self, request: HttpRequest, data: dict[str, Any]) -> StatutoryFigure:
        return services.statutory_figure_add_version(
            actor=request_user(request),
            key=data["key"],
            value=data["value"],
            unit=data["unit"],
            description=data["description"],
            citation=data["citation"],
            effective_from=data["effective_from"],
            notes=data["notes"],
            reason=data["reason"],
        )


@admin.register(MitigationGuideline)
class MitigationGuidelineAdmin(_VersionedAdmin):
    add_form = MitigationGuidelineVersionForm
    list_display = (
        "violation_type",
        "culpability",
        "situation",
        "basis",
        "low_share",
        "high_share",
        "citation",
        "effective_from",
        "new_version",
    )
    list_filter = ("violation_type", "culpability")
    list_select_related = ("recorded_by",)
    readonly_fields = ("recorded_at", "recorded_by")
    version_fields = (
        "violation_type",
        "culpability",
        "situation",
        "basis",
        "low_share",
        "high_share",
        "citation",
    )

    def add_version(self, request: HttpRequest, data: dict[str, Any]) -> MitigationGuideline:
        return services.mitigation_guideline_add_version(
            actor=request_user(request),
            violation_type=data["violation_type"],
            culpability=data["culpability"],
            situation=data["situation"],
            basis=data["basis"],
            low_share=data["low_share"],
            high_share=data["high_share"],
            citation=data["citation"],
            effective_from=data["effective_from"],
            notes=data["notes"],
            reason=data["reason"],
        )


@admin.register(PenaltyNoticeApproval)
class PenaltyNoticeApprovalAdmin(admin.ModelAdmin):
    """Supervisors' queue: approve or reject from the case page."""

    list_display = ("case", "amount", "status", "requested_by", "requested_at", "decided_by")
    list_filter = ("status",)
    list_select_related = ("case", "case__organisation", "requested_by", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def view_on_site(self, obj: PenaltyNoticeApproval) -> str:
        return reverse("admin:enforcement_case_change", args=[obj.case_id])
