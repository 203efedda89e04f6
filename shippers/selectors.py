"""Reads for shippers."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from shippers.models import Organisation


def organisations_for_user(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).distinct()
