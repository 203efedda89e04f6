"""Root URLs: the public site, accounts, the admin (behind allauth and MFA) and /api/v1/."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import urls as accounts_urls
from config import views
from education import urls as education_urls
from enforcement import urls as enforcement_urls
from partners import urls as partners_urls
from screening import urls as screening_urls
from shipments import portal_urls as shipments_portal_urls
from shipments import urls as shipments_urls
from shippers import urls as shippers_urls

# The admin login is allauth's: its rate limits and second factor apply to officers.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = f"{settings.PROGRAM_NAME}: officer administration"
admin.site.site_title = settings.PROGRAM_NAME
admin.site.index_title = "Work queues and records"

api_v1 = [
    path("", include(partners_urls.api_urlpatterns)),  # before shippers: verify/bulk/
    path("", include(accounts_urls.api_urlpatterns)),
    path("", include(shippers_urls.api_urlpatterns)),
    path("", include(enforcement_urls.api_urlpatterns)),
    path("", include(education_urls.api_urlpatterns)),
    path("", include(screening_urls.api_urlpatterns)),
    path("", include(shipments_urls.api_urlpatterns)),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include(accounts_urls.urlpatterns)),
    path("status/", views.service_status, name="service-status"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(shippers_urls)),
    path("", include(enforcement_urls)),
    path("", include(education_urls)),
    path("", include(shipments_portal_urls)),
    path("", include(partners_urls)),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
