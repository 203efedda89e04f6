"""What each role may do with shipment targeting in general (see accounts.roles).

Supervisors write targeting rules (each save a new version), the watch list, and read the
statistics; officers read them (and run back-tests)."""

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
    "officer": _TARGETING_OFFICER,
    "supervisor": _TARGETING_SUPERVISOR,
}
