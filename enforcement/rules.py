"""Object-level access to penalty cases.

Checked with `user.has_perm("enforcement.<rule>", obj)`. Officers and supervisors see every
case and file; a member of the respondent organisation sees its cases once the first notice
was issued, and only the files shared with the respondent. Everyone else sees nothing (the
views answer 404, so the existence of another party's case is not confirmed).
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.roles import OFFICER, SUPERVISOR


def _case_of(obj: Any) -> Any:
    return getattr(obj, "case", obj)


@rules.predicate
def is_respondent_member(user: Any, obj: Any) -> bool:
    case = _case_of(obj)
    if case is None or not user.is_authenticated or case.organisation_id is None:
        return False
    if case.first_notice_at is None:
        return False
    return case.organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_shared_with_respondent(user: Any, obj: Any) -> bool:
    return bool(getattr(obj, "visible_to_respondent", False))


is_officer = rules.is_group_member(OFFICER) | rules.is_group_member(SUPERVISOR)  # type: ignore[operator]
is_case_worker = is_officer | rules.is_superuser

rules.add_perm("enforcement.view_case_portal", is_respondent_member | is_case_worker)
rules.add_perm("enforcement.act_for_respondent", is_respondent_member)
rules.add_perm(
    "enforcement.view_case_document",
    is_case_worker | (is_respondent_member & is_shared_with_respondent),
)
rules.add_perm("enforcement.view_notice", is_respondent_member | is_case_worker)
