"""POST /api/v1/screening/search/ for officers and partner administrations."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from screening.selectors import ScreeningQuery, match_json, screen, thresholds


class CanScreen(BasePermission):
    message = "Screening is for officers and partner administrations."

    def has_permission(self, request: Request, view: object) -> bool:
        return bool(request.user and request.user.has_perm("screening.use_screening"))


class SearchRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    type = serializers.ChoiceField(
        choices=["individual", "entity", "vessel", "aircraft"], required=False
    )
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, help_text="ISO alpha-2")
    date_of_birth = serializers.RegexField(r"^\d{4}(-\d{2}-\d{2})?$", required=False)
    identifiers = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=10
    )
    threshold = serializers.FloatField(min_value=0.0, max_value=1.0, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=50, required=False)


class MatchSerializer(serializers.Serializer):
    list = serializers.CharField()
    source_id = serializers.CharField()
    name = serializers.CharField()
    matched_name = serializers.CharField()
    score = serializers.FloatField()
    flag = serializers.BooleanField()
    explanation = serializers.JSONField()


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    matches = MatchSerializer(many=True)


class ScreeningSearchView(APIView):
    permission_classes = (CanScreen,)

    @extend_schema(
        request=SearchRequestSerializer, responses=SearchResponseSerializer, summary="Screen a name"
    )
    def post(self, request: Request) -> Response:
        serializer = SearchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        query = ScreeningQuery(
            name=data["name"],
            entity_type=data.get("type"),
            country=data.get("country", "").upper() or None,
            date_of_birth=data.get("date_of_birth"),
            identifiers=tuple(data.get("identifiers", ())),
        )
        _hit, review = thresholds()
        matches = screen(query, threshold=data.get("threshold"), limit=data.get("limit", 10))
        body = {"query": data["name"], "matches": [match_json(m, review) for m in matches]}
        for item in body["matches"]:
            item.pop("fingerprint")
        return Response(body)
