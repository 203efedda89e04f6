from django.urls import path

from partners import api, views

app_name = "partners"

urlpatterns = [
    path("partners/deliveries/", views.deliveries, name="deliveries"),
    path("partners/deliveries/<int:pk>/replay/", views.replay, name="replay"),
]

api_urlpatterns = [
    path("verify/bulk/", api.BulkVerifyView.as_view(), name="api-verify-bulk"),
    path("partners/endpoints/", api.EndpointListView.as_view(), name="api-endpoints"),
    path("partners/endpoints/<int:pk>/", api.EndpointDetailView.as_view(), name="api-endpoint"),
    path(
        "partners/endpoints/<int:pk>/rotate-secret/",
        api.EndpointRotateView.as_view(),
        name="api-endpoint-rotate",
    ),
    path("partners/deliveries/", api.DeliveryListView.as_view(), name="api-deliveries"),
    path(
        "partners/deliveries/<int:pk>/replay/",
        api.DeliveryReplayView.as_view(),
        name="api-delivery-replay",
    ),
]
