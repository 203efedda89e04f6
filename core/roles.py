"""Who may read the audit log in the admin (see accounts.roles)."""

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "officer": ["core.view_auditevent", "core.search_auditevent"],
    "supervisor": ["core.view_auditevent", "core.search_auditevent"],
}
