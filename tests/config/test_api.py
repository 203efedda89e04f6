"""The API's conventions: authentication, one error shape, schema and docs."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_anonymous_gets_401_in_the_standard_error_shape(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    error = response.json()["error"]
    assert error["status"] == 401
    assert error["code"] == "not_authenticated"
    assert error["message"]
    assert error["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_token_authentication(api_client: APIClient) -> None:
    user = UserFactory(roles=["partner"])
    token = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "email": user.email,
        "full_name": user.full_name,
        "roles": ["partner"],
    }


@pytest.mark.django_db
def test_wrong_token_is_refused(api_client: APIClient) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.django_db
def test_unknown_api_path_is_404(api_client: APIClient) -> None:
    assert api_client.get("/api/v1/no-such-thing/").status_code == 404


@pytest.mark.django_db
def test_openapi_schema_and_interactive_docs(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/me/" in document["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"<script>" not in docs.content  # the split view keeps the page CSP-clean


@pytest.mark.django_db
def test_api_calls_are_throttled_with_a_clear_error(api_client: APIClient) -> None:
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    api_client.force_authenticate(UserFactory())
    cache.clear()
    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = {**original, "user": "3/minute"}
    try:
        responses = [api_client.get("/api/v1/me/") for _ in range(4)]
    finally:
        UserRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    error = responses[3].json()["error"]
    assert error["code"] == "throttled"
    assert error["retry_after_seconds"] > 0
