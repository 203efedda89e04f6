"""The verify page and API are answered from the shared cache, and a change partners must see
(issue, suspension, revocation, reinstatement) shows at once on both."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shippers import services
from shippers.models import Application
from tests.accounts.factories import UserFactory
from tests.core.public_cache_support import public_cache_on  # noqa: F401 (a fixture)
from tests.shippers.factories import complete_application, owner_with_organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_cache_on")]


@pytest.fixture
def approved(django_capture_on_commit_callbacks: Any) -> Application:
    user, organisation = owner_with_organisation(legal_name="Cached Parcels Ltd")
    application = complete_application(user, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=user, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(
            actor=UserFactory(roles=["officer"]), application=application, tier=1
        )
    return application


def _page(client: Client, number: str) -> str:
    response = client.get(f"/verify/{number}/")
    assert response.status_code == 200
    return response.content.decode()


def _api_status(client: Client, number: str) -> str:
    response = client.get(f"/api/v1/verify/{number}/")
    assert response.status_code == 200
    return str(response.json()["status"])


def test_a_repeated_look_up_is_answered_without_the_database(
    client: Client, approved: Application, django_assert_max_num_queries: Any
) -> None:
    number = approved.certificate.number
    first = client.get(f"/verify/{number}/")
    assert "Cached Parcels Ltd" in first.content.decode()
    assert client.get(f"/api/v1/verify/{number}/").status_code == 200
    assert client.get("/api/v1/verify/KS-US-000001/").status_code == 404
    with django_assert_max_num_queries(0):
        again = client.get(f"/verify/{number}/")
        known = client.get(f"/api/v1/verify/{number}/")
        unknown = client.get("/api/v1/verify/KS-US-000001/")
    assert again.content == first.content
    assert known.json()["legal_name"] == "Cached Parcels Ltd"
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"


def test_headers_let_a_cdn_keep_the_answer_but_ask_again_each_time(
    client: Client, approved: Application
) -> None:
    number = approved.certificate.number
    response = client.get(f"/verify/{number}/")
    assert response["Cache-Control"] == "public, no-cache"
    assert "Cookie" in response["Vary"]
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    not_modified = client.get(f"/verify/{number}/", headers={"if-none-match": response["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    api = client.get(f"/api/v1/verify/{number}/")
    assert api["Cache-Control"] == "public, no-cache"
    assert (
        client.get(f"/api/v1/verify/{number}/", headers={"if-none-match": api["ETag"]}).status_code
        == 304
    )
    assert client.head(f"/verify/{number}/").status_code == 200
    assert client.head(f"/api/v1/verify/{number}/").status_code == 200


def test_suspension_revocation_and_reinstatement_show_at_once(
    client: Client, approved: Application, django_capture_on_commit_callbacks: Any
) -> None:
    number = approved.certificate.number
    officer = UserFactory(roles=["officer"])
    assert "Valid" in _page(client, number)
    assert _api_status(client, number) == "valid"
    etag = client.get(f"/verify/{number}/")["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        services.application_suspend(actor=officer, application=approved, reason="Unpaid penalty")
    assert "Suspended" in _page(client, number)
    assert _api_status(client, number) == "suspended"
    # The copy a CDN kept is no longer current: it gets the new page, not a 304.
    assert client.get(f"/verify/{number}/", headers={"if-none-match": etag}).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        services.application_reinstate(actor=officer, application=approved, reason="Paid")
    assert "Valid" in _page(client, number)
    assert _api_status(client, number) == "valid"

    with django_capture_on_commit_callbacks(execute=True):
        services.application_revoke(actor=officer, application=approved, reason="Fraud")
    assert "Revoked" in _page(client, number)
    assert _api_status(client, number) == "revoked"
    assert "Revoked" in client.get("/verify/", {"number": number}).content.decode()


def test_an_unknown_number_is_kept_until_a_certificate_is_issued(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user, organisation = owner_with_organisation(legal_name="Late Issue Ltd")
    application = complete_application(user, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=user, application=application)
    assert client.get("/api/v1/verify/KS-US-000001/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(
            actor=UserFactory(roles=["officer"]), application=application, tier=1
        )
    number = Application.objects.get(pk=application.pk).certificate.number
    assert _api_status(client, number) == "valid"
    # Any issue makes stored answers stale, unknown numbers' included.
    missing = client.get("/api/v1/verify/KS-US-000001/")
    assert missing.status_code == 404
    assert missing["Cache-Control"] == "public, no-cache"


def test_signed_in_and_token_callers_are_never_served_a_shared_copy(
    client: Client, api_client: Any, approved: Application
) -> None:
    number = approved.certificate.number
    client.force_login(UserFactory(roles=["shipper"]))
    page = client.get(f"/verify/{number}/")
    assert page.status_code == 200
    assert "private" in page["Cache-Control"]
    assert "Cookie" in page["Vary"]
    api_client.force_authenticate(UserFactory())
    answer = api_client.get(f"/api/v1/verify/{number}/", HTTP_AUTHORIZATION="Token abc")
    assert "private" in answer["Cache-Control"]
