"""Officers and supervisors issue, see and revoke organisation API keys (partners' keys are
issued by officers; shippers issue their own from the portal)."""

_KEYS = [
    "apikeys.view_organisationapikey",
    "apikeys.add_organisationapikey",
    "apikeys.change_organisationapikey",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {"officer": _KEYS, "supervisor": _KEYS}
