"""Targeting in the admin: supervisors write rules (each save is a new version through the
service), back-test a version over the last N days, keep the address watch list; the
unit-value statistics are read-only."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from shipments.targeting.backtest import rule_backtest
from shipments.targeting.engine.rules import RuleKind, validate_rule
from shipments.targeting.models import (
    HsValueStatistic,
    TargetingRule,
    TargetingRuleVersion,
    WatchedAddress,
)
from shipments.targeting.services import (
    VERSION_FIELDS,
    rule_create,
    rule_version_create,
    watched_address_save,
)

BACKTEST_DAYS = (1, 7, 30, 90)


class RuleForm(forms.ModelForm):
    """The rule's identity and the content of its next version."""

    kind = forms.ChoiceField(choices=[(kind.value, kind.value) for kind in RuleKind])
    name = forms.CharField(max_length=200)
    reason = forms.CharField(max_length=300, help_text="Shown to officers on each hit.")
    weight = forms.FloatField(initial=0, help_text="Points (40 review, 80 hold by default).")
    outcome = forms.ChoiceField(choices=TargetingRuleVersion.Outcome.choices, required=False)
    shadow = forms.BooleanField(
        required=False, help_text="Evaluated and counted, with no effect on decisions."
    )
    enabled = forms.BooleanField(required=False, initial=True)
    effective_from = forms.DateField(required=False, help_text="Arrival date, inclusive.")
    effective_to = forms.DateField(required=False, help_text="Arrival date, inclusive.")
    conditions = forms.JSONField(
        initial=dict,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
        help_text="See README, Risk targeting, for each kind's conditions.",
    )
    citation = forms.CharField(max_length=500, required=False)
    change_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="Why this version."
    )

    class Meta:
        model = TargetingRule
        fields = ("code", "owner")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            current = self.instance.versions.filter(is_current=True).first()
            if current is not None:
                for key in VERSION_FIELDS:
                    self.initial[key] = getattr(current, key)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            data = self.version_fields()
            for message in validate_rule(
                kind=data["kind"],
                conditions=data["conditions"],
                weight=data["weight"],
                outcome=data["outcome"],
            ):
                self.add_error("conditions", message)
        return cleaned

    def version_fields(self) -> dict[str, Any]:
        data = {key: self.cleaned_data.get(key) for key in VERSION_FIELDS}
        data["conditions"] = data["conditions"] or {}
        data["outcome"] = data["outcome"] or ""
        data["weight"] = data["weight"] or 0.0
        return data


class VersionInline(admin.TabularInline):
    model = TargetingRuleVersion
    fields = (
        "number",
        "is_current",
        "enabled",
        "name",
        "weight",
        "outcome",
        "shadow",
        "effective_from",
        "effective_to",
        "conditions_text",
        "created_by",
        "created_at",
        "change_note",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-number",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="conditions")
    def conditions_text(self, version: TargetingRuleVersion) -> str:
        return json.dumps(version.conditions, ensure_ascii=False)[:400]


@admin.register(TargetingRule)
class TargetingRuleAdmin(admin.ModelAdmin):
    form = RuleForm
    inlines = (VersionInline,)
    list_display = (
        "code",
        "current_name",
        "current_kind",
        "current_effect",
        "current_shadow",
        "current_enabled",
        "owner",
        "hits_30_days",
    )
    search_fields = ("code", "versions__name")
    readonly_fields = ("backtest_link",)
    fieldsets = (
        (None, {"fields": ("code", "owner", "backtest_link")}),
        (
            "Next version",
            {
                "fields": (
                    "kind",
                    "name",
                    "reason",
                    "weight",
                    "outcome",
                    "shadow",
                    "enabled",
                    "effective_from",
                    "effective_to",
                    "conditions",
                    "citation",
                    "change_note",
                )
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[TargetingRule]:
        since = timezone.now() - datetime.timedelta(days=30)
        return (
            super()
            .get_queryset(request)
            .select_related("owner")
            .prefetch_related("versions")
            .annotate(
                recent_hits=Count(
                    "versions__hits",
                    filter=Q(versions__hits__recorded_at__gte=since),
                )
            )
        )

    def _current(self, rule: TargetingRule) -> TargetingRuleVersion | None:
        return next((v for v in rule.versions.all() if v.is_current), None)

    @admin.display(description="name")
    def current_name(self, rule: TargetingRule) -> str:
        current = self._current(rule)
        return f"{current.name} (v{current.number})" if current else "-"

    @admin.display(description="kind")
    def current_kind(self, rule: TargetingRule) -> str:
        current = self._current(rule)
        return current.kind if current else "-"

    @admin.display(description="effect")
    def current_effect(self, rule: TargetingRule) -> str:
        current = self._current(rule)
        if current is None:
            return "-"
        return "hold" if current.outcome else f"+{current.weight:g}"

    @admin.display(description="shadow", boolean=True)
    def current_shadow(self, rule: TargetingRule) -> bool | None:
        current = self._current(rule)
        return current.shadow if current else None

    @admin.display(description="on", boolean=True)
    def current_enabled(self, rule: TargetingRule) -> bool | None:
        current = self._current(rule)
        return current.enabled if current else None

    @admin.display(description="back-test")
    def backtest_link(self, rule: TargetingRule) -> str:
        if not rule.pk:
            return "Save the rule (switched off or in shadow mode), then back-test it."
        url = reverse("admin:shipments_targetingrule_backtest", args=[rule.pk])
        return format_html('<a href="{}">Back-test a version over the last N days</a>', url)

    @admin.display(description="hits (30 days)")
    def hits_30_days(self, rule: TargetingRule) -> int:
        return int(getattr(rule, "recent_hits", 0))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = form.version_fields()
        note = form.cleaned_data.get("change_note") or ""
        if change:
            rule_version_create(
                actor=request.user,
                rule=obj,
                owner=form.cleaned_data.get("owner"),
                change_note=note,
                **fields,
            )
        else:
            version = rule_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                owner=form.cleaned_data.get("owner"),
                change_note=note,
                **fields,
            )
            obj.pk = version.rule_id
            obj.created_at = version.rule.created_at

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Versions are written by the service only."""

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> list[dict[str, Any]]:
        note = form.cleaned_data.get("change_note") or ""
        return [{"added" if add else "changed": {"name": "version", "object": note}}]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(request.get_full_path())

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/backtest/",
                self.admin_site.admin_view(self.backtest_view),
                name="shipments_targetingrule_backtest",
            ),
            *super().get_urls(),
        ]

    def backtest_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        rule = get_object_or_404(TargetingRule, pk=pk)
        if not self.has_view_permission(request, rule):
            return redirect("admin:index")
        versions = list(rule.versions.order_by("-number"))
        number = request.GET.get("version")
        version = next(
            (v for v in versions if str(v.number) == number),
            next((v for v in versions if v.is_current), versions[0] if versions else None),
        )
        try:
            days = max(1, min(365, int(request.GET.get("days", "30"))))
        except ValueError:
            days = 30
        result = rule_backtest(rule_version=version, days=days) if version else None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Back-test of {rule.code}",
            "opts": self.model._meta,
            "rule": rule,
            "versions": versions,
            "version": version,
            "days": days,
            "day_choices": BACKTEST_DAYS,
            "result": result,
            "change_url": reverse("admin:shipments_targetingrule_change", args=[rule.pk]),
        }
        return TemplateResponse(request, "shipments/admin/backtest.html", context)


@admin.register(WatchedAddress)
class WatchedAddressAdmin(admin.ModelAdmin):
    list_display = ("label", "category", "street", "postal_code", "country", "active")
    list_filter = ("category", "active", "country")
    search_fields = ("label", "street", "postal_code", "city")
    readonly_fields = ("created_at", "created_by")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        watched_address_save(actor=request.user, address=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch it off instead: reasons on shipments name it


@admin.register(HsValueStatistic)
class HsValueStatisticAdmin(admin.ModelAdmin):
    list_display = ("heading", "median_unit_value_usd", "samples", "window_days", "computed_at")
    search_fields = ("heading",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
