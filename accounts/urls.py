from django.urls import path

from accounts.api import MeView

app_name = "accounts"

api_urlpatterns = [path("me/", MeView.as_view(), name="api-me")]
urlpatterns: list = []
