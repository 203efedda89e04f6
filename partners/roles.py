"""What each role may do with partner administrations (see accounts.roles): officers and
supervisors manage them, see and replay deliveries, and read the trusted-trader lists."""

_OFFICER = [
    "partners.view_partneradministration",
    "partners.add_partneradministration",
    "partners.change_partneradministration",
    "partners.view_webhookendpoint",
    "partners.view_webhookdelivery",
    "partners.change_webhookdelivery",
    "partners.view_deliveryattempt",
    "partners.view_recognisedprogram",
    "partners.view_trustedtraderlistversion",
    "partners.view_recognitionalert",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "officer": _OFFICER,
    "supervisor": [
        *_OFFICER,
        "partners.add_recognisedprogram",
        "partners.change_recognisedprogram",
    ],
}
