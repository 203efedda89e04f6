"""Every state-changing service writes its event in the audit log (`core.AuditEvent`):
action, actor, target, organisation and what changed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from shippers import services
from shippers.models import (
    Address,
    Application,
    ApprovalProposal,
    Document,
    Identifier,
    Membership,
    RequestForInformation,
    SecurityQuestionnaire,
)
from tests.accounts.factories import UserFactory
from tests.shippers.factories import (
    application_events,
    complete_application,
    owner_with_organisation,
    pdf_upload,
)

pytestmark = pytest.mark.django_db
S = Application.Status


def last_event(**filters: object) -> AuditEvent:
    event = AuditEvent.objects.filter(**filters).order_by("pk").last()
    assert event is not None, filters
    return event


@pytest.fixture
def officer():  # type: ignore[no-untyped-def]
    return UserFactory(roles=["officer"])


@pytest.fixture
def supervisor():  # type: ignore[no-untyped-def]
    return UserFactory(roles=["supervisor"])


@pytest.fixture
def reviewed(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=user, application=application)
    application.refresh_from_db()
    return user, organisation, application


def test_organisation_registration_and_profile_edits() -> None:
    user, organisation = owner_with_organisation()
    created = last_event(action="organisation.create")
    assert created.actor == user
    assert created.organisation_id == organisation.pk
    assert created.acting_for_id == organisation.pk
    assert created.changes["legal_name"] == {"before": None, "after": "Harbourline Parcels Ltd"}

    before = AuditEvent.objects.count()
    services.organisation_update_profile(
        actor=user, organisation=organisation, employees=40, website="https://example.org"
    )
    assert AuditEvent.objects.count() == before + 1
    edit = last_event(action="organisation.update_profile")
    assert edit.actor == user
    assert edit.target_type == "shippers.organisation"
    assert edit.target_id == str(organisation.pk)
    assert edit.changes == {
        "employees": {"before": 12, "after": 40},
        "website": {"before": "", "after": "https://example.org"},
    }


def test_profile_items_added_and_removed() -> None:
    user, organisation = owner_with_organisation()
    identifier = services.organisation_add_item(
        actor=user,
        organisation=organisation,
        model=Identifier,
        kind="gb_vat",
        value="GB 980 7806 84",
    )
    added = last_event(action="organisation.add_item")
    assert added.target_type == "shippers.identifier"
    assert added.organisation_id == organisation.pk
    assert added.changes["value"] == {"before": None, "after": "980780684"}
    assert added.detail["part"] == "identifier"
    services.organisation_remove_item(actor=user, item=identifier)
    removed = last_event(action="organisation.remove_item")
    assert removed.target_id == added.target_id
    assert removed.changes["value"] == {"before": "980780684", "after": None}
    assert not Identifier.objects.exists()


def test_invitations_and_memberships() -> None:
    owner, organisation = owner_with_organisation()
    invitation = services.invitation_create(
        actor=owner, organisation=organisation, email="Colleague@Example.org"
    )
    sent = last_event(action="invitation.send")
    assert (sent.actor, sent.organisation_id) == (owner, organisation.pk)
    assert sent.detail["email"] == "colleague@example.org"

    colleague = UserFactory(email="colleague@example.org")
    membership = services.invitation_accept(user=colleague, token=invitation.token)
    accepted = last_event(action="invitation.accept")
    assert accepted.actor == colleague
    assert accepted.detail["role"] == "member"

    services.membership_change_role(actor=owner, membership=membership, role="owner")
    changed = last_event(action="membership.change_role")
    assert changed.changes == {"role": {"before": "member", "after": "owner"}}
    assert changed.actor == owner

    other = services.invitation_create(
        actor=owner, organisation=organisation, email="x@example.org"
    )
    services.invitation_revoke(actor=owner, invitation=other)
    assert last_event(action="invitation.revoke").detail == {"email": "x@example.org"}
    with pytest.raises(ValidationError, match="no longer open"):
        services.invitation_revoke(actor=owner, invitation=other)

    services.membership_remove(actor=owner, membership=membership)
    removed = last_event(action="membership.remove")
    assert removed.detail == {"member": "colleague@example.org", "role": "owner"}
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_draft_and_its_submission(reviewed) -> None:  # type: ignore[no-untyped-def]
    user, organisation, application = reviewed
    actions = list(application_events(application).values_list("action", flat=True))
    assert actions[0] == "application.created"
    assert "application.trade_profile_saved" in actions
    assert "application.security_answers_saved" in actions
    assert "application.document_added" in actions
    assert "application.attested" in actions
    submit = application_events(application, "submit").get()
    assert submit.actor == user
    assert submit.acting_for_id == organisation.pk
    assert submit.changes == {"status": {"before": "draft", "after": "submitted"}}
    done = application_events(application, "complete_vetting").get()
    assert done.actor is None
    assert done.actor_kind == "system"
    assert done.changes["status"] == {"before": "vetting", "after": "under_review"}


def test_decisions_and_the_four_eyes_approval(reviewed, officer, supervisor) -> None:  # type: ignore[no-untyped-def]
    _, _, application = reviewed
    services.application_assign(actor=officer, application=application, officer=officer)
    assigned = application_events(application, "assigned").get()
    assert assigned.internal
    assert assigned.changes == {"assigned_officer": {"before": None, "after": officer.email}}

    services.note_add(actor=officer, application=application, text="Called the director.")
    note = application_events(application, "note_added").get()
    assert (note.internal, note.reason) == (True, "Called the director.")

    Application.objects.filter(pk=application.pk).update(risk_level="high")
    services.application_approve(actor=officer, application=application, tier=2)
    proposed = application_events(application, "approval_proposed").get()
    assert proposed.internal
    assert proposed.actor == officer
    proposal = ApprovalProposal.objects.get()
    assert (proposal.status, proposal.tier, proposal.proposed_by) == ("proposed", 2, officer)

    services.application_confirm_approval(actor=supervisor, application=application)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.confirmed_by) == ("confirmed", supervisor)
    approve = application_events(application, "approve").get()
    assert approve.actor == supervisor
    assert approve.changes == {"status": {"before": "under_review", "after": "approved"}}
    assert approve.detail["certificate"] == application.certificate.number
    assert approve.detail["proposed_by"] == officer.email

    services.application_suspend(actor=officer, application=application, reason="Seals")
    services.application_reinstate(actor=officer, application=application, reason="Fixed")
    services.application_revoke(actor=officer, application=application, reason="Fraud")
    for kind in ("suspend", "reinstate", "revoke"):
        event = application_events(application, kind).get()
        assert event.detail["certificate"] == application.certificate.number
        assert event.actor == officer
        assert not event.internal


def test_a_rejection_withdraws_a_waiting_approval(reviewed, officer) -> None:  # type: ignore[no-untyped-def]
    _, _, application = reviewed
    Application.objects.filter(pk=application.pk).update(risk_level="high")
    services.application_approve(actor=officer, application=application, tier=1)
    services.application_reject(actor=officer, application=application, reason="Fraud")
    proposal = ApprovalProposal.objects.get()
    assert proposal.status == "withdrawn"
    assert proposal.withdrawn_at is not None
    reject = application_events(application, "reject").get()
    assert reject.changes["status"] == {"before": "under_review", "after": "rejected"}
    assert reject.reason == "Fraud"


def test_requests_for_information_and_answers(reviewed, officer) -> None:  # type: ignore[no-untyped-def]
    user, _, application = reviewed
    due = timezone.localdate() + timedelta(days=14)
    request = services.application_request_information(
        actor=officer, application=application, question="Send the lease.", due_date=due
    )
    asked = application_events(application, "request_information").get()
    assert asked.reason == "Send the lease."
    assert asked.detail == {"request_id": request.pk, "due_date": due.isoformat()}

    services.rfi_answer_with_document(
        actor=user,
        request=request,
        answer="Attached.",
        doc_type="business_registration",
        upload=pdf_upload("lease.pdf"),
    )
    provided = application_events(application, "information_provided").get()
    document = Document.objects.get(original_name="lease.pdf")
    assert provided.detail == {"request_id": request.pk, "documents": [document.pk]}
    assert application_events(application, "resume_review").get().actor == user


def test_an_answer_refused_keeps_no_document(reviewed, officer) -> None:  # type: ignore[no-untyped-def]
    user, _, application = reviewed
    request = services.application_request_information(
        actor=officer,
        application=application,
        question="Send the lease.",
        due_date=timezone.localdate() + timedelta(days=14),
    )
    documents = Document.objects.count()
    with pytest.raises(ValidationError):
        services.rfi_answer_with_document(
            actor=user,
            request=request,
            answer="   ",
            doc_type="business_registration",
            upload=pdf_upload("lease.pdf"),
        )
    assert Document.objects.count() == documents
    assert RequestForInformation.objects.get().status == "open"
    assert (
        not application_events(application, "document_added")
        .filter(detail__name="lease.pdf")
        .exists()
    )


def test_documents_added_and_removed_on_a_draft() -> None:
    user, organisation = owner_with_organisation()
    application = services.application_create(actor=user, organisation=organisation)
    document = services.document_upload(
        actor=user, application=application, doc_type="business_registration", upload=pdf_upload()
    )
    added = application_events(application, "document_added").get()
    assert added.detail["document"] == document.pk
    services.document_delete(actor=user, document=document)
    removed = application_events(application, "document_removed").get()
    assert removed.detail["name"] == "registration.pdf"


@pytest.mark.parametrize(
    ("days_left", "due"),
    [(-1, None), (0, 30), (30, 30), (31, 90), (90, 90), (91, None)],
)
def test_the_reminder_policy(days_left: int, due: int | None) -> None:
    today = date(2027, 3, 1)
    valid_to = today + timedelta(days=days_left)
    assert services.certificate_reminder_due(valid_to=valid_to, today=today) == due


def test_questionnaire_versions(supervisor) -> None:  # type: ignore[no-untyped-def]
    current = SecurityQuestionnaire.objects.get(is_current=True)
    copy = services.questionnaire_new_version(actor=supervisor, questionnaire=current)
    created = last_event(action="questionnaire.create_version")
    assert created.target_id == str(copy.pk)
    assert created.changes == {"version": {"before": None, "after": copy.version}}
    assert created.internal
    services.questionnaire_make_current(actor=supervisor, questionnaire=copy)
    made = last_event(action="questionnaire.make_current")
    assert made.changes == {"current_version": {"before": current.version, "after": copy.version}}
    assert made.actor == supervisor


def test_a_questionnaire_in_use_is_frozen(supervisor) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    application = services.application_create(actor=user, organisation=organisation)
    questionnaire = application.questionnaire
    assert not services.questionnaire_can_change(questionnaire)
    assert not services.questionnaire_can_delete(questionnaire)
    questionnaire.title = "Changed"
    with pytest.raises(ValidationError, match="used by applications"):
        services.questionnaire_save(actor=supervisor, questionnaire=questionnaire)
    questionnaire.refresh_from_db()
    assert questionnaire.title != "Changed"
    fresh = SecurityQuestionnaire(version=99, title="Draft revision")
    services.questionnaire_save(actor=supervisor, questionnaire=fresh)
    assert (fresh.is_current, fresh.created_by) == (False, supervisor)
    assert services.questionnaire_can_change(fresh)


def test_the_chain_holds_after_a_whole_path(reviewed, officer, capsys) -> None:  # type: ignore[no-untyped-def]
    _, _, application = reviewed
    services.application_approve(actor=officer, application=application, tier=1)
    call_command("audit_verify")
    assert "Audit chain verified" in capsys.readouterr().out


def test_an_address_edit_appears_on_the_timeline_while_information_is_requested(
    reviewed, officer
) -> None:  # type: ignore[no-untyped-def]
    from shippers import selectors

    user, organisation, application = reviewed
    services.application_request_information(
        actor=officer,
        application=application,
        question="Your registered office?",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    services.organisation_add_item(
        actor=user,
        organisation=organisation,
        model=Address,
        kind="operating",
        line1="2 Quay",
        city="Harwich",
        country="GB",
    )
    titles = [e.title for e in selectors.timeline(application=application, for_shipper=True)]
    assert "Added to the profile" in titles
