from django.contrib.sitemaps.views import sitemap
from django.urls import path

from core.public_cache import cached_public_page
from education import api, views
from education.sitemaps import sitemaps

app_name = "education"

urlpatterns = [
    path("guidance/", views.guidance_home, name="home"),
    path("guidance/search/", views.search, name="search"),
    path("guidance/feed/", cached_public_page("guidance")(views.ArticleFeed()), name="feed"),
    path("guidance/topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("guidance/articles/<slug:slug>/", views.article_detail, name="article"),
    path("guidance/articles/<slug:slug>/feedback/", views.article_feedback, name="feedback"),
    path("training/", views.module_list, name="modules"),
    path("training/certificates/<str:number>/", views.certificate, name="certificate"),
    path("training/<slug:slug>/", views.module_detail, name="module"),
    path("training/<slug:slug>/quiz/", views.quiz, name="quiz"),
    path("training/<slug:slug>/results/<int:attempt_id>/", views.attempt_result, name="attempt"),
    path(
        "sitemap.xml",
        cached_public_page("guidance")(sitemap),
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
]

api_urlpatterns = [
    path("guidance/articles/", api.ArticleListAPI.as_view(), name="api-guidance-articles"),
    path(
        "guidance/articles/<slug:slug>/",
        api.ArticleDetailAPI.as_view(),
        name="api-guidance-article",
    ),
]
