"""The applicant sees its recognised authorisations on its application, and nobody else
does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from partners.models import RecognisedProgram
from partners.services.lists import trusted_list_import
from shippers.models import Identifier
from tests.shippers.factories import complete_application, owner_with_organisation

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).resolve().parents[2] / "partners" / "fixtures" / "eu_aeo_2026-11.csv"


def recognised_application(*, skip: bool):  # type: ignore[no-untyped-def]
    program = RecognisedProgram.objects.create(
        code="eu-aeo",
        name="EU Authorised Economic Operator",
        list_format=RecognisedProgram.ListFormat.EU_AEO,
        identifier_kind="eori",
        covered_areas=["physical-security"],
        skip_covered_areas=skip,
    )
    trusted_list_import(
        program=program,
        content=FIXTURE.read_bytes(),
        published_on=date(2026, 11, 30),
        source_name=FIXTURE.name,
    )
    user, organisation = owner_with_organisation(legal_name="Rheinland Logistik GmbH", country="DE")
    Identifier.objects.create(organisation=organisation, kind="eori", value="DE123456789012345")
    return user, complete_application(user, organisation)


def test_the_applicant_sees_its_authorisation_and_the_areas_it_may_skip(client: Client) -> None:
    user, application = recognised_application(skip=True)
    client.force_login(user)
    page = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert "Recognised authorisations" in page
    assert "EU Authorised Economic Operator" in page
    assert "AEOF" in page
    assert "issued by DE on 1 April 2019" in page
    assert "DE123456789012345" in page
    area_name = application.questionnaire.questions.filter(area_code="physical-security")
    assert f"<li>{area_name.first().area_name} (covered by your" in page


def test_without_the_program_setting_nothing_is_skipped(client: Client) -> None:
    user, application = recognised_application(skip=False)
    client.force_login(user)
    page = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert "AEOF" in page
    assert "does not exempt you from any area" in page


def test_an_applicant_without_a_recognition_sees_no_panel(client: Client) -> None:
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    client.force_login(user)
    response = client.get(f"/portal/applications/{application.pk}/")
    assert response.status_code == 200
    assert "Recognised authorisations" not in response.content.decode()


def test_another_organisations_user_cannot_see_it(client: Client) -> None:
    _user, application = recognised_application(skip=True)
    stranger, _theirs = owner_with_organisation(legal_name="Other Parcels Ltd")
    client.force_login(stranger)
    for url in (
        f"/portal/applications/{application.pk}/",
        f"/portal/applications/{application.pk}/steps/security/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert b"DE123456789012345" not in response.content
    dashboard = client.get("/portal/").content.decode()
    assert "Recognised authorisations" not in dashboard
    assert "DE123456789012345" not in dashboard
