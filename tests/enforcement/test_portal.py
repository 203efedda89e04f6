"""The respondent portal: what members see and do, and that the wrong user is refused for
every case URL and file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from enforcement import services
from enforcement.models import Case, Deadline, Payment, Petition
from tests.enforcement.factories import (
    case_at,
    events,
    move_deadline,
    officer,
    pdf,
    respondent,
)
from tests.shippers.factories import PDF_BYTES

pytestmark = pytest.mark.django_db
S = Case.Status


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """A case at the penalty-notice stage with a shared and an internal document."""
    staff = officer()
    member, organisation = respondent()
    stranger, _ = respondent()
    case = case_at("penalty", actor=staff, organisation=organisation)
    shared = services.case_add_evidence(
        actor=staff, case=case, upload=pdf("photo-of-goods.pdf"), visible_to_respondent=True
    )
    internal = services.case_add_evidence(actor=staff, case=case, upload=pdf("informant.pdf"))
    return {
        "staff": staff,
        "member": member,
        "stranger": stranger,
        "case": case,
        "shared": shared,
        "internal": internal,
        "notice": case.notices.first(),
    }


def case_urls(world) -> list[str]:  # type: ignore[no-untyped-def]
    pk = world["case"].pk
    return [
        f"/portal/cases/{pk}/",
        f"/portal/cases/{pk}/petition/",
        f"/portal/cases/{pk}/payment/",
        f"/portal/cases/{pk}/notices/{world['notice'].pk}/",
        f"/portal/cases/{pk}/documents/{world['shared'].pk}/download/",
        f"/portal/cases/{pk}/documents/{world['internal'].pk}/download/",
    ]


def test_a_member_sees_the_case_notices_deadlines_and_shared_files(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["member"])
    listing = client.get("/portal/cases/").content.decode()
    assert world["case"].number in listing
    page = client.get(f"/portal/cases/{world['case'].pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Petition for relief: due by" in body
    assert "photo-of-goods.pdf" in body
    assert "informant.pdf" not in body  # internal evidence is not listed
    assert "Penalty notice issued" in body  # timeline
    download = client.get(
        f"/portal/cases/{world['case'].pk}/documents/{world['shared'].pk}/download/"
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="photo-of-goods.pdf"')
    assert b"".join(download.streaming_content) == PDF_BYTES
    internal = client.get(
        f"/portal/cases/{world['case'].pk}/documents/{world['internal'].pk}/download/"
    )
    assert internal.status_code == 404


def test_another_shipper_is_refused_every_case_url_and_file(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["stranger"])
    for url in case_urls(world):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x"}).status_code in {404, 405}, url
    assert world["case"].number not in client.get("/portal/cases/").content.decode()
    assert not Petition.objects.exists()


def test_anonymous_is_sent_to_sign_in_for_every_case_url_and_file(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    for url in ["/portal/cases/", *case_urls(world)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_a_document_of_another_case_is_not_served_through_this_case(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    other_member, other_organisation = respondent()
    other = case_at("penalty", actor=world["staff"], organisation=other_organisation)
    client.force_login(other_member)
    url = f"/portal/cases/{other.pk}/documents/{world['shared'].pk}/download/"
    assert client.get(url).status_code == 404


def test_officers_see_every_file_including_internal_evidence(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["staff"])
    url = f"/portal/cases/{world['case'].pk}/documents/{world['internal'].pk}/download/"
    assert client.get(url).status_code == 200
    # Officers do not petition for the respondent.
    assert client.get(f"/portal/cases/{world['case'].pk}/petition/").status_code == 403


def test_a_case_is_hidden_from_the_respondent_until_the_first_notice(client: Client) -> None:
    staff = officer()
    member, organisation = respondent()
    case = case_at("investigating", actor=staff, organisation=organisation)
    client.force_login(member)
    assert client.get(f"/portal/cases/{case.pk}/").status_code == 404
    assert case.number not in client.get("/portal/cases/").content.decode()


def test_filing_a_petition_with_documents_in_the_portal(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["member"])
    url = f"/portal/cases/{world['case'].pk}/petition/"
    form = client.get(url)
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()
    response = client.post(
        url,
        {
            "text": "The goods were valued on the supplier's invoice in good faith.",
            "documents": [pdf("invoice.pdf"), pdf("contract.pdf")],
        },
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.filed_by == world["member"]
    assert sorted(d.original_name for d in petition.documents.all()) == [
        "contract.pdf",
        "invoice.pdf",
    ]
    world["case"].refresh_from_db()
    assert world["case"].status == S.PETITION_FILED


def test_a_bad_upload_is_refused_with_a_clear_error_and_nothing_filed(
    client: Client, world
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["member"])
    fake = SimpleUploadedFile(
        "invoice.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(
        f"/portal/cases/{world['case'].pk}/petition/", {"text": "x", "documents": [fake]}
    )
    assert response.status_code == 200
    assert "its content was checked" in response.content.decode()
    assert not Petition.objects.exists()


def test_after_the_deadline_the_portal_explains_and_refuses(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    move_deadline(world["case"], Deadline.Kind.PETITION, timezone.localdate() - timedelta(days=1))
    client.force_login(world["member"])
    url = f"/portal/cases/{world['case'].pk}/petition/"
    page = client.get(url).content.decode()
    assert "The portal cannot accept a petition" in page
    assert "has passed" in page
    assert "<textarea" not in page
    detail = client.get(f"/portal/cases/{world['case'].pk}/").content.decode()
    assert "has passed" in detail
    response = client.post(url, {"text": "Late but please consider"})
    assert response.status_code == 409
    assert not Petition.objects.exists()
    world["case"].refresh_from_db()
    assert world["case"].status == S.PENALTY_NOTICE


def test_recording_a_payment_reference_notifies_the_officer(  # type: ignore[no-untyped-def]
    client: Client, world, django_capture_on_commit_callbacks
) -> None:
    from django.core import mail

    client.force_login(world["member"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/portal/cases/{world['case'].pk}/payment/",
            {"amount": "15000.00", "reference": "FEDWIRE 2026-77", "paid_on": timezone.localdate()},
        )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.status, payment.reference) == ("reported", "FEDWIRE 2026-77")
    assert (
        events(world["case"]).filter(action="case.payment_reported", actor=world["member"]).exists()
    )
    assert [m.to for m in mail.outbox] == [[world["staff"].email]]


def test_an_officer_can_read_the_respondents_view(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["staff"])
    page = client.get(f"/portal/cases/{world['case'].pk}/")
    assert page.status_code == 200
    assert "File a petition" not in page.content.decode()
