"""The officers' application queue (oldest submission first) and the review page with its
decisions (`shippers.admin_views`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone

from accounts.models import User
from shippers import admin_views, selectors, services
from shippers.admin.common import (
    REFERENCE_PATTERN,
    search_by_reference,
)
from shippers.models import (
    Application,
    Organisation,
)
from shippers.vetting import admin_views as vetting_admin_views

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices

S = Application.Status


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
            return queryset.filter(is_awaiting_supervisor=True, status=S.UNDER_REVIEW)
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
        officers = User.objects.officers().order_by("full_name", "email")
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
        if getattr(application, "is_awaiting_supervisor", False) and (
            application.status == S.UNDER_REVIEW
        ):
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
