"""The organisation's history page: its members read the events about it, never internal
ones; anyone else is refused (404, as for every organisation page)."""

from __future__ import annotations

import pytest
from django.test import Client

from shippers import services
from shippers.models import Membership
from tests.accounts.factories import UserFactory
from tests.shippers.factories import complete_application, owner_with_organisation

pytestmark = pytest.mark.django_db


def history_url(organisation_id: int) -> str:
    return f"/portal/organisations/{organisation_id}/history/"


@pytest.fixture
def world(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    owner, organisation = owner_with_organisation()
    services.organisation_update_profile(actor=owner, organisation=organisation, employees=77)
    application = complete_application(owner, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=owner, application=application)
    officer = UserFactory(roles=["officer"])
    services.note_add(actor=officer, application=application, text="Secret officer note")
    services.application_assign(actor=officer, application=application, officer=officer)
    return owner, organisation, officer


def test_members_see_their_organisation_events_but_no_internal_ones(world) -> None:  # type: ignore[no-untyped-def]
    _owner, organisation, _ = world
    colleague = UserFactory()
    Membership.objects.create(organisation=organisation, user=colleague)
    client = Client()
    client.force_login(colleague)
    page = client.get(f"/portal/organisations/{organisation.pk}/")
    assert history_url(organisation.pk) in page.content.decode()
    response = client.get(history_url(organisation.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Organisation registered" in html
    assert "Company profile changed" in html
    assert "Submitted" in html
    assert "Employees: 12 &rarr; 77" in html
    assert "Secret officer note" not in html
    assert "Internal note added" not in html
    assert "Assigned to an officer" not in html
    assert all(not row.internal for row in response.context["events"])


def test_another_organisations_member_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    _, organisation, officer = world
    stranger, _other = owner_with_organisation(legal_name="Nosy Parcels Ltd")
    client = Client()
    client.force_login(stranger)
    assert client.get(history_url(organisation.pk)).status_code == 404
    # Officers read the log in the admin; this page is the members'.
    client.force_login(officer)
    assert client.get(history_url(organisation.pk)).status_code == 404
    anonymous = Client().get(history_url(organisation.pk))
    assert anonymous.status_code == 302
