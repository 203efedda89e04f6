"""Organisations with their profile, requests for information and certificates: records
written by the services, read-only here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from shippers.admin.common import (
    REFERENCE_PATTERN,
    ReadOnlyAdminMixin,
    application_link,
    search_by_reference,
)
from shippers.models import (
    Address,
    Application,
    Certificate,
    Contact,
    Identifier,
    Membership,
    Organisation,
    Principal,
    RequestForInformation,
    SupplyChainPartner,
)

if TYPE_CHECKING:
    pass

S = Application.Status


class ProfileInline(admin.TabularInline):
    """Part of an organisation's profile: shown read-only to whoever may see the
    organisation (shippers change their profile in the portal)."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [str(field) for field in self.fields or ()]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("shippers.view_organisation")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IdentifierInline(ProfileInline):
    model = Identifier
    fields = ("kind", "value", "issuing_country")


class AddressInline(ProfileInline):
    model = Address
    fields = ("kind", "label", "line1", "line2", "city", "region", "postal_code", "country")


class PrincipalInline(ProfileInline):
    model = Principal
    fields = ("full_name", "role", "nationality", "date_of_birth")


class ContactInline(ProfileInline):
    model = Contact
    fields = ("full_name", "job_title", "email", "phone", "is_company_officer")


class PartnerInline(ProfileInline):
    model = SupplyChainPartner
    fields = ("name", "role", "country")
    verbose_name = "supply-chain partner"


class MembershipInline(ProfileInline):
    model = Membership
    fields = ("user", "role", "joined_at")


class ApplicationInline(ProfileInline):
    model = Application
    fields = ("reference_link", "status", "risk_level", "submitted_at", "decided_at")
    ordering = ("-created_at",)

    @admin.display(description="Reference")
    def reference_link(self, application: Application) -> str:
        return application_link(application)


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("legal_name", "country", "business_type", "ownership", "created_at")
    list_filter = ("country", "business_type")
    search_fields = ("legal_name", "trade_names", "identifiers__value")
    search_help_text = "Legal name, trade name or identifier value."
    fields = (
        "legal_name",
        "trade_names",
        "business_type",
        "country",
        "ownership",
        "ownership_details",
        "year_founded",
        "employees",
        "website",
        "created_at",
        "created_by",
    )
    inlines = (
        ApplicationInline,
        IdentifierInline,
        AddressInline,
        PrincipalInline,
        ContactInline,
        PartnerInline,
        MembershipInline,
    )


# -- requests for information ------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    """Open requests past their due date (the applicant has not answered in time)."""

    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        overdue = Q(status=RequestForInformation.Status.OPEN, due_date__lt=timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


@admin.register(RequestForInformation)
class RequestForInformationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "application_reference",
        "organisation",
        "short_question",
        "due_date",
        "status",
        "overdue",
        "asked_by",
        "asked_at",
    )
    list_filter = (OverdueFilter, "status")
    list_select_related = ("application__organisation", "asked_by")
    search_fields = ("application__organisation__legal_name", "question", "answer")
    search_help_text = "Reference (KSA-000123), organisation, question or answer text."
    ordering = ("due_date", "pk")
    fields = (
        "application_reference",
        "question",
        "documents_requested",
        "due_date",
        "status",
        "overdue",
        "asked_by",
        "asked_at",
        "answer",
        "answered_by",
        "answered_at",
        "answer_documents",
        "overdue_notified_at",
    )
    readonly_fields = ("application_reference", "overdue")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[RequestForInformation], search_term: str
    ) -> tuple[QuerySet[RequestForInformation], bool]:
        if REFERENCE_PATTERN.match(search_term) and search_term.strip().upper().startswith("KSA"):
            return search_by_reference(queryset, search_term, "application_id"), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="Application", ordering="application_id")
    def application_reference(self, request_item: RequestForInformation) -> str:
        return application_link(request_item.application)

    @admin.display(description="Organisation", ordering="application__organisation__legal_name")
    def organisation(self, request_item: RequestForInformation) -> str:
        return str(request_item.application.organisation)

    @admin.display(description="Question")
    def short_question(self, request_item: RequestForInformation) -> str:
        text = request_item.question
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description="Overdue", boolean=True)
    def overdue(self, request_item: RequestForInformation) -> bool:
        return request_item.is_overdue


# -- certificates ------------------------------------------------------------------------


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "organisation",
        "tier",
        "valid_from",
        "valid_to",
        "standing",
        "application_reference",
        "printable",
    )
    list_filter = ("tier",)
    list_select_related = ("organisation", "application")
    search_fields = ("=number", "organisation__legal_name")
    search_help_text = "Certificate number (exact) or organisation name."
    fields = (
        "number",
        "organisation",
        "application_reference",
        "tier",
        "valid_from",
        "valid_to",
        "standing",
        "issued_at",
        "reminded_90_at",
        "reminded_30_at",
        "printable",
    )
    readonly_fields = ("application_reference", "standing", "printable")

    @admin.display(description="Status", ordering="application__status")
    def standing(self, certificate: Certificate) -> str:
        return certificate.application.get_status_display()

    @admin.display(description="Application", ordering="application_id")
    def application_reference(self, certificate: Certificate) -> str:
        return application_link(certificate.application)

    @admin.display(description="Printable certificate")
    def printable(self, certificate: Certificate) -> str:
        return format_html(
            '<a href="{}">View / print</a>',
            reverse("shippers:certificate", args=[certificate.number]),
        )
