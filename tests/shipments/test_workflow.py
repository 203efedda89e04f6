from __future__ import annotations

import pytest

from core.workflow import ActorKind, TransitionNotAllowed
from shipments.models import Shipment
from shipments.workflow import SHIPMENT_MACHINE


def shipment(status: str) -> Shipment:
    return Shipment(reference="W-1", status=status)


def test_the_filer_amends_and_cancels_an_undecided_shipment() -> None:
    assert SHIPMENT_MACHINE.can(shipment("accepted"), "amend", ActorKind.FILER)
    assert SHIPMENT_MACHINE.can(shipment("amended"), "amend", ActorKind.FILER)
    assert SHIPMENT_MACHINE.can(shipment("decided"), "cancel", ActorKind.FILER)
    assert not SHIPMENT_MACHINE.can(shipment("decided"), "amend", ActorKind.FILER)


def test_only_officers_examine_and_seize() -> None:
    decided = shipment("decided")
    assert not SHIPMENT_MACHINE.can(decided, "examine", ActorKind.FILER)
    SHIPMENT_MACHINE.apply(decided, "examine", ActorKind.OFFICER)
    SHIPMENT_MACHINE.apply(decided, "seize", ActorKind.SUPERVISOR)
    assert decided.status == "seized"
    with pytest.raises(PermissionError):
        SHIPMENT_MACHINE.check(shipment("decided"), "release", ActorKind.FILER)


def test_a_refusal_says_what_happened() -> None:
    with pytest.raises(TransitionNotAllowed, match="Cannot amend shipment W-1: it is now"):
        SHIPMENT_MACHINE.apply(shipment("released"), "amend", ActorKind.FILER)
