from django.urls import path

from shippers import api, step_views, views

app_name = "shippers"

urlpatterns = [
    path("portal/", views.dashboard, name="dashboard"),
    path("portal/organisations/new/", views.organisation_new, name="organisation_new"),
    path("portal/organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("portal/organisations/<int:pk>/members/", views.organisation_members, name="members"),
    path(
        "portal/organisations/<int:pk>/history/",
        views.organisation_events,
        name="organisation_events",
    ),
    path("portal/invitations/<uuid:token>/", views.invitation_accept, name="invitation_accept"),
    path("portal/organisations/<int:pk>/apply/", views.application_start, name="application_start"),
    path("portal/applications/<int:pk>/", views.application_detail, name="application"),
    path(
        "portal/applications/<int:pk>/steps/<slug:step>/",
        step_views.application_step,
        name="application_step",
    ),
    path(
        "portal/applications/<int:pk>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("portal/requests/<int:pk>/", views.rfi_answer, name="rfi_answer"),
    path("portal/documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("certificates/<str:number>/", views.certificate, name="certificate"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:number>/", views.verify_number, name="verify_number"),
]

api_urlpatterns = [
    path("verify/<str:number>/", api.verify_view, name="api-verify"),
]
