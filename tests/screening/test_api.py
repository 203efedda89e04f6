"""POST /api/v1/screening/search/: officers and partner administrations screen a name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from screening.models import ListVersion
from screening.services import list_import
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/screening/search/"
MATCH_KEYS = {"list", "source_id", "name", "matched_name", "score", "flag", "explanation"}


@pytest.fixture(autouse=True)
def ofac_imported(ofac_paths: list[Path]) -> ListVersion:
    return list_import(fmt="ofac", paths=ofac_paths).version


@pytest.fixture
def officer_api(api_client: APIClient) -> APIClient:
    api_client.force_authenticate(UserFactory(roles=["officer"]))
    return api_client


def _search(client: APIClient, **body: Any) -> dict[str, Any]:
    response = client.post(URL, body, format="json")
    assert response.status_code == 200, response.content
    result: dict[str, Any] = response.json()
    return result


def test_officer_finds_the_listed_party_with_its_explanation(officer_api: APIClient) -> None:
    result = _search(officer_api, name="Sergey Petrov", type="individual")

    assert result["query"] == "Sergey Petrov"
    best = result["matches"][0]
    assert set(best) == MATCH_KEYS  # the fingerprint stays internal
    assert best["list"] == "SDN"
    assert best["source_id"] == "7002"
    assert best["name"] == "PETROV, Sergey Aleksandrovich"
    assert best["flag"] is True
    assert best["score"] >= 0.75
    assert best["explanation"]["query"] == "Sergey Petrov"
    assert best["explanation"]["summary"]


def test_partner_administration_screens_with_its_token(api_client: APIClient) -> None:
    partner = UserFactory(roles=["partner"])
    token = Token.objects.create(user=partner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    result = _search(api_client, name="Banco Nacional de Cuba", type="entity")

    assert result["matches"][0]["source_id"] == "306"
    assert result["matches"][0]["flag"] is True


def test_supervisor_may_screen(api_client: APIClient) -> None:
    api_client.force_authenticate(UserFactory(roles=["supervisor"]))

    result = _search(api_client, name="Kim Jong Un")

    assert result["matches"][0]["source_id"] == "7007"


def test_an_innocent_name_is_not_flagged(officer_api: APIClient) -> None:
    result = _search(officer_api, name="Harbourline Parcels Ltd", type="entity", country="GB")

    assert not any(match["flag"] for match in result["matches"])


def test_threshold_and_limit(officer_api: APIClient) -> None:
    everything = _search(officer_api, name="Anglo Caribbean Airlines", threshold=0)
    one = _search(officer_api, name="Anglo Caribbean Airlines", threshold=0, limit=1)
    strict = _search(officer_api, name="Sergey Ivanov", threshold=0.75)

    assert [match["source_id"] for match in everything["matches"]] == ["173", "36"]
    assert [match["source_id"] for match in one["matches"]] == ["173"]
    assert strict["matches"] == []


def test_identifier_and_qualifiers_are_used(officer_api: APIClient) -> None:
    plain = _search(officer_api, name="S Petrov", threshold=0)
    with_facts = _search(
        officer_api,
        name="S Petrov",
        type="individual",
        country="ru",
        date_of_birth="1976-09-23",
        identifiers=["770123456789"],
        threshold=0,
    )

    best = with_facts["matches"][0]
    assert best["source_id"] == "7002"
    assert best["flag"] is True
    factors = {adjustment["factor"] for adjustment in best["explanation"]["adjustments"]}
    assert "identifier" in factors
    plain_score = next(m["score"] for m in plain["matches"] if m["source_id"] == "7002")
    assert best["score"] > plain_score


def test_shipper_is_refused(api_client: APIClient) -> None:
    api_client.force_authenticate(UserFactory(roles=["shipper"]))

    response = api_client.post(URL, {"name": "Sergey Petrov"}, format="json")

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["status"] == 403
    assert error["code"] == "permission_denied"
    assert error["message"] == "Screening is for officers and partner administrations."
    assert "matches" not in response.json()


def test_anonymous_is_asked_to_authenticate(api_client: APIClient) -> None:
    response = api_client.post(URL, {"name": "Sergey Petrov"}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 301}, "name"),
        ({"name": "Sergey Petrov", "type": "ship"}, "type"),
        ({"name": "Sergey Petrov", "country": "RUS"}, "country"),
        ({"name": "Sergey Petrov", "date_of_birth": "23/09/1976"}, "date_of_birth"),
        ({"name": "Sergey Petrov", "threshold": 1.5}, "threshold"),
        ({"name": "Sergey Petrov", "limit": 0}, "limit"),
        ({"name": "Sergey Petrov", "limit": 51}, "limit"),
        ({"name": "Sergey Petrov", "identifiers": ["1"] * 11}, "identifiers"),
    ],
)
def test_invalid_requests_get_the_standard_error_shape(
    officer_api: APIClient, body: dict[str, Any], field: str
) -> None:
    response = officer_api.post(URL, body, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["code"] == "invalid"
    assert error["message"] == "The request has invalid fields."
    assert list(error["fields"]) == [field]
    assert all(isinstance(message, str) for message in error["fields"][field])
    assert error["request_id"] == response["X-Request-ID"]


def test_only_post_is_allowed(officer_api: APIClient) -> None:
    response = officer_api.get(URL)

    assert response.status_code == 405
    assert response.json()["error"]["status"] == 405


def test_the_search_is_in_the_api_schema(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert URL in response.json()["paths"]
    assert "post" in response.json()["paths"][URL]
