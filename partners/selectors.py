"""Reads of the partners app."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from partners.models import DeliveryAttempt, PartnerAdministration, WebhookDelivery
from shippers.models import Membership


def deliveries_of(partner: PartnerAdministration) -> QuerySet[WebhookDelivery]:
    """A partner's deliveries, newest first, with their attempts (two queries)."""
    return (
        WebhookDelivery.objects.for_partner(partner)
        .select_related("endpoint")
        .prefetch_related(
            Prefetch("attempts", queryset=DeliveryAttempt.objects.order_by("attempted_at", "pk"))
        )
    )


def partner_for_user(user: Any) -> PartnerAdministration | None:
    """The partner administration `user` acts for (none for a shipper's member)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PartnerAdministration.objects.filter(
            organisation_id__in=Membership.objects.filter(user=user).values("organisation_id")
        )
        .order_by("pk")
        .first()
    )
