"""List pages run a fixed number of queries, however many rows they show (no query per
row): the portal's lists and the officers' changelists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shippers import services
from shippers.models import (
    Application,
    ApprovalProposal,
    Certificate,
    Invitation,
    Membership,
    Organisation,
    RequestForInformation,
    SecurityQuestionnaire,
)
from tests.accounts.factories import UserFactory
from tests.shippers.factories import owner_with_organisation

pytestmark = pytest.mark.django_db
S = Application.Status


def staff_client(role: str) -> tuple[Client, object]:
    user = UserFactory(roles=[role])
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client, user


def count_queries(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def assert_fixed(
    django_assert_num_queries, client: Client, url: str, grow: Callable[[], None]
) -> None:  # type: ignore[no-untyped-def]
    expected = count_queries(client, url)
    grow()
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


def application_in(organisation: Organisation, status: str, user: object) -> Application:
    application = Application.objects.create(
        organisation=organisation,
        questionnaire=SecurityQuestionnaire.objects.get(is_current=True),
        created_by=user,
    )
    # Fixtures only: in the program a status changes through the services.
    Application.objects.filter(pk=application.pk).update(
        status=status, submitted_at=timezone.now(), decided_at=timezone.now()
    )
    return Application.objects.get(pk=application.pk)


def certificate_for(application: Application, number: str) -> Certificate:
    today = timezone.localdate()
    return Certificate.objects.create(
        application=application,
        organisation=application.organisation,
        number=number,
        tier=1,
        valid_from=today,
        valid_to=today + timedelta(days=365),
    )


def more_organisations(user: object, count: int) -> None:
    for index in range(count):
        _, organisation = owner_with_organisation(legal_name=f"Extra {index} Ltd")
        Membership.objects.create(organisation=organisation, user=user, role="member")
        approved = application_in(organisation, S.APPROVED, user)
        certificate_for(approved, f"KS-X-{organisation.pk:06d}")
        application_in(organisation, S.UNDER_REVIEW, user)
        Invitation.objects.create(organisation=organisation, email=user.email, invited_by=user)  # type: ignore[attr-defined]


def test_the_dashboard(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    application_in(organisation, S.DRAFT, user)
    client = Client()
    client.force_login(user)
    assert_fixed(django_assert_num_queries, client, "/portal/", lambda: more_organisations(user, 3))


def test_the_organisation_page_and_its_history(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    client = Client()
    client.force_login(user)

    def grow() -> None:
        for index in range(4):
            services.organisation_update_profile(
                actor=user, organisation=organisation, employees=20 + index
            )
        for _ in range(3):
            application_in(organisation, S.WITHDRAWN, user)

    history = f"/portal/organisations/{organisation.pk}/history/"
    expected_history = count_queries(client, history)
    expected_page = count_queries(client, f"/portal/organisations/{organisation.pk}/")
    grow()
    with django_assert_num_queries(expected_history):
        assert client.get(history).status_code == 200
    with django_assert_num_queries(expected_page):
        assert client.get(f"/portal/organisations/{organisation.pk}/").status_code == 200


def test_the_members_page(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    client = Client()
    client.force_login(user)

    def grow() -> None:
        for index in range(4):
            Membership.objects.create(organisation=organisation, user=UserFactory())
            services.invitation_create(
                actor=user, organisation=organisation, email=f"invitee{index}@example.org"
            )

    assert_fixed(
        django_assert_num_queries, client, f"/portal/organisations/{organisation.pk}/members/", grow
    )


def test_the_application_page_and_its_timeline(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    application = services.application_create(actor=user, organisation=organisation)
    client = Client()
    client.force_login(user)

    def grow() -> None:
        for index in range(4):
            services.application_save_trade_profile(
                actor=user,
                application=application,
                annual_shipments=100 + index,
                origin_countries=["CN"],
                hs_chapters=["94"],
                marketplaces=[],
                carriers=[],
            )

    assert_fixed(django_assert_num_queries, client, f"/portal/applications/{application.pk}/", grow)


def test_the_application_queue(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client, officer = staff_client("officer")
    owner, organisation = owner_with_organisation()
    application_in(organisation, S.UNDER_REVIEW, owner)

    def grow() -> None:
        for index in range(4):
            other_owner, other = owner_with_organisation(legal_name=f"Queue {index} Ltd")
            waiting = application_in(other, S.UNDER_REVIEW, other_owner)
            ApprovalProposal.objects.create(
                application=waiting, proposed_by=officer, tier=1, valid_to="2030-01-01"
            )
            Application.objects.filter(pk=waiting.pk).update(assigned_officer=officer)

    assert_fixed(django_assert_num_queries, client, "/admin/shippers/application/", grow)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/shippers/organisation/",
        "/admin/shippers/requestforinformation/",
        "/admin/shippers/certificate/",
        "/admin/shippers/securityquestionnaire/",
    ],
)
def test_the_officers_other_lists(django_assert_num_queries, url: str) -> None:  # type: ignore[no-untyped-def]
    client, supervisor = staff_client("supervisor")

    def grow() -> None:
        for index in range(3):
            owner, organisation = owner_with_organisation(legal_name=f"Listed {index} Ltd")
            application = application_in(organisation, S.APPROVED, owner)
            certificate_for(application, f"KS-L-{organisation.pk:06d}")
            RequestForInformation.objects.create(
                application=application,
                question="Why?",
                due_date=timezone.localdate() + timedelta(days=7),
                asked_by=supervisor,
            )
            services.questionnaire_new_version(
                actor=supervisor, questionnaire=SecurityQuestionnaire.objects.get(is_current=True)
            )

    assert_fixed(django_assert_num_queries, client, url, grow)
