"""Screening grants per role (see accounts.roles)."""

_VIEW = [
    "screening.view_screeninglist",
    "screening.view_listversion",
    "screening.view_listedparty",
    "screening.view_entrychange",
    "screening.view_falsepositive",
    "screening.add_falsepositive",
    "screening.use_screening",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "officer": _VIEW,
    "supervisor": _VIEW,
    "partner": ["screening.use_screening"],
}
