"""Partner API: verify a known-shipper certificate (as under mutual recognition)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import public_cache
from shippers import selectors


class VerificationSerializer(serializers.Serializer):
    certificate_number = serializers.CharField()
    legal_name = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    status = serializers.ChoiceField(
        choices=["valid", "suspended", "revoked", "expired", "not valid"]
    )
    tier = serializers.IntegerField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    recognitions = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="Authorisations of partner programs recognised under an MRA.",
    )


class VerifyView(APIView):
    """Public, rate-limited look-up by certificate number; unknown numbers are 404."""

    permission_classes = (AllowAny,)
    throttle_scope = "verify"

    @extend_schema(
        summary="Verify a known-shipper certificate",
        responses={
            200: VerificationSerializer,
            404: OpenApiResponse(description="Unknown certificate"),
        },
    )
    def get(self, request: Request, number: str) -> Response:
        certificate = selectors.certificate_for_verification(number=number)
        if certificate is None:
            raise NotFound("No certificate has this number.")
        record = selectors.verification_record(certificate=certificate)
        return Response(VerificationSerializer(record).data)


# Anonymous look-ups are answered from the shared cache (`shippers.caching` keeps it fresh);
# partners calling with a token are answered (and throttled) one by one.
verify_view = public_cache.cached_public_page("verify", public_cache.VERIFY)(VerifyView.as_view())
