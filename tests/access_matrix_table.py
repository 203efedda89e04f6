"""The access matrix: for every URL pattern of the project, what each role gets on GET.

Columns (tests.access_world.ROLES): anonymous, owner (shipper of the organisation),
stranger (shipper of another organisation), officer_no_mfa (signed in with a password
only), officer, supervisor, editor (content editor), partner (partner administration),
api_key (a machine with the organisation's API key), partner_key (a machine with the
partner administration's key: verify:bulk and notifications).
Each row: the URL's arguments (names of objects of the world, or "=literal") and the
outcomes in column order (see tests/access_matrix_support.py). The admin is one rule
(ADMIN_RULE) for all of its URLs. A new URL pattern needs a row here: the test names it.
"""

from __future__ import annotations

from typing import Any

from tests.access_world import World

ORG = {"pk": "pk"}
APPLICATION = {"pk": "application"}
CASE = {"pk": "case"}

ROWS: dict[str, tuple[dict[str, str], str]] = {
    "": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "healthz": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "readyz": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "accounts/": ({}, "login ok ok mfa ok ok ok ok login login"),
    "status/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "accounts/login/": ({}, "ok redir redir mfa redir redir redir redir ok ok"),
    "accounts/logout/": ({}, "redir ok ok ok ok ok ok ok redir redir"),
    "accounts/inactive/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "accounts/signup/": ({}, "ok redir redir mfa redir redir redir redir ok ok"),
    "accounts/reauthenticate/": ({}, "login ok ok ok ok ok ok ok login login"),
    "accounts/reauthenticate/code/": ({}, "login ok ok ok ok ok ok ok login login"),
    "accounts/reauthenticate/code/confirm/": (
        {},
        "login reauth reauth reauth reauth reauth reauth reauth login login",
    ),
    "accounts/email/": ({}, "login ok ok mfa ok ok ok ok login login"),
    "accounts/sessions/": ({}, "login ok ok mfa ok ok ok ok login login"),
    "accounts/confirm-email/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "accounts/password/change/": ({}, "login ok ok mfa ok ok ok ok login login"),
    "accounts/password/set/": ({}, "login redir redir mfa redir redir redir redir login login"),
    "accounts/password/reset/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "accounts/login/code/confirm/": (
        {},
        "login redir redir mfa redir redir redir redir login login",
    ),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": (
        {"key": "=not-a-real-key"},
        "ok ok ok mfa ok ok ok ok ok ok",
    ),
    "accounts/password/reset/key/done/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        {"uidb36": "=1", "key": "=set-password"},
        "ok ok ok mfa ok ok ok ok ok ok",
    ),
    "accounts/password/reset/done/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "accounts/2fa/": ({}, "login ok ok ok ok ok ok ok login login"),
    "accounts/2fa/authenticate/": (
        {},
        "login redir redir redir redir redir redir redir login login",
    ),
    "accounts/2fa/reauthenticate/": ({}, "login reauth reauth reauth ok ok ok reauth login login"),
    "accounts/2fa/totp/activate/": (
        {},
        "login reauth reauth reauth reauth reauth reauth reauth login login",
    ),
    "accounts/2fa/totp/deactivate/": ({}, "login 404 404 mfa reauth reauth reauth 404 login login"),
    "accounts/2fa/recovery-codes/": ({}, "login 404 404 404 404 404 404 404 login login"),
    "accounts/2fa/recovery-codes/generate/": (
        {},
        "login reauth reauth reauth reauth reauth reauth reauth login login",
    ),
    "accounts/2fa/recovery-codes/download/": ({}, "login 404 404 404 404 404 404 404 login login"),
    "api/v1/verify/bulk/": ({}, "401 401 401 403 401 401 401 401 403 405"),
    "api/v1/partners/endpoints/": ({}, "401 401 401 403 401 401 401 401 403 ok"),
    "api/v1/partners/endpoints/<int:pk>/": (
        {"pk": "endpoint"},
        "401 401 401 403 401 401 401 401 403 405",
    ),
    "api/v1/partners/endpoints/<int:pk>/rotate-secret/": (
        {"pk": "endpoint"},
        "401 401 401 403 401 401 401 401 403 405",
    ),
    "api/v1/partners/deliveries/": ({}, "401 401 401 403 401 401 401 401 403 ok"),
    "api/v1/partners/deliveries/<int:pk>/replay/": (
        {"pk": "delivery"},
        "401 401 401 403 401 401 401 401 403 405",
    ),
    "api/v1/me/": ({}, "401 ok ok 403 ok ok ok ok 401 401"),
    "api/v1/verify/<str:number>/": ({"number": "certificate"}, "ok ok ok 403 ok ok ok ok ok ok"),
    "api/v1/guidance/articles/": ({}, "ok ok ok 403 ok ok ok ok ok ok"),
    "api/v1/guidance/articles/<slug:slug>/": (
        {"slug": "article"},
        "ok ok ok 403 ok ok ok ok ok ok",
    ),
    "api/v1/screening/search/": ({}, "401 403 403 403 405 405 403 405 401 401"),
    "api/v1/shipments/batches/": ({}, "401 401 401 403 401 401 401 401 405 403"),
    "api/v1/shipments/": ({}, "401 401 401 403 401 401 401 401 ok 403"),
    "api/v1/shipments/<uuid:shipment_id>/": (
        {"shipment_id": "shipment"},
        "401 401 401 403 401 401 401 401 ok 403",
    ),
    "api/v1/shipments/<uuid:shipment_id>/cancel/": (
        {"shipment_id": "shipment"},
        "401 401 401 403 401 401 401 401 405 403",
    ),
    "api/schema/": ({}, "ok ok ok 403 ok ok ok ok ok ok"),
    "api/docs/": ({}, "ok ok ok 403 ok ok ok ok ok ok"),
    "portal/": ({}, "login ok ok mfa ok ok ok ok login login"),
    "portal/organisations/new/": ({}, "login ok ok mfa ok ok ok ok login login"),
    "portal/organisations/<int:pk>/": (ORG, "login ok 404 mfa ok ok 404 404 login login"),
    "portal/organisations/<int:pk>/members/": (ORG, "login ok 404 mfa ok ok 404 404 login login"),
    "portal/organisations/<int:pk>/history/": (ORG, "login ok 404 mfa 404 404 404 404 login login"),
    "portal/invitations/<uuid:token>/": (
        {"token": "invitation"},
        "login ok ok mfa ok ok ok ok login login",
    ),
    "portal/organisations/<int:pk>/apply/": (ORG, "login 405 405 mfa 405 405 405 405 login login"),
    "portal/applications/<int:pk>/": (APPLICATION, "login ok 404 mfa ok ok 404 404 login login"),
    "portal/applications/<int:pk>/steps/<slug:step>/": (
        {"pk": "application", "step": "=company"},
        "login ok 404 mfa ok ok 404 404 login login",
    ),
    "portal/applications/<int:pk>/withdraw/": (
        APPLICATION,
        "login ok 404 mfa 404 404 404 404 login login",
    ),
    "portal/requests/<int:pk>/": ({"pk": "rfi"}, "login ok 404 mfa ok ok 404 404 login login"),
    "portal/documents/<int:pk>/download/": (
        {"pk": "document"},
        "login ok 404 mfa ok ok 404 404 login login",
    ),
    "certificates/<str:number>/": (
        {"number": "certificate"},
        "login ok 404 mfa ok ok 404 404 login login",
    ),
    "verify/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "verify/<str:number>/": ({"number": "certificate"}, "ok ok ok mfa ok ok ok ok ok ok"),
    "portal/cases/": ({}, "login ok ok mfa ok ok ok ok login login"),
    "portal/cases/<int:pk>/": (CASE, "login ok 404 mfa ok ok 404 404 login login"),
    "portal/cases/<int:pk>/petition/": (CASE, "login ok 404 mfa 403 403 404 404 login login"),
    "portal/cases/<int:pk>/reply/": (CASE, "login ok 404 mfa 403 403 404 404 login login"),
    "portal/cases/<int:pk>/payment/": (CASE, "login ok 404 mfa 403 403 404 404 login login"),
    "portal/cases/<int:pk>/notices/<int:notice_pk>/": (
        {"pk": "case", "notice_pk": "notice"},
        "login ok 404 mfa ok ok 404 404 login login",
    ),
    "portal/cases/<int:pk>/documents/<int:document_pk>/download/": (
        {"pk": "case", "document_pk": "case_document"},
        "login ok 404 mfa ok ok 404 404 login login",
    ),
    "guidance/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "guidance/search/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "guidance/feed/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "guidance/topics/<slug:slug>/": ({"slug": "topic"}, "ok ok ok mfa ok ok ok ok ok ok"),
    "guidance/articles/<slug:slug>/": ({"slug": "article"}, "ok ok ok mfa ok ok ok ok ok ok"),
    "guidance/articles/<slug:slug>/feedback/": (
        {"slug": "article"},
        "405 405 405 mfa 405 405 405 405 405 405",
    ),
    "training/": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "training/certificates/<str:number>/": (
        {"number": "training_certificate"},
        "login ok 404 mfa ok ok 404 404 login login",
    ),
    "training/<slug:slug>/": ({"slug": "module"}, "ok ok ok mfa ok ok ok ok ok ok"),
    "training/<slug:slug>/quiz/": ({"slug": "module"}, "login ok ok mfa ok ok ok ok login login"),
    "training/<slug:slug>/results/<int:attempt_id>/": (
        {"slug": "module", "attempt_id": "attempt"},
        "login ok 404 mfa 404 404 404 404 login login",
    ),
    "sitemap.xml": ({}, "ok ok ok mfa ok ok ok ok ok ok"),
    "portal/shipments/": ({}, "login ok redir mfa ok ok ok redir login login"),
    "portal/shipments/template.csv": ({}, "login ok ok mfa ok ok ok ok login login"),
    "portal/organisations/<int:pk>/shipments/": (
        ORG,
        "login ok 404 mfa 404 404 404 404 login login",
    ),
    "portal/organisations/<int:pk>/shipments/upload/": (
        ORG,
        "login ok 404 mfa 404 404 404 404 login login",
    ),
    "portal/organisations/<int:pk>/shipments/<uuid:shipment_id>/": (
        {"pk": "pk", "shipment_id": "shipment"},
        "login ok 404 mfa 404 404 404 404 login login",
    ),
    "portal/organisations/<int:pk>/api-keys/": (
        ORG,
        "login ok 404 mfa 404 404 404 404 login login",
    ),
    "portal/organisations/<int:pk>/api-keys/<str:key_id>/revoke/": (
        {"pk": "pk", "key_id": "api_key"},
        "login 405 405 mfa 405 405 405 405 login login",
    ),
    "partners/deliveries/": ({}, "login 403 403 mfa 403 403 403 ok login login"),
    "partners/deliveries/<int:pk>/replay/": (
        {"pk": "delivery"},
        "login 405 405 mfa 405 405 405 405 login login",
    ),
}


def kwargs_for(spec: dict[str, str], world: World) -> dict[str, Any]:
    return {
        name: value[1:] if value.startswith("=") else world.kwargs[value]
        for name, value in spec.items()
    }


# POST with an empty body, for the routes that act; `-`: the role that may act is not probed.
POSTS: dict[str, str] = {
    "api/v1/verify/bulk/": "401 401 401 403 401 401 401 401 403 400",
    "api/v1/partners/endpoints/": "401 401 401 403 401 401 401 401 403 400",
    "api/v1/partners/endpoints/<int:pk>/rotate-secret/": "401 401 401 403 401 401 401 401 403 ok",
    "api/v1/partners/deliveries/<int:pk>/replay/": "401 401 401 403 401 401 401 401 403 ok",
    "api/v1/screening/search/": "401 403 403 403 400 400 403 400 401 401",
    "api/v1/shipments/batches/": "401 401 401 403 401 401 401 401 415 403",
    "api/v1/shipments/<uuid:shipment_id>/cancel/": "401 401 401 403 401 401 401 401 409 403",
    "portal/organisations/new/": "login - ok mfa ok ok ok ok login login",
    "portal/organisations/<int:pk>/": "login - 404 mfa ok ok 404 404 login login",
    "portal/organisations/<int:pk>/members/": "login - 404 mfa 403 403 404 404 login login",
    "portal/invitations/<uuid:token>/": "login ok ok mfa ok ok ok ok login login",
    "portal/organisations/<int:pk>/apply/": "login - 404 mfa 404 404 404 404 login login",
    "portal/applications/<int:pk>/steps/<slug:step>/": (
        "login - 404 mfa 403 403 404 404 login login"
    ),
    "portal/applications/<int:pk>/withdraw/": "login - 404 mfa 404 404 404 404 login login",
    "portal/requests/<int:pk>/": "login - 404 mfa 403 403 404 404 login login",
    "portal/cases/<int:pk>/petition/": "login - 404 mfa 403 403 404 404 login login",
    "portal/cases/<int:pk>/reply/": "login 409 404 mfa 403 403 404 404 login login",
    "portal/cases/<int:pk>/payment/": "login - 404 mfa 403 403 404 404 login login",
    "guidance/articles/<slug:slug>/feedback/": "400 400 400 mfa 400 400 400 400 400 400",
    "training/<slug:slug>/quiz/": "login ok ok mfa ok ok ok ok login login",
    "portal/organisations/<int:pk>/shipments/upload/": (
        "login - 404 mfa 404 404 404 404 login login"
    ),
    "portal/organisations/<int:pk>/api-keys/": "login - 404 mfa 404 404 404 404 login login",
    "portal/organisations/<int:pk>/api-keys/<str:key_id>/revoke/": (
        "login - 404 mfa 404 404 404 404 login login"
    ),
    "partners/deliveries/<int:pk>/replay/": "login 403 403 mfa 403 403 403 redir login login",
}
