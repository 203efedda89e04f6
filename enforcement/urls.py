from django.urls import path

from enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("portal/cases/", views.case_list, name="cases"),
    path("portal/cases/<int:pk>/", views.case_detail, name="case"),
    path("portal/cases/<int:pk>/petition/", views.petition_file, name="petition"),
    path("portal/cases/<int:pk>/reply/", views.prepenalty_reply, name="reply"),
    path("portal/cases/<int:pk>/payment/", views.payment_record, name="payment"),
    path("portal/cases/<int:pk>/notices/<int:notice_pk>/", views.notice_detail, name="notice"),
    path(
        "portal/cases/<int:pk>/documents/<int:document_pk>/download/",
        views.document_download,
        name="document_download",
    ),
]

api_urlpatterns: list = []
