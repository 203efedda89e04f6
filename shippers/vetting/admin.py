"""Vetting in the admin: the officers' queue of alerts from re-screening after list updates
and from periodic re-vetting, and the screening matches officers cleared as false positives
(a screening model that names organisations by id: shippers shows them). Read-only; officers
act on the application's review page (acknowledge, clear a match, re-run), through
`shippers.vetting.services`."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from screening.models import FalsePositive
from shippers.models import Organisation, VettingRun


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


@admin.register(FalsePositive)
class FalsePositiveAdmin(admin.ModelAdmin[FalsePositive]):
    list_display = (
        "organisation",
        "list_code",
        "source_id",
        "matched_query",
        "marked_by",
        "marked_at",
    )
    list_select_related = ("marked_by",)
    search_fields = ("organisation_name", "source_id", "matched_query")
    readonly_fields = (
        "organisation",
        "list_code",
        "source_id",
        "entry_fingerprint",
        "matched_query",
        "note",
        "marked_by",
        "marked_at",
    )
    exclude = ("organisation_id",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[FalsePositive]:
        names = Organisation.objects.filter(pk=OuterRef("organisation_id")).values("legal_name")
        return super().get_queryset(request).annotate(organisation_name=Subquery(names[:1]))

    @admin.display(description="organisation", ordering="organisation_name")
    def organisation(self, cleared: FalsePositive) -> str:
        name = getattr(cleared, "organisation_name", None)
        return name or f"organisation {cleared.organisation_id} (deleted)"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # recorded from the application's vetting results

    def has_change_permission(self, request: HttpRequest, obj: FalsePositive | None = None) -> bool:
        return False
