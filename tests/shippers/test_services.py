"""The application's whole path through the service functions."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from core.workflow import TransitionNotAllowed
from shippers import certificate_numbers, services
from shippers.documents import UploadRejectedError
from shippers.models import Application, Certificate, Document, Identifier
from shippers.tasks import certificate_expiry_sweep, rfi_overdue_sweep
from tests.accounts.factories import UserFactory
from tests.shippers.factories import (
    PDF_BYTES,
    application_events,
    complete_application,
    docx_bytes,
    owner_with_organisation,
    pdf_upload,
    status_path,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def officer():  # type: ignore[no-untyped-def]
    return UserFactory(roles=["officer"])


@pytest.fixture
def supervisor():  # type: ignore[no-untyped-def]
    return UserFactory(roles=["supervisor"])


def submitted(django_capture_on_commit_callbacks) -> tuple:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=user, application=application)
    application.refresh_from_db()
    return user, organisation, application


def test_an_incomplete_draft_cannot_be_submitted() -> None:
    user, organisation = owner_with_organisation()
    application = services.application_create(actor=user, organisation=organisation)
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=user, application=application)
    messages = error.value.messages
    assert "Company profile: Add the registered office address." in messages
    assert "Principals and contacts: Add at least two contacts." in messages
    assert any(m.startswith("Security profile: Answer all 58 questions") for m in messages)
    assert any(
        m.startswith("Documents: Upload: Business registration certificate") for m in messages
    )
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert application.submitted_at is None


def test_submission_runs_vetting_and_reaches_review(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    user, _, application = submitted(django_capture_on_commit_callbacks)
    assert application.status == S.UNDER_REVIEW
    kinds = [e.action for e in application_events(application) if e.to_status]
    assert kinds == [
        "application.created",
        "application.submit",
        "application.start_vetting",
        "application.complete_vetting",
    ]
    submit_event = application_events(application, "submit").get()
    assert submit_event.actor == user
    assert (submit_event.from_status, submit_event.to_status) == (S.DRAFT, S.SUBMITTED)
    # One e-mail for the submission: the system's own steps right after it are quiet.
    to_members = [m for m in mail.outbox if application.reference in m.subject]
    assert [m.subject for m in to_members] == [
        f"[{settings.PROGRAM_NAME}] Application {application.reference}: submitted"
    ]
    assert "vetting has started" in to_members[0].body


def test_double_submission_is_refused(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    user, _, application = submitted(django_capture_on_commit_callbacks)
    with pytest.raises(TransitionNotAllowed, match="it is now under review"):
        services.application_submit(actor=user, application=application)
    assert application_events(application, "submit").count() == 1


def test_another_shipper_cannot_act_on_the_application(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    application = services.application_create(actor=user, organisation=organisation)
    stranger, _ = owner_with_organisation(legal_name="Other Co")
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=stranger, application=application)
    with pytest.raises(PermissionDenied):
        services.document_upload(
            actor=stranger,
            application=application,
            doc_type="business_registration",
            upload=pdf_upload(),
        )
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=stranger, application=application, tier=1)


def test_identifier_is_validated_per_country() -> None:
    user, organisation = owner_with_organisation()
    with pytest.raises(ValidationError) as error:
        services.organisation_add_item(
            actor=user,
            organisation=organisation,
            model=Identifier,
            kind="us_ein",
            value="00-1234567",
        )
    assert "EIN" in str(error.value)
    assert not organisation.identifiers.exists()
    item = services.organisation_add_item(
        actor=user,
        organisation=organisation,
        model=Identifier,
        kind="gb_vat",
        value="GB980 780 684",
    )
    assert item.value == "980780684"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "not a PDF, PNG, JPEG, DOCX or XLSX file"),
        (
            "page.pdf",
            b"<!doctype html><script>alert(1)</script>",
            "not a PDF, PNG, JPEG, DOCX or XLSX file",
        ),
        ("empty.pdf", b"", "The file is empty."),
        ("fake.docx", b"PK\x03\x04not really a zip", "not a PDF, PNG, JPEG, DOCX or XLSX file"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    name: str, content: bytes, message: str
) -> None:
    user, organisation = owner_with_organisation()
    application = services.application_create(actor=user, organisation=organisation)
    with pytest.raises(UploadRejectedError, match=message):
        services.document_upload(
            actor=user,
            application=application,
            doc_type="business_registration",
            upload=SimpleUploadedFile(name, content),
        )
    assert not Document.objects.exists()


def test_oversized_upload_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SHIPPERS_MAX_UPLOAD_BYTES = 1024
    user, organisation = owner_with_organisation()
    application = services.application_create(actor=user, organisation=organisation)
    with pytest.raises(UploadRejectedError, match="the limit is"):
        services.document_upload(
            actor=user,
            application=application,
            doc_type="business_registration",
            upload=SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048),
        )


def test_upload_is_stored_under_a_server_generated_name() -> None:
    user, organisation = owner_with_organisation()
    application = services.application_create(actor=user, organisation=organisation)
    document = services.document_upload(
        actor=user,
        application=application,
        doc_type="security_policy",
        upload=SimpleUploadedFile("../../etc/policy.docx", docx_bytes()),
    )
    assert document.content_type.endswith("wordprocessingml.document")
    assert document.original_name == "policy.docx"  # Django strips the path
    assert document.file.name.startswith("documents/")
    assert document.file.name.endswith(".docx")
    assert "policy" not in document.file.name
    assert len(document.sha256) == 64


def test_information_request_cycle(django_capture_on_commit_callbacks, officer) -> None:  # type: ignore[no-untyped-def]
    user, _, application = submitted(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.application_request_information(
            actor=officer,
            application=application,
            question="Send your latest security policy.",
            due_date=timezone.localdate() + timedelta(days=14),
            documents_requested=["security_policy"],
        )
    application.refresh_from_db()
    assert application.status == S.INFORMATION_REQUESTED
    assert "Send your latest security policy." in mail.outbox[-1].body
    document = services.document_upload(
        actor=user, application=application, doc_type="security_policy", upload=pdf_upload()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.rfi_answer(actor=user, request=request, answer="Attached.", documents=[document])
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert officer.email in mail.outbox[-1].to or any(officer.email in m.to for m in mail.outbox)
    with pytest.raises(ValidationError, match="already been answered"):
        services.rfi_answer(actor=user, request=request, answer="Again.")


def test_approval_issues_a_certificate_within_four_years(
    django_capture_on_commit_callbacks, officer, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.PROGRAM_COUNTRY = "US"
    _, _, application = submitted(django_capture_on_commit_callbacks)
    too_late = timezone.localdate() + timedelta(days=4 * 366 + 1)
    with pytest.raises(ValidationError, match="6 USC 969"):
        services.application_approve(
            actor=officer, application=application, tier=2, valid_to=too_late
        )
    services.application_approve(actor=officer, application=application, tier=2)
    application.refresh_from_db()
    certificate = Certificate.objects.get(application=application)
    assert application.status == S.APPROVED
    assert certificate_numbers.problem(certificate.number) is None
    assert certificate.number.startswith("KS-US-")
    assert len(certificate.number) == len("KS-US-7Q4M-2KXD-R")
    assert certificate.tier == 2
    assert certificate.valid_to == certificate.valid_from.replace(
        year=certificate.valid_from.year + 4
    )


def test_high_risk_approval_needs_a_supervisor(
    django_capture_on_commit_callbacks, officer, supervisor
) -> None:  # type: ignore[no-untyped-def]
    _, _, application = submitted(django_capture_on_commit_callbacks)
    Application.objects.filter(pk=application.pk).update(risk_level="high")
    services.application_approve(actor=officer, application=application, tier=1)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    proposal = services.pending_proposal(application)
    assert proposal is not None
    assert proposal.proposed_by == officer
    with pytest.raises(PermissionDenied):
        services.application_confirm_approval(actor=officer, application=application)
    services.application_confirm_approval(actor=supervisor, application=application)
    application.refresh_from_db()
    assert application.status == S.APPROVED
    approve = application_events(application, "approve").get()
    assert approve.actor == supervisor
    assert approve.detail["proposed_by"] == officer.email


def test_rejection_sets_the_reapply_date(
    django_capture_on_commit_callbacks, officer, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SHIPPERS_REAPPLY_AFTER_REJECTION_DAYS = 90
    user, organisation, application = submitted(django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.application_reject(actor=officer, application=application, reason="  ")
    services.application_reject(
        actor=officer, application=application, reason="Identity could not be verified."
    )
    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert application.reapply_after == timezone.localdate() + timedelta(days=90)
    with pytest.raises(ValidationError, match="A new application can be made from"):
        services.application_create(actor=user, organisation=organisation)


def test_suspend_reinstate_revoke(django_capture_on_commit_callbacks, officer) -> None:  # type: ignore[no-untyped-def]
    _user, _organisation, application = submitted(django_capture_on_commit_callbacks)
    services.application_approve(actor=officer, application=application, tier=1)
    due = timezone.localdate() + timedelta(days=30)
    services.application_suspend(
        actor=officer, application=application, reason="Seal failures", corrective_action_due=due
    )
    application.refresh_from_db()
    assert application.status == S.SUSPENDED
    assert application.corrective_action_due == due
    services.application_reinstate(actor=officer, application=application, reason="Plan accepted")
    services.application_revoke(
        actor=officer, application=application, reason="Repeated violations"
    )
    application.refresh_from_db()
    assert application.status == S.REVOKED
    assert application.reapply_after == timezone.localdate() + timedelta(days=3 * 365)
    path = status_path(application)[-4:]
    assert path == [S.APPROVED, S.SUSPENDED, S.REINSTATED, S.REVOKED]


def test_enforcement_can_suspend_without_an_officer(
    django_capture_on_commit_callbacks, officer
) -> None:  # type: ignore[no-untyped-def]
    _, organisation, application = submitted(django_capture_on_commit_callbacks)
    services.application_approve(actor=officer, application=application, tier=1)
    standing = services.organisation_current_standing(organisation=organisation)
    assert standing == application
    services.application_suspend(
        actor=None,
        application=standing,
        reason="Fraud finding in case PC-1",
        source="enforcement:PC-1",
    )
    event = application_events(application, "suspend").get()
    assert event.actor is None
    assert event.detail["source"] == "enforcement:PC-1"


def test_withdraw_only_before_vetting(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    draft = services.application_create(actor=user, organisation=organisation)
    services.application_withdraw(actor=user, application=draft, reason="Not ready")
    draft.refresh_from_db()
    assert draft.status == S.WITHDRAWN
    _, _, reviewed = submitted(django_capture_on_commit_callbacks)
    with pytest.raises(TransitionNotAllowed):
        services.application_withdraw(
            actor=reviewed.organisation.memberships.first().user, application=reviewed
        )


def test_expiry_reminders_and_expiry(django_capture_on_commit_callbacks, officer) -> None:  # type: ignore[no-untyped-def]
    _, _, application = submitted(django_capture_on_commit_callbacks)
    services.application_approve(actor=officer, application=application, tier=1)
    certificate = application.certificate
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(valid_to=today + timedelta(days=80))
    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_expiry_sweep() == {"reminded_90": 1, "reminded_30": 0, "expired": 0}
    assert "expires in 90 days" in mail.outbox[-1].subject
    assert certificate_expiry_sweep() == {
        "reminded_90": 0,
        "reminded_30": 0,
        "expired": 0,
    }  # idempotent
    Certificate.objects.filter(pk=certificate.pk).update(valid_to=today + timedelta(days=20))
    assert certificate_expiry_sweep()["reminded_30"] == 1
    Certificate.objects.filter(pk=certificate.pk).update(valid_to=today - timedelta(days=1))
    assert certificate_expiry_sweep()["expired"] == 1
    application.refresh_from_db()
    assert application.status == S.EXPIRED


def test_overdue_requests_are_flagged_once(django_capture_on_commit_callbacks, officer) -> None:  # type: ignore[no-untyped-def]
    _, _, application = submitted(django_capture_on_commit_callbacks)
    request = services.application_request_information(
        actor=officer,
        application=application,
        question="Who owns the company?",
        due_date=timezone.localdate() + timedelta(days=1),
    )
    type(request).objects.filter(pk=request.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    request.refresh_from_db()
    assert request.is_overdue
    assert rfi_overdue_sweep() == 1
    assert rfi_overdue_sweep() == 0
    assert application_events(application, "information_overdue").count() == 1


def test_events_are_recorded_for_each_transition(
    django_capture_on_commit_callbacks, officer
) -> None:  # type: ignore[no-untyped-def]
    _, _, application = submitted(django_capture_on_commit_callbacks)
    services.application_approve(actor=officer, application=application, tier=1)
    event = application_events(application).last()
    assert event is not None
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "application.approve",
        officer,
        S.UNDER_REVIEW,
        S.APPROVED,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_deciding_at_once_one_wins(officer) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    services.application_submit(actor=user, application=application)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    second = UserFactory(roles=["officer"])
    outcomes: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def decide(name: str, action) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            action()
            outcomes[name] = "ok"
        except TransitionNotAllowed as error:
            outcomes[name] = str(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=decide,
            args=(
                "approve",
                lambda: services.application_approve(
                    actor=officer, application=application, tier=1
                ),
            ),
        ),
        threading.Thread(
            target=decide,
            args=(
                "reject",
                lambda: services.application_reject(
                    actor=second, application=application, reason="No"
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()).count("ok") == 1
    loser = next(message for message in outcomes.values() if message != "ok")
    assert "It may have been changed by someone else" in loser
    application.refresh_from_db()
    assert application.status in {S.APPROVED, S.REJECTED}
    assert (
        application_events(application)
        .filter(action__in=["application.approve", "application.reject"])
        .count()
        == 1
    )
