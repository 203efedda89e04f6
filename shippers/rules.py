"""Object-level access: who may see and act for an organisation.

Checked with `user.has_perm("shippers.<rule>", organisation)`; staff roles see every
organisation, a shipper only those it is a member of.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.roles import staff_kind
from shippers.models import Membership


def _organisation_of(obj: Any) -> Any:
    return getattr(obj, "organisation", obj)


@rules.predicate
def is_organisation_member(user: Any, obj: Any) -> bool:
    organisation = _organisation_of(obj)
    if organisation is None or not user.is_authenticated:
        return False
    return Membership.objects.of(user, organisation).exists()


@rules.predicate
def is_organisation_owner(user: Any, obj: Any) -> bool:
    organisation = _organisation_of(obj)
    if organisation is None or not user.is_authenticated:
        return False
    return Membership.objects.of(user, organisation).owners().exists()


@rules.predicate
def is_officer(user: Any) -> bool:
    """Officers and supervisors (`accounts.roles.staff_kind`) see every organisation."""
    return staff_kind(user) is not None


rules.add_perm("shippers.view_organisation_portal", is_organisation_member | is_officer)
rules.add_perm("shippers.act_for_organisation", is_organisation_member)
rules.add_perm("shippers.manage_organisation_members", is_organisation_owner)
