from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.forms import ModelForm
from django.http import HttpRequest

from accounts import services
from accounts.models import OutboundEmail, User, WorkerHeartbeat
from accounts.roles import ROLE_LABELS


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "first_name", "last_name")}),
        ("Roles", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        """Saving the groups grants or removes roles: recorded with the roles the form
        was opened with as "before"."""
        initial = [getattr(group, "pk", group) for group in form.initial.get("groups") or []]
        before = {
            "roles": sorted(
                Group.objects.filter(pk__in=initial, name__in=ROLE_LABELS).values_list(
                    "name", flat=True
                )
            ),
            "is_staff": bool(form.initial.get("is_staff", False)),
        }
        super().save_related(request, form, formsets, change)
        services.user_record_role_change(
            actor=request.user,  # type: ignore[arg-type]
            user=form.instance,
            before=before,
        )


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "subject", "recipients", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("recipients", "subject")
    # Metadata only: the sealed message (links with one-time tokens) is never shown.
    fields = readonly_fields = (
        "created_at",
        "recipients",
        "subject",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    )

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "seen_at")
