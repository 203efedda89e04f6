"""The one state-machine module: declared transitions, actor kinds, guards, one error."""

from __future__ import annotations

import pytest

from core.workflow import ActorKind, StateMachine, TransitionNotAllowed, transition


class Thing:
    def __init__(self, status: str) -> None:
        self.status = status
        self.pk = 1

    def get_status_display(self) -> str:
        return {"draft": "Draft", "sent": "Sent", "closed": "Closed"}[self.status]


MACHINE = StateMachine(
    noun="thing",
    describe=lambda thing: f"thing T-{thing.pk}",
    transitions=[
        transition("send", {"draft"}, "sent", {ActorKind.SHIPPER}, "Send"),
        transition("close", {"draft", "sent"}, "closed", {ActorKind.OFFICER}, "Close"),
    ],
)


def test_apply_moves_the_status_and_returns_from_and_to() -> None:
    thing = Thing("draft")
    assert MACHINE.apply(thing, "send", ActorKind.SHIPPER) == ("draft", "sent")
    assert thing.status == "sent"


def test_a_transition_from_the_wrong_status_says_what_happened() -> None:
    thing = Thing("closed")
    with pytest.raises(TransitionNotAllowed) as error:
        MACHINE.apply(thing, "send", ActorKind.SHIPPER)
    assert str(error.value) == (
        "Cannot send thing T-1: it is now closed. It may have been changed by someone else; "
        "reload to see its current state."
    )
    assert thing.status == "closed"


def test_the_wrong_kind_of_actor_is_refused() -> None:
    with pytest.raises(PermissionError, match="A officer cannot send a thing"):
        MACHINE.apply(Thing("draft"), "send", ActorKind.OFFICER)


def test_guards_for_the_ui() -> None:
    thing = Thing("draft")
    assert [t.name for t in MACHINE.allowed(thing, ActorKind.OFFICER)] == ["close"]
    assert MACHINE.can(thing, "send", ActorKind.SHIPPER)
    assert not MACHINE.can(thing, "send", "officer")
    assert MACHINE.targets() == {"sent", "closed"}
