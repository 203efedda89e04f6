"""The reply to a pre-penalty notice and the officer's determination on it, before any penalty
notice (19 USC 1592(b)(1)-(2); 19 CFR 162.78(a), 162.79); and the penalty notice without a
pre-penalty notice as an officer's recorded choice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from enforcement import services
from enforcement.models import Case, CaseDocument, Deadline, PrepenaltyReply
from tests.enforcement.factories import (
    case_at,
    events,
    move_deadline,
    officer,
    pdf,
    respondent,
)

pytestmark = pytest.mark.django_db
S = Case.Status
D = Deadline.Kind


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    staff = officer()
    member, organisation = respondent()
    stranger, _ = respondent()
    case = case_at("prepenalty", actor=staff, organisation=organisation)
    return {"staff": staff, "member": member, "stranger": stranger, "case": case}


def staff_login(client: Client, user) -> None:  # type: ignore[no-untyped-def]
    TOTP.activate(user, generate_totp_secret())  # the admin asks officers for MFA
    client.force_login(user)


def yesterday():  # type: ignore[no-untyped-def]
    return timezone.localdate() - timedelta(days=1)


def test_19_usc_1592_b_2_penalty_notice_waits_for_reply_period(world) -> None:  # type: ignore[no-untyped-def]
    staff, case = world["staff"], world["case"]
    with pytest.raises(ValidationError, match=r"after the reply period ends or a reply is"):
        services.case_issue_penalty_notice(actor=staff, case=case, amount=Decimal("15000"))
    with pytest.raises(ValidationError, match="reply period runs until"):
        services.case_record_reply_determination(
            actor=staff, case=case, outcome="penalty_warranted", determination="Too early."
        )
    case.refresh_from_db()
    deadline = case.deadlines.get(kind=D.PREPENALTY_RESPONSE)
    # The 30-day reply deadline keeps running: it does not flip to "ended".
    assert deadline.is_open
    assert deadline.due_on == timezone.localdate() + timedelta(days=30)
    assert "19 CFR 162.78(a)" in deadline.rule
    assert case.status == S.PREPENALTY_NOTICE
    assert not case.notices.filter(kind="penalty").exists()


def test_19_cfr_162_79_reply_received_considered_then_penalty_notice(  # type: ignore[no-untyped-def]
    world, django_capture_on_commit_callbacks
) -> None:
    staff, member, case = world["staff"], world["member"], world["case"]
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.case_reply_to_prepenalty_notice(
            actor=member,
            case=case,
            text="The entries were corrected by post-summary correction.",
            uploads=[pdf("psc.pdf")],
        )
    assert reply.documents.get().kind == CaseDocument.Kind.PREPENALTY_REPLY
    assert reply.documents.get().visible_to_respondent
    officer_mail = mail.outbox[-1]
    # The e-mail names the action in words, not its code.
    assert "Reply to the pre-penalty notice on case" in officer_mail.body
    assert "prepenalty_reply" not in officer_mail.body + officer_mail.subject
    services.case_record_reply_determination(
        actor=staff,
        case=case,
        outcome="penalty_warranted",
        determination="The corrections came after the entries were liquidated.",
    )
    case.refresh_from_db()
    assert case.reply_outcome == "penalty_warranted"
    assert case.reply_considered_by == staff
    assert case.deadlines.get(kind=D.PREPENALTY_RESPONSE).met_at is not None
    event = events(case).get(action="case.reply_determination")
    assert event.reason.startswith("The corrections came after")
    with pytest.raises(ValidationError, match="can no longer be added"):
        services.case_reply_to_prepenalty_notice(actor=member, case=case, text="More.")
    services.case_issue_penalty_notice(actor=staff, case=case, amount=Decimal("15000"))
    case.refresh_from_db()
    assert case.status == S.PENALTY_NOTICE


def test_19_cfr_162_78_a_no_reply_after_the_deadline_the_portal_says_it_ended(  # type: ignore[no-untyped-def]
    world, client: Client
) -> None:
    staff, member, case = world["staff"], world["member"], world["case"]
    move_deadline(case, D.PREPENALTY_RESPONSE, yesterday())
    with pytest.raises(ValidationError, match="reply period ended on"):
        services.case_reply_to_prepenalty_notice(actor=member, case=case, text="Late.")
    assert not PrepenaltyReply.objects.exists()
    client.force_login(member)
    page = client.get(f"/portal/cases/{case.pk}/reply/").content.decode()
    assert "The reply period has ended" in page
    assert "The officer will now decide" in page
    late = client.post(f"/portal/cases/{case.pk}/reply/", {"text": "Late."})
    assert late.status_code == 409
    assert not PrepenaltyReply.objects.exists()
    services.case_record_reply_determination(
        actor=staff, case=case, outcome="penalty_warranted", determination="No reply came."
    )
    deadline = case.deadlines.get(kind=D.PREPENALTY_RESPONSE)
    assert deadline.closed_at is not None
    assert deadline.met_at is None


def test_19_cfr_162_79_no_violation_determination_blocks_the_penalty_notice(world) -> None:  # type: ignore[no-untyped-def]
    staff, member, case = world["staff"], world["member"], world["case"]
    services.case_reply_to_prepenalty_notice(actor=member, case=case, text="Wrong importer.")
    services.case_record_reply_determination(
        actor=staff, case=case, outcome="no_violation", determination="Another importer."
    )
    with pytest.raises(ValidationError, match="withdraw the case"):
        services.case_issue_penalty_notice(actor=staff, case=case, amount=Decimal("15000"))
    services.case_withdraw(actor=staff, case=case, reason="No violation on the reply.")


def test_a_determination_needs_an_outcome_and_reasons(world) -> None:  # type: ignore[no-untyped-def]
    staff, case = world["staff"], world["case"]
    move_deadline(case, D.PREPENALTY_RESPONSE, yesterday())
    with pytest.raises(ValidationError) as error:
        services.case_record_reply_determination(
            actor=staff, case=case, outcome="maybe", determination=" "
        )
    assert set(error.value.message_dict) == {"outcome", "determination"}
    case.refresh_from_db()
    assert case.reply_considered_at is None


def test_only_the_respondent_replies_and_only_officers_determine(world) -> None:  # type: ignore[no-untyped-def]
    staff, member, stranger, case = (
        world["staff"],
        world["member"],
        world["stranger"],
        world["case"],
    )
    with pytest.raises(PermissionDenied):
        services.case_reply_to_prepenalty_notice(actor=stranger, case=case, text="Not mine.")
    with pytest.raises(PermissionDenied):
        services.case_reply_to_prepenalty_notice(actor=staff, case=case, text="As officer.")
    move_deadline(case, D.PREPENALTY_RESPONSE, yesterday())
    with pytest.raises(PermissionDenied):
        services.case_record_reply_determination(
            actor=member, case=case, outcome="no_violation", determination="Me."
        )
    assert not PrepenaltyReply.objects.exists()


def test_19_usc_1592_b_1_b_penalty_notice_without_prepenalty_needs_the_exception() -> None:
    staff = officer()
    case = case_at("investigating", actor=staff, organisation=None)
    with pytest.raises(ValidationError) as error:
        services.case_issue_penalty_notice(actor=staff, case=case, amount="15000")
    assert "prepenalty_exception" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_issue_penalty_notice(
            actor=staff, case=case, amount="15000", prepenalty_exception="noncommercial"
        )
    assert "without_prepenalty_reason" in error.value.message_dict
    services.case_issue_penalty_notice(
        actor=staff,
        case=case,
        amount="15000",
        prepenalty_exception="noncommercial",
        without_prepenalty_reason="Personal effects of a returning traveller, not for sale.",
    )
    case.refresh_from_db()
    assert case.status == S.PENALTY_NOTICE
    assert case.prepenalty_exception == "noncommercial"
    assert case.prepenalty_waiver_reason.startswith("Personal effects")
    event = events(case).get(action="case.issue_penalty_notice")
    assert "1592(b)(1)(B)(i)" in event.detail["prepenalty_exception"]
    assert event.detail["without_prepenalty_notice"].startswith("Personal effects")


def test_19_usc_1592_b_1_b_ii_claim_of_1000_or_less_needs_no_prepenalty_notice() -> None:
    staff = officer()
    case = case_at("investigating", actor=staff, organisation=None)
    with pytest.raises(ValidationError) as error:
        services.case_issue_penalty_notice(
            actor=staff,
            case=case,
            amount="1000.01",
            departure_reason="Small claim.",
            prepenalty_exception="claim_1000_or_less",
            without_prepenalty_reason="The claim is small.",
        )
    assert "above USD 1,000" in error.value.message_dict["prepenalty_exception"][0]
    case.refresh_from_db()
    assert case.status == S.INVESTIGATING
    assert case.prepenalty_exception == ""
    services.case_issue_penalty_notice(
        actor=staff,
        case=case,
        amount="1000",
        departure_reason="Small claim.",
        prepenalty_exception="claim_1000_or_less",
        without_prepenalty_reason="One entry, a claim of USD 1,000.",
    )
    case.refresh_from_db()
    assert case.status == S.PENALTY_NOTICE
    assert case.prepenalty_exception == "claim_1000_or_less"


def test_19_usc_1592_b_1_b_no_exception_needed_after_a_prepenalty_notice(world) -> None:  # type: ignore[no-untyped-def]
    staff, case = world["staff"], world["case"]
    move_deadline(case, D.PREPENALTY_RESPONSE, yesterday())
    services.case_record_reply_determination(
        actor=staff, case=case, outcome="penalty_warranted", determination="No reply."
    )
    services.case_issue_penalty_notice(actor=staff, case=case, amount="15000")
    case.refresh_from_db()
    assert case.status == S.PENALTY_NOTICE
    assert case.prepenalty_exception == ""


def test_19_cfr_171_2_c_longer_petition_period_needs_a_reason(world) -> None:  # type: ignore[no-untyped-def]
    staff, case = world["staff"], world["case"]
    move_deadline(case, D.PREPENALTY_RESPONSE, yesterday())
    services.case_record_reply_determination(
        actor=staff, case=case, outcome="penalty_warranted", determination="No reply."
    )
    with pytest.raises(ValidationError) as error:
        services.case_issue_penalty_notice(actor=staff, case=case, amount="15000", petition_days=90)
    assert "petition_period_reason" in error.value.message_dict
    services.case_issue_penalty_notice(
        actor=staff,
        case=case,
        amount="15000",
        petition_days=90,
        petition_period_reason="Forty entries over three years: a complex case.",
    )
    deadline = case.deadlines.get(kind=D.PETITION)
    assert deadline.due_on == timezone.localdate() + timedelta(days=90)
    assert "19 CFR 171.2(c)" in deadline.rule


def test_the_portal_reply_with_a_document_reaches_the_officers_case_page(  # type: ignore[no-untyped-def]
    world, client: Client
) -> None:
    member, case = world["member"], world["case"]
    client.force_login(member)
    detail = client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert "Reply to the pre-penalty notice" in detail
    assert "USD 15,000.00" in detail
    empty = client.post(f"/portal/cases/{case.pk}/reply/", {"text": ""})
    assert "Write your reply." in empty.content.decode()
    disguised = SimpleUploadedFile("reply.pdf", b"MZ\x90\x00not a pdf", "application/pdf")
    refused = client.post(
        f"/portal/cases/{case.pk}/reply/", {"text": "See attached.", "documents": [disguised]}
    )
    assert refused.status_code == 200
    assert "reply.pdf" in refused.content.decode()
    assert not PrepenaltyReply.objects.exists()
    sent = client.post(
        f"/portal/cases/{case.pk}/reply/",
        {"text": "The values were declared correctly.", "documents": [pdf("invoices.pdf")]},
    )
    assert sent.status_code == 302
    reply = PrepenaltyReply.objects.get()
    assert reply.documents.get().original_name == "invoices.pdf"
    officer_client = Client()
    staff_login(officer_client, world["staff"])
    admin = officer_client.get(f"/admin/enforcement/case/{case.pk}/change/").content.decode()
    assert "The values were declared correctly." in admin
    assert "invoices.pdf" in admin
    assert "Record the determination on the reply" in admin
    assert "{&#x27;" not in admin


def test_another_shipper_cannot_open_the_reply_page(world, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["stranger"])
    assert client.get(f"/portal/cases/{world['case'].pk}/reply/").status_code == 404
    assert client.post(f"/portal/cases/{world['case'].pk}/reply/", {"text": "x"}).status_code == 404
    assert not PrepenaltyReply.objects.exists()


def test_the_penalty_notice_form_is_prefilled_with_the_proposed_amount(  # type: ignore[no-untyped-def]
    world, client: Client
) -> None:
    staff, case = world["staff"], world["case"]
    move_deadline(case, D.PREPENALTY_RESPONSE, yesterday())
    services.case_record_reply_determination(
        actor=staff, case=case, outcome="penalty_warranted", determination="No reply."
    )
    staff_login(client, staff)
    page = client.get(f"/admin/enforcement/case/{case.pk}/act/issue_penalty_notice/")
    assert 'value="15000.00"' in page.content.decode()
