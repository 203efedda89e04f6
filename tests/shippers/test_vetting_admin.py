"""The vetting section of the officer's review page and its actions: results with
evidence and match explanations, clearing a false positive, re-running vetting and
acknowledging an alert; who may and may not."""

from __future__ import annotations

from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from screening.models import FalsePositive
from screening.services import false_positive_mark, list_import
from shippers import services
from shippers.models import Application, VettingRun
from tests.accounts.factories import UserFactory
from tests.shippers.factories import complete_application, owner_with_organisation

pytestmark = pytest.mark.django_db
OFAC = Path(__file__).resolve().parent.parent / "screening" / "fixtures" / "ofac"
# The same however many rows: names and markers come with the rows, not one query per row.
NUM_QUERIES_FALSE_POSITIVES = 8


def staff_client(*roles: str) -> tuple[Client, object]:
    user = UserFactory(roles=list(roles))
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def flagged(django_capture_on_commit_callbacks) -> Application:  # type: ignore[no-untyped-def]
    """An application whose organisation matches OFAC SDN entry 7010."""
    with django_capture_on_commit_callbacks(execute=True):
        list_import(fmt="ofac", paths=[OFAC / "sdn.csv"])
    user, organisation = owner_with_organisation(legal_name="Golden Star Trading LLC")
    application = complete_application(user, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=user, application=application)
    application.refresh_from_db()
    return application


def review_url(application: Application) -> str:
    return reverse("admin:shippers_application_change", args=[application.pk])


def test_the_review_page_shows_checks_evidence_and_the_match_explained(flagged) -> None:  # type: ignore[no-untyped-def]
    client, _officer = staff_client("officer")
    content = client.get(review_url(flagged)).content.decode()
    for expected in (
        "Application submitted",
        "High risk",
        "Recommendation:",
        "Denied-party screening",
        "Failed",
        "SDN 7010: GOLDEN STAR TRADING LLC",
        "Mark false positive",
        "Run vetting again",
        "Security profile",
        "Must score",
    ):
        assert expected in content, expected
    screening = flagged.vetting_runs.get().checks.get(kind="screening")
    assert escape(screening.evidence["matches"][0]["explanation"]["summary"]) in content


def test_an_officer_clears_a_false_positive_from_the_review_page(  # type: ignore[no-untyped-def]
    flagged, django_capture_on_commit_callbacks
) -> None:
    client, officer = staff_client("officer")
    url = reverse("admin:shippers_application_vetting_false_positive", args=[flagged.pk])
    data = {"list_code": "SDN", "source_id": "7010", "query": "Golden Star Trading LLC"}
    response = client.post(url, {**data, "note": ""})
    assert response.status_code == 302
    assert not FalsePositive.objects.exists()
    response = client.post(url, {**data, "note": "A UK company; the listed one is in the UAE."})
    assert response["Location"].endswith("#vetting")
    cleared = FalsePositive.objects.get()
    assert (cleared.marked_by, cleared.list_code, cleared.source_id) == (officer, "SDN", "7010")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:shippers_application_vetting_rerun", args=[flagged.pk])
        )
    assert response.status_code == 302
    latest = flagged.vetting_runs.order_by("-pk").first()
    assert latest.reason == VettingRun.Reason.OFFICER
    assert latest.checks.get(kind="screening").status == "passed"
    content = client.get(review_url(flagged)).content.decode()
    assert "Cleared earlier as a false positive" in content
    assert "A UK company; the listed one is in the UAE." in content


def test_an_alert_is_acknowledged_from_the_review_page(flagged) -> None:  # type: ignore[no-untyped-def]
    client, officer = staff_client("officer")
    run = VettingRun.objects.create(
        application=flagged,
        reason=VettingRun.Reason.LIST_UPDATE,
        needs_attention=True,
        risk_level="high",
    )
    content = client.get(review_url(flagged)).content.decode()
    assert "Acknowledge alert" in content
    url = reverse("admin:shippers_application_vetting_acknowledge", args=[flagged.pk, run.pk])
    client.post(url, {"note": "Checked with OFAC; a different vessel operator."})
    run.refresh_from_db()
    assert run.acknowledged_by == officer


def test_shippers_and_staff_without_vetting_rights_are_refused(flagged) -> None:  # type: ignore[no-untyped-def]
    shipper = flagged.organisation.memberships.get().user
    shipper_client = Client()
    shipper_client.force_login(shipper)
    editor_client, _editor = staff_client("content_editor")
    urls = [
        reverse("admin:shippers_application_vetting_rerun", args=[flagged.pk]),
        reverse("admin:shippers_application_vetting_false_positive", args=[flagged.pk]),
    ]
    data = {"list_code": "SDN", "source_id": "7010", "note": "Not them."}
    for client in (shipper_client, editor_client, Client()):
        for url in urls:
            response = client.post(url, data)
            assert response.status_code in {302, 403}, (url, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"]
    assert not FalsePositive.objects.exists()
    assert flagged.vetting_runs.count() == 1
    # GET is not an action.
    officer_client, _officer = staff_client("officer")
    assert officer_client.get(urls[0]).status_code == 404


def test_open_alerts_are_listed_for_officers_and_hidden_from_shippers(flagged) -> None:  # type: ignore[no-untyped-def]
    alert = VettingRun.objects.create(
        application=flagged,
        reason=VettingRun.Reason.LIST_UPDATE,
        needs_attention=True,
        risk_level="high",
    )
    client, _officer = staff_client("officer")
    response = client.get("/admin/shippers/vettingrun/?alert=open")
    assert response.status_code == 200
    content = response.content.decode()
    assert f"#vetting-run-{alert.pk}" in content
    assert "Golden Star Trading LLC" in content
    # The submission run raised no alert and is not in the open list.
    submission = flagged.vetting_runs.get(reason=VettingRun.Reason.SUBMISSION)
    assert f"#vetting-run-{submission.pk}" not in content

    shipper_client = Client()
    shipper_client.force_login(flagged.organisation.memberships.get().user)
    response = shipper_client.get("/admin/shippers/vettingrun/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_cleared_matches_are_listed_read_only_with_their_organisation(  # type: ignore[no-untyped-def]
    flagged, django_assert_num_queries
) -> None:
    client, officer = staff_client("officer")
    _other_owner, other = owner_with_organisation(legal_name="Golden Gate Logistics Ltd")
    for organisation, source_id in ((flagged.organisation, "7010"), (other, "7002")):
        false_positive_mark(
            actor=officer,
            organisation_id=organisation.pk,
            list_code="SDN",
            source_id=source_id,
            note="Different company: registered in the UK since 2015.",
        )

    listing = client.get("/admin/screening/falsepositive/")
    found = client.get("/admin/screening/falsepositive/", {"q": "golden gate"})
    add = client.get("/admin/screening/falsepositive/add/")

    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Golden Gate Logistics Ltd" in content
    assert escape(flagged.organisation.legal_name) in content
    assert "Golden Gate Logistics Ltd" in found.content.decode()
    assert escape(flagged.organisation.legal_name) not in found.content.decode()
    assert add.status_code == 403
    false_positive_mark(
        actor=officer,
        organisation_id=other.pk,
        list_code="SDN",
        source_id="7010",
        note="Not them either.",
    )
    with django_assert_num_queries(NUM_QUERIES_FALSE_POSITIVES):
        assert client.get("/admin/screening/falsepositive/").status_code == 200
