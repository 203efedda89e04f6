"""The officers' side of shipments in the admin: the queue (review and hold, by arrival,
filtered by port, rule, filer and level, with bulk release), the review page of one
shipment (every reason explained, the version diff, the finding form), findings with their
penalty-case button, each rule's hit rate and precision, filers' compliance rates and the
targeting dashboard. Every change is a call to `shipments.officers`."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.forms.renderers import DjangoTemplates
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from accounts.models import User
from core.models import AuditEvent
from core.workflow import TransitionNotAllowed
from shipments import charts, officers, selectors
from shipments.diffs import version_diffs
from shipments.models import Decision, QueuedShipment, RiskLevel, Shipment, ShipmentVersion
from shipments.models.examination import ExaminationFinding, FindingKind
from shipments.targeting.models import TargetingRule

VIEW_QUEUE = "shipments.view_queuedshipment"


class FindingForm(forms.Form):
    default_renderer = DjangoTemplates()

    kind = forms.ChoiceField(choices=FindingKind.choices, label="What the examination found")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    found_value = forms.DecimalField(
        required=False, min_value=0, decimal_places=2, max_digits=16, label="Value found"
    )
    msrp_genuine = forms.DecimalField(
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=16,
        label="MSRP of the genuine goods (counterfeits)",
    )


class ReasonForm(forms.Form):
    default_renderer = DjangoTemplates()

    reason = forms.CharField(max_length=2000, required=False)


class RuleFilter(admin.SimpleListFilter):
    title = "rule"
    parameter_name = "rule"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(code, code) for code in TargetingRule.objects.values_list("code", flat=True)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        code = self.value()
        if not code:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(risk_reasons__contains=[{"rule": code}])
        # SQLite has no JSON containment; the stored text has the same pair.
        return queryset.filter(risk_reasons__icontains=json.dumps({"rule": code})[1:-1])


class PortFilter(admin.SimpleListFilter):
    title = "port of arrival"
    parameter_name = "port"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        ports = (
            selectors.officer_queue()
            .order_by()
            .values_list("port_of_arrival", flat=True)
            .distinct()[:200]
        )
        return [(port, port) for port in sorted(ports)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(port_of_arrival=self.value()) if self.value() else queryset


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _say(request: HttpRequest, error: Exception) -> None:
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


@admin.register(QueuedShipment)
class QueuedShipmentAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "organisation",
        "decision",
        "risk_level",
        "risk_score",
        "first_reason",
        "port_of_arrival",
        "estimated_arrival",
        "status",
    )
    list_display_links = ("reference",)
    list_filter = (PortFilter, RuleFilter, "organisation", "risk_level", "decision", "status")
    list_select_related = ("organisation",)
    search_fields = ("reference", "house_bill", "tracking_number")
    ordering = ("estimated_arrival",)
    show_full_result_count = False
    list_per_page = 50
    actions = ("release_selected",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return selectors.officer_queue(QueuedShipment).select_related("organisation")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(officers.DECIDE_PERMISSION)

    @admin.display(description="Main reason")
    def first_reason(self, shipment: Shipment) -> str:
        for reason in shipment.risk_reasons or []:
            if isinstance(reason, dict) and not reason.get("shadow") and reason.get("title"):
                return str(reason["title"])
        return ""

    @admin.action(description="Release the selected shipments", permissions=["decide"])
    def release_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        user = _user(request)
        released, refused = 0, []
        for shipment_id, reference in queryset.values_list("id", "reference"):
            try:
                officers.shipment_release(
                    actor=user, shipment_id=shipment_id, reason="Bulk release from the queue"
                )
                released += 1
            except (TransitionNotAllowed, ValidationError, PermissionDenied) as error:
                refused.append(f"{reference}: {error}")
        if released:
            messages.success(request, f"{released} shipment(s) released.")
        for text in refused:
            messages.error(request, text)

    # -- pages -------------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="shipments_dashboard"),
            path("rules/", wrap(self.rules_view), name="shipments_rule_performance"),
            path("filers/", wrap(self.filers_view), name="shipments_filer_compliance"),
            path(
                "<uuid:pk>/act/<slug:action>/",
                wrap(self.act_view),
                name="shipments_queuedshipment_act",
            ),
            *super().get_urls(),
        ]

    def _require_viewer(self, request: HttpRequest) -> None:
        if not request.user.has_perm(VIEW_QUEUE):
            raise PermissionDenied

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        self._require_viewer(request)
        shipment = get_object_or_404(Shipment.objects.select_related("organisation"), pk=object_id)
        return self._review(request, shipment, FindingForm())

    def _review(
        self, request: HttpRequest, shipment: Shipment, finding_form: FindingForm, status: int = 200
    ) -> HttpResponse:
        versions = list(
            ShipmentVersion.objects.filter(shipment_id=shipment.pk)
            .order_by("number")
            .values_list("number", "content")
        )
        finding = (
            ExaminationFinding.objects.select_related("recorded_by", "penalty_case")
            .filter(shipment_id=shipment.pk)
            .first()
        )
        user = _user(request)
        can_decide = user.has_perm(officers.DECIDE_PERMISSION)
        keys = ("rule", "version", "code", "title", "explanation", "weight", "outcome", "citation")
        reasons = [
            {key: r.get(key) or ("" if key != "weight" else None) for key in keys}
            | {"shadow": bool(r.get("shadow")), "message": r.get("message", "")}
            for r in shipment.risk_reasons or []
            if isinstance(r, dict)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Shipment {shipment.reference}",
            "shipment": shipment,
            "reasons": [r for r in reasons if not r.get("shadow")],
            "shadow_reasons": [r for r in reasons if r.get("shadow")],
            "content": versions[-1][1] if versions else {},
            "diffs": version_diffs(versions),
            "finding": finding,
            "finding_form": finding_form if finding is None else None,
            "compliance": selectors.filer_compliance_rate(shipment.organisation_id),
            "can_release": can_decide
            and officers.SHIPMENT_MACHINE.can(shipment, "release", officers.officer_kind(user)),
            "can_examine": can_decide
            and officers.SHIPMENT_MACHINE.can(shipment, "examine", officers.officer_kind(user)),
            "can_open_case": finding is not None
            and finding.penalty_case_id is None
            and finding.kind not in officers.NO_CASE_KINDS
            and user.has_perm("enforcement.work_cases"),
            "timeline": AuditEvent.objects.for_target(shipment).select_related("actor"),
        }
        return TemplateResponse(request, "admin/shipments/review.html", context, status=status)

    def act_view(self, request: HttpRequest, pk: Any, action: str) -> HttpResponse:
        if request.method != "POST":
            raise Http404
        self._require_viewer(request)
        user = _user(request)
        shipment = get_object_or_404(Shipment.objects.select_related("organisation"), pk=pk)
        back = reverse("admin:shipments_queuedshipment_change", args=[shipment.pk])
        reason = ReasonForm(request.POST)
        note = reason.cleaned_data["reason"] if reason.is_valid() else ""
        try:
            if action == "release":
                officers.shipment_release(actor=user, shipment_id=shipment.pk, reason=note)
                messages.success(request, f"Shipment {shipment.reference} released.")
            elif action == "examine":
                officers.shipment_send_to_examination(
                    actor=user, shipment_id=shipment.pk, reason=note
                )
                messages.success(request, f"Shipment {shipment.reference} sent to examination.")
            elif action == "finding":
                form = FindingForm(request.POST)
                if not form.is_valid():
                    return self._review(request, shipment, form, status=400)
                officers.finding_record(actor=user, shipment_id=shipment.pk, **form.cleaned_data)
                messages.success(request, "The finding was recorded.")
            elif action == "penalty-case":
                finding = get_object_or_404(ExaminationFinding, shipment_id=shipment.pk)
                case = officers.finding_open_penalty_case(actor=user, finding_id=finding.pk)
                messages.success(request, f"Penalty case {case.number} opened.")
                return HttpResponseRedirect(
                    reverse("admin:enforcement_case_change", args=[case.pk])
                )
            else:
                raise Http404
        except (TransitionNotAllowed, ValidationError, PermissionDenied) as error:
            _say(request, error)
        return HttpResponseRedirect(back)

    def rules_view(self, request: HttpRequest) -> HttpResponse:
        self._require_viewer(request)
        days = 90
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Rule hit rates and precision",
            "days": days,
            "rules": selectors.rule_performance(days=days),
        }
        return TemplateResponse(request, "admin/shipments/rules.html", context)

    def filers_view(self, request: HttpRequest) -> HttpResponse:
        self._require_viewer(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Compliance rates of filers",
            "filers": selectors.filer_compliance_table(days=365),
        }
        return TemplateResponse(request, "admin/shipments/filers.html", context)

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        self._require_viewer(request)
        days = 14
        figures = selectors.dashboard_figures(days=days)
        labels = [day.strftime("%-d %b") for day in figures.days]
        decisions = [
            (Decision.RELEASE, "Release"),
            (Decision.REVIEW, "Review"),
            (Decision.HOLD, "Hold"),
            (Decision.PENDING, "Pending"),
        ]
        chart_list = [
            charts.stacked_columns(
                chart_id="chart-per-day",
                title="Shipments per day by decision",
                description=f"Shipments by estimated arrival day over the last {days} days, "
                "stacked by the targeting decision.",
                categories=labels,
                series=[
                    charts.Series(
                        label, figures.per_day[value], charts.DECISION_COLOURS.get(value, "#999")
                    )
                    for value, label in decisions
                ],
            ),
            charts.horizontal_bars(
                chart_id="chart-holds-by-rule",
                title="Shipments sent to officers, by rule",
                description="Hits of each rule on shipments held or sent to review.",
                labels=[code for code, _ in figures.holds_by_rule],
                values=[n for _, n in figures.holds_by_rule],
                value_label="Shipments",
                colour=charts.DECISION_COLOURS["hold"],
            ),
            charts.horizontal_bars(
                chart_id="chart-findings",
                title="Examination findings by kind",
                description=f"Findings recorded over the last {days} days.",
                labels=[label for label, _ in figures.findings_by_kind],
                values=[n for _, n in figures.findings_by_kind],
                value_label="Findings",
                colour=charts.PALETTE[4],
            ),
            charts.stacked_columns(
                chart_id="chart-ports",
                title="Load per port of arrival",
                description="Shipments per port (busiest first), split by what they need "
                "from officers.",
                categories=[row["port_of_arrival"] for row in figures.ports],
                series=[
                    charts.Series(
                        "Released",
                        [row["total"] - row["review"] - row["hold"] for row in figures.ports],
                        charts.DECISION_COLOURS["release"],
                    ),
                    charts.Series(
                        "Review",
                        [row["review"] for row in figures.ports],
                        charts.DECISION_COLOURS["review"],
                    ),
                    charts.Series(
                        "Hold",
                        [row["hold"] for row in figures.ports],
                        charts.DECISION_COLOURS["hold"],
                    ),
                ],
            ),
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Targeting dashboard",
            "days": days,
            "charts": chart_list,
        }
        return TemplateResponse(request, "admin/shipments/dashboard.html", context)


@admin.register(ExaminationFinding)
class ExaminationFindingAdmin(admin.ModelAdmin):
    list_display = (
        "shipment_link",
        "organisation",
        "kind",
        "port_of_arrival",
        "examined_at",
        "recorded_by",
        "penalty_case",
    )
    list_filter = ("kind", "port_of_arrival", "organisation")
    list_select_related = ("organisation", "recorded_by", "penalty_case")
    date_hierarchy = "examined_at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # recorded from the shipment's review page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Shipment")
    def shipment_link(self, finding: ExaminationFinding) -> str:
        url = reverse("admin:shipments_queuedshipment_change", args=[finding.shipment_id])
        return format_html('<a href="{}">{}</a>', url, finding.shipment_id)


__all__ = ["ExaminationFindingAdmin", "QueuedShipmentAdmin", "RiskLevel"]
