"""Officer and supervisor administration of the known-shipper program.

The application queue and review page are the officers' workplace: every decision is a
service call made from `shippers.admin_views` (the admin never assigns a status), and
records written by services (organisations, requests for information, certificates) are
read-only here. Supervisors maintain the security questionnaire by versions: a version
that applications use is frozen; a revision is a new version, made current when ready.

What a user sees follows the roles' model permissions (`shippers.roles`) plus
`shippers.decide_application` for decisions; superusers are not given more than the
services allow them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.forms import Textarea
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts.models import User
from accounts.roles import OFFICER, SUPERVISOR
from shippers import admin_views, selectors, services
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
    SecurityQuestion,
    SecurityQuestionnaire,
    SupplyChainPartner,
)
from shippers.vetting import admin_views as vetting_admin_views

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices

S = Application.Status

# "KSA-000123", "ksa123" or "123": an application reference is its primary key.
REFERENCE_PATTERN = re.compile(r"^\s*(KSA-?)?0*(\d{1,12})\s*$", re.IGNORECASE)


class ReadOnlyAdminMixin:
    """Records written only through `shippers.services`: shown, never edited here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def application_link(application: Application) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:shippers_application_change", args=[application.pk]),
        application.reference,
    )


def search_by_reference(queryset: QuerySet[Any], term: str, field: str = "pk") -> QuerySet[Any]:
    """Records whose application reference is `term`, or none if it is not a reference."""
    match = REFERENCE_PATTERN.match(term)
    if match is None:
        return queryset.none()
    return queryset.filter(**{field: int(match.group(2))})


# -- the application queue -----------------------------------------------------------------


class StatusFilter(admin.SimpleListFilter):
    """By status; by default every application except drafts (officers cannot act on a
    draft, and drafts would crowd the queue). "All, including drafts" shows them."""

    title = "status"
    parameter_name = "status"
    ALL = "all"
    TO_DECIDE = "to_decide"
    AWAITING_SUPERVISOR = "awaiting_supervisor"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            (self.TO_DECIDE, "To decide (under review, information requested)"),
            (self.AWAITING_SUPERVISOR, "Approval awaiting a supervisor"),
            *((str(value), str(label)) for value, label in S.choices),
            (self.ALL, "All, including drafts"),
        ]

    def choices(self, changelist: ChangeList) -> Iterator[_ListFilterChoices]:
        for index, choice in enumerate(super().choices(changelist)):
            if index == 0:
                choice["display"] = "All but drafts"
            yield choice

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value is None:
            return queryset.exclude(status=S.DRAFT)
        if value == self.ALL:
            return queryset
        if value == self.TO_DECIDE:
            return queryset.filter(status__in=[S.UNDER_REVIEW, S.INFORMATION_REQUESTED])
        if value == self.AWAITING_SUPERVISOR:
            return queryset.filter(pending_approval__isnull=False, status=S.UNDER_REVIEW)
        return queryset.filter(status=value)


class SubmittedAgeFilter(admin.SimpleListFilter):
    """Whole days since submission; drafts (never submitted) match no band."""

    title = "age since submission"
    parameter_name = "age"
    BANDS: dict[str, tuple[str, int, int | None]] = {
        "lt7": ("Less than 7 days", 0, 7),
        "7-30": ("7 to 29 days", 7, 30),
        "30-90": ("30 to 89 days", 30, 90),
        "gt90": ("90 days or more", 90, None),
    }

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(key, label) for key, (label, _, _) in self.BANDS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        _, at_least, under = band
        now = timezone.now()
        queryset = queryset.filter(submitted_at__lte=now - timedelta(days=at_least))
        if under is not None:
            queryset = queryset.filter(submitted_at__gt=now - timedelta(days=under))
        return queryset


class AssignedOfficerFilter(admin.SimpleListFilter):
    title = "assigned officer"
    parameter_name = "officer"
    ME = "me"
    NONE = "none"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        officers = (
            User.objects.filter(is_staff=True, groups__name__in=[OFFICER, SUPERVISOR])
            .distinct()
            .order_by("full_name", "email")
        )
        return [
            (self.ME, "Assigned to me"),
            (self.NONE, "Unassigned"),
            *((str(officer.pk), str(officer)) for officer in officers),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == self.ME:
            return queryset.filter(assigned_officer_id=request.user.pk)
        if value == self.NONE:
            return queryset.filter(assigned_officer__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assigned_officer_id=int(value))
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """The organisation's country of registration (only countries that have applied)."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        countries = (
            Organisation.objects.filter(applications__isnull=False)
            .values_list("country", flat=True)
            .distinct()
            .order_by("country")
        )
        return [(country, country) for country in countries]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(organisation__country=value.upper()) if value else queryset


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """The officers' queue (oldest submission first) and the review page with decisions."""

    list_display = (
        "reference",
        "organisation",
        "country",
        "status",
        "risk",
        "submitted_at",
        "age_days",
        "assigned_officer",
        "open_requests",
    )
    list_filter = (
        StatusFilter,
        "risk_level",
        SubmittedAgeFilter,
        AssignedOfficerFilter,
        CountryFilter,
    )
    search_fields = (
        "organisation__legal_name",
        "organisation__trade_names",
        "organisation__identifiers__value",
    )
    search_help_text = (
        "Reference (KSA-000123), legal name, trade name or identifier (EIN, VAT, EORI...)."
    )
    # PostgreSQL sorts never-submitted drafts last.
    ordering = ("submitted_at", "pk")
    actions = ("assign_to_me", "unassign")
    list_per_page = 50

    # -- the queue -----------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return selectors.application_queue()

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Application], search_term: str
    ) -> tuple[QuerySet[Application], bool]:
        """A reference finds exactly that application; other terms search names and
        identifiers. Matching runs in a subquery so the joined identifiers cannot
        multiply the annotated counts or the rows."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.upper().startswith("KSA"):
            return search_by_reference(queryset, term), False
        matched, _ = super().get_search_results(request, Application.objects.all(), term)
        condition = Q(pk__in=matched.values("pk"))
        # Identifiers are stored compact: "GB 980 7806 84" is kept as 980780684.
        compact = re.sub(r"[\s.\-/]", "", term).upper()
        if compact:
            identifier = Q(organisation__identifiers__value__icontains=compact)
            if re.fullmatch(r"[A-Z]{2}\d\w*", compact):
                identifier |= Q(organisation__identifiers__value__iexact=compact[2:])
            condition |= Q(pk__in=Application.objects.filter(identifier).values("pk"))
        if REFERENCE_PATTERN.match(term):
            condition |= Q(pk__in=search_by_reference(Application.objects.all(), term).values("pk"))
        return queryset.filter(condition), False

    @admin.display(description="Reference", ordering="pk")
    def reference(self, application: Application) -> str:
        return application.reference

    @admin.display(description="Country", ordering="organisation__country")
    def country(self, application: Application) -> str:
        return application.organisation.country

    @admin.display(description="Risk", ordering="risk_level")
    def risk(self, application: Application) -> str:
        label = application.get_risk_level_display() or "-"
        if application.pending_approval and application.status == S.UNDER_REVIEW:
            return f"{label} (approval awaiting a supervisor)"
        return label

    @admin.display(description="Age (days)", ordering="-submitted_at")
    def age_days(self, application: Application) -> int | None:
        if application.submitted_at is None:
            return None
        return (timezone.now() - application.submitted_at).days

    @admin.display(description="Open requests", ordering="open_requests")
    def open_requests(self, application: Application) -> int:
        return int(getattr(application, "open_requests", 0))

    # -- permissions -----------------------------------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # shippers apply through the portal

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decisions only, through the services

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(admin_views.DECIDE_PERMISSION)

    # -- actions ---------------------------------------------------------------------------

    def _assign(
        self, request: HttpRequest, queryset: QuerySet[Application], officer: User | None
    ) -> None:
        actor = admin_views.staff_user(request)
        done = 0
        for application in queryset:
            try:
                services.application_assign(actor=actor, application=application, officer=officer)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{application.reference}: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            whom = "you" if officer is not None else "no one"
            self.message_user(
                request, f"{done} application(s) now assigned to {whom}.", messages.SUCCESS
            )

    @admin.action(description="Assign to me", permissions=["decide"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._assign(request, queryset, admin_views.staff_user(request))

    @admin.action(description="Unassign", permissions=["decide"])
    def unassign(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        self._assign(request, queryset, None)

    # -- the review page and decisions ---------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/decide/<slug:slug>/",
                wrap(self.decision_view),
                name="shippers_application_decide",
            ),
            path(
                "<path:object_id>/notes/",
                wrap(self.note_view),
                name="shippers_application_note",
            ),
            path(
                "<path:object_id>/vetting/rerun/",
                wrap(partial(vetting_admin_views.rerun_view, self)),
                name="shippers_application_vetting_rerun",
            ),
            path(
                "<path:object_id>/vetting/false-positive/",
                wrap(partial(vetting_admin_views.false_positive_view, self)),
                name="shippers_application_vetting_false_positive",
            ),
            path(
                "<path:object_id>/vetting/runs/<int:run_id>/acknowledge/",
                wrap(partial(vetting_admin_views.acknowledge_view, self)),
                name="shippers_application_vetting_acknowledge",
            ),
            *super().get_urls(),
        ]

    def decision_view(self, request: HttpRequest, object_id: str, slug: str) -> HttpResponse:
        return admin_views.decision_view(self, request, object_id, slug)

    def note_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return admin_views.note_view(self, request, object_id)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return admin_views.application_review_view(self, request, object_id)


# -- organisations -------------------------------------------------------------------------


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


# -- the security questionnaire ------------------------------------------------------------


class SecurityQuestionInline(admin.TabularInline):
    """The questions of one version; frozen once any application uses the version."""

    model = SecurityQuestion
    extra = 0
    ordering = ("order", "pk")
    fields = (
        "order",
        "area_code",
        "area_name",
        "code",
        "text",
        "help",
        "requirement",
        "weight",
        "allow_not_applicable",
    )
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 40})}}

    def _frozen(self, obj: SecurityQuestionnaire | None) -> bool:
        return obj is not None and admin_views.questionnaire_in_use(obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and not self._frozen(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


@admin.register(SecurityQuestionnaire)
class SecurityQuestionnaireAdmin(admin.ModelAdmin):
    """Versions of the security questionnaire. Revise by "Create new version from this
    one", edit the copy, then "Make current"; versions in use cannot be edited."""

    list_display = (
        "version",
        "title",
        "is_current",
        "question_count",
        "application_count",
        "created_at",
        "created_by",
    )
    list_display_links = ("version", "title")
    list_select_related = ("created_by",)
    fields = ("version", "title", "source", "minimum_must_score", "is_current", "created_by")
    inlines = (SecurityQuestionInline,)
    actions = ("create_new_version", "make_current")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SecurityQuestionnaire]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                question_total=Count("questions", distinct=True),
                application_total=Count("applications", distinct=True),
            )
        )

    @admin.display(description="Questions", ordering="question_total")
    def question_count(self, questionnaire: SecurityQuestionnaire) -> int:
        return int(getattr(questionnaire, "question_total", 0))

    @admin.display(description="Applications using it", ordering="application_total")
    def application_count(self, questionnaire: SecurityQuestionnaire) -> int:
        return int(getattr(questionnaire, "application_total", 0))

    def get_readonly_fields(
        self, request: HttpRequest, obj: SecurityQuestionnaire | None = None
    ) -> tuple[str, ...]:
        if obj is None:
            return ("is_current", "created_by")
        if admin_views.questionnaire_in_use(obj):
            return self.fields or ()
        return ("version", "is_current", "created_by")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        newest = SecurityQuestionnaire.objects.order_by("-version").first()
        return {"version": (newest.version if newest else 0) + 1}

    def has_change_permission(
        self, request: HttpRequest, obj: SecurityQuestionnaire | None = None
    ) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and not (obj is not None and admin_views.questionnaire_in_use(obj))

    def has_delete_permission(
        self, request: HttpRequest, obj: SecurityQuestionnaire | None = None
    ) -> bool:
        allowed = super().has_delete_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and not obj.is_current and not admin_views.questionnaire_in_use(obj)

    def save_model(
        self, request: HttpRequest, obj: SecurityQuestionnaire, form: Any, change: bool
    ) -> None:
        if not change:
            obj.created_by = admin_views.staff_user(request)
            obj.is_current = False
        super().save_model(request, obj, form, change)

    @admin.action(description="Create new version from this one", permissions=["add"])
    def create_new_version(
        self, request: HttpRequest, queryset: QuerySet[SecurityQuestionnaire]
    ) -> None:
        actor = admin_views.staff_user(request)
        for questionnaire in queryset.order_by("version"):
            copy = services.questionnaire_new_version(actor=actor, questionnaire=questionnaire)
            self.log_addition(request, copy, f"Copied from version {questionnaire.version}.")
            self.message_user(
                request,
                format_html(
                    "Version {} created from version {} ({} questions); it is not current. "
                    '<a href="{}">Edit it</a>, then use "Make current".',
                    copy.version,
                    questionnaire.version,
                    copy.questions.count(),
                    reverse("admin:shippers_securityquestionnaire_change", args=[copy.pk]),
                ),
                messages.SUCCESS,
            )

    @admin.action(description="Make current", permissions=["change"])
    def make_current(self, request: HttpRequest, queryset: QuerySet[SecurityQuestionnaire]) -> None:
        if queryset.count() != 1:
            self.message_user(
                request, "Select exactly one version to make current.", messages.ERROR
            )
            return
        questionnaire = queryset.get()
        try:
            services.questionnaire_make_current(
                actor=admin_views.staff_user(request), questionnaire=questionnaire
            )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR
            )
            return
        self.log_change(request, questionnaire, "Made current.")
        self.message_user(
            request,
            f"Version {questionnaire.version} is now current: new applications answer it.",
            messages.SUCCESS,
        )


# Vetting runs and their alerts (shippers/vetting/admin.py).
from shippers.vetting import admin as vetting_admin  # noqa: E402, F401
