"""The penalty case lifecycle, and the two small ones inside it, as declared state machines
(`core.workflow`).

    opened -> investigating -> pre-penalty notice -> penalty notice -> petition filed
           -> decided -> (supplemental petition -> decided) -> paid -> closed
    investigating -> penalty notice (no pre-penalty notice outside 19 USC 1592)
    penalty notice -> decided (no petition) | paid (paid as assessed)
    decided -> referred for collection -> closed
    any open status -> withdrawn | cancelled (with a reason)

    approval of a large penalty notice: pending -> approved | rejected
        (also rejected when the case ends while it waits)
    payment: reported -> confirmed | not received

Statuses change only through `enforcement.services`, which applies a transition inside a
row lock and records the `core.AuditEvent` in the same transaction. Pages ask
`CASE.allowed` / `CASE.can` for their buttons; refusals are `core.workflow.TransitionNotAllowed`.
"""

from __future__ import annotations

from core.workflow import STAFF_ACTORS, ActorKind, StateMachine, transition
from enforcement.models import FINAL_CASE_STATUSES, Case, Payment, PenaltyNoticeApproval

S = Case.Status

FINAL_STATUSES = FINAL_CASE_STATUSES
OPEN_STATUSES = frozenset(set(S.values) - FINAL_STATUSES)

CASE = StateMachine(
    noun="case",
    describe=lambda case: f"on case {case.number}",
    refusal_object="on a case",
    transitions=[
        transition(
            "start_investigation",
            {S.OPENED},
            S.INVESTIGATING,
            STAFF_ACTORS,
            "Start the investigation",
        ),
        transition(
            "issue_prepenalty_notice",
            {S.INVESTIGATING},
            S.PREPENALTY_NOTICE,
            STAFF_ACTORS,
            "Issue the pre-penalty notice",
        ),
        transition(
            "issue_penalty_notice",
            {S.INVESTIGATING, S.PREPENALTY_NOTICE},
            S.PENALTY_NOTICE,
            STAFF_ACTORS,
            "Issue the penalty notice",
        ),
        transition(
            "file_petition",
            {S.PENALTY_NOTICE},
            S.PETITION_FILED,
            {ActorKind.RESPONDENT},
            "File a petition",
        ),
        transition(
            "decide",
            {S.PENALTY_NOTICE, S.PETITION_FILED, S.SUPPLEMENTAL_PETITION},
            S.DECIDED,
            STAFF_ACTORS,
            "Decide",
        ),
        transition(
            "file_supplemental_petition",
            {S.DECIDED},
            S.SUPPLEMENTAL_PETITION,
            {ActorKind.RESPONDENT},
            "File a supplemental petition",
        ),
        transition(
            "mark_paid",
            {S.PENALTY_NOTICE, S.DECIDED, S.REFERRED_FOR_COLLECTION},
            S.PAID,
            STAFF_ACTORS,
            "Mark as paid",
        ),
        transition(
            "close",
            {S.PAID, S.DECIDED, S.REFERRED_FOR_COLLECTION},
            S.CLOSED,
            STAFF_ACTORS,
            "Close",
        ),
        transition(
            "refer_for_collection",
            {S.DECIDED},
            S.REFERRED_FOR_COLLECTION,
            STAFF_ACTORS,
            "Refer for collection",
        ),
        transition("withdraw", OPEN_STATUSES, S.WITHDRAWN, STAFF_ACTORS, "Withdraw"),
        transition("cancel", OPEN_STATUSES, S.CANCELLED, STAFF_ACTORS, "Cancel"),
    ],
)

_A = PenaltyNoticeApproval.Status

APPROVAL = StateMachine(
    noun="approval request",
    describe=lambda approval: f"the approval request on case {approval.case.number}",
    refusal_object="an approval request",
    transitions=[
        # Who may approve is a permission (`approve_large_penalty`), checked by the service.
        transition("approve", {_A.PENDING}, _A.APPROVED, STAFF_ACTORS, "Approve"),
        transition("reject", {_A.PENDING}, _A.REJECTED, STAFF_ACTORS, "Reject"),
        # The case ended (withdrawn, cancelled, closed) while the request waited.
        transition("lapse", {_A.PENDING}, _A.REJECTED, STAFF_ACTORS, "Close with the case"),
    ],
)

_P = Payment.Status

PAYMENT = StateMachine(
    noun="payment",
    describe=lambda payment: f"payment {payment.reference}",
    refusal_object="a payment",
    transitions=[
        transition("confirm", {_P.REPORTED}, _P.CONFIRMED, STAFF_ACTORS, "Confirm"),
        transition(
            "mark_not_received", {_P.REPORTED}, _P.REJECTED, STAFF_ACTORS, "Record as not received"
        ),
    ],
)
