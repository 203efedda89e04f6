"""The application lifecycle, declared for `core.workflow`.

    draft -> submitted -> vetting -> under review -> approved | rejected
    under review <-> information requested (information requested -> rejected too)
    approved / reinstated -> suspended -> reinstated | revoked
    approved / reinstated -> revoked | expired; suspended -> expired
    draft / submitted -> withdrawn

Statuses change only through `shippers.services`, which locks the row, applies a
transition of `APPLICATION` and records the `core.AuditEvent` in the same transaction.
Pages ask `APPLICATION.allowed` / `APPLICATION.can` which buttons to show.

The four-eyes approval of a high-risk application is an `ApprovalProposal`, with its own
small machine (`PROPOSAL`): proposed -> confirmed | withdrawn; a request for information
has `REQUEST_FOR_INFORMATION`: open -> answered | withdrawn.
"""

from __future__ import annotations

from django.db import models

from core.workflow import STAFF_ACTORS, ActorKind, StateMachine, transition


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    VETTING = "vetting", "Vetting"
    UNDER_REVIEW = "under_review", "Under review"
    INFORMATION_REQUESTED = "information_requested", "Information requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUSPENDED = "suspended", "Suspended"
    REINSTATED = "reinstated", "Reinstated"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Awaiting answer"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting a supervisor"
    CONFIRMED = "confirmed", "Confirmed"
    WITHDRAWN = "withdrawn", "Withdrawn"


S = ApplicationStatus
SHIPPER, SYSTEM, SUPERVISOR = ActorKind.SHIPPER, ActorKind.SYSTEM, ActorKind.SUPERVISOR
STAFF = STAFF_ACTORS
STANDING = {S.APPROVED, S.REINSTATED, S.SUSPENDED}

APPLICATION = StateMachine(
    noun="application",
    describe=lambda application: f"application {application.reference}",
    refusal_object="an application",
    transitions=[
        transition("submit", {S.DRAFT}, S.SUBMITTED, {SHIPPER}, "Submit"),
        transition("withdraw", {S.DRAFT, S.SUBMITTED}, S.WITHDRAWN, {SHIPPER}, "Withdraw"),
        transition("start_vetting", {S.SUBMITTED}, S.VETTING, {SYSTEM}, "Start vetting"),
        transition("complete_vetting", {S.VETTING}, S.UNDER_REVIEW, {SYSTEM}, "Vetting finished"),
        transition(
            "request_information",
            {S.UNDER_REVIEW, S.INFORMATION_REQUESTED},
            S.INFORMATION_REQUESTED,
            STAFF,
            "Request information",
        ),
        transition(
            "resume_review",
            {S.INFORMATION_REQUESTED},
            S.UNDER_REVIEW,
            {SHIPPER, *STAFF, SYSTEM},
            "Resume review",
        ),
        transition("approve", {S.UNDER_REVIEW}, S.APPROVED, STAFF, "Approve"),
        transition(
            "reject", {S.UNDER_REVIEW, S.INFORMATION_REQUESTED}, S.REJECTED, STAFF, "Reject"
        ),
        transition("suspend", {S.APPROVED, S.REINSTATED}, S.SUSPENDED, {*STAFF, SYSTEM}, "Suspend"),
        transition("reinstate", {S.SUSPENDED}, S.REINSTATED, STAFF, "Reinstate"),
        transition("revoke", set(STANDING), S.REVOKED, STAFF, "Revoke"),
        transition(
            "expire", {S.APPROVED, S.REINSTATED, S.SUSPENDED}, S.EXPIRED, {SYSTEM}, "Expire"
        ),
    ],
)

PROPOSAL = StateMachine(
    noun="approval proposal",
    describe=lambda proposal: (
        f"the approval proposed for application {proposal.application.reference}"
    ),
    refusal_object="an approval proposal",
    transitions=[
        transition(
            "confirm", {ProposalStatus.PROPOSED}, ProposalStatus.CONFIRMED, {SUPERVISOR}, "Confirm"
        ),
        transition(
            "withdraw",
            {ProposalStatus.PROPOSED},
            ProposalStatus.WITHDRAWN,
            {*STAFF, SYSTEM},
            "Withdraw",
        ),
    ],
)

# A request for information: the shipper answers it (or an officer withdraws it).
REQUEST_FOR_INFORMATION = StateMachine(
    noun="request for information",
    describe=lambda request: f"the request on {request.application.reference}",
    refusal_object="a request for information",
    transitions=[
        transition("answer", {RequestStatus.OPEN}, RequestStatus.ANSWERED, {SHIPPER}, "Answer"),
        transition(
            "withdraw", {RequestStatus.OPEN}, RequestStatus.WITHDRAWN, {*STAFF, SYSTEM}, "Withdraw"
        ),
    ],
)

# Statuses in which the organisation holds known-shipper standing (a valid certificate).
ACTIVE_STATUSES = frozenset({S.APPROVED, S.REINSTATED})
# Active or suspended: the application that carries the organisation's standing.
STANDING_STATUSES = frozenset(STANDING)
# Statuses of an application still being worked on (at most one per organisation).
OPEN_STATUSES = frozenset(
    {S.DRAFT, S.SUBMITTED, S.VETTING, S.UNDER_REVIEW, S.INFORMATION_REQUESTED}
)
# Statuses while officers review: the shipper cannot change the file.
LOCKED_STATUSES = frozenset({S.SUBMITTED, S.VETTING, S.UNDER_REVIEW})
# Statuses in which the shipper may change its profile and documents.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.INFORMATION_REQUESTED})
FINAL_STATUSES = frozenset({S.REJECTED, S.REVOKED, S.EXPIRED, S.WITHDRAWN})
