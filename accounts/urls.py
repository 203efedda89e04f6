from django.urls import path

from accounts.api import MeView
from accounts.views import account_home

app_name = "accounts"

api_urlpatterns = [path("me/", MeView.as_view(), name="api-me")]
# Mounted before allauth's pages under /accounts/ (config/urls.py); named without the
# namespace, like allauth's own account_* pages.
urlpatterns = [path("", account_home, name="account")]
