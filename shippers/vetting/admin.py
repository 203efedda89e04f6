"""Vetting runs in the admin: the officers' queue of alerts from re-screening after list
updates and from periodic re-vetting. Read-only; officers act on the application's
review page (acknowledge, clear a match, re-run), through `shippers.vetting.services`."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from shippers.models import VettingRun


class AlertStateFilter(admin.SimpleListFilter):
    title = "alert"
    parameter_name = "alert"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[VettingRun]
    ) -> list[tuple[str, str]]:
        return [("open", "Open alerts"), ("acknowledged", "Acknowledged"), ("none", "No alert")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[VettingRun]
    ) -> QuerySet[VettingRun]:
        value = self.value()
        if value == "open":
            return queryset.filter(needs_attention=True, acknowledged_at__isnull=True)
        if value == "acknowledged":
            return queryset.filter(needs_attention=True, acknowledged_at__isnull=False)
        if value == "none":
            return queryset.filter(needs_attention=False)
        return queryset


@admin.register(VettingRun)
class VettingRunAdmin(admin.ModelAdmin[VettingRun]):
    list_display = (
        "application_link",
        "organisation",
        "reason",
        "started_at",
        "finished_at",
        "risk_level",
        "alert_state",
    )
    list_filter = (AlertStateFilter, "reason", "risk_level")
    search_fields = ("application__organisation__legal_name",)
    date_hierarchy = "started_at"
    list_select_related = ("application__organisation", "acknowledged_by")
    ordering = ("-started_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[VettingRun]:
        return super().get_queryset(request).select_related("application__organisation")

    @admin.display(description="application", ordering="application")
    def application_link(self, run: VettingRun) -> str:
        url = reverse("admin:shippers_application_change", args=[run.application_id])
        return format_html(
            '<a href="{}#vetting-run-{}">{}</a>', url, run.pk, run.application.reference
        )

    @admin.display(description="organisation", ordering="application__organisation__legal_name")
    def organisation(self, run: VettingRun) -> str:
        return run.application.organisation.legal_name

    @admin.display(description="alert")
    def alert_state(self, run: VettingRun) -> str:
        if not run.needs_attention:
            return "-"
        if run.acknowledged_at:
            return f"Acknowledged by {run.acknowledged_by}"
        return "Open"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: VettingRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: VettingRun | None = None) -> bool:
        return False
