from django.contrib import admin

from shippers.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("legal_name", "country", "created_at")
    list_filter = ("country",)
    search_fields = ("legal_name",)
    inlines = (MembershipInline,)


from shippers.models import Application  # noqa: E402


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "organisation",
        "status",
        "risk_level",
        "submitted_at",
        "assigned_officer",
    )
    list_filter = ("status", "risk_level")
    search_fields = ("organisation__legal_name",)
