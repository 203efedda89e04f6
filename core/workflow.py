"""One state-machine module for every status field of the program.

Applications, penalty cases, guidance articles and shipments each declare a `StateMachine`:
named transitions from a set of source statuses to a target, the kinds of actor allowed to
take each, and a label. Services call `machine.apply(obj, name, actor)` inside a
transaction after locking the row (`machine.lock`), so of two concurrent transitions on one
row only the first can win: the second sees the first one's result and gets
`TransitionNotAllowed`, whose message tells the person what happened. Pages ask
`allowed` / `can` for their buttons; the service checks again.

Nothing else assigns a status field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import models


class ActorKind(StrEnum):
    """Who takes a transition, in the terms of the program (not a Django permission)."""

    SHIPPER = "shipper"
    RESPONDENT = "respondent"
    FILER = "filer"
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    EDITOR = "editor"
    PARTNER = "partner"
    SYSTEM = "system"


STAFF_ACTORS = frozenset({ActorKind.OFFICER, ActorKind.SUPERVISOR})


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    actors: frozenset[ActorKind]
    label: str


def transition(
    name: str, sources: Iterable[str], target: str, actors: Iterable[ActorKind], label: str
) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(actors), label)


class TransitionNotAllowed(Exception):
    """The transition does not apply to the object's current status; usually because someone
    else acted first. The message says what happened, for the person who tried."""

    def __init__(self, message: str, *, obj: Any = None, transition: str = "") -> None:
        super().__init__(message)
        self.obj = obj
        self.transition = transition


def _default_describe(obj: Any) -> str:
    return f"{obj._meta.verbose_name} {obj.pk}"


class StateMachine:
    """Declared transitions of one model's status field."""

    def __init__(
        self,
        *,
        noun: str,
        transitions: Iterable[Transition],
        field: str = "status",
        describe: Callable[[Any], str] = _default_describe,
        refusal_object: str = "",
    ) -> None:
        self.noun = noun
        # How a refusal names the object: "an application", "on a case".
        self.refusal_object = refusal_object or f"a {noun}"
        self.field = field
        self.describe = describe
        self.transitions: dict[str, Transition] = {t.name: t for t in transitions}

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def status_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field))

    def status_label(self, obj: Any) -> str:
        display = getattr(obj, f"get_{self.field}_display", None)
        return str(display() if display else self.status_of(obj))

    def not_allowed(self, obj: Any, name: str) -> TransitionNotAllowed:
        label = self.transitions[name].label.lower() if name in self.transitions else name
        return TransitionNotAllowed(
            f"Cannot {label} {self.describe(obj)}: it is now {self.status_label(obj).lower()}. "
            "It may have been changed by someone else; reload to see its current state.",
            obj=obj,
            transition=name,
        )

    def check(self, obj: Any, name: str, actor: ActorKind | str) -> Transition:
        """The transition, if `actor` may take it from the object's status now."""
        transition = self.transitions[name]
        if self.status_of(obj) not in transition.sources:
            raise self.not_allowed(obj, name)
        if ActorKind(actor) not in transition.actors:
            raise PermissionError(
                f"A {ActorKind(actor).value} cannot {transition.label.lower()} "
                f"{self.refusal_object}."
            )
        return transition

    def apply(self, obj: Any, name: str, actor: ActorKind | str) -> tuple[str, str]:
        """Check the transition and set the new status on `obj` (the caller saves it, in the
        same transaction as its audit event). Returns (from, to)."""
        transition = self.check(obj, name, actor)
        before = self.status_of(obj)
        setattr(obj, self.field, transition.target)
        return before, transition.target

    def can(self, obj: Any, name: str, actor: ActorKind | str) -> bool:
        transition = self.transitions[name]
        return self.status_of(obj) in transition.sources and ActorKind(actor) in transition.actors

    def allowed(self, obj: Any, actor: ActorKind | str) -> list[Transition]:
        """Transitions this kind of actor may take now (for buttons; services re-check)."""
        kind = ActorKind(actor)
        status = self.status_of(obj)
        return [t for t in self.transitions.values() if status in t.sources and kind in t.actors]

    def targets(self) -> frozenset[str]:
        return frozenset(t.target for t in self.transitions.values())

    @staticmethod
    def lock[M: models.Model](model: type[M], pk: Any) -> M:
        """The row, locked until the transaction ends: a concurrent transition waits and then
        sees this one's result."""
        return model._default_manager.select_for_update().get(pk=pk)
