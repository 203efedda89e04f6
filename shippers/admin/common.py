"""What the shippers admin pages share: read-only records and links by reference."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from shippers.models import (
    Application,
)

if TYPE_CHECKING:
    pass

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
