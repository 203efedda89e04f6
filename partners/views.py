"""The partner's portal page: its webhook deliveries with their attempts, and replay."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partners.models import PartnerAdministration, WebhookDelivery
from partners.selectors import deliveries_of, partner_for_user
from partners.services.deliveries import delivery_replay


def _partner(request: HttpRequest) -> PartnerAdministration:
    partner = partner_for_user(request.user)
    if partner is None:
        raise PermissionDenied("This page is for partner administrations.")
    return partner


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    partner = _partner(request)
    page = Paginator(deliveries_of(partner), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/deliveries.html",
        {"partner": partner, "page": page, "endpoints": partner.endpoints.order_by("pk")},
    )


@login_required
@require_POST
def replay(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request)
    delivery = get_object_or_404(WebhookDelivery, pk=pk, endpoint__partner=partner)
    delivery_replay(delivery=delivery, actor=request.user, partner=partner)
    messages.success(request, f"Delivery {delivery.message_id} will be sent again.")
    return redirect("partners:deliveries")
