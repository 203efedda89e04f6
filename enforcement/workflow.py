"""The penalty case lifecycle as an explicit state machine.

    opened -> investigating -> pre-penalty notice -> penalty notice -> petition filed
           -> decided -> (supplemental petition -> decided) -> paid -> closed
    investigating -> penalty notice (no pre-penalty notice outside 19 USC 1592)
    penalty notice -> decided (no petition) | paid (paid as assessed)
    decided -> referred for collection -> closed
    any open status -> withdrawn | cancelled (with a reason)

Statuses change only through `enforcement.services`, which checks `transition_for` inside a
row lock and records a `CaseEvent`. Pages ask `allowed_transitions` for their buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from enforcement.models import Case

S = Case.Status


class Actor(StrEnum):
    RESPONDENT = "respondent"
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

FINAL_STATUSES = frozenset({S.PAID, S.CLOSED, S.WITHDRAWN, S.CANCELLED})
OPEN_STATUSES = frozenset(set(S.values) - FINAL_STATUSES)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t(
            "start_investigation",
            {S.OPENED},
            S.INVESTIGATING,
            _STAFF,
            "Start the investigation",
        ),
        _t(
            "issue_prepenalty_notice",
            {S.INVESTIGATING},
            S.PREPENALTY_NOTICE,
            _STAFF,
            "Issue the pre-penalty notice",
        ),
        _t(
            "issue_penalty_notice",
            {S.INVESTIGATING, S.PREPENALTY_NOTICE},
            S.PENALTY_NOTICE,
            _STAFF,
            "Issue the penalty notice",
        ),
        _t(
            "file_petition",
            {S.PENALTY_NOTICE},
            S.PETITION_FILED,
            {Actor.RESPONDENT},
            "File a petition",
        ),
        _t(
            "decide",
            {S.PENALTY_NOTICE, S.PETITION_FILED, S.SUPPLEMENTAL_PETITION},
            S.DECIDED,
            _STAFF,
            "Decide",
        ),
        _t(
            "file_supplemental_petition",
            {S.DECIDED},
            S.SUPPLEMENTAL_PETITION,
            {Actor.RESPONDENT},
            "File a supplemental petition",
        ),
        _t(
            "mark_paid",
            {S.PENALTY_NOTICE, S.DECIDED, S.REFERRED_FOR_COLLECTION},
            S.PAID,
            {*_STAFF},
            "Mark as paid",
        ),
        _t(
            "close",
            {S.PAID, S.DECIDED, S.REFERRED_FOR_COLLECTION},
            S.CLOSED,
            _STAFF,
            "Close",
        ),
        _t(
            "refer_for_collection",
            {S.DECIDED},
            S.REFERRED_FOR_COLLECTION,
            _STAFF,
            "Refer for collection",
        ),
        _t("withdraw", set(OPEN_STATUSES), S.WITHDRAWN, _STAFF, "Withdraw"),
        _t("cancel", set(OPEN_STATUSES), S.CANCELLED, _STAFF, "Cancel"),
    )
}


class TransitionNotAllowedError(Exception):
    """The transition does not apply to the case's current status; usually because someone
    else acted first. The message says what happened, for the person who tried."""

    def __init__(self, case: Case, transition: str) -> None:
        label = TRANSITIONS[transition].label.lower() if transition in TRANSITIONS else transition
        status = case.get_status_display().lower()
        super().__init__(
            f"Cannot {label} on case {case.number}: it is now {status}. "
            "It may have been changed by someone else; reload to see its current state."
        )
        self.case = case
        self.transition = transition


def transition_for(case: Case, name: str, actor: Actor) -> Transition:
    transition = TRANSITIONS[name]
    if case.status not in transition.sources:
        raise TransitionNotAllowedError(case, name)
    if actor not in transition.actors:
        raise PermissionError(f"A {actor.value} cannot {transition.label.lower()} on a case.")
    return transition


def allowed_transitions(case: Case, actor: Actor) -> list[Transition]:
    """Transitions this kind of actor may take now (for buttons; services re-check)."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if case.status in transition.sources and actor in transition.actors
    ]


def can(case: Case, name: str, actor: Actor) -> bool:
    transition = TRANSITIONS[name]
    return case.status in transition.sources and actor in transition.actors
