"""The application lifecycle as an explicit state machine.

    draft -> submitted -> vetting -> under review -> approved | rejected
    under review <-> information requested (information requested -> rejected too)
    approved / reinstated -> suspended -> reinstated | revoked
    approved / reinstated -> revoked | expired; suspended -> expired
    draft / submitted -> withdrawn

Statuses change only through `shippers.services`, which checks `transition_for` inside a
row lock and records an `ApplicationEvent`. The UI asks `allowed_transitions` to decide
which buttons to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shippers.models import Application

S = Application.Status


class Actor(StrEnum):
    SHIPPER = "shipper"
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    actors: frozenset[Actor]
    label: str


def _t(name: str, sources: set[str], target: str, actors: set[Actor], label: str) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(actors), label)


_STAFF = {Actor.OFFICER, Actor.SUPERVISOR}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("submit", {S.DRAFT}, S.SUBMITTED, {Actor.SHIPPER}, "Submit"),
        _t("withdraw", {S.DRAFT, S.SUBMITTED}, S.WITHDRAWN, {Actor.SHIPPER}, "Withdraw"),
        _t("start_vetting", {S.SUBMITTED}, S.VETTING, {Actor.SYSTEM}, "Start vetting"),
        _t("complete_vetting", {S.VETTING}, S.UNDER_REVIEW, {Actor.SYSTEM}, "Vetting finished"),
        _t(
            "request_information",
            {S.UNDER_REVIEW, S.INFORMATION_REQUESTED},
            S.INFORMATION_REQUESTED,
            _STAFF,
            "Request information",
        ),
        _t(
            "resume_review",
            {S.INFORMATION_REQUESTED},
            S.UNDER_REVIEW,
            {Actor.SHIPPER, *_STAFF, Actor.SYSTEM},
            "Resume review",
        ),
        _t("approve", {S.UNDER_REVIEW}, S.APPROVED, _STAFF, "Approve"),
        _t("reject", {S.UNDER_REVIEW, S.INFORMATION_REQUESTED}, S.REJECTED, _STAFF, "Reject"),
        _t(
            "suspend",
            {S.APPROVED, S.REINSTATED},
            S.SUSPENDED,
            {*_STAFF, Actor.SYSTEM},
            "Suspend",
        ),
        _t("reinstate", {S.SUSPENDED}, S.REINSTATED, _STAFF, "Reinstate"),
        _t("revoke", {S.APPROVED, S.REINSTATED, S.SUSPENDED}, S.REVOKED, _STAFF, "Revoke"),
        _t("expire", {S.APPROVED, S.REINSTATED, S.SUSPENDED}, S.EXPIRED, {Actor.SYSTEM}, "Expire"),
    )
}

# Statuses in which the organisation holds known-shipper standing (a valid certificate).
ACTIVE_STATUSES = frozenset({S.APPROVED, S.REINSTATED})
# Statuses of an application still being worked on (at most one per organisation).
OPEN_STATUSES = frozenset(
    {S.DRAFT, S.SUBMITTED, S.VETTING, S.UNDER_REVIEW, S.INFORMATION_REQUESTED}
)
# Statuses while officers review: the shipper cannot change the file.
LOCKED_STATUSES = frozenset({S.SUBMITTED, S.VETTING, S.UNDER_REVIEW})
FINAL_STATUSES = frozenset({S.REJECTED, S.REVOKED, S.EXPIRED, S.WITHDRAWN})


class TransitionNotAllowedError(Exception):
    """The transition does not apply to the application's current status; usually because
    someone else acted first. The message says what happened, for the person who tried."""

    def __init__(self, application: Application, transition: str) -> None:
        label = TRANSITIONS[transition].label.lower() if transition in TRANSITIONS else transition
        status = application.get_status_display().lower()
        super().__init__(
            f"Cannot {label} application {application.reference}: it is now {status}. "
            "It may have been changed by someone else; reload to see its current state."
        )
        self.application = application
        self.transition = transition


def transition_for(application: Application, name: str, actor: Actor) -> Transition:
    transition = TRANSITIONS[name]
    if application.status not in transition.sources:
        raise TransitionNotAllowedError(application, name)
    if actor not in transition.actors:
        raise PermissionError(f"A {actor.value} cannot {transition.label.lower()} an application.")
    return transition


def allowed_transitions(application: Application, actor: Actor) -> list[Transition]:
    """Transitions this kind of actor may take now (for buttons; services re-check)."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if application.status in transition.sources and actor in transition.actors
    ]


def can(application: Application, name: str, actor: Actor) -> bool:
    transition = TRANSITIONS[name]
    return application.status in transition.sources and actor in transition.actors
