"""Advance shipment data API (organisation API keys: `Authorization: Api-Key <key>`).

    POST /api/v1/shipments/batches/          file 1..SHIPMENTS_MAX_BATCH shipments
    GET  /api/v1/shipments/                  the organisation's shipments (cursor pages)
    GET  /api/v1/shipments/<id>/             one, with its decision and current content
    POST /api/v1/shipments/<id>/cancel/      cancel one before it arrives

A filer only ever sees and changes its own organisation's shipments: another's id is 404.
"""

from __future__ import annotations

import gc
import time
from typing import Any

import msgspec
from django.conf import settings
from django.http import HttpResponse
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apikeys.authentication import OrganisationAPIKeyAuthentication
from apikeys.models import OrganisationAPIKey, Scope
from apikeys.permissions import HasScope
from core.workflow import TransitionNotAllowed
from shipments import schema, selectors
from shipments.facts import filer_reasons
from shipments.models import Decision, Shipment, ShipmentStatus
from shipments.services import Unparsable, batch_file, shipment_cancel

_decode = msgspec.json.Decoder().decode
_encode = msgspec.json.Encoder().encode
NDJSON = "application/x-ndjson"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class BadBatch(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_batch"


class NotAllowedToFile(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "not_eligible"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class ShipmentAPIView(APIView):
    authentication_classes = (OrganisationAPIKeyAuthentication,)
    permission_classes = (HasScope,)

    def api_key(self, request: Request) -> OrganisationAPIKey:
        assert isinstance(request.auth, OrganisationAPIKey)
        return request.auth


def _read_body(request: Request) -> bytes:
    limit = settings.SHIPMENTS_MAX_BODY_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise RequestTooLarge(
            f"The body has {declared:,} bytes; at most {limit:,} are accepted. "
            "Send fewer shipments per batch."
        )
    body = request._request.read(limit + 1)
    if len(body) > limit:
        raise RequestTooLarge(f"The body passes {limit:,} bytes. Send fewer shipments per batch.")
    if not body.strip():
        raise BadBatch('The body is empty; send {"shipments": [...]}.', "empty")
    return body


def _json_error(exc: msgspec.DecodeError) -> str:
    return f"The body is not valid JSON: {exc}."


def _parse(request: Request, body: bytes) -> list[object]:
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type == NDJSON:
        lines = [line for line in body.split(b"\n") if line.strip()]
        items: list[object] = []
        for number, line in enumerate(lines, start=1):
            decoded = schema.decode_line(line)
            if decoded is not None:
                items.append(decoded)
                continue
            try:
                items.append(_decode(line))
            except msgspec.DecodeError as exc:
                items.append(Unparsable(f"Line {number} is not valid JSON: {exc}."))
        return items
    if content_type not in ("application/json", ""):
        raise exceptions.UnsupportedMediaType(
            content_type, f"Send application/json or {NDJSON}, not {content_type!r}."
        )
    structs = schema.decode_batch(body)  # the common case: every shipment well formed
    if structs is not None:
        return list(structs)
    try:
        document = _decode(body)
    except msgspec.DecodeError as exc:
        raise BadBatch(_json_error(exc), "malformed_json") from exc
    if not isinstance(document, dict):
        raise BadBatch('Expected an object: {"shipments": [...]}.', "invalid_batch")
    unknown = sorted(set(document) - {"shipments"})
    if unknown:
        raise BadBatch(
            f"Unknown top-level field(s): {', '.join(unknown)}; only 'shipments' is allowed.",
            "unknown_field",
        )
    shipments = document.get("shipments")
    if not isinstance(shipments, list):
        raise BadBatch('"shipments" must be an array of shipment objects.', "invalid_batch")
    return shipments


class BatchView(ShipmentAPIView):
    required_scope = Scope.SHIPMENTS_WRITE

    @extend_schema(
        summary="File a batch of shipments",
        description=(
            'JSON `{"shipments": [...]}` or `application/x-ndjson` (one shipment a line), '
            "1 to SHIPMENTS_MAX_BATCH shipments. Each is accepted, unchanged, amended or "
            "rejected on its own; the results come back in input order."
        ),
        request={"application/json": dict, NDJSON: str},
        responses={
            200: OpenApiResponse(description="Results in input order"),
            400: OpenApiResponse(description="Malformed body or too many shipments"),
            403: OpenApiResponse(description="The organisation may not file (or is suspended)"),
            413: OpenApiResponse(description="Body over SHIPMENTS_MAX_BODY_BYTES"),
        },
    )
    def post(self, request: Request) -> HttpResponse:
        # A batch allocates hundreds of thousands of small objects that all live until the
        # answer is sent; the cyclic collector would only re-scan them, again and again.
        gc.disable()
        try:
            return self._file(request)
        finally:
            gc.enable()

    def _file(self, request: Request) -> HttpResponse:
        started = time.perf_counter()
        api_key = self.api_key(request)
        organisation = api_key.organisation
        refusal = selectors.filing_refusal(organisation=organisation)
        if refusal is not None:
            raise NotAllowedToFile(refusal.message, refusal.code)
        body = _read_body(request)
        shipments = _parse(request, body)
        limit = settings.SHIPMENTS_MAX_BATCH
        if not 1 <= len(shipments) <= limit:
            raise BadBatch(
                f"A batch has 1 to {limit:,} shipments; this one has {len(shipments):,}.",
                "batch_size",
            )
        outcome = batch_file(
            organisation=organisation,
            shipments=shipments,
            api_key=api_key,
            body_bytes=len(body),
            parse_ms=(time.perf_counter() - started) * 1000,
        )
        return HttpResponse(_encode(outcome.as_response()), content_type="application/json")


class RiskDoc(serializers.Serializer):
    level = serializers.ChoiceField(choices=["low", "medium", "high", "pending"])
    decision = serializers.ChoiceField(choices=Decision.choices)
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.DictField(), help_text="{code, message}")


class ShipmentDoc(serializers.Serializer):
    """The shape of a shipment in the answers (documentation only)."""

    id = serializers.UUIDField()
    reference = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ShipmentStatus.choices)
    mode = serializers.CharField()
    port_of_arrival = serializers.CharField()
    estimated_arrival = serializers.DateTimeField()
    house_bill = serializers.CharField(allow_null=True)
    tracking_number = serializers.CharField(allow_null=True)
    filed_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    risk = RiskDoc()
    decided_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)


class ShipmentDetailDoc(ShipmentDoc):
    content = serializers.DictField(help_text="The current version as filed (canonical).")
    versions = serializers.ListField(child=serializers.DictField())


class CancelDoc(serializers.Serializer):
    reason = serializers.CharField(required=False, max_length=500)


def shipment_summary(shipment: Shipment) -> dict[str, Any]:
    return {
        "id": str(shipment.pk),
        "reference": shipment.reference,
        "version": shipment.version,
        "status": shipment.status,
        "mode": shipment.mode,
        "port_of_arrival": shipment.port_of_arrival,
        "estimated_arrival": shipment.estimated_arrival.isoformat(),
        "house_bill": shipment.house_bill or None,
        "tracking_number": shipment.tracking_number or None,
        "filed_at": shipment.filed_at.isoformat(),
        "updated_at": shipment.updated_at.isoformat(),
        "risk": {
            "level": shipment.risk_level,
            "decision": shipment.decision,
            "score": shipment.risk_score,
            "reasons": filer_reasons(shipment.risk_reasons),
        },
        "decided_at": shipment.decided_at.isoformat() if shipment.decided_at else None,
        "cancelled_at": shipment.cancelled_at.isoformat() if shipment.cancelled_at else None,
    }


class CountedCursorPagination(pagination.CursorPagination):
    """Cursor pages (stable under inserts, cheap deep in the list) with the total count."""

    ordering = ("-filed_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self.count = queryset.count()
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )


def _datetime_param(request: Request, name: str) -> Any:
    raw = request.query_params.get(name)
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None or value.tzinfo is None:
        raise exceptions.ValidationError(
            {name: [f"Expected an ISO 8601 date and time with an offset, not {raw[:40]!r}."]}
        )
    return value


def _choice_param(request: Request, name: str, choices: list[str]) -> str | None:
    raw = request.query_params.get(name)
    if raw and raw not in choices:
        raise exceptions.ValidationError({name: [f"Expected one of {', '.join(choices)}."]})
    return raw or None


class ShipmentListView(ShipmentAPIView):
    required_scopes = {"GET": (Scope.SHIPMENTS_READ, Scope.SHIPMENTS_WRITE)}
    pagination_class = CountedCursorPagination

    @extend_schema(
        summary="List the organisation's shipments",
        operation_id="shipments_list",
        responses={200: ShipmentDoc(many=True)},
        parameters=[
            OpenApiParameter("reference", str),
            OpenApiParameter("status", str, enum=ShipmentStatus.values),
            OpenApiParameter("decision", str, enum=Decision.values),
            OpenApiParameter("arrival_from", str, description="ISO 8601 with offset"),
            OpenApiParameter("arrival_to", str, description="ISO 8601 with offset (exclusive)"),
            OpenApiParameter("cursor", str),
            OpenApiParameter("page_size", int),
        ],
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.shipments_for_organisation(
            organisation_id=self.api_key(request).organisation_id
        )
        reference = request.query_params.get("reference")
        if reference:
            queryset = queryset.filter(reference=reference)
        if chosen := _choice_param(request, "status", ShipmentStatus.values):
            queryset = queryset.filter(status=chosen)
        if chosen := _choice_param(request, "decision", Decision.values):
            queryset = queryset.filter(decision=chosen)
        if start := _datetime_param(request, "arrival_from"):
            queryset = queryset.filter(estimated_arrival__gte=start)
        if end := _datetime_param(request, "arrival_to"):
            queryset = queryset.filter(estimated_arrival__lt=end)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response([shipment_summary(s) for s in page or []])


def _own_shipment(view: ShipmentAPIView, request: Request, shipment_id: Any) -> Shipment:
    shipment = selectors.shipment_for_organisation(
        organisation_id=view.api_key(request).organisation_id, shipment_id=shipment_id
    )
    if shipment is None:
        raise exceptions.NotFound("Your organisation has no shipment with this id.")
    return shipment


class ShipmentDetailView(ShipmentAPIView):
    required_scopes = {"GET": (Scope.SHIPMENTS_READ, Scope.SHIPMENTS_WRITE)}

    @extend_schema(
        summary="One shipment with its decision and current content",
        operation_id="shipments_retrieve",
        responses={200: ShipmentDetailDoc, 404: OpenApiResponse(description="Not yours")},
    )
    def get(self, request: Request, shipment_id: Any) -> Response:
        shipment = _own_shipment(self, request, shipment_id)
        version = selectors.current_version(shipment=shipment)
        data = shipment_summary(shipment)
        data["content"] = version.content if version else None
        data["versions"] = [
            {"number": v.number, "filed_at": v.filed_at.isoformat(), "content_hash": v.content_hash}
            for v in selectors.versions(shipment=shipment)
        ]
        return Response(data)


class ShipmentCancelView(ShipmentAPIView):
    required_scope = Scope.SHIPMENTS_WRITE

    @extend_schema(
        summary="Cancel a shipment before it arrives",
        request=CancelDoc,
        responses={
            200: ShipmentDoc,
            404: OpenApiResponse(description="Not yours"),
            409: OpenApiResponse(description="Held, under review or arrived"),
        },
    )
    def post(self, request: Request, shipment_id: Any) -> Response:
        api_key = self.api_key(request)
        shipment = _own_shipment(self, request, shipment_id)
        reason = request.data.get("reason", "") if isinstance(request.data, dict) else ""
        try:
            shipment = shipment_cancel(
                shipment_id=shipment.pk,
                organisation_id=api_key.organisation_id,
                reason=str(reason).replace("\x00", "")[:500],
            )
        except TransitionNotAllowed as exc:
            raise Conflict(str(exc), "not_cancellable") from exc
        return Response(shipment_summary(shipment))
