"""What each role may do with shipments in general (see accounts.roles).

Officers and supervisors see shipments, work the officer queue (release, examine, record
findings) and read targeting; supervisors also write targeting rules (each save a new
version) and the watch list. Object-level rules (a filer sees only its own organisation's
shipments) are in the portal views and the API, which start from the organisation.
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
_TARGETING_OFFICER = [
    "shipments.view_targetingrule",
    "shipments.view_targetingruleversion",
    "shipments.view_watchedaddress",
    "shipments.view_hsvaluestatistic",
]
_TARGETING_SUPERVISOR = [
    *_TARGETING_OFFICER,
    "shipments.add_targetingrule",
    "shipments.change_targetingrule",
    "shipments.add_watchedaddress",
    "shipments.change_watchedaddress",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "officer": [*_OFFICER, *_TARGETING_OFFICER],
    "supervisor": [*_OFFICER, *_TARGETING_SUPERVISOR],
}
