"""Filters of the case queue: overdue, amount at stake, age, assigned officer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from enforcement.models import Case, Deadline


def _open_deadline_exists() -> Exists:
    return Exists(Deadline.objects.overdue(on=timezone.localdate()).filter(case=OuterRef("pk")))


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        if self.value() == "yes":
            return queryset.filter(_open_deadline_exists())
        if self.value() == "no":
            return queryset.exclude(_open_deadline_exists())
        return queryset


AMOUNT_BANDS = {
    "under_10k": (None, Decimal("10000")),
    "10k_50k": (Decimal("10000"), Decimal("50000")),
    "50k_250k": (Decimal("50000"), Decimal("250000")),
    "over_250k": (Decimal("250000"), None),
}


class AmountFilter(admin.SimpleListFilter):
    """By the amount at stake: the decided amount, else the assessed, else the proposed."""

    title = "amount at stake (USD)"
    parameter_name = "amount"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("under_10k", "Under 10,000"),
            ("10k_50k", "10,000 to 50,000"),
            ("50k_250k", "50,000 to 250,000"),
            ("over_250k", "Over 250,000"),
            ("none", "No amount yet"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        value = self.value()
        if not value:
            return queryset
        queryset = queryset.annotate(
            at_stake=Coalesce("mitigated_amount", "assessed_amount", "proposed_amount")
        )
        if value == "none":
            return queryset.filter(at_stake__isnull=True)
        low, high = AMOUNT_BANDS.get(value, (None, None))
        if low is not None:
            queryset = queryset.filter(at_stake__gte=low)
        if high is not None:
            queryset = queryset.filter(at_stake__lt=high)
        return queryset


AGE_BANDS = {"30": (0, 30), "90": (30, 90), "365": (90, 365), "older": (365, None)}


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("30", "Opened in the last 30 days"),
            ("90", "30 to 90 days"),
            ("365", "90 days to a year"),
            ("older", "Over a year"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        band = AGE_BANDS.get(self.value() or "")
        if band is None:
            return queryset
        now = timezone.now()
        newest, oldest = band
        queryset = queryset.filter(opened_at__lte=now - timedelta(days=newest))
        if oldest is not None:
            queryset = queryset.filter(opened_at__gt=now - timedelta(days=oldest))
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = "assigned officer"
    parameter_name = "officer"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        officers = User.objects.filter(assigned_cases__isnull=False).distinct()
        return [
            ("me", "Assigned to me"),
            ("none", "Unassigned"),
            *[(str(officer.pk), str(officer)) for officer in officers],
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        value = self.value()
        if value == "me":
            return queryset.filter(assigned_officer=request.user.pk)
        if value == "none":
            return queryset.filter(assigned_officer__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assigned_officer_id=int(value))
        return queryset
