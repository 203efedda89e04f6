"""What each role may do with shippers' records in general (see accounts.roles).

Object-level rules (members see only their own organisation) are in `shippers.rules`.
"""

_VIEW = [
    "shippers.view_organisation",
    "shippers.view_membership",
    "shippers.view_identifier",
    "shippers.view_address",
    "shippers.view_principal",
    "shippers.view_contact",
    "shippers.view_supplychainpartner",
    "shippers.view_securityanswer",
    "shippers.view_attestation",
    "shippers.view_application",
    "shippers.view_applicationevent",
    "shippers.view_document",
    "shippers.view_requestforinformation",
    "shippers.view_certificate",
    "shippers.view_securityquestionnaire",
    "shippers.view_securityquestion",
    "shippers.view_internalnote",
    "shippers.add_internalnote",
    "shippers.decide_application",
    "shippers.view_vettingrun",
    "shippers.view_vettingcheck",
    "shippers.manage_vetting",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "officer": _VIEW,
    "supervisor": [
        *_VIEW,
        "shippers.confirm_high_risk_approval",
        "shippers.add_securityquestionnaire",
        "shippers.change_securityquestionnaire",
        "shippers.add_securityquestion",
        "shippers.change_securityquestion",
        "shippers.delete_securityquestion",
    ],
}
