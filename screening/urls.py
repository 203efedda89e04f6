from django.urls import path

from screening.api import ScreeningSearchView

app_name = "screening"

urlpatterns: list = []
api_urlpatterns = [
    path("screening/search/", ScreeningSearchView.as_view(), name="api-screening-search")
]
