"""The officers' admin: the application queue, the review page, decisions through the
services, the other shipper records, and the questionnaire versions for supervisors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shippers import services
from shippers.models import (
    Application,
    Certificate,
    InternalNote,
    RequestForInformation,
    SecurityAnswer,
    SecurityQuestion,
    SecurityQuestionnaire,
)
from shippers.services.decisions import unresolved_checks
from tests.accounts.factories import UserFactory
from tests.shippers.factories import (
    application_events,
    complete_application,
    owner_with_organisation,
    status_path,
)

pytestmark = pytest.mark.django_db
S = Application.Status
OVERRIDE = "Checked by hand: the failed checks do not apply to this applicant."
CONFLICT = "It may have been changed by someone else"
QUEUE_URL = "/admin/shippers/application/"


def staff_with_mfa(*roles: str):  # type: ignore[no-untyped-def]
    user = UserFactory(roles=list(roles))
    TOTP.activate(user, generate_totp_secret())
    return user


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer():  # type: ignore[no-untyped-def]
    return staff_with_mfa("officer")


@pytest.fixture
def supervisor():  # type: ignore[no-untyped-def]
    return staff_with_mfa("supervisor")


@pytest.fixture
def officer_client(officer) -> Client:  # type: ignore[no-untyped-def]
    return client_for(officer)


@pytest.fixture
def supervisor_client(supervisor) -> Client:  # type: ignore[no-untyped-def]
    return client_for(supervisor)


@pytest.fixture
def reviewed(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Factory: a submitted application that vetting has passed to officers."""

    def make(**organisation_fields: Any) -> Application:
        user, organisation = owner_with_organisation(**organisation_fields)
        application = complete_application(user, organisation)
        with django_capture_on_commit_callbacks(execute=True):
            services.application_submit(actor=user, application=application)
        application.refresh_from_db()
        assert application.status == S.UNDER_REVIEW
        return application

    return make


def change_url(application: Application) -> str:
    return reverse("admin:shippers_application_change", args=[application.pk])


def decide_url(application: Application, slug: str) -> str:
    return reverse("admin:shippers_application_decide", args=[application.pk, slug])


def shown(response) -> list[Application]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(message) for message in response.context["messages"]]


def decide(client: Client, application: Application, slug: str, **data: Any):  # type: ignore[no-untyped-def]
    return client.post(decide_url(application, slug), data, follow=True)


def submitted_days_ago(application: Application, days: int) -> None:
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=days, hours=1)
    )


# -- the queue -------------------------------------------------------------------------------


def test_queue_lists_oldest_first_and_hides_drafts_by_default(officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    older = reviewed(legal_name="Older Parcels Ltd")
    newer = reviewed(legal_name="Newer Parcels Ltd")
    submitted_days_ago(older, 40)
    submitted_days_ago(newer, 2)
    shipper, organisation = owner_with_organisation(legal_name="Draft Co")
    draft = services.application_create(actor=shipper, organisation=organisation)

    response = officer_client.get(QUEUE_URL)
    assert shown(response) == [older, newer]
    content = response.content.decode()
    assert older.reference in content
    assert "Older Parcels Ltd" in content
    row = response.context["cl"].result_list[0]
    assert row.open_requests == 0
    assert draft in shown(officer_client.get(QUEUE_URL, {"status": "all"}))


def test_queue_filters(officer, officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    british = reviewed(legal_name="Harbourline Parcels Ltd", country="GB")
    american = reviewed(legal_name="Cascadia Goods Co", country="US")
    submitted_days_ago(british, 100)
    submitted_days_ago(american, 10)
    services.application_request_information(
        actor=officer,
        application=american,
        question="Who owns the company?",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    services.application_assign(actor=officer, application=british, officer=officer)

    assert shown(officer_client.get(QUEUE_URL, {"status": S.INFORMATION_REQUESTED})) == [american]
    assert shown(officer_client.get(QUEUE_URL, {"status": S.UNDER_REVIEW})) == [british]
    assert shown(officer_client.get(QUEUE_URL, {"officer": "me"})) == [british]
    assert shown(officer_client.get(QUEUE_URL, {"officer": "none"})) == [american]
    assert shown(officer_client.get(QUEUE_URL, {"age": "gt90"})) == [british]
    assert shown(officer_client.get(QUEUE_URL, {"age": "7-30"})) == [american]
    assert shown(officer_client.get(QUEUE_URL, {"age": "lt7"})) == []
    assert shown(officer_client.get(QUEUE_URL, {"country": "US"})) == [american]
    assert shown(officer_client.get(QUEUE_URL, {"risk_level": "medium"})) == [british, american]
    rows = shown(officer_client.get(QUEUE_URL, {"country": "US"}))
    assert rows[0].open_requests == 1


def test_queue_search(officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    first = reviewed(legal_name="Harbourline Parcels Ltd", trade_names=["Harbour Express"])
    second = reviewed(legal_name="Cascadia Goods Co")

    assert shown(officer_client.get(QUEUE_URL, {"q": first.reference})) == [first]
    assert shown(officer_client.get(QUEUE_URL, {"q": f"ksa-{second.pk}"})) == [second]
    assert shown(officer_client.get(QUEUE_URL, {"q": "cascadia"})) == [second]
    assert shown(officer_client.get(QUEUE_URL, {"q": "Harbour Express"})) == [first]
    # Both organisations registered the same VAT number in the factory; search finds both.
    found = shown(officer_client.get(QUEUE_URL, {"q": "GB 980 7806 84"}))
    assert set(found) == {first, second}
    assert shown(officer_client.get(QUEUE_URL, {"q": "KSA-999999"})) == []


def test_assign_to_me_and_unassign_actions(officer, officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    response = officer_client.post(
        QUEUE_URL,
        {"action": "assign_to_me", "_selected_action": [application.pk], "index": "0"},
        follow=True,
    )
    assert "1 application(s) now assigned to you." in messages_of(response)
    application.refresh_from_db()
    assert application.assigned_officer == officer
    assert application_events(application, "assigned").filter(actor=officer).exists()
    assert shown(officer_client.get(QUEUE_URL, {"officer": "me"})) == [application]

    officer_client.post(
        QUEUE_URL, {"action": "unassign", "_selected_action": [application.pk], "index": "0"}
    )
    application.refresh_from_db()
    assert application.assigned_officer is None

    # The same from the review page.
    response = officer_client.post(decide_url(application, "assign_to_me"), follow=True)
    assert f"{application.reference} is assigned to you." in messages_of(response)
    application.refresh_from_db()
    assert application.assigned_officer == officer


# -- the review page -----------------------------------------------------------------------


def test_review_page_shows_the_whole_file(officer, officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed(legal_name="Harbourline Parcels Ltd", trade_names=["Harbour Express"])
    must_question = application.questionnaire.questions.filter(
        requirement=SecurityQuestion.Requirement.MUST
    ).first()
    SecurityAnswer.objects.filter(application=application, question=must_question).update(
        answer=SecurityAnswer.Answer.NO, explanation="Seals are applied by the carrier instead."
    )
    services.application_assign(actor=officer, application=application, officer=officer)
    document = application.documents.first()

    response = officer_client.get(change_url(application))
    assert response.status_code == 200
    content = response.content.decode()
    for expected in (
        application.reference,
        "Harbourline Parcels Ltd",
        "Harbour Express",
        "Privately held",
        "980780684",  # identifier, stored compact
        "1 Dock Road",
        "Amelia Hart",
        "Ben Cole",
        "Ningbo Homewares Co",
        "24000",
        "Own web shop",
        must_question.area_name,
        must_question.text,
        "Seals are applied by the carrier instead.",
        'class="flagged-answer"',
        document.original_name,
        reverse("shippers:document_download", args=[document.pk]),
        "Complete vetting",
        # Vetting results: the submission run with each check; no screening list is loaded
        # in this test, so screening is an error for an officer to check by hand.
        "Application submitted",
        "Denied-party screening",
        "Error: manual check needed",
        "No screening list is loaded",
        "Run vetting again",
        "Assigned",  # an internal event
        "Internal",
    ):
        assert expected in content, expected
    # Read-only: no form posts to the change page itself.
    assert f'action="{change_url(application)}"' not in content

    # The download link admits the officer.
    download = officer_client.get(reverse("shippers:document_download", args=[document.pk]))
    assert download.status_code == 200


def test_officer_adds_an_internal_note(officer, officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    note_url = reverse("admin:shippers_application_note", args=[application.pk])
    response = officer_client.post(note_url, {"text": "Called the director."}, follow=True)
    assert "Note added." in messages_of(response)
    assert "Called the director." in response.content.decode()
    note = InternalNote.objects.get(application=application)
    assert note.author == officer
    empty = officer_client.post(note_url, {"text": "   "}, follow=True)
    assert "A note cannot be empty." in messages_of(empty)
    assert InternalNote.objects.count() == 1


def test_only_the_decisions_allowed_now_are_offered(officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    decisions = [d.slug for d in officer_client.get(change_url(application)).context["decisions"]]
    assert decisions == ["approve", "request_information", "reject", "assign_to_me"]
    # A decision that does not apply now is not offered as a form either.
    response = officer_client.get(decide_url(application, "suspend"), follow=True)
    assert any("Suspend is not possible now" in m for m in messages_of(response))


# -- decisions -------------------------------------------------------------------------------


def test_approve_through_the_admin_issues_a_certificate(officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    form = officer_client.get(decide_url(application, "approve"))
    assert form.status_code == 200
    assert form.context["form"]["status_seen"].value() == S.UNDER_REVIEW
    default_end = form.context["form"]["valid_to"].value()
    assert default_end == services.latest_validity_end(timezone.localdate())

    response = decide(
        officer_client,
        application,
        "approve",
        override_reason=OVERRIDE,
        tier="2",
        status_seen=S.UNDER_REVIEW,
    )
    assert response.redirect_chain[-1][0] == change_url(application)
    application.refresh_from_db()
    certificate = Certificate.objects.get(application=application)
    assert application.status == S.APPROVED
    assert certificate.tier == 2
    assert certificate.valid_to == default_end
    assert any(certificate.number in m for m in messages_of(response))
    # The page now offers the decisions of an approved shipper.
    decisions = [d.slug for d in response.context["decisions"]]
    assert "suspend" in decisions
    assert "revoke" in decisions
    assert "approve" not in decisions


def test_approval_beyond_four_years_is_refused_and_nothing_changes(
    officer_client, reviewed
) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    too_late = timezone.localdate() + timedelta(days=5 * 365)
    response = decide(
        officer_client,
        application,
        "approve",
        override_reason=OVERRIDE,
        tier="1",
        valid_to=too_late,
    )
    assert response.status_code == 200
    assert "6 USC 969" in response.content.decode()
    assert response.context["form"].errors["valid_to"]
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert not Certificate.objects.exists()


def test_reject_through_the_admin(officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    empty = decide(officer_client, application, "reject", reason="")
    assert empty.status_code == 200
    assert empty.context["form"].errors["reason"]
    response = decide(
        officer_client, application, "reject", reason="Identity could not be verified."
    )
    assert any("rejected" in m for m in messages_of(response))
    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert application.decision_reason == "Identity could not be verified."


def test_request_information_through_the_admin(officer, officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    form = officer_client.get(decide_url(application, "request_information"))
    choices = dict(form.context["form"].fields["documents_requested"].choices)
    assert "security_policy" in choices
    assert form.context["form"]["due_date"].value() == timezone.localdate() + timedelta(days=14)
    due = timezone.localdate() + timedelta(days=10)
    response = decide(
        officer_client,
        application,
        "request_information",
        question="Send your seal log.",
        documents_requested=["security_policy"],
        due_date=due.isoformat(),
    )
    assert any("Information requested" in m for m in messages_of(response))
    application.refresh_from_db()
    assert application.status == S.INFORMATION_REQUESTED
    request = RequestForInformation.objects.get(application=application)
    assert (request.question, request.documents_requested, request.due_date) == (
        "Send your seal log.",
        ["security_policy"],
        due,
    )
    assert request.asked_by == officer
    content = response.content.decode()
    assert "Send your seal log." in content
    assert "Documents requested: Supply-chain security policy" in content


def test_suspend_reinstate_revoke_through_the_admin(officer, officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    services.application_approve(actor=officer, application=application, tier=1)
    due = timezone.localdate() + timedelta(days=30)
    decide(
        officer_client,
        application,
        "suspend",
        reason="Seal failures",
        corrective_action_due=due.isoformat(),
    )
    application.refresh_from_db()
    assert application.status == S.SUSPENDED
    assert application.corrective_action_due == due
    decide(officer_client, application, "reinstate", reason="Plan accepted")
    application.refresh_from_db()
    assert application.status == S.REINSTATED
    response = decide(officer_client, application, "revoke", reason="Repeated violations")
    application.refresh_from_db()
    assert application.status == S.REVOKED
    assert any("revoked" in m for m in messages_of(response))
    path = status_path(application)[-4:]
    assert path == [S.APPROVED, S.SUSPENDED, S.REINSTATED, S.REVOKED]


def test_high_risk_approval_waits_for_a_supervisor(
    officer, officer_client, supervisor, supervisor_client, reviewed
) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    Application.objects.filter(pk=application.pk).update(risk_level=Application.Risk.HIGH)

    response = decide(officer_client, application, "approve", override_reason=OVERRIDE, tier="1")
    assert any("a supervisor must confirm" in m for m in messages_of(response))
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert services.pending_proposal(application).proposed_by == officer
    page = officer_client.get(change_url(application))
    assert 'id="pending-approval"' in page.content.decode()
    officer_decisions = [d.slug for d in page.context["decisions"]]
    assert "confirm_approval" not in officer_decisions
    assert "approve" not in officer_decisions

    # An officer cannot confirm, even by posting the form.
    assert officer_client.get(decide_url(application, "confirm_approval")).status_code == 403
    refused = officer_client.post(decide_url(application, "confirm_approval"), {})
    assert refused.status_code == 403
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert not Certificate.objects.exists()

    page = supervisor_client.get(change_url(application))
    assert "confirm_approval" in [d.slug for d in page.context["decisions"]]
    # The officer approved over unresolved checks: the supervisor reads why before confirming.
    proposal = services.pending_proposal(application)
    assert proposal.override_reason == OVERRIDE
    assert proposal.overridden_checks == unresolved_checks(application=application) != []
    confirm_page = supervisor_client.get(decide_url(application, "confirm_approval"))
    shown = confirm_page.content.decode()
    assert f"The officer's reason: “{OVERRIDE}”" in shown
    assert proposal.overridden_checks[0] in shown
    response = decide(supervisor_client, application, "confirm_approval")
    assert any("confirmed" in m for m in messages_of(response))
    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert services.pending_proposal(application) is None
    assert application.approval_proposals.get().confirmed_by == supervisor
    approve = application_events(application, "approve").get()
    assert approve.actor == supervisor
    assert approve.detail["proposed_by"] == officer.email


def test_a_decision_taken_by_someone_else_first_is_a_clear_conflict(
    officer_client, reviewed
) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    assert officer_client.get(decide_url(application, "approve")).status_code == 200
    other_officer = staff_with_mfa("officer")
    services.application_reject(actor=other_officer, application=application, reason="Fraud")

    # The service's own refusal ...
    response = decide(officer_client, application, "approve", override_reason=OVERRIDE, tier="1")
    assert response.redirect_chain[-1][0] == change_url(application)
    assert any(CONFLICT in m and "it is now rejected" in m for m in messages_of(response))
    # ... and the stale form (it was opened while the application was under review).
    response = decide(
        officer_client,
        application,
        "approve",
        override_reason=OVERRIDE,
        tier="1",
        status_seen=S.UNDER_REVIEW,
    )
    assert any(CONFLICT in m for m in messages_of(response))
    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert application.decision_reason == "Fraud"
    assert not Certificate.objects.exists()
    assert (
        application_events(application)
        .filter(action__in=["application.approve", "application.reject"])
        .count()
        == 1
    )


# -- who may use the admin -------------------------------------------------------------------


def test_a_shipper_is_refused(reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    shipper = application.organisation.memberships.get().user
    client = client_for(shipper)
    for url in (QUEUE_URL, change_url(application), decide_url(application, "approve")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    client.post(decide_url(application, "approve"), {"tier": "1"})
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_an_officer_without_mfa_is_sent_to_set_it_up(reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    client = Client()
    client.force_login(UserFactory(roles=["officer"]), mfa=False)  # type: ignore[call-arg]
    for url in (QUEUE_URL, change_url(application)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    client.post(decide_url(application, "approve"), {"tier": "1"})
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_staff_without_the_decide_permission_cannot_decide(reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    client = client_for(staff_with_mfa("content_editor"))
    assert client.get(QUEUE_URL).status_code == 403
    assert client.post(decide_url(application, "approve"), {"tier": "1"}).status_code == 403
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


# -- other records ---------------------------------------------------------------------------


def test_organisation_is_read_only_with_its_profile(officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed(legal_name="Harbourline Parcels Ltd", country="GB")
    organisation = application.organisation
    listing = officer_client.get("/admin/shippers/organisation/", {"country": "GB"})
    assert "Harbourline Parcels Ltd" in listing.content.decode()
    url = reverse("admin:shippers_organisation_change", args=[organisation.pk])
    page = officer_client.get(url)
    content = page.content.decode()
    assert page.status_code == 200
    for expected in ("980780684", "1 Dock Road", "Amelia Hart", "Ningbo Homewares Co"):
        assert expected in content
    assert application.reference in content
    response = officer_client.post(url, {"legal_name": "Renamed"})
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.legal_name == "Harbourline Parcels Ltd"


def test_overdue_requests_filter(officer, officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    late = reviewed(legal_name="Late Co")
    on_time = reviewed(legal_name="On Time Co")
    tomorrow = timezone.localdate() + timedelta(days=1)
    overdue = services.application_request_information(
        actor=officer, application=late, question="Late question?", due_date=tomorrow
    )
    services.application_request_information(
        actor=officer, application=on_time, question="Timely question?", due_date=tomorrow
    )
    RequestForInformation.objects.filter(pk=overdue.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    response = officer_client.get("/admin/shippers/requestforinformation/", {"overdue": "yes"})
    assert shown(response) == [overdue]


def test_certificates_are_listed_with_the_printable_page(officer, officer_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    services.application_approve(actor=officer, application=application, tier=1)
    certificate = Certificate.objects.get()
    response = officer_client.get("/admin/shippers/certificate/", {"q": certificate.number})
    assert shown(response) == [certificate]
    assert reverse("shippers:certificate", args=[certificate.number]) in response.content.decode()


# -- the security questionnaire --------------------------------------------------------------


def form_data(response) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The POST data of an admin change form as rendered (main form and inlines)."""
    data: dict[str, Any] = {}

    def add(form) -> None:  # type: ignore[no-untyped-def]
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            data[key] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def copy_current_version(client: Client) -> SecurityQuestionnaire:
    current = SecurityQuestionnaire.objects.get(is_current=True)
    client.post(
        "/admin/shippers/securityquestionnaire/",
        {"action": "create_new_version", "_selected_action": [current.pk], "index": "0"},
    )
    return SecurityQuestionnaire.objects.order_by("-version").first()


def test_create_new_version_copies_the_questions(supervisor, supervisor_client) -> None:  # type: ignore[no-untyped-def]
    current = SecurityQuestionnaire.objects.get(is_current=True)
    copy = copy_current_version(supervisor_client)
    assert copy.version == current.version + 1
    assert not copy.is_current
    assert copy.created_by == supervisor
    original = list(current.questions.values_list("code", "text", "requirement", "order"))
    copied = list(copy.questions.values_list("code", "text", "requirement", "order"))
    assert copied == original
    assert len(copied) > 0
    SecurityQuestionnaire.objects.get(is_current=True)  # still exactly one current


def test_make_current_keeps_one_current_version(supervisor_client) -> None:  # type: ignore[no-untyped-def]
    previous = SecurityQuestionnaire.objects.get(is_current=True)
    copy = copy_current_version(supervisor_client)
    response = supervisor_client.post(
        "/admin/shippers/securityquestionnaire/",
        {"action": "make_current", "_selected_action": [copy.pk], "index": "0"},
        follow=True,
    )
    assert f"Version {copy.version} is now current" in " ".join(messages_of(response))
    assert list(SecurityQuestionnaire.objects.filter(is_current=True)) == [copy]
    previous.refresh_from_db()
    assert not previous.is_current
    copy.refresh_from_db()
    assert copy.made_current_by is not None
    assert copy.made_current_by.has_role("supervisor")
    assert copy.made_current_at is not None


def test_a_supervisor_edits_an_unused_version_but_an_officer_cannot(
    officer_client, supervisor_client
) -> None:  # type: ignore[no-untyped-def]
    copy = copy_current_version(supervisor_client)
    url = reverse("admin:shippers_securityquestionnaire_change", args=[copy.pk])
    question = copy.questions.order_by("order").first()

    officer_page = officer_client.get(url)
    assert officer_page.status_code == 200  # officers may look
    assert officer_client.post(url, {"title": "Changed"}).status_code == 403
    assert copy_current_version(officer_client) == copy  # the action is not theirs

    page = supervisor_client.get(url)
    data = form_data(page)
    data["title"] = "Security profile, 2027 revision"
    prefix = next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.endswith("-id") and str(value) == str(question.pk)
    )
    data[f"{prefix}-text"] = "Do you keep a written seal policy, reviewed every year?"
    response = supervisor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    copy.refresh_from_db()
    question.refresh_from_db()
    assert copy.title == "Security profile, 2027 revision"
    assert question.text == "Do you keep a written seal policy, reviewed every year?"


def test_a_version_applications_use_is_frozen(supervisor_client, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    questionnaire = application.questionnaire
    url = reverse("admin:shippers_securityquestionnaire_change", args=[questionnaire.pk])
    page = supervisor_client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    question = questionnaire.questions.order_by("order").first()
    response = supervisor_client.post(url, {"title": "Changed"})
    assert response.status_code == 403
    questionnaire.refresh_from_db()
    assert questionnaire.title != "Changed"
    assert questionnaire.questions.order_by("order").first().text == question.text


# -- service rules behind the admin ------------------------------------------------------------


def test_questionnaire_versions_are_a_supervisors_write(officer, supervisor) -> None:  # type: ignore[no-untyped-def]
    current = SecurityQuestionnaire.objects.get(is_current=True)
    with pytest.raises(PermissionDenied):
        services.questionnaire_new_version(actor=officer, questionnaire=current)
    copy = services.questionnaire_new_version(actor=supervisor, questionnaire=current)
    with pytest.raises(PermissionDenied):
        services.questionnaire_make_current(actor=officer, questionnaire=copy)
    services.questionnaire_make_current(actor=supervisor, questionnaire=copy)
    current.refresh_from_db()
    assert not current.is_current
    assert SecurityQuestionnaire.objects.get(is_current=True) == copy


def test_an_application_keeps_the_questionnaire_version_it_answered(  # type: ignore[no-untyped-def]
    supervisor, reviewed
) -> None:
    application = reviewed()
    answered = application.questionnaire
    copy = services.questionnaire_new_version(actor=supervisor, questionnaire=answered)
    services.questionnaire_make_current(actor=supervisor, questionnaire=copy)
    application.refresh_from_db()
    assert application.questionnaire == answered
    assert application.security_answers.filter(question__questionnaire=answered).exists()


def test_only_a_supervisor_confirms_a_high_risk_approval(officer, supervisor, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    Application.objects.filter(pk=application.pk).update(risk_level=Application.Risk.HIGH)
    application.refresh_from_db()
    services.application_approve(actor=officer, application=application, tier=1)
    other_officer = staff_with_mfa("officer")
    with pytest.raises(PermissionDenied, match="Only a supervisor"):
        services.application_confirm_approval(actor=other_officer, application=application)
    services.application_confirm_approval(actor=supervisor, application=application)
    application.refresh_from_db()
    assert application.status == S.APPROVED


def test_applications_are_assigned_only_to_officers(officer, reviewed) -> None:  # type: ignore[no-untyped-def]
    application = reviewed()
    editor = staff_with_mfa("content_editor")
    with pytest.raises(ValidationError, match="only be assigned to officers"):
        services.application_assign(actor=officer, application=application, officer=editor)
    with pytest.raises(PermissionDenied):
        services.application_assign(actor=editor, application=application, officer=officer)
    services.application_assign(actor=officer, application=application, officer=officer)
    application.refresh_from_db()
    assert application.assigned_officer == officer


def test_validity_ends_at_most_four_years_out_even_from_29_february() -> None:
    assert services.latest_validity_end(date(2028, 2, 29)) == date(2032, 2, 29)
    assert services.latest_validity_end(date(2096, 2, 29)) == date(2100, 2, 28)
    assert services.latest_validity_end(date(2026, 11, 28)) == date(2030, 11, 28)


def test_officers_read_every_part_of_the_profile(officer) -> None:  # type: ignore[no-untyped-def]
    for model in (
        "identifier",
        "address",
        "principal",
        "contact",
        "supplychainpartner",
        "document",
        "securityanswer",
        "vettingrun",
    ):
        assert officer.has_perm(f"shippers.view_{model}"), model
    assert not officer.has_perm("shippers.change_identifier")


def test_approval_over_a_failed_check_asks_for_a_reason_and_records_it(
    officer_client, reviewed
) -> None:  # type: ignore[no-untyped-def]
    from core.models import AuditEvent
    from shippers.services.decisions import unresolved_checks

    application = reviewed()
    unresolved = unresolved_checks(application=application)
    assert unresolved  # a new applicant has not taken the required training
    refused = decide(officer_client, application, "approve", tier="1", status_seen=S.UNDER_REVIEW)
    assert "Say why you approve all the same." in refused.content.decode()
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    decide(officer_client, application, "approve", override_reason=OVERRIDE, tier="1")
    application.refresh_from_db()
    assert application.status == S.APPROVED
    event = AuditEvent.objects.get(
        action="application.approval_override", target_id=str(application.pk)
    )
    assert event.reason == OVERRIDE
    assert event.internal
    assert event.detail["overridden_checks"] == unresolved
