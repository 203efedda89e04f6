"""Malformed requests get a clear 4xx in the API's error shape, never a 500."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from config import urls as project_urls

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/guidance/search/?q=a%00b", "/verify/AB%00C/", "/api/v1/verify/X%00/", "/accounts/login/%00"],
)
def test_a_nul_character_in_the_address_is_a_400(url: str) -> None:
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "invalid_request"
    assert b"NUL" in response.content


def test_a_json_body_nested_too_deep_is_a_400(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = __name__
    body = "[" * 5000 + "]" * 5000
    response = APIClient().post("/api/echo/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]["message"]


def test_an_unknown_api_address_answers_json_even_without_debug(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    response = Client().get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


def test_a_server_error_under_the_api_is_json(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/api/boom/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_api_throttles_ignore_a_forged_forwarded_header(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 0
    cache.clear()
    client = APIClient()
    statuses = [
        client.get("/api/v1/verify/UNKNOWN-1/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(40)
    ]
    assert 429 in statuses  # the rotating header did not buy a fresh bucket
    assert (
        json.loads(client.get("/api/v1/verify/UNKNOWN-1/").content)["error"]["code"] == "throttled"
    )


def _boom(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("boom")


class _Echo(APIView):
    permission_classes = (AllowAny,)

    def post(self, request):  # type: ignore[no-untyped-def]
        return Response({"received": request.data})


urlpatterns = [
    path("api/boom/", _boom),
    path("api/echo/", _Echo.as_view()),
    *project_urls.urlpatterns,
]
handler500 = "config.errors.server_error"


def test_an_upload_over_the_limit_is_refused_before_the_body_is_read(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHIPPERS_MAX_UPLOAD_BYTES = 1024
    body = b"x" * 16
    # The declared length is what counts: the body is never read.
    response = Client().generic(
        "POST",
        "/portal/",
        body,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(5 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert b"files may be at most" in response.content


def test_the_verify_page_limit_ignores_a_forged_forwarded_header(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 0
    cache.clear()
    client = Client()
    statuses = [
        client.get(
            "/verify/", {"number": "US-KS-UNKNOWN"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(32)
    ]
    assert statuses[:30] == [200] * 30
    assert statuses[30:] == [429, 429]


def test_behind_one_trusted_proxy_each_client_has_its_own_verify_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    client = Client()
    for _ in range(30):
        client.get("/verify/", {"number": "X"}, HTTP_X_FORWARDED_FOR="203.0.113.1")
    limited = client.get("/verify/", {"number": "X"}, HTTP_X_FORWARDED_FOR="203.0.113.1")
    other = client.get("/verify/", {"number": "X"}, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert (limited.status_code, other.status_code) == (429, 200)
