from django.urls import path

from shipments import portal

app_name = "shipments"

urlpatterns = [
    path("portal/shipments/", portal.home, name="home"),
    path("portal/shipments/template.csv", portal.csv_template, name="csv_template"),
    path("portal/organisations/<int:pk>/shipments/", portal.shipment_list, name="list"),
    path("portal/organisations/<int:pk>/shipments/upload/", portal.upload, name="upload"),
    path(
        "portal/organisations/<int:pk>/shipments/<uuid:shipment_id>/",
        portal.shipment_detail,
        name="detail",
    ),
    path("portal/organisations/<int:pk>/api-keys/", portal.api_keys, name="api_keys"),
    path(
        "portal/organisations/<int:pk>/api-keys/<str:key_id>/revoke/",
        portal.api_key_revoke_view,
        name="api_key_revoke",
    ),
]
