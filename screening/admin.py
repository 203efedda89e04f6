"""Officer pages for screening: lists and versions with their differences, listed parties,
false positives, and a page to screen a name with every match explained."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from screening.engine.validity import expires_on, in_force
from screening.models import EntryChange, ListedParty, ListVersion, ScreeningList
from screening.selectors import ScreeningQuery, match_json, screen, thresholds
from screening.serialization import entry_from_json


class ScreenForm(forms.Form):
    name = forms.CharField(max_length=300)
    entity_type = forms.ChoiceField(
        choices=[("", "Any"), ("individual", "Person"), ("entity", "Organisation")], required=False
    )
    country = forms.RegexField(r"^[A-Za-z]{2}$", required=False, help_text="ISO alpha-2, optional")
    date_of_birth = forms.RegexField(
        r"^\d{4}(-\d{2}-\d{2})?$", required=False, help_text="YYYY or YYYY-MM-DD"
    )


@admin.register(ScreeningList)
class ScreeningListAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "format", "active_version")
    readonly_fields = ("code", "name", "format")

    @admin.display(description="Active version")
    def active_version(self, obj: ScreeningList) -> str:
        version = obj.versions.filter(is_active=True).first()
        return (
            f"{version.number} ({version.entry_count:,} entries, {version.imported_at:%Y-%m-%d})"
            if version
            else "none"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        return [
            path("search/", self.admin_site.admin_view(self.search_view), name="screening_search"),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "search_url": reverse("admin:screening_search")}
        return super().changelist_view(request, extra_context)

    def search_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("screening.use_screening"):
            raise PermissionDenied
        form = ScreenForm(request.GET or None)
        results = None
        if form.is_valid():
            data = form.cleaned_data
            _hit, review = thresholds()
            matches = screen(
                ScreeningQuery(
                    name=data["name"],
                    entity_type=data["entity_type"] or None,
                    country=data["country"].upper() or None,
                    date_of_birth=data["date_of_birth"] or None,
                )
            )
            results = [match_json(match, review) for match in matches]
        hit, review = thresholds()
        context = {
            **self.admin_site.each_context(request),
            "title": "Screen a name",
            "form": form,
            "results": results,
            "hit_threshold": hit,
            "review_threshold": review,
            "versions": ListVersion.objects.filter(is_active=True).select_related("screening_list"),
        }
        return TemplateResponse(request, "admin/screening/search.html", context)


class EntryChangeInline(admin.TabularInline):
    model = EntryChange
    extra = 0
    can_delete = False
    fields = ("kind", "list_code", "source_id", "name", "fields")
    readonly_fields = fields
    max_num = 0
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).order_by("kind", "source_id")


@admin.register(ListVersion)
class ListVersionAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "imported_at",
        "entry_count",
        "added",
        "removed",
        "changed",
        "is_active",
        "import_warnings",
    )
    list_filter = ("screening_list", "is_active")
    readonly_fields = [
        "import_warnings",
        *(f.name for f in ListVersion._meta.fields if f.name != "warnings"),
    ]
    inlines = (EntryChangeInline,)

    @admin.display(description="Warnings")
    def import_warnings(self, obj: ListVersion) -> str:
        """What the import lacked (e.g. OFAC aliases carried over), in full, so that an
        officer reading the difference knows what it does not say."""
        return " ".join(f"⚠ {warning}" for warning in obj.warnings) or "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ListedParty)
class ListedPartyAdmin(admin.ModelAdmin):
    list_display = (
        "primary_name",
        "list_code",
        "source_id",
        "entity_type",
        "version",
        "order_in_force",
    )
    list_filter = ("list_code", "entity_type", "version__is_active")
    search_fields = ("primary_name", "source_id")
    readonly_fields = ["order_in_force", *(f.name for f in ListedParty._meta.fields)]

    @admin.display(description="In force")
    def order_in_force(self, obj: ListedParty) -> str:
        """An expired denial order stays listed as history but raises no hit."""
        entry = entry_from_json(obj.data)
        expiry = expires_on(entry)
        if expiry is None:
            return "yes"
        if in_force(entry, timezone.localdate()):
            return f"until {expiry:%Y-%m-%d}"
        return f"no: expired after {expiry:%Y-%m-%d} (history, raises no hit)"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
