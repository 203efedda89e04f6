"""The officers' screening pages in the admin: screen a name, lists, versions and their
differences, and listed parties (read-only; the false positives are in shippers' vetting admin)."""

from __future__ import annotations

from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from screening.models import ListVersion
from screening.services import list_import
from tests.accounts.factories import UserFactory
from tests.shippers.factories import owner_with_organisation

pytestmark = pytest.mark.django_db
SEARCH_URL = "/admin/screening/screeninglist/search/"


def staff_with_mfa(*roles: str) -> User:
    user = UserFactory(roles=list(roles))
    TOTP.activate(user, generate_totp_secret())
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer() -> User:
    return staff_with_mfa("officer")


@pytest.fixture
def officer_client(officer: User) -> Client:
    return client_for(officer)


@pytest.fixture
def versions(
    ofac_paths: list[Path],
    ofac_v2_paths: list[Path],
    rescreenings: list[int],
) -> tuple[ListVersion, ListVersion]:
    first = list_import(fmt="ofac", paths=ofac_paths).version
    second = list_import(fmt="ofac", paths=ofac_v2_paths).version
    first.refresh_from_db()
    return first, second


def test_the_search_page_has_its_url() -> None:
    assert reverse("admin:screening_search") == SEARCH_URL


def test_officer_screens_a_name_and_sees_the_explanation(
    officer_client: Client, versions: tuple[ListVersion, ListVersion]
) -> None:
    response = officer_client.get(
        SEARCH_URL, {"name": "Sergey Petrov", "entity_type": "individual", "country": "ru"}
    )

    assert response.status_code == 200
    results = response.context["results"]
    assert results[0]["source_id"] == "7002"
    assert results[0]["flag"] is True
    page = response.content.decode()
    assert "PETROV, Sergey Aleksandrovich" in page
    assert "(SDN 7002)" in page
    assert "FLAGGED" in page
    assert escape(results[0]["explanation"]["summary"]) in page
    # Each query token is shown against the listed token it matched.
    assert "<th>Query token</th>" in page
    assert "<td>sergey</td><td>sergei</td><td>0.95</td><td>spelling variant</td>" in page
    assert "OFAC-SDN version 2 (14 entries)" in page


def test_an_innocent_name_is_not_flagged(
    officer_client: Client, versions: tuple[ListVersion, ListVersion]
) -> None:
    response = officer_client.get(SEARCH_URL, {"name": "Harbourline Parcels Ltd"})

    assert response.status_code == 200
    assert not any(match["flag"] for match in response.context["results"])
    assert "FLAGGED" not in response.content.decode()


def test_the_empty_form_shows_no_results(officer_client: Client) -> None:
    response = officer_client.get(SEARCH_URL)

    assert response.status_code == 200
    assert response.context["results"] is None
    assert "import a list first" in response.content.decode()


def test_an_invalid_query_shows_the_form_errors(
    officer_client: Client, versions: tuple[ListVersion, ListVersion]
) -> None:
    response = officer_client.get(SEARCH_URL, {"name": "Sergey Petrov", "country": "RUS"})

    assert response.status_code == 200
    assert response.context["results"] is None
    assert "country" in response.context["form"].errors


def test_a_shipper_is_refused(versions: tuple[ListVersion, ListVersion]) -> None:
    shipper, _organisation = owner_with_organisation()

    response = client_for(shipper).get(SEARCH_URL, {"name": "Sergey Petrov"})

    assert response.status_code in {302, 403}
    assert b"PETROV" not in response.content


def test_staff_without_the_screening_permission_is_refused(
    versions: tuple[ListVersion, ListVersion],
) -> None:
    editor = staff_with_mfa("content_editor")

    response = client_for(editor).get(SEARCH_URL, {"name": "Sergey Petrov"})

    assert response.status_code == 403
    assert b"PETROV" not in response.content


def test_the_lists_page_links_to_the_search(
    officer_client: Client, versions: tuple[ListVersion, ListVersion]
) -> None:
    response = officer_client.get("/admin/screening/screeninglist/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{SEARCH_URL}"' in page
    assert "2 (14 entries," in page


def test_a_version_page_shows_its_difference(
    officer_client: Client, versions: tuple[ListVersion, ListVersion]
) -> None:
    _first, second = versions

    response = officer_client.get(f"/admin/screening/listversion/{second.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "NOVAYA ZVEZDA SHIPPING LIMITED" in page
    assert "GOLDEN STAR TRADING LLC" in page
    assert "CYBER2" in page


def test_listed_parties_can_be_searched_but_not_changed(
    officer: User, officer_client: Client, versions: tuple[ListVersion, ListVersion]
) -> None:
    _first, second = versions
    party = second.entries.get(source_id="7011")

    listing = officer_client.get("/admin/screening/listedparty/", {"q": "zvezda"})
    change = officer_client.post(
        f"/admin/screening/listedparty/{party.pk}/change/", {"primary_name": "Renamed"}
    )

    assert listing.status_code == 200
    assert "NOVAYA ZVEZDA SHIPPING LIMITED" in listing.content.decode()
    assert change.status_code == 403
    party.refresh_from_db()
    assert party.primary_name == "NOVAYA ZVEZDA SHIPPING LIMITED"
