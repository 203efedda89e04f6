"""Training pages lead back to the application that asks for the training: the module page
and the quiz result link to the user's open applications, and only to their own."""

from __future__ import annotations

import pytest
from django.test import Client

from education import services as education_services
from shippers import services as shipper_services
from tests.accounts.factories import UserFactory
from tests.education.factories import ModuleFactory, answers_for
from tests.shippers.factories import owner_with_organisation

pytestmark = pytest.mark.django_db


def test_module_and_result_pages_link_back_to_the_open_application(client: Client) -> None:
    module = ModuleFactory(slug="basics")
    owner, organisation = owner_with_organisation(legal_name="Harbourline Parcels Ltd")
    application = shipper_services.application_create(actor=owner, organisation=organisation)
    _, other_organisation = owner_with_organisation(legal_name="Other Freight Ltd")
    shipper_services.application_create(
        actor=other_organisation.memberships.get().user, organisation=other_organisation
    )
    link = f'href="/portal/applications/{application.pk}/"'

    client.force_login(owner)
    page = client.get("/training/basics/").content.decode()
    assert link in page
    assert "Back to the application for Harbourline Parcels Ltd" in page
    assert "Other Freight Ltd" not in page

    attempt = education_services.quiz_attempt_submit(
        user=owner, module=module, version=module.version, answers=answers_for(module, correct=5)
    )
    page = client.get(f"/training/basics/results/{attempt.pk}/").content.decode()
    assert "You passed" in page
    assert link in page


def test_no_link_without_an_open_application(client: Client) -> None:
    ModuleFactory(slug="basics")
    assert "Back to the application" not in client.get("/training/basics/").content.decode()
    client.force_login(UserFactory(roles=["shipper"]))
    assert "Back to the application" not in client.get("/training/basics/").content.decode()
