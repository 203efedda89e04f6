"""Officers see and revoke organisation API keys; creating one shows the key once."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework_api_key.models import APIKey

from apikeys.models import OrganisationAPIKey
from apikeys.services import api_key_create, api_key_revoke

# The library's own key model (no organisation) is not used by this program.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(OrganisationAPIKey)
class OrganisationAPIKeyAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "name",
        "organisation",
        "scopes",
        "created",
        "last_used_at",
        "expiry_date",
        "revoked",
    )
    list_filter = ("revoked", "created")
    search_fields = ("name", "prefix", "organisation__legal_name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    actions = ("revoke_selected",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields: tuple[str, ...] = ("prefix", "last_used_at", "created_by", "revoked_at")
        if obj is not None:
            fields += ("organisation", "name", "scopes", "expiry_date", "revoked")
        return fields

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any = None, change: bool = False
    ) -> None:
        if change:
            return
        api_key, plain = api_key_create(
            organisation=obj.organisation,
            name=obj.name,
            scopes=obj.scopes,
            expires_at=obj.expiry_date,
            created_by=request.user,
        )
        obj.pk, obj.prefix = api_key.pk, api_key.prefix
        messages.warning(
            request,
            f"The API key for {api_key.name} is: {plain} . Store it now: it cannot be shown again.",
        )

    @admin.action(description="Revoke the selected keys")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[OrganisationAPIKey]) -> None:
        for api_key in queryset:
            api_key_revoke(api_key=api_key, revoked_by=request.user, reason="Revoked in the admin")
        messages.success(request, f"{queryset.count()} key(s) revoked.")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
