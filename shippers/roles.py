"""What each role may do with shippers' records in general (see accounts.roles)."""

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "officer": ["shippers.view_organisation", "shippers.view_membership"],
    "supervisor": [
        "shippers.view_organisation",
        "shippers.view_membership",
        "shippers.change_organisation",
    ],
}
