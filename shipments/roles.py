"""What each role may do with shipments in general (see accounts.roles).

Object-level rules (a filer sees only its own organisation's shipments) are in the portal
views' selectors, which start from the user's organisations.
"""

_OFFICER = [
    "shipments.view_shipment",
    "shipments.view_shipmentversion",
    "shipments.view_batch",
    "shipments.view_filerregistration",
    "shipments.view_queuedshipment",
    "shipments.decide_shipment",
    "shipments.view_examinationfinding",
    "shipments.add_examinationfinding",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "officer": _OFFICER,
    "supervisor": list(_OFFICER),
}
