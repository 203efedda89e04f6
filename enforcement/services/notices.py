"""The pre-penalty and penalty notices: each issued once, rendered and stored as issued, with
the deadline it starts. A penalty notice above the approval amount waits for a supervisor
(`enforcement.services.approvals`)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.workflow import ActorKind
from enforcement import notifications
from enforcement.calculator import PenaltyCalculation
from enforcement.deadlines import (
    ComputedDeadline,
    DeadlineError,
    petition_due,
    prepenalty_response_due,
)
from enforcement.events import AuditAction
from enforcement.models import (
    Case,
    Deadline,
    Notice,
    PenaltyNoticeApproval,
    PrepenaltyException,
    ReplyOutcome,
    ViolationType,
)
from enforcement.notices import notice_create
from enforcement.services._common import (
    PETITION_DAYS,
    PETITION_LONGEST_DAYS,
    PETITION_MINIMUM_WORKING_DAYS,
    PETITION_SHORTENING_WINDOW_DAYS,
    PREPENALTY_EXCEPTION_CLAIM_MAX,
    PREPENALTY_MINIMUM_DAYS,
    PREPENALTY_RESPONSE_DAYS,
    PREPENALTY_SHORTENING_WINDOW_DAYS,
    SEIZURE_PETITION_DAYS,
    approval_threshold,
    calculation_of,
    check_amount,
    end_deadlines,
    figure,
    locked,
    money,
    officer_kind,
    open_deadline,
    record,
    transition,
)
from enforcement.workflow import CASE

S = Case.Status
D = Deadline.Kind


def notice_context(case: Case, calculation: PenaltyCalculation) -> dict[str, Any]:
    return {
        "calc": calculation,
        "entry_references": list(case.entry_references),
    }


def case_issue_prepenalty_notice(
    *,
    actor: User,
    case: Case,
    amount: Any = None,
    departure_reason: str = "",
    response_days: int | None = None,
) -> Notice:
    """Issue the pre-penalty notice (19 USC 1592(b)(1)) with the proposed amount; the reply
    is due in 30 days, or fewer (not under 7) when under a year remains before the statute of
    limitations."""
    actor_kind = officer_kind(actor)
    with transaction.atomic():
        case = locked(case)
        CASE.check(case, "issue_prepenalty_notice", actor_kind)
        if amount is None:
            if case.proposed_amount is None:
                raise ValidationError({"amount": "Propose an amount for the notice."})
            amount, departure_reason = case.proposed_amount, case.departure_reason
        amount = money(amount)
        calculation = calculation_of(case)
        check_amount(calculation, amount, departure_reason)
        today = timezone.localdate()
        try:
            due = prepenalty_response_due(
                issued_on=today,
                limitations_on=case.limitations_date,
                standard_days=figure(PREPENALTY_RESPONSE_DAYS, today),
                minimum_days=figure(PREPENALTY_MINIMUM_DAYS, today),
                shortening_window_days=figure(PREPENALTY_SHORTENING_WINDOW_DAYS, today),
                requested_days=response_days,
            )
        except DeadlineError as error:
            raise ValidationError({"response_days": str(error)}) from error
        case.proposed_amount = amount
        case.departure_reason = departure_reason.strip()
        case.first_notice_at = case.first_notice_at or timezone.now()
        case.save(update_fields=["proposed_amount", "departure_reason", "first_notice_at"])
        deadline = open_deadline(
            case, D.PREPENALTY_RESPONSE, starts_on=today, due_on=due.due_on, rule=due.rule
        )
        notice = notice_create(
            case=case,
            kind=Notice.Kind.PREPENALTY,
            issued_by=actor,
            amount=amount,
            calculation=calculation.as_json(),
            context={
                **notice_context(case, calculation),
                "deadline": deadline,
                "departure_reason": case.departure_reason,
            },
        )
        transition(
            case,
            "issue_prepenalty_notice",
            actor=actor,
            actor_kind=actor_kind,
            detail={
                "notice": notice.reference,
                "amount": amount,
                "reply_due": due.due_on,
                "rule": due.rule,
            },
        )
        transaction.on_commit(lambda: notifications.notice_issued(notice_id=notice.pk))
    return notice


def case_issue_penalty_notice(
    *,
    actor: User,
    case: Case,
    amount: Any,
    departure_reason: str = "",
    prepenalty_exception: str = "",
    without_prepenalty_reason: str = "",
    petition_days: int | None = None,
    petition_period_reason: str = "",
) -> Notice | PenaltyNoticeApproval:
    """Issue the penalty notice; above the approval amount an officer's notice waits for a
    supervisor (`case_approve_penalty_notice`) and this returns the approval request.

    After a pre-penalty notice it needs the officer's determination on the reply period
    (`case_record_reply_determination`). A 19 USC 1592 case without a pre-penalty notice needs
    `prepenalty_exception`, one of the two exceptions of 19 USC 1592(b)(1)(B) (a noncommercial
    importation, or a claim of USD 1,000 or less, which the amount must respect), and
    `without_prepenalty_reason`, the facts that make it apply. `petition_days` gives a period
    other than the standard one (19 CFR 171.2(c), (e)) with `petition_period_reason`."""
    actor_kind = officer_kind(actor)
    amount = money(amount)
    with transaction.atomic():
        case = locked(case)
        check_penalty_notice(
            case,
            actor_kind,
            amount,
            departure_reason,
            prepenalty_exception=prepenalty_exception,
            without_prepenalty_reason=without_prepenalty_reason,
        )
        petition_deadline(case, petition_days, petition_period_reason)
        if needs_prepenalty_exception(case):
            case.prepenalty_exception = prepenalty_exception
            case.prepenalty_waiver_reason = without_prepenalty_reason.strip()
            case.save(update_fields=["prepenalty_exception", "prepenalty_waiver_reason"])
        if amount > approval_threshold() and actor_kind != ActorKind.SUPERVISOR:
            if case.approval_requests.filter(status=PenaltyNoticeApproval.Status.PENDING).exists():
                raise ValidationError("A penalty notice on this case is already awaiting approval.")
            approval = PenaltyNoticeApproval.objects.create(
                case=case,
                amount=amount,
                departure_reason=departure_reason.strip(),
                petition_days=petition_days,
                petition_period_reason=petition_period_reason.strip(),
                requested_by=actor,
            )
            record(
                case,
                AuditAction.APPROVAL_REQUESTED,
                actor=actor,
                reason=departure_reason.strip(),
                detail={"amount": amount, "threshold": approval_threshold()},
                internal=True,
            )
            transaction.on_commit(lambda: notifications.approval_requested(approval_id=approval.pk))
            return approval
        return issue_penalty_notice(
            case,
            actor=actor,
            actor_kind=actor_kind,
            amount=amount,
            departure_reason=departure_reason,
            petition_days=petition_days,
            petition_period_reason=petition_period_reason,
        )


def penalty_notice_refusal(case: Case) -> str:
    """Why no penalty notice can follow the pre-penalty notice yet ("" when it can)."""
    if case.status != S.PREPENALTY_NOTICE:
        return ""
    if case.reply_considered_at is None:
        return (
            "The penalty notice follows only after the reply period ends or a reply is "
            "received, and the officer has recorded the determination on it (19 USC "
            "1592(b)(2); 19 CFR 162.79)."
        )
    if case.reply_outcome == ReplyOutcome.NO_VIOLATION:
        return "The determination found no violation: withdraw the case instead."
    return ""


def needs_prepenalty_exception(case: Case) -> bool:
    """A 19 USC 1592 penalty notice not preceded by a pre-penalty notice."""
    return (
        case.violation_type == ViolationType.SECTION_1592
        and case.status != S.PREPENALTY_NOTICE
        and not case.notices.filter(kind=Notice.Kind.PREPENALTY).exists()
    )


def check_prepenalty_exception(case: Case, amount: Decimal, exception: str, reason: str) -> None:
    """19 USC 1592(b)(1)(B): the pre-penalty notice is not required only if the importation is
    noncommercial in nature, or the penalty claim is USD 1,000 or less (also 19 CFR 162.77(b))."""
    if exception not in PrepenaltyException.values:
        raise ValidationError(
            {
                "prepenalty_exception": (
                    "A 19 USC 1592 penalty notice follows a pre-penalty notice (19 USC "
                    "1592(b)(1)(A)). To issue it without one, choose the exception of 19 USC "
                    "1592(b)(1)(B) that applies: a noncommercial importation, or a penalty "
                    "claim of USD 1,000 or less."
                )
            }
        )
    if not reason.strip():
        raise ValidationError(
            {
                "without_prepenalty_reason": (
                    "Record the facts that bring this case under the exception of 19 USC "
                    "1592(b)(1)(B)."
                )
            }
        )
    if exception == PrepenaltyException.CLAIM_1000_OR_LESS:
        ceiling = Decimal(figure(PREPENALTY_EXCEPTION_CLAIM_MAX, timezone.localdate()))
        if case.currency != "USD":
            raise ValidationError(
                {
                    "prepenalty_exception": (
                        f"The exception for a claim of USD {ceiling:,.0f} or less is stated "
                        f"in US dollars; this case is in {case.currency}: issue a pre-penalty "
                        "notice."
                    )
                }
            )
        if amount > ceiling:
            raise ValidationError(
                {
                    "prepenalty_exception": (
                        f"The claim of USD {amount:,.2f} is above USD {ceiling:,.0f}: the "
                        "exception of 19 USC 1592(b)(1)(B)(ii) does not apply; issue a "
                        "pre-penalty notice."
                    )
                }
            )


def check_penalty_notice(
    case: Case,
    actor_kind: ActorKind,
    amount: Decimal,
    departure_reason: str,
    *,
    prepenalty_exception: str = "",
    without_prepenalty_reason: str = "",
) -> PenaltyCalculation:
    CASE.check(case, "issue_penalty_notice", actor_kind)
    refusal = penalty_notice_refusal(case)
    if refusal:
        raise ValidationError(refusal)
    if needs_prepenalty_exception(case):
        check_prepenalty_exception(case, amount, prepenalty_exception, without_prepenalty_reason)
    calculation = calculation_of(case)
    check_amount(calculation, amount, departure_reason)
    return calculation


def petition_deadline(
    case: Case, requested_days: int | None, reason: str
) -> tuple[ComputedDeadline, str]:
    """The petition deadline a penalty notice issued today would start, checked."""
    today = timezone.localdate()
    days = figure(SEIZURE_PETITION_DAYS if case.involves_seizure else PETITION_DAYS, today)
    if requested_days is not None and requested_days != days and not reason.strip():
        raise ValidationError(
            {
                "petition_period_reason": "Give the reason for a petition period other than "
                f"{days} days."
            }
        )
    try:
        due = petition_due(
            issued_on=today,
            days=days,
            seizure=case.involves_seizure,
            limitations_on=case.limitations_date,
            requested_days=requested_days,
            minimum_working_days=figure(PETITION_MINIMUM_WORKING_DAYS, today),
            shortening_window_days=figure(PETITION_SHORTENING_WINDOW_DAYS, today),
            longest_days=figure(PETITION_LONGEST_DAYS, today),
        )
    except DeadlineError as error:
        raise ValidationError({"petition_days": str(error)}) from error
    return due, reason.strip() if requested_days not in (None, days) else ""


def issue_penalty_notice(
    case: Case,
    *,
    actor: User,
    actor_kind: ActorKind,
    amount: Decimal,
    departure_reason: str,
    petition_days: int | None = None,
    petition_period_reason: str = "",
    detail: Mapping[str, Any] | None = None,
) -> Notice:
    """Issue the notice on the locked case (its one event: the transition)."""
    calculation = calculation_of(case)
    today = timezone.localdate()
    due, period_reason = petition_deadline(case, petition_days, petition_period_reason)
    end_deadlines(case, [D.PREPENALTY_RESPONSE])
    case.assessed_amount = amount
    if departure_reason.strip():
        case.departure_reason = departure_reason.strip()
    case.first_notice_at = case.first_notice_at or timezone.now()
    case.save(update_fields=["assessed_amount", "departure_reason", "first_notice_at"])
    deadline = open_deadline(case, D.PETITION, starts_on=today, due_on=due.due_on, rule=due.rule)
    notice = notice_create(
        case=case,
        kind=Notice.Kind.PENALTY,
        issued_by=actor,
        amount=amount,
        calculation=calculation.as_json(),
        context={
            **notice_context(case, calculation),
            "deadline": deadline,
            "departure_reason": departure_reason.strip(),
        },
    )
    transition(
        case,
        "issue_penalty_notice",
        actor=actor,
        actor_kind=actor_kind,
        detail={
            "notice": notice.reference,
            "amount": amount,
            "petition_due": due.due_on,
            "rule": due.rule,
            **({"petition_period_reason": period_reason} if period_reason else {}),
            **(
                {
                    "prepenalty_exception": case.get_prepenalty_exception_display(),
                    "without_prepenalty_notice": case.prepenalty_waiver_reason,
                }
                if case.prepenalty_exception
                and not case.notices.filter(kind=Notice.Kind.PREPENALTY).exists()
                else {}
            ),
            **dict(detail or {}),
        },
    )
    transaction.on_commit(lambda: notifications.notice_issued(notice_id=notice.pk))
    return notice
