"""Officers manage partner administrations and see every webhook delivery with its attempts
(replay from the list); trusted-trader list versions and recognition alerts are read here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from partners.models import (
    DeliveryAttempt,
    PartnerAdministration,
    RecognisedProgram,
    RecognitionAlert,
    TrustedTraderListVersion,
    WebhookDelivery,
    WebhookEndpoint,
)
from partners.services import partners as partner_services
from partners.services.deliveries import delivery_replay


class PartnerAdministrationForm(forms.ModelForm):
    add_user_email = forms.EmailField(
        required=False,
        label="Add a user",
        help_text="The e-mail of an account the partner's official has signed up with.",
    )
    add_user_as_owner = forms.BooleanField(
        required=False, label="as an owner (may invite colleagues)"
    )

    class Meta:
        model = PartnerAdministration
        fields = (*partner_services.FIELDS,)


@admin.register(PartnerAdministration)
class PartnerAdministrationAdmin(admin.ModelAdmin):
    form = PartnerAdministrationForm
    list_display = (
        "name",
        "country",
        "mra_status",
        "mra_date",
        "receives_findings",
        "contact_email",
    )
    list_filter = ("mra_status", "country", "receives_findings")
    search_fields = ("name", "country", "contact_name", "contact_email")
    readonly_fields = ("organisation", "created_at", "members")

    @admin.display(description="Users")
    def members(self, obj: PartnerAdministration) -> str:
        if obj.pk is None:
            return "-"
        memberships = obj.organisation.memberships.select_related("user").order_by("pk")
        return ", ".join(f"{m.user.email} ({m.role})" for m in memberships) or "none yet"

    fields = (
        "name",
        "country",
        "mra_status",
        "mra_date",
        "contact_name",
        "contact_email",
        "receives_findings",
        "organisation",
        "created_at",
        "members",
        "add_user_email",
        "add_user_as_owner",
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data.get(name) for name in partner_services.FIELDS}
        try:
            if change:
                saved = partner_services.partner_update(
                    actor=request.user, partner=obj, reason="Changed in the admin", **values
                )
            else:
                saved = partner_services.partner_register(actor=request.user, **values)
            email = form.cleaned_data.get("add_user_email")
            if email:
                partner_services.partner_add_user(
                    actor=request.user,
                    partner=saved,
                    email=email,
                    owner=bool(form.cleaned_data.get("add_user_as_owner")),
                )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
            return
        obj.pk, obj.organisation_id = saved.pk, saved.organisation_id

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "partner", "is_active", "created_at", "previous_secret_until")
    list_filter = ("is_active",)
    list_select_related = ("partner",)
    readonly_fields = ("partner", "url", "events", "description", "is_active", "created_at")
    exclude = ("sealed_secret", "sealed_previous_secret")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("attempted_at", "status_code", "error", "duration_ms", "succeeded")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "message_id",
        "event_type",
        "endpoint",
        "status",
        "attempt_count",
        "next_attempt_at",
        "created_at",
    )
    list_filter = ("status", "event_type")
    search_fields = ("message_id", "endpoint__url", "endpoint__partner__name")
    list_select_related = ("endpoint",)
    readonly_fields = (
        "endpoint",
        "message_id",
        "event_type",
        "payload",
        "audit_event_id",
        "status",
        "attempt_count",
        "next_attempt_at",
        "give_up_at",
        "delivered_at",
        "created_at",
    )
    inlines = (DeliveryAttemptInline,)
    actions = ("replay_selected",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Send the selected deliveries again", permissions=("change",))
    def replay_selected(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        for delivery in queryset:
            delivery_replay(delivery=delivery, actor=request.user)
        messages.success(request, f"{queryset.count()} deliveries will be sent again.")


@admin.register(RecognisedProgram)
class RecognisedProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "partner", "list_format", "skip_covered_areas")
    search_fields = ("code", "name")


@admin.register(TrustedTraderListVersion)
class TrustedTraderListVersionAdmin(admin.ModelAdmin):
    list_display = ("program", "published_on", "imported_at", "entry_count", "is_current")
    list_filter = ("program", "is_current")
    readonly_fields = (
        "program",
        "published_on",
        "imported_at",
        "source_name",
        "sha256",
        "entry_count",
        "differences",
        "is_current",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RecognitionAlert)
class RecognitionAlertAdmin(admin.ModelAdmin):
    list_display = ("organisation", "identifier", "authorisation_type", "version", "created_at")
    list_select_related = ("organisation", "version__program")
    readonly_fields = ("organisation", "version", "identifier", "authorisation_type", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
