"""What each role may do with penalty cases in general (see accounts.roles).

Object-level rules (a respondent's members see only its cases) are in `enforcement.rules`.
Statutory figures and mitigation guidelines are versions: supervisors add new ones, and no
one changes or deletes a recorded one (hence no change permission). A case's timeline is in
the audit log (`core.view_auditevent`, granted by `core.roles`).
"""

_OFFICER = [
    "enforcement.work_cases",
    "enforcement.view_case",
    "enforcement.change_case",
    "enforcement.add_case",
    "enforcement.view_casedocument",
    "enforcement.add_casedocument",
    "enforcement.view_casenote",
    "enforcement.add_casenote",
    "enforcement.view_notice",
    "enforcement.view_deadline",
    "enforcement.view_decision",
    "enforcement.view_petition",
    "enforcement.view_payment",
    "enforcement.view_penaltynoticeapproval",
    "enforcement.view_statutoryfigure",
    "enforcement.view_mitigationguideline",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "officer": _OFFICER,
    "supervisor": [
        *_OFFICER,
        "enforcement.approve_large_penalty",
        "enforcement.edit_mitigation_guidelines",
        "enforcement.add_mitigationguideline",
        "enforcement.add_statutoryfigure",
    ],
}
