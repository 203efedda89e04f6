"""Shipments in the admin: read-only records (statuses change only through services; the
officer queue and actions are built on top of these by the officer side)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shipments.models import Batch, FilerRegistration, Shipment, ShipmentVersion


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(admin.TabularInline):
    model = ShipmentVersion
    fields = ("number", "content_hash", "filed_at", "batch_id")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Shipment)
class ShipmentAdmin(ReadOnly):
    list_display = (
        "reference",
        "organisation",
        "status",
        "decision",
        "risk_level",
        "risk_score",
        "port_of_arrival",
        "estimated_arrival",
        "filed_at",
    )
    list_filter = ("status", "decision", "risk_level", "mode", "screening_state")
    search_fields = ("reference", "house_bill", "tracking_number", "seller_name")
    list_select_related = ("organisation",)
    date_hierarchy = "estimated_arrival"
    show_full_result_count = False
    inlines = (VersionInline,)


@admin.register(ShipmentVersion)
class ShipmentVersionAdmin(ReadOnly):
    list_display = ("shipment_id", "number", "content_hash", "filed_at")
    show_full_result_count = False


@admin.register(Batch)
class BatchAdmin(ReadOnly):
    list_display = (
        "id",
        "organisation",
        "source",
        "received",
        "accepted",
        "amended",
        "unchanged",
        "rejected",
        "received_at",
    )
    list_filter = ("source",)
    list_select_related = ("organisation",)


@admin.register(FilerRegistration)
class FilerRegistrationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "status", "registered_at")
    list_filter = ("kind", "status")
    search_fields = ("organisation__legal_name",)
    autocomplete_fields = ("organisation",)
    readonly_fields = ("registered_by",)
