"""The audit log in the admin: searchable by officers and supervisors, never editable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.models import AuditEvent, OutboxMessage


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = (
        "at",
        "action",
        "actor_label",
        "actor_kind",
        "target_type",
        "target_label",
        "organisation_id",
        "internal",
    )
    list_filter = (
        "action",
        "actor_kind",
        "target_type",
        "internal",
        ("at", admin.DateFieldListFilter),
    )
    search_fields = (
        "actor_label",
        "target_label",
        "target_id",
        "reason",
        "request_id",
        "=organisation_id",
    )
    date_hierarchy = "at"
    show_full_result_count = False
    list_select_related = ("actor",)
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    """Work waiting for the broker (pending) and what was published; read-only."""

    list_display = ("created_at", "task_name", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "task_name")
    search_fields = ("task_name", "request_id")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
