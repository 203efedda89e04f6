"""Partner API (organisation API keys of partner administrations only): bulk status, webhook
endpoints, deliveries and replay. Each endpoint needs its scope; a partner never reaches
applications, documents or cases (no view here reads them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, pagination, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apikeys.authentication import OrganisationAPIKeyAuthentication
from apikeys.models import OrganisationAPIKey, Scope
from apikeys.permissions import HasScope
from partners.events import EventType
from partners.models import PartnerAdministration, WebhookDelivery, WebhookEndpoint
from partners.selectors import deliveries_of
from partners.services import deliveries, endpoints
from partners.verification import bulk_status


class IsPartnerKey(BasePermission):
    message = "Only the keys of partner administrations use this endpoint."

    def has_permission(self, request: Request, view: Any) -> bool:
        api_key = request.auth
        if not isinstance(api_key, OrganisationAPIKey):
            return False
        partner = PartnerAdministration.objects.filter(
            organisation_id=api_key.organisation_id
        ).first()
        request.partner = partner  # type: ignore[attr-defined]
        return partner is not None


class PartnerAPIView(APIView):
    authentication_classes = (OrganisationAPIKeyAuthentication,)
    permission_classes = (HasScope, IsPartnerKey)

    def partner(self, request: Request) -> PartnerAdministration:
        return request.partner  # type: ignore[attr-defined]


class StrictCharField(serializers.CharField):
    """A string, and only a string (DRF would turn 12 into "12")."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class BulkVerifyRequest(serializers.Serializer):
    entries = serializers.ListField(
        child=StrictCharField(max_length=100, allow_blank=True, trim_whitespace=False),
        allow_empty=False,
        help_text="Certificate numbers or company identifiers (EORI, EIN, BN, ABN, NZBN).",
    )

    def validate_entries(self, value: list[str]) -> list[str]:
        limit = settings.PARTNERS_BULK_VERIFY_MAX
        if len(value) > limit:
            raise serializers.ValidationError(f"At most {limit} entries per request.")
        return value


class BulkVerifyResponse(serializers.Serializer):
    count = serializers.IntegerField()
    results = serializers.ListField(
        child=serializers.DictField(),
        help_text=(
            "One answer per entry, in input order: input, status (valid, suspended, revoked, "
            "expired, unknown), matched ({type, value} or null), and for a known certificate "
            "number, tier, valid_from, valid_to, legal_name, country and recognitions; error "
            "for a malformed entry."
        ),
    )


class BulkVerifyView(PartnerAPIView):
    """Status of up to 1,000 certificates or shippers, answered in input order."""

    required_scope = Scope.VERIFY_BULK
    throttle_scope = "verify_bulk"

    @extend_schema(
        summary="Verify many certificates or identifiers",
        request=BulkVerifyRequest,
        responses=BulkVerifyResponse,
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"entries": ["Send an object with `entries`."]})
        body = BulkVerifyRequest(data=request.data)
        body.is_valid(raise_exception=True)
        results = bulk_status(body.validated_data["entries"])
        return Response({"count": len(results), "results": results})


class EndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))

    class Meta:
        model = WebhookEndpoint
        fields: tuple[str, ...] = ("id", "url", "description", "events", "is_active", "created_at")
        read_only_fields = ("id", "is_active", "created_at")


class EndpointCreatedSerializer(EndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret (whsec_...), shown only once.")

    class Meta(EndpointSerializer.Meta):
        fields = (*EndpointSerializer.Meta.fields, "secret")


class RotatedSecretSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    secret = serializers.CharField(help_text="The new signing secret, shown only once.")
    previous_secret_until = serializers.DateTimeField(
        allow_null=True, help_text="Until then deliveries are signed with both secrets."
    )


class EndpointListView(PartnerAPIView):
    required_scope = Scope.NOTIFICATIONS

    @extend_schema(summary="List webhook endpoints", responses=EndpointSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = self.partner(request).endpoints.order_by("pk")
        return Response(EndpointSerializer(rows, many=True).data)

    @extend_schema(
        summary="Register a webhook endpoint",
        request=EndpointSerializer,
        responses={201: EndpointCreatedSerializer},
    )
    def post(self, request: Request) -> Response:
        body = EndpointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint, secret = endpoints.endpoint_register(
            partner=self.partner(request),
            url=body.validated_data["url"],
            events=body.validated_data["events"],
            description=body.validated_data.get("description", ""),
            actor=None,
        )
        data = {**EndpointSerializer(endpoint).data, "secret": secret}
        return Response(data, status=status.HTTP_201_CREATED)


def _own_endpoint(view: PartnerAPIView, request: Request, pk: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, pk=pk, partner=view.partner(request))


class EndpointRotateView(PartnerAPIView):
    required_scope = Scope.NOTIFICATIONS

    @extend_schema(
        summary="Rotate an endpoint's signing secret",
        request=None,
        responses=RotatedSecretSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        endpoint, secret = endpoints.endpoint_rotate_secret(
            endpoint=_own_endpoint(self, request, pk)
        )
        return Response(
            {
                "id": endpoint.pk,
                "secret": secret,
                "previous_secret_until": endpoint.previous_secret_until,
            }
        )


class EndpointDetailView(PartnerAPIView):
    required_scope = Scope.NOTIFICATIONS

    @extend_schema(summary="Disable a webhook endpoint", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        endpoints.endpoint_disable(
            endpoint=_own_endpoint(self, request, pk), reason="By the partner"
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttemptSerializer(serializers.Serializer):
    attempted_at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True)
    error = serializers.CharField()
    duration_ms = serializers.IntegerField()
    succeeded = serializers.BooleanField()


class DeliverySerializer(serializers.ModelSerializer):
    attempts = AttemptSerializer(many=True, read_only=True)
    endpoint_url = serializers.CharField(source="endpoint.url")

    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "message_id",
            "event_type",
            "endpoint_url",
            "status",
            "attempt_count",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "payload",
            "attempts",
        )


class DeliveryPagination(pagination.CursorPagination):
    """Cursor pages, newest first: stable while new deliveries are written (`?cursor=` from
    `next`/`previous`; `page_size` up to 500, 50 by default as the API's other lists)."""

    ordering = ("-created_at", "-pk")
    page_size_query_param = "page_size"
    max_page_size = 500


class DeliveryListView(PartnerAPIView, generics.ListAPIView):
    required_scope = Scope.NOTIFICATIONS
    serializer_class = DeliverySerializer
    pagination_class = DeliveryPagination

    def get_queryset(self) -> Any:
        return deliveries_of(self.partner(self.request))

    @extend_schema(
        summary="List webhook deliveries and their attempts, newest first, a page at a time"
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class DeliveryReplayView(PartnerAPIView):
    required_scope = Scope.NOTIFICATIONS

    @extend_schema(
        summary="Send a delivery again", request=None, responses={202: DeliverySerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        partner = self.partner(request)
        delivery = get_object_or_404(WebhookDelivery, pk=pk, endpoint__partner=partner)
        deliveries.delivery_replay(delivery=delivery, partner=partner)
        delivery.refresh_from_db()
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
