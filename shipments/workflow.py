"""The shipment lifecycle as a `core.workflow` state machine.

    accepted -> amended (again and again) while undecided and before arrival
    accepted / amended -> decided (targeting's final decision: release, review or hold)
    decided -> decided (re-decided: screening finished, a list changed, an officer's review)
    accepted / amended / decided -> cancelled (by the filer; the service refuses a shipment
        held or under review, and one that has arrived)
    accepted / amended / decided -> arrived
    decided / arrived -> released | examined (officers; release also by the system for a
        "release" decision)
    examined -> released | seized (officers)

Only `shipments` services (and the targeting and officer services built on them) apply
these transitions, after `SHIPMENT_MACHINE.lock(Shipment, pk)`.
"""

from __future__ import annotations

from core.workflow import STAFF_ACTORS, ActorKind, StateMachine, transition
from shipments.models import ShipmentStatus

S = ShipmentStatus
FILERS = {ActorKind.FILER, ActorKind.SHIPPER}
OPEN_STATUSES = frozenset({S.ACCEPTED, S.AMENDED, S.DECIDED})
UNDECIDED_STATUSES = frozenset({S.ACCEPTED, S.AMENDED})
FINAL_STATUSES = frozenset({S.CANCELLED, S.RELEASED, S.SEIZED})

SHIPMENT_MACHINE = StateMachine(
    noun="shipment",
    describe=lambda shipment: f"shipment {shipment.reference}",
    transitions=[
        transition("amend", UNDECIDED_STATUSES, S.AMENDED, FILERS, "Amend"),
        transition("decide", UNDECIDED_STATUSES, S.DECIDED, {ActorKind.SYSTEM}, "Decide"),
        transition(
            "redecide", {S.DECIDED}, S.DECIDED, {ActorKind.SYSTEM, *STAFF_ACTORS}, "Re-decide"
        ),
        transition("cancel", OPEN_STATUSES, S.CANCELLED, FILERS, "Cancel"),
        transition(
            "arrive", OPEN_STATUSES, S.ARRIVED, {ActorKind.SYSTEM, *STAFF_ACTORS}, "Record arrival"
        ),
        transition(
            "release",
            {S.DECIDED, S.ARRIVED, S.EXAMINED},
            S.RELEASED,
            {ActorKind.SYSTEM, *STAFF_ACTORS},
            "Release",
        ),
        transition("examine", {S.DECIDED, S.ARRIVED}, S.EXAMINED, STAFF_ACTORS, "Examine"),
        transition("seize", {S.EXAMINED}, S.SEIZED, STAFF_ACTORS, "Seize"),
    ],
)
