from django.urls import path

from shipments import api

api_urlpatterns = [
    path("shipments/batches/", api.BatchView.as_view(), name="api-shipment-batch"),
    path("shipments/", api.ShipmentListView.as_view(), name="api-shipment-list"),
    path(
        "shipments/<uuid:shipment_id>/",
        api.ShipmentDetailView.as_view(),
        name="api-shipment-detail",
    ),
    path(
        "shipments/<uuid:shipment_id>/cancel/",
        api.ShipmentCancelView.as_view(),
        name="api-shipment-cancel",
    ),
]
