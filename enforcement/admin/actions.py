"""The officer's actions on one case: a small form per action, each calling one service.
Buttons appear when the case's state machine (or the service's own rule) allows them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.core.exceptions import ValidationError

from accounts.models import User
from core.workflow import ActorKind
from enforcement import forms, services
from enforcement.models import Case, PenaltyNoticeApproval
from enforcement.services.notices import penalty_notice_refusal
from enforcement.services.payments import PAYABLE_STATUSES
from enforcement.workflow import CASE, FINAL_STATUSES

S = Case.Status


@dataclass(frozen=True)
class OfficerAction:
    label: str
    form_class: type[django_forms.BaseForm]
    run: Callable[[User, Case, dict[str, Any]], Any]
    available: Callable[[Case, ActorKind], bool]
    done: str
    danger: bool = False
    files: bool = False
    initial: Callable[[Case], dict[str, Any]] | None = None


def _transition_available(name: str) -> Callable[[Case, ActorKind], bool]:
    def check(case: Case, actor: ActorKind) -> bool:
        return CASE.can(case, name, actor)

    return check


def _penalty_notice_available(case: Case, actor: ActorKind) -> bool:
    if penalty_notice_refusal(case):
        return False
    pending = case.approval_requests.filter(status=PenaltyNoticeApproval.Status.PENDING)
    return CASE.can(case, "issue_penalty_notice", actor) and not pending.exists()


def _determination_available(case: Case, actor: ActorKind) -> bool:
    return not services.determination_refusal(case=case)


def _proposed(case: Case) -> dict[str, Any]:
    """The penalty notice starts from the amount proposed in the pre-penalty notice."""
    return {"amount": case.proposed_amount, "departure_reason": case.departure_reason}


def _not_finished(case: Case, actor: ActorKind) -> bool:
    return case.status not in FINAL_STATUSES


def _always(case: Case, actor: ActorKind) -> bool:
    return True


def _issue_penalty(user: User, case: Case, data: dict[str, Any]) -> Any:
    return services.case_issue_penalty_notice(
        actor=user,
        case=case,
        amount=data["amount"],
        departure_reason=data["departure_reason"],
        prepenalty_exception=data["prepenalty_exception"],
        without_prepenalty_reason=data["without_prepenalty_reason"],
        petition_days=data["petition_days"],
        petition_period_reason=data["petition_period_reason"],
    )


def _relate(user: User, case: Case, data: dict[str, Any]) -> None:
    other = Case.objects.filter(number__iexact=data["number"].strip()).first()
    if other is None:
        raise ValidationError({"number": "No case has this number."})
    services.case_relate(actor=user, case=case, other=other)


ACTIONS: dict[str, OfficerAction] = {
    "start_investigation": OfficerAction(
        "Start the investigation",
        forms.OptionalReasonForm,
        lambda u, c, d: services.case_start_investigation(actor=u, case=c, reason=d["reason"]),
        _transition_available("start_investigation"),
        "The investigation has started.",
    ),
    "propose": OfficerAction(
        "Propose an amount",
        forms.AmountForm,
        lambda u, c, d: services.case_propose_amount(
            actor=u, case=c, amount=d["amount"], departure_reason=d["departure_reason"]
        ),
        lambda c, a: c.status in {S.OPENED, S.INVESTIGATING, S.PREPENALTY_NOTICE},
        "The amount is proposed.",
    ),
    "issue_prepenalty_notice": OfficerAction(
        "Issue the pre-penalty notice",
        forms.PrepenaltyNoticeForm,
        lambda u, c, d: services.case_issue_prepenalty_notice(
            actor=u,
            case=c,
            amount=d["amount"],
            departure_reason=d["departure_reason"],
            response_days=d["response_days"],
        ),
        _transition_available("issue_prepenalty_notice"),
        "The pre-penalty notice was issued and sent.",
    ),
    "reply_determination": OfficerAction(
        "Record the determination on the reply",
        forms.ReplyDeterminationForm,
        lambda u, c, d: services.case_record_reply_determination(
            actor=u, case=c, outcome=d["outcome"], determination=d["determination"]
        ),
        _determination_available,
        "The determination is recorded.",
    ),
    "issue_penalty_notice": OfficerAction(
        "Issue the penalty notice",
        forms.PenaltyNoticeForm,
        _issue_penalty,
        _penalty_notice_available,
        "Done.",
        initial=_proposed,
    ),
    "decide": OfficerAction(
        "Decide",
        forms.DecisionForm,
        lambda u, c, d: services.case_decide(
            actor=u,
            case=c,
            amount=d["amount"],
            reasoning=d["reasoning"],
            culpability=d["culpability"] or None,
            departure_reason=d["departure_reason"],
            payment_days=d["payment_days"],
        ),
        _transition_available("decide"),
        "The decision was issued and sent.",
    ),
    "record_payment": OfficerAction(
        "Record a payment received",
        forms.OfficerPaymentForm,
        lambda u, c, d: services.case_record_payment(
            actor=u, case=c, amount=d["amount"], reference=d["reference"], paid_on=d["paid_on"]
        ),
        lambda c, a: c.status in PAYABLE_STATUSES,
        "The payment is recorded.",
    ),
    "close": OfficerAction(
        "Close",
        forms.OptionalReasonForm,
        lambda u, c, d: services.case_close(actor=u, case=c, reason=d["reason"]),
        _transition_available("close"),
        "The case is closed.",
    ),
    "refer_for_collection": OfficerAction(
        "Refer for collection",
        forms.ReasonForm,
        lambda u, c, d: services.case_refer_for_collection(actor=u, case=c, reason=d["reason"]),
        _transition_available("refer_for_collection"),
        "The case is referred for collection.",
    ),
    "withdraw": OfficerAction(
        "Withdraw",
        forms.ReasonForm,
        lambda u, c, d: services.case_withdraw(actor=u, case=c, reason=d["reason"]),
        _transition_available("withdraw"),
        "The case is withdrawn.",
        danger=True,
    ),
    "cancel": OfficerAction(
        "Cancel",
        forms.ReasonForm,
        lambda u, c, d: services.case_cancel(actor=u, case=c, reason=d["reason"]),
        _transition_available("cancel"),
        "The case is cancelled.",
        danger=True,
    ),
    "reinstate": OfficerAction(
        "Reinstate known-shipper status",
        forms.ReasonForm,
        lambda u, c, d: services.case_reinstate_shipper(actor=u, case=c, reason=d["reason"]),
        lambda c, a: services.can_reinstate_shipper(case=c),
        "The organisation's known-shipper status is reinstated.",
    ),
    "assign": OfficerAction(
        "Assign",
        forms.AssignForm,
        lambda u, c, d: services.case_assign(actor=u, case=c, officer=d["officer"]),
        _always,
        "The case is assigned.",
    ),
    "note": OfficerAction(
        "Add an internal note",
        forms.NoteForm,
        lambda u, c, d: services.case_add_note(actor=u, case=c, text=d["text"]),
        _always,
        "The note is added.",
    ),
    "evidence": OfficerAction(
        "Add evidence or a document",
        forms.EvidenceForm,
        lambda u, c, d: services.case_add_evidence(
            actor=u,
            case=c,
            upload=d["file"],
            description=d["description"],
            visible_to_respondent=d["visible_to_respondent"],
        ),
        _not_finished,
        "The document is stored.",
        files=True,
    ),
    "relate": OfficerAction(
        "Relate to another case", forms.RelateForm, _relate, _always, "The cases are related."
    ),
}
TRANSITION_ACTIONS = (
    "start_investigation",
    "propose",
    "issue_prepenalty_notice",
    "reply_determination",
    "issue_penalty_notice",
    "decide",
    "record_payment",
    "close",
    "refer_for_collection",
    "reinstate",
    "withdraw",
    "cancel",
)
