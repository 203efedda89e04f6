"""Read-only API of published guidance: GET /api/v1/guidance/articles/ (search ?q=,
filters ?topic= ?audience=) and /api/v1/guidance/articles/<slug>/. Anonymous access is
allowed; the default throttles apply."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from education import selectors
from education.models import Article, Audience, Topic


class ReferenceSerializer(serializers.Serializer):
    citation = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    topics: serializers.SlugRelatedField[Topic] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )
    audiences: serializers.SlugRelatedField[Audience] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )

    class Meta:
        model = Article
        fields: tuple[str, ...] = (
            "slug",
            "title",
            "summary",
            "url",
            "topics",
            "audiences",
            "legal_guidance",
            "last_reviewed",
            "published_at",
            "content_updated_at",
        )

    def get_url(self, article: Article) -> str:
        request = self.context.get("request")
        path = article.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ArticleDetailSerializer(ArticleSerializer):
    references = ReferenceSerializer(many=True, read_only=True)
    html = serializers.CharField(source="rendered_html", read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = (*ArticleSerializer.Meta.fields, "references", "html")


@extend_schema_view(
    get=extend_schema(
        summary="Published guidance articles",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Web-style search query"),
            OpenApiParameter("topic", OpenApiTypes.STR, description="Topic slug"),
            OpenApiParameter("audience", OpenApiTypes.STR, description="Audience slug"),
        ],
    )
)
class ArticleListAPI(generics.ListAPIView):
    serializer_class = ArticleSerializer
    permission_classes = (AllowAny,)

    def get_queryset(self) -> QuerySet[Article]:
        params: Any = self.request.query_params
        return selectors.article_search_queryset(
            query=params.get("q", ""),
            topic=params.get("topic") or None,
            audience=params.get("audience") or None,
        ).prefetch_related("topics", "audiences")


@extend_schema_view(get=extend_schema(summary="One published guidance article"))
class ArticleDetailAPI(generics.RetrieveAPIView):
    serializer_class = ArticleDetailSerializer
    permission_classes = (AllowAny,)
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Article]:
        return selectors.published_articles().prefetch_related("topics", "audiences")
