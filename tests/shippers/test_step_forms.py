"""The application's steps keep everything typed, whichever button is pressed; the security
profile goes one area per page; "check your answers" shows every section in words."""

from __future__ import annotations

import pytest
from django.test import Client

from shippers import services
from shippers.models import Address, Application, Identifier
from shippers.summary import security_areas
from tests.accounts.factories import UserFactory
from tests.shippers.factories import complete_application, owner_with_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client: Client) -> tuple[Client, Application]:
    user, organisation = owner_with_organisation(legal_name="Harbourline Parcels Ltd")
    application = services.application_create(actor=user, organisation=organisation)
    client.force_login(user)
    return client, application


def _url(application: Application, step: str) -> str:
    return f"/portal/applications/{application.pk}/steps/{step}/"


PROFILE = {
    "legal_name": "Harbourline Parcels Ltd",
    "trade_names": "Harbourline, HBL Express",
    "business_type": "online_seller",
    "country": "GB",
    "ownership": "public",
    "ownership_details": "Listed on AIM",
    "year_founded": "2009",
    "employees": "57",
    "website": "https://harbourline.example",
}


def test_pressing_add_for_an_identifier_keeps_the_profile_typed_above(draft) -> None:  # type: ignore[no-untyped-def]
    """The case of the issue: fill the profile, then press "Add" for an identifier."""
    client, application = draft
    response = client.post(
        _url(application, "company"),
        {
            **PROFILE,
            "action": "add:identifier",
            "identifier-kind": "us_ein",
            "identifier-value": "46-2785561",
        },
    )
    assert response.status_code == 302
    organisation = application.organisation
    organisation.refresh_from_db()
    assert organisation.ownership == "public"
    assert organisation.year_founded == 2009
    assert organisation.employees == 57
    assert organisation.website == "https://harbourline.example"
    assert organisation.trade_names == ["Harbourline", "HBL Express"]
    assert organisation.identifiers.get().value == "462785561"
    page = client.get(_url(application, "company")).content.decode()
    assert "46-2785561" in page  # shown as the IRS writes it


def test_add_with_a_wrong_profile_adds_the_item_and_shows_the_profile_as_typed(draft) -> None:  # type: ignore[no-untyped-def]
    client, application = draft
    response = client.post(
        _url(application, "company"),
        {
            **PROFILE,
            "year_founded": "2999",
            "action": "add:identifier",
            "identifier-kind": "us_ein",
            "identifier-value": "46-2785561",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The year founded cannot be in the future." in html
    assert 'value="https://harbourline.example"' in html
    assert "HBL Express" in html
    assert Identifier.objects.filter(organisation=application.organisation).count() == 1
    application.organisation.refresh_from_db()
    assert application.organisation.website == ""  # not saved until it is valid


def test_an_item_typed_under_another_add_is_shown_again(draft) -> None:  # type: ignore[no-untyped-def]
    client, application = draft
    response = client.post(
        _url(application, "company"),
        {
            **PROFILE,
            "action": "add:identifier",
            "identifier-kind": "us_ein",
            "identifier-value": "00-0000000",
            "address-kind": "registered",
            "address-line1": "1 Dock Road",
            "address-city": "Felixstowe",
        },
    )
    assert response.status_code == 200  # the EIN is refused
    html = response.content.decode()
    assert 'value="1 Dock Road"' in html
    assert 'value="Felixstowe"' in html


def test_save_adds_an_item_typed_but_not_added(draft) -> None:  # type: ignore[no-untyped-def]
    client, application = draft
    response = client.post(
        _url(application, "company"),
        {
            **PROFILE,
            "action": "save",
            "address-kind": "registered",
            "address-line1": "1 Dock Road",
            "address-city": "Felixstowe",
            "address-postal_code": "IP11 3SY",
            "address-country": "GB",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url(application, "people")
    address = Address.objects.get(organisation=application.organisation)
    assert address.line1 == "1 Dock Road"


def test_a_country_not_in_iso_3166_is_refused_by_name(draft) -> None:  # type: ignore[no-untyped-def]
    client, application = draft
    response = client.post(
        _url(application, "facilities"),
        {
            "action": "add:partner",
            "partner-name": "Acme",
            "partner-role": "supplier",
            "partner-country": "XX",
        },
    )
    assert response.status_code == 200
    assert "“XX” is not an ISO 3166 country code" in response.content.decode()
    assert not application.organisation.partners.exists()


def test_the_security_profile_goes_one_area_per_page(draft) -> None:  # type: ignore[no-untyped-def]
    client, application = draft
    areas = security_areas(application=application)
    assert len(areas) > 1
    first = client.get(_url(application, "security"))
    html = first.content.decode()
    assert f"Area 1 of {len(areas)}: {areas[0].name}" in html
    questions = list(application.questionnaire.questions.all())
    first_area = [q for q in questions if q.area_code == areas[0].code]
    second_area = [q for q in questions if q.area_code == areas[1].code]
    assert f"answer_{first_area[0].code}" in html
    assert f"answer_{second_area[0].code}" not in html
    response = client.post(
        _url(application, "security") + "?area=0",
        {"action": "save", **{f"answer_{q.code}": "yes" for q in first_area}},
    )
    assert response.status_code == 302
    assert response["Location"] == _url(application, "security") + "?area=1"
    assert application.security_answers.count() == len(first_area)
    assert security_areas(application=application)[0].complete
    assert client.get(_url(application, "security") + "?area=999").status_code == 404


def test_check_your_answers_shows_every_section_in_words_with_change_links(client: Client) -> None:
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    client.force_login(user)
    html = client.get(_url(application, "review")).content.decode()
    for step, title in (
        ("company", "Company profile"),
        ("people", "Principals and contacts"),
        ("facilities", "Facilities and partners"),
        ("security", "Security profile"),
        ("trade", "Trade profile"),
        ("documents", "Documents"),
        ("attestation", "Attestation"),
    ):
        assert f'href="{_url(application, step)}"' in html, step
        assert title in html
    assert "980 7806 84" in html  # the UK VAT number grouped
    assert "United Kingdom" in html
    assert "<dt>business_registration</dt>" not in html  # document types by name
    assert "Registered office" in html or "Registered" in html


def test_another_user_cannot_open_or_post_a_step(draft) -> None:  # type: ignore[no-untyped-def]
    _client, application = draft
    stranger = UserFactory(roles=["shipper"])
    other = Client()
    other.force_login(stranger)
    assert other.get(_url(application, "company")).status_code == 404
    assert (
        other.post(_url(application, "company"), {**PROFILE, "action": "save"}).status_code == 404
    )


def test_the_same_principal_is_refused_twice(draft) -> None:  # type: ignore[no-untyped-def]
    client, application = draft
    principal = {
        "action": "add:principal",
        "principal-full_name": "Amelia Hart",
        "principal-role": "director",
        "principal-nationality": "GB",
    }
    assert client.post(_url(application, "people"), principal).status_code == 302
    again = client.post(
        _url(application, "people"), {**principal, "principal-full_name": " amelia  HART "}
    )
    assert again.status_code == 200
    assert "Amelia Hart is already listed" in again.content.decode()
    assert application.organisation.principals.count() == 1


def test_origin_countries_are_ticked_from_the_iso_list_and_a_wrong_code_is_named(  # type: ignore[no-untyped-def]
    draft,
) -> None:
    client, application = draft
    page = client.get(_url(application, "trade")).content.decode()
    # Real checkboxes (the filter box is added by the script), one per ISO 3166 country.
    assert 'data-filter="collapsed"' in page
    assert page.count('name="origin_countries"') == 249
    assert 'value="VN"' in page
    assert "Vietnam (VN)" in page
    trade = {"action": "save", "annual_shipments": "24000", "hs_chapters": ["94", "39"]}

    response = client.post(_url(application, "trade"), {**trade, "origin_countries": ["CN", "XX"]})
    assert response.status_code == 200
    assert "“XX” is not an ISO 3166 country code" in response.content.decode()
    response = client.post(_url(application, "trade"), trade)
    assert "Choose at least one country your goods come from." in response.content.decode()
    application.refresh_from_db()
    assert application.origin_countries == []

    response = client.post(_url(application, "trade"), {**trade, "origin_countries": ["VN", "CN"]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.origin_countries == ["CN", "VN"]
    # Shown ticked when the step is opened again.
    page = client.get(_url(application, "trade")).content.decode()
    assert 'value="CN" checked' in page
    assert 'value="VN" checked' in page
    assert 'value="GB" checked' not in page
