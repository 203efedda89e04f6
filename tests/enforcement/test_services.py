"""The case's whole path through the service functions: every transition, its event and the
deadline it starts; supervisor approval; late petitions; payments."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from core.workflow import TransitionNotAllowed
from enforcement import services
from enforcement.models import (
    Case,
    CaseDocument,
    Deadline,
    DeadlineExtension,
    Notice,
    Payment,
    PenaltyNoticeApproval,
    Petition,
)
from tests.accounts.factories import UserFactory
from tests.enforcement.factories import (
    case_at,
    events,
    move_deadline,
    officer,
    open_case,
    pdf,
    reply_period_ends,
    respondent,
    supervisor,
)
from tests.shippers.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = Case.Status
D = Deadline.Kind


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return officer()


@pytest.fixture
def member_and_organisation():  # type: ignore[no-untyped-def]
    return respondent()


def today():  # type: ignore[no-untyped-def]
    return timezone.localdate()


def test_opening_a_case_numbers_it_and_computes_the_limitations_date(staff) -> None:  # type: ignore[no-untyped-def]
    _, organisation = respondent()
    case = open_case(actor=staff, organisation=organisation)
    assert case.number == f"PC-{case.opened_at:%Y}-{case.pk:06d}"
    assert case.status == S.OPENED
    assert case.assigned_officer == staff
    assert case.limitations_date == case.violation_date.replace(year=case.violation_date.year + 5)
    assert case.entry_references == ["ABC-1234567-8", "HB 998877"]
    event = events(case).get()
    assert (event.action, event.actor, event.to_status) == ("case.opened", staff, S.OPENED)
    assert event.organisation_id == organisation.pk


def test_fraud_limitations_run_from_discovery(staff) -> None:  # type: ignore[no-untyped-def]
    discovery = today() - timedelta(days=30)
    case = open_case(actor=staff, culpability="fraud", discovery_date=discovery)
    assert case.limitations_date == discovery.replace(year=discovery.year + 5)


def test_a_case_needs_a_subject_and_a_culpability_and_nothing_is_half_written(staff) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=staff,
            violation_type="1592",
            summary="x",
            violation_date=today(),
        )
    assert set(error.value.message_dict) == {"culpability", "party_name"}
    assert not Case.objects.exists()


def test_only_officers_open_and_work_cases(staff) -> None:  # type: ignore[no-untyped-def]
    shipper, organisation = respondent()
    with pytest.raises(PermissionDenied):
        open_case(actor=shipper, organisation=organisation)
    case = open_case(actor=staff, organisation=organisation)
    for call in (
        lambda: services.case_start_investigation(actor=shipper, case=case),
        lambda: services.case_add_note(actor=shipper, case=case, text="x"),
        lambda: services.case_withdraw(actor=shipper, case=case, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_the_whole_path_with_events_deadlines_notices_and_mail(  # type: ignore[no-untyped-def]
    staff, django_capture_on_commit_callbacks
) -> None:
    member, organisation = respondent()
    colleague = MembershipFactory(organisation=organisation, role="member").user
    case = open_case(actor=staff, organisation=organisation)

    services.case_start_investigation(actor=staff, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        prepenalty = services.case_issue_prepenalty_notice(
            actor=staff, case=case, amount=Decimal("15000")
        )
    case.refresh_from_db()
    assert case.status == S.PREPENALTY_NOTICE
    reply = case.deadlines.get(kind=D.PREPENALTY_RESPONSE)
    assert reply.due_on == today() + timedelta(days=30)
    assert prepenalty.kind == Notice.Kind.PREPENALTY
    notice_mail = mail.outbox[-1]
    assert sorted(notice_mail.to) == sorted([member.email, colleague.email])
    assert "pre-penalty notice" in notice_mail.subject

    with pytest.raises(ValidationError, match=r"1592\(b\)\(2\)"):
        services.case_issue_penalty_notice(actor=staff, case=case, amount=Decimal("15000"))
    services.case_reply_to_prepenalty_notice(
        actor=member, case=case, text="The invoices were corrected.", uploads=[pdf("reply.pdf")]
    )
    services.case_record_reply_determination(
        actor=staff,
        case=case,
        outcome="penalty_warranted",
        determination="The corrections came after the entries.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.case_issue_penalty_notice(actor=staff, case=case, amount=Decimal("15000"))
    case.refresh_from_db()
    reply.refresh_from_db()
    assert reply.met_at is not None
    petition_deadline = case.deadlines.get(kind=D.PETITION)
    assert petition_deadline.due_on == today() + timedelta(days=60)
    assert "171.2(b)(2)" in petition_deadline.rule
    assert case.assessed_amount == Decimal("15000.00")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        petition = services.case_file_petition(
            actor=member,
            case=case,
            text="The undervaluation was a clerical error.",
            uploads=[pdf()],
        )
    case.refresh_from_db()
    assert case.status == S.PETITION_FILED
    petition_deadline.refresh_from_db()
    assert petition_deadline.met_at is not None
    assert petition.documents.get().visible_to_respondent
    # The assigned officer is told.
    assert [m.to for m in mail.outbox] == [[staff.email]]

    services.case_decide(
        actor=staff, case=case, amount=Decimal("8000"), reasoning="Mitigated: first violation."
    )
    case.refresh_from_db()
    assert case.status == S.DECIDED
    assert case.mitigated_amount == Decimal("8000.00")
    payment = case.deadlines.get(kind=D.PAYMENT, closed_at__isnull=True)
    assert payment.due_on == today() + timedelta(days=60)
    supplemental = case.deadlines.get(kind=D.SUPPLEMENTAL_PETITION)
    assert supplemental.due_on == today() + timedelta(days=60)

    services.case_file_supplemental_petition(
        actor=member, case=case, text="Please reconsider: we have new invoices."
    )
    case.refresh_from_db()
    assert case.status == S.SUPPLEMENTAL_PETITION
    payment.refresh_from_db()
    assert payment.closed_at is not None  # payment waits for the new decision
    with pytest.raises(ValidationError, match="already been filed"):
        services.case_file_supplemental_petition(actor=member, case=case, text="Again")

    services.case_decide(
        actor=staff, case=case, amount=Decimal("6000"), reasoning="Further mitigated."
    )
    case.refresh_from_db()
    assert case.status == S.DECIDED
    assert case.decisions.filter(is_supplemental=True).count() == 1
    # A decision on a supplemental petition is final: no new supplemental period.
    assert case.deadlines.filter(kind=D.SUPPLEMENTAL_PETITION).count() == 1
    with pytest.raises(ValidationError, match="already been filed"):
        services.case_file_supplemental_petition(actor=member, case=case, text="Third try")

    reported = services.case_record_payment(
        actor=member, case=case, amount="6000", reference="BANK-REF-1", paid_on=today()
    )
    assert reported.status == Payment.Status.REPORTED
    case.refresh_from_db()
    assert case.status == S.DECIDED  # not paid until the officer confirms
    services.case_review_payment(actor=staff, payment=reported, received=True)
    case.refresh_from_db()
    assert case.status == S.PAID
    assert case.collected_amount == Decimal("6000.00")
    services.case_close(actor=staff, case=case, reason="Paid in full.")
    case.refresh_from_db()
    assert case.status == S.CLOSED

    path = [(e.from_status, e.to_status) for e in events(case) if e.to_status]
    assert path == [
        ("", S.OPENED),
        (S.OPENED, S.INVESTIGATING),
        (S.INVESTIGATING, S.PREPENALTY_NOTICE),
        (S.PREPENALTY_NOTICE, S.PENALTY_NOTICE),
        (S.PENALTY_NOTICE, S.PETITION_FILED),
        (S.PETITION_FILED, S.DECIDED),
        (S.DECIDED, S.SUPPLEMENTAL_PETITION),
        (S.SUPPLEMENTAL_PETITION, S.DECIDED),
        (S.DECIDED, S.PAID),
        (S.PAID, S.CLOSED),
    ]
    actors = {e.action: e.actor_id for e in events(case) if e.to_status}
    assert actors["case.file_petition"] == member.pk
    assert actors["case.decide"] == staff.pk
    assert list(case.notices.values_list("kind", flat=True)) == [
        "prepenalty",
        "penalty",
        "decision",
        "decision",
    ]


def test_prepenalty_reply_is_30_days_and_cannot_be_shortened_far_from_limitations(staff) -> None:  # type: ignore[no-untyped-def]
    case = open_case(actor=staff)
    services.case_start_investigation(actor=staff, case=case)
    with pytest.raises(ValidationError, match="less than a year remains"):
        services.case_issue_prepenalty_notice(
            actor=staff, case=case, amount="15000", response_days=10
        )
    case.refresh_from_db()
    assert case.status == S.INVESTIGATING
    assert not case.notices.exists()


def test_prepenalty_reply_shortened_to_not_less_than_7_days_near_limitations(staff) -> None:  # type: ignore[no-untyped-def]
    # The violation was 5 years less 100 days ago: 100 days remain before 19 USC 1621 runs.
    violation = today().replace(year=today().year - 5) + timedelta(days=100)
    case = open_case(actor=staff, violation_date=violation)
    assert (case.limitations_date - today()).days == 100
    services.case_start_investigation(actor=staff, case=case)
    with pytest.raises(ValidationError, match="shorter than 7 days"):
        services.case_issue_prepenalty_notice(
            actor=staff, case=case, amount="15000", response_days=6
        )
    services.case_issue_prepenalty_notice(actor=staff, case=case, amount="15000", response_days=7)
    deadline = case.deadlines.get(kind=D.PREPENALTY_RESPONSE)
    assert deadline.due_on == today() + timedelta(days=7)
    assert "shortened from 30" in deadline.rule


def test_1592_penalty_notice_must_follow_a_prepenalty_notice(staff) -> None:  # type: ignore[no-untyped-def]
    case = case_at("investigating", actor=staff, organisation=None)
    with pytest.raises(
        ValidationError, match=r"follows a pre-penalty notice \(19 USC 1592\(b\)\(1\)\(A\)\)"
    ):
        services.case_issue_penalty_notice(actor=staff, case=case, amount="15000")


def test_seizure_case_petition_is_due_in_30_days(staff) -> None:  # type: ignore[no-untyped-def]
    case = open_case(
        actor=staff,
        violation_type="1526f",
        facts={"msrp_genuine": Decimal("30000"), "involves_seizure": True},
    )
    services.case_start_investigation(actor=staff, case=case)
    services.case_issue_penalty_notice(
        actor=staff, case=case, amount="30000", departure_reason="First seizure; full MSRP."
    )
    deadline = case.deadlines.get(kind=D.PETITION)
    assert deadline.due_on == today() + timedelta(days=30)
    assert "seizure" in deadline.rule


def test_amount_never_above_the_statutory_maximum_and_outside_range_needs_a_reason(staff) -> None:  # type: ignore[no-untyped-def]
    case = case_at("investigating", actor=staff, organisation=None)
    # Negligence: loss 10,000, domestic value 150,000: maximum 20,000, range 5,000-20,000.
    with pytest.raises(ValidationError, match="exceeds the statutory maximum"):
        services.case_propose_amount(
            actor=staff, case=case, amount="20000.01", departure_reason="Aggravated."
        )
    with pytest.raises(ValidationError, match="outside the mitigation range"):
        services.case_propose_amount(actor=staff, case=case, amount="1000")
    services.case_propose_amount(
        actor=staff, case=case, amount="1000", departure_reason="Full cooperation."
    )
    case.refresh_from_db()
    assert case.proposed_amount == Decimal("1000.00")
    assert case.departure_reason == "Full cooperation."
    event = events(case).get(action="case.amount_proposed")
    assert event.detail["calculation"]["statutory_maximum"] == "20000.00"
    assert event.internal


def test_withdraw_and_cancel_need_a_reason_and_end_every_deadline(staff) -> None:  # type: ignore[no-untyped-def]
    case = case_at("penalty", actor=staff, organisation=None)
    with pytest.raises(ValidationError):
        services.case_withdraw(actor=staff, case=case, reason=" ")
    services.case_withdraw(actor=staff, case=case, reason="Evidence insufficient.")
    case.refresh_from_db()
    assert case.status == S.WITHDRAWN
    assert not case.deadlines.open().exists()
    assert events(case).get(action="case.withdraw").reason == "Evidence insufficient."
    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_cancel(actor=staff, case=case, reason="Twice")
    assert str(refused.value) == (
        f"Cannot cancel on case {case.number}: it is now withdrawn. It may have been changed "
        "by someone else; reload to see its current state."
    )

    other = case_at("investigating", actor=staff, organisation=None)
    services.case_cancel(actor=staff, case=other, reason="Opened in error.")
    other.refresh_from_db()
    assert other.status == S.CANCELLED


def test_refer_for_collection_then_close(staff) -> None:  # type: ignore[no-untyped-def]
    case = case_at("decided", actor=staff, organisation=None)
    services.case_refer_for_collection(actor=staff, case=case, reason="Unpaid.")
    case.refresh_from_db()
    assert case.status == S.REFERRED_FOR_COLLECTION
    services.case_record_payment(
        actor=staff, case=case, amount="8000", reference="TREASURY-1", paid_on=today()
    )
    case.refresh_from_db()
    assert case.status == S.PAID
    assert case.payments.get().status == Payment.Status.CONFIRMED


def test_late_petition_is_refused_and_nothing_is_written(staff) -> None:  # type: ignore[no-untyped-def]
    member, organisation = respondent()
    case = case_at("penalty", actor=staff, organisation=organisation)
    move_deadline(case, D.PETITION, today() - timedelta(days=1))
    with pytest.raises(ValidationError, match=r"was due by .* contact the officer"):
        services.case_file_petition(actor=member, case=case, text="Too late", uploads=[pdf()])
    case.refresh_from_db()
    assert case.status == S.PENALTY_NOTICE
    assert not Petition.objects.exists()
    assert not CaseDocument.objects.exists()


def test_petition_on_the_last_day_is_accepted(staff) -> None:  # type: ignore[no-untyped-def]
    member, organisation = respondent()
    case = case_at("penalty", actor=staff, organisation=organisation)
    move_deadline(case, D.PETITION, today())
    services.case_file_petition(actor=member, case=case, text="Just in time")
    case.refresh_from_db()
    assert case.status == S.PETITION_FILED


def test_an_extension_is_recorded_and_reopens_the_window(staff) -> None:  # type: ignore[no-untyped-def]
    member, organisation = respondent()
    case = case_at("penalty", actor=staff, organisation=organisation)
    deadline = move_deadline(case, D.PETITION, today() - timedelta(days=1))
    with pytest.raises(ValidationError):
        services.case_extend_deadline(
            actor=staff, deadline=deadline, new_due_on=today() - timedelta(days=1), reason="x"
        )
    services.case_extend_deadline(
        actor=staff,
        deadline=deadline,
        new_due_on=today() + timedelta(days=14),
        reason="Counsel newly retained.",
    )
    extension = DeadlineExtension.objects.get()
    assert extension.previous_due_on == today() - timedelta(days=1)
    assert extension.granted_by == staff
    event = events(case).get(action="case.deadline_extended")
    assert not event.internal
    services.case_file_petition(actor=member, case=case, text="Thank you for the extension")
    case.refresh_from_db()
    assert case.status == S.PETITION_FILED


def test_another_shipper_cannot_petition_pay_or_see_an_unnotified_case(staff) -> None:  # type: ignore[no-untyped-def]
    member, organisation = respondent()
    stranger, _ = respondent()
    case = case_at("penalty", actor=staff, organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.case_file_petition(actor=stranger, case=case, text="Not mine")
    with pytest.raises(PermissionDenied):
        services.case_record_payment(
            actor=stranger, case=case, amount="1", reference="x", paid_on=today()
        )
    hidden = case_at("investigating", actor=staff, organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.case_record_payment(
            actor=member, case=hidden, amount="1", reference="x", paid_on=today()
        )


# -- supervisor approval ------------------------------------------------------------------------

BIG_FACTS = {"loss_of_revenue": Decimal("40000"), "domestic_value": Decimal("500000")}


def big_case_at_prepenalty(staff):  # type: ignore[no-untyped-def]
    # Negligence, loss 40,000: maximum 2 x 40,000 = 80,000; range 20,000-80,000.
    case = open_case(actor=staff, facts=BIG_FACTS)
    services.case_start_investigation(actor=staff, case=case)
    services.case_issue_prepenalty_notice(actor=staff, case=case, amount="60000")
    reply_period_ends(case, actor=staff)
    return Case.objects.get(pk=case.pk)


def test_a_large_penalty_notice_waits_for_a_supervisor(  # type: ignore[no-untyped-def]
    staff, django_capture_on_commit_callbacks
) -> None:
    boss = supervisor()
    case = big_case_at_prepenalty(staff)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.case_issue_penalty_notice(actor=staff, case=case, amount="60000")
    assert isinstance(request, PenaltyNoticeApproval)
    assert boss.email in mail.outbox[-1].to
    case.refresh_from_db()
    assert case.status == S.PREPENALTY_NOTICE
    assert not case.notices.filter(kind="penalty").exists()
    with pytest.raises(ValidationError, match="already awaiting approval"):
        services.case_issue_penalty_notice(actor=staff, case=case, amount="60000")
    with pytest.raises(PermissionDenied):
        services.case_approve_penalty_notice(actor=officer(), approval=request)

    notice = services.case_approve_penalty_notice(actor=boss, approval=request)
    case.refresh_from_db()
    assert case.status == S.PENALTY_NOTICE
    assert notice.amount == Decimal("60000.00")
    event = events(case).get(action="case.issue_penalty_notice")
    assert event.actor == boss
    assert event.detail["requested_by"] == staff.email
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", boss)
    with pytest.raises(ValidationError, match="already been decided"):
        services.case_approve_penalty_notice(actor=boss, approval=request)


def test_a_supervisor_cannot_approve_their_own_request(staff) -> None:  # type: ignore[no-untyped-def]
    boss = supervisor()
    case = big_case_at_prepenalty(staff)
    request = services.case_issue_penalty_notice(actor=staff, case=case, amount="60000")
    # A supervisor requesting is not possible (they issue directly), so simulate a requester
    # who became a supervisor later.
    PenaltyNoticeApproval.objects.filter(pk=request.pk).update(requested_by=boss)
    request.refresh_from_db()
    with pytest.raises(PermissionDenied, match="second person"):
        services.case_approve_penalty_notice(actor=boss, approval=request)


def test_a_supervisor_rejects_and_the_case_stays(staff) -> None:  # type: ignore[no-untyped-def]
    boss = supervisor()
    case = big_case_at_prepenalty(staff)
    request = services.case_issue_penalty_notice(actor=staff, case=case, amount="60000")
    services.case_reject_penalty_notice(actor=boss, approval=request, reason="Use the range.")
    case.refresh_from_db()
    assert case.status == S.PREPENALTY_NOTICE
    assert events(case).filter(action="case.penalty_notice_approval_rejected").exists()
    # The officer may now ask again (or issue below the threshold).
    services.case_issue_penalty_notice(actor=staff, case=case, amount="45000")
    case.refresh_from_db()
    assert case.status == S.PENALTY_NOTICE


def test_a_supervisor_issues_a_large_notice_directly_and_the_threshold_is_a_setting(  # type: ignore[no-untyped-def]
    staff, settings
) -> None:
    case = big_case_at_prepenalty(staff)
    assert isinstance(
        services.case_issue_penalty_notice(actor=supervisor(), case=case, amount="60000"), Notice
    )
    settings.ENFORCEMENT_SUPERVISOR_APPROVAL_ABOVE = "100000"
    other = big_case_at_prepenalty(staff)
    assert isinstance(
        services.case_issue_penalty_notice(actor=staff, case=other, amount="60000"), Notice
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_deciding_at_once_one_wins() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    first, second = officer(), UserFactory(roles=["officer"])
    case = case_at("penalty", actor=first, organisation=None)
    outcomes: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def act(name: str, action) -> None:  # type: ignore[no-untyped-def]
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
            target=act,
            args=(
                "decide",
                lambda: services.case_decide(
                    actor=first, case=case, amount="8000", reasoning="Decided."
                ),
            ),
        ),
        threading.Thread(
            target=act,
            args=(
                "second",
                lambda: services.case_decide(
                    actor=second, case=case, amount="9000", reasoning="Also decided."
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert list(outcomes.values()).count("ok") == 1
    assert "changed by someone else" in next(v for v in outcomes.values() if v != "ok")
    case.refresh_from_db()
    assert events(case).filter(action="case.decide").count() == 1
    assert case.decisions.count() == 1


def test_closing_with_an_amount_still_due_needs_a_reason(staff) -> None:  # type: ignore[no-untyped-def]
    case = case_at("decided", actor=staff, organisation=None)
    with pytest.raises(ValidationError, match="still due"):
        services.case_close(actor=staff, case=case)
    services.case_close(actor=staff, case=case, reason="Compromise accepted by counsel.")
    case.refresh_from_db()
    assert case.status == S.CLOSED


def test_an_extension_is_mailed_to_the_respondent(  # type: ignore[no-untyped-def]
    staff, django_capture_on_commit_callbacks
) -> None:
    member, organisation = respondent()
    case = case_at("penalty", actor=staff, organisation=organisation)
    deadline = case.deadlines.get(kind=D.PETITION)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_extend_deadline(
            actor=staff,
            deadline=deadline,
            new_due_on=deadline.due_on + timedelta(days=30),
            reason="Translation of documents.",
        )
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "extended" in mail.outbox[0].subject
