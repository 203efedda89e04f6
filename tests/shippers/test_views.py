"""The shipper portal over HTTP: the path to submission, and every access rule."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from shippers import services
from shippers.models import Application, Identifier, Invitation, Membership, Organisation
from tests.accounts.factories import UserFactory
from tests.shippers.factories import complete_application, owner_with_organisation, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client: Client):  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    client.force_login(user)
    return client, user, organisation


def test_register_an_organisation(client: Client) -> None:
    user = UserFactory(roles=["shipper"])
    client.force_login(user)
    response = client.post(
        "/portal/organisations/new/",
        {"legal_name": "Cascadia Goods Co.", "country": "us", "business_type": "marketplace"},
    )
    organisation = Organisation.objects.get(legal_name="Cascadia Goods Co.")
    assert response.status_code == 302
    assert response["Location"] == f"/portal/organisations/{organisation.pk}/"
    assert organisation.country == "US"
    assert Membership.objects.get(organisation=organisation).user == user
    bad = client.post(
        "/portal/organisations/new/", {"legal_name": "", "country": "USA", "business_type": "x"}
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "There is a problem" in html
    assert "“USA” is not an ISO 3166 country code" in html


def test_start_and_fill_the_company_step(owner_client) -> None:  # type: ignore[no-untyped-def]
    client, _user, organisation = owner_client
    response = client.post(f"/portal/organisations/{organisation.pk}/apply/")
    application = Application.objects.get(organisation=organisation)
    assert response["Location"] == f"/portal/applications/{application.pk}/steps/company/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "usa-step-indicator" in page.content.decode()
    step = f"/portal/applications/{application.pk}/steps/company/"
    # The browser sends the whole step, profile included, with any button.
    profile = {
        "legal_name": organisation.legal_name,
        "business_type": organisation.business_type,
        "country": organisation.country,
        "ownership": "private",
        "year_founded": "2015",
        "employees": "12",
    }
    bad = client.post(
        step,
        {
            **profile,
            "action": "add:identifier",
            "identifier-kind": "us_ein",
            "identifier-value": "00-0000000",
        },
    )
    assert bad.status_code == 200
    assert "EIN" in bad.content.decode()
    assert not Identifier.objects.exists()
    good = client.post(
        step,
        {
            **profile,
            "action": "add:identifier",
            "identifier-kind": "us_ein",
            "identifier-value": "04-2103594",
        },
    )
    assert good.status_code == 302, good.content.decode()
    assert organisation.identifiers.get().value == "042103594"


def test_the_whole_path_to_submission_over_http(
    owner_client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client, user, organisation = owner_client
    application = complete_application(user, organisation)
    review = client.get(f"/portal/applications/{application.pk}/steps/review/")
    assert "Before you can submit" not in review.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/portal/applications/{application.pk}/steps/review/", {"action": "submit"}
        )
    assert response["Location"] == f"/portal/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    detail = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert "Submitted" in detail
    assert "Under review" in detail
    again = client.post(
        f"/portal/applications/{application.pk}/steps/review/", {"action": "submit"}
    )
    assert again.status_code == 403  # nothing can change once submitted


def test_security_step_requires_an_explanation_for_no(owner_client) -> None:  # type: ignore[no-untyped-def]
    client, user, organisation = owner_client
    application = services.application_create(actor=user, organisation=organisation)
    question = application.questionnaire.questions.first()
    response = client.post(
        f"/portal/applications/{application.pk}/steps/security/",
        {"action": "save", f"answer_{question.code}": "no", f"explanation_{question.code}": ""},
    )
    assert response.status_code == 200
    assert "Explain why the answer is no." in response.content.decode()
    assert not application.security_answers.exists()


def test_document_upload_refuses_a_renamed_executable(owner_client) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, user, organisation = owner_client
    application = services.application_create(actor=user, organisation=organisation)
    response = client.post(
        f"/portal/applications/{application.pk}/steps/documents/",
        {
            "action": "save",
            "doc_type": "business_registration",
            "file": SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        },
    )
    assert response.status_code == 200
    assert "not a PDF, PNG, JPEG, DOCX or XLSX file" in response.content.decode()
    assert not application.documents.exists()


def test_document_download_is_an_attachment_for_members_and_staff_only(client: Client) -> None:
    user, organisation = owner_with_organisation()
    application = services.application_create(actor=user, organisation=organisation)
    document = services.document_upload(
        actor=user,
        application=application,
        doc_type="business_registration",
        upload=pdf_upload("reg.pdf"),
    )
    url = f"/portal/documents/{document.pk}/download/"
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="reg.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    other, _ = owner_with_organisation(legal_name="Other Ltd")
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(roles=["officer"]))
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_another_shipper_is_refused_everywhere(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    officer = UserFactory(roles=["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=user, application=application)
    application.refresh_from_db()
    from datetime import timedelta

    request = services.application_request_information(
        actor=officer,
        application=application,
        question="?",
        due_date=timezone.localdate() + timedelta(days=5),
    )
    urls = [
        f"/portal/organisations/{organisation.pk}/",
        f"/portal/organisations/{organisation.pk}/members/",
        f"/portal/applications/{application.pk}/",
        f"/portal/applications/{application.pk}/steps/company/",
        f"/portal/applications/{application.pk}/steps/review/",
        f"/portal/applications/{application.pk}/withdraw/",
        f"/portal/requests/{request.pk}/",
        f"/portal/documents/{application.documents.first().pk}/download/",
    ]
    stranger, _ = owner_with_organisation(legal_name="Stranger Ltd")
    client.force_login(stranger)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/portal/organisations/{organisation.pk}/apply/").status_code == 404
    assert client.post(f"/portal/requests/{request.pk}/", {"answer": "hijack"}).status_code == 404
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_members_invite_accept_and_remove(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django.core import mail

    owner, organisation = owner_with_organisation()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/portal/organisations/{organisation.pk}/members/",
            {"invite": "1", "email": "Colleague@Example.org", "role": "member"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert mail.outbox[-1].to == ["colleague@example.org"]
    colleague = UserFactory(email="colleague@example.org")
    intruder = UserFactory()
    client.force_login(intruder)
    client.post(f"/portal/invitations/{invitation.token}/")
    assert not organisation.memberships.filter(user=intruder).exists()
    client.force_login(colleague)
    client.post(f"/portal/invitations/{invitation.token}/")
    membership = organisation.memberships.get(user=colleague)
    # A member cannot manage members; the owner can remove them.
    assert (
        client.post(
            f"/portal/organisations/{organisation.pk}/members/", {"remove": membership.pk}
        ).status_code
        == 403
    )
    client.force_login(owner)
    client.post(f"/portal/organisations/{organisation.pk}/members/", {"remove": membership.pk})
    assert not organisation.memberships.filter(user=colleague).exists()


def test_certificate_page_and_public_verification(
    client: Client, django_capture_on_commit_callbacks, api_client
) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=user, application=application)
    services.application_approve(
        actor=UserFactory(roles=["officer"]), application=application, tier=1
    )
    certificate = application.certificate
    client.force_login(user)
    page = client.get(f"/certificates/{certificate.number}/")
    assert page.status_code == 200
    assert certificate.number in page.content.decode()
    client.force_login(UserFactory(roles=["shipper"]))
    assert client.get(f"/certificates/{certificate.number}/").status_code == 404
    client.logout()
    cache.clear()
    public = client.get("/verify/", {"number": certificate.number.lower()})
    html = public.content.decode()
    assert public.status_code == 200
    assert organisation.legal_name in html
    assert "Valid" in html
    assert "Amelia" not in html
    assert "980780684" not in html
    assert client.get("/verify/", {"number": "KS-US-999999"}).status_code == 404
    response = api_client.get(f"/api/v1/verify/{certificate.number}/")
    assert response.status_code == 200
    assert set(response.json()) == {
        "certificate_number",
        "legal_name",
        "country",
        "status",
        "tier",
        "valid_from",
        "valid_to",
        "recognitions",  # authorisations recognised under an MRA (the partners app)
    }
    assert response.json()["recognitions"] == []
    assert response.json()["status"] == "valid"
    missing = api_client.get("/api/v1/verify/KS-US-999999/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_public_verification_is_rate_limited(client: Client) -> None:
    cache.clear()
    statuses = [client.get("/verify/", {"number": "KS-US-000001"}).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
    cache.clear()


def test_dashboard_lists_only_my_organisations(client: Client) -> None:
    user, _mine = owner_with_organisation(legal_name="Mine Ltd")
    owner_with_organisation(legal_name="Theirs Ltd")
    client.force_login(user)
    html = client.get("/portal/").content.decode()
    assert "Mine Ltd" in html
    assert "Theirs Ltd" not in html


def test_every_step_page_renders_for_members_and_read_only_for_officers(client: Client) -> None:
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    client.force_login(user)
    for step in (
        "company",
        "people",
        "facilities",
        "security",
        "trade",
        "documents",
        "attestation",
        "review",
    ):
        response = client.get(f"/portal/applications/{application.pk}/steps/{step}/")
        assert response.status_code == 200, step
        assert 'aria-current="step"' in response.content.decode()
    client.force_login(UserFactory(roles=["officer"]))
    response = client.get(f"/portal/applications/{application.pk}/steps/company/")
    assert response.status_code == 200
    assert "can be read but not changed" in response.content.decode()
    assert (
        client.post(
            f"/portal/applications/{application.pk}/steps/company/", {"action": "save"}
        ).status_code
        == 403
    )
    assert client.get(f"/portal/applications/{application.pk}/steps/nonsense/").status_code == 404
