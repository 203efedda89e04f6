"""Versions of the security questionnaire. Supervisors revise by making a new version; a
version that applications use is frozen (`shippers.services.questionnaire_can_change`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.forms import Textarea
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from shippers import admin_views, services
from shippers.models import (
    Application,
    SecurityQuestion,
    SecurityQuestionnaire,
)

if TYPE_CHECKING:
    pass

S = Application.Status


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
        return not services.questionnaire_can_change(obj)

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
        if not services.questionnaire_can_change(obj):
            return self.fields or ()
        return ("version", "is_current", "created_by")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        newest = SecurityQuestionnaire.objects.order_by("-version").first()
        return {"version": (newest.version if newest else 0) + 1}

    def has_change_permission(
        self, request: HttpRequest, obj: SecurityQuestionnaire | None = None
    ) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and services.questionnaire_can_change(obj)

    def has_delete_permission(
        self, request: HttpRequest, obj: SecurityQuestionnaire | None = None
    ) -> bool:
        allowed = super().has_delete_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and services.questionnaire_can_delete(obj)

    def save_model(
        self, request: HttpRequest, obj: SecurityQuestionnaire, form: Any, change: bool
    ) -> None:
        changed = {
            name: {"before": form.initial.get(name), "after": form.cleaned_data.get(name)}
            for name in form.changed_data
        }
        services.questionnaire_save(
            actor=admin_views.staff_user(request), questionnaire=obj, changed=changed
        )

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
