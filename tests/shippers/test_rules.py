"""Object-level access: shipper A never acts for shipper B's organisation."""

from __future__ import annotations

import pytest

from shippers.services import organisation_create
from tests.accounts.factories import UserFactory
from tests.shippers.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_member_sees_own_organisation_and_not_another() -> None:
    membership_a = MembershipFactory()
    membership_b = MembershipFactory()
    user_a = membership_a.user
    assert user_a.has_perm("shippers.view_organisation_portal", membership_a.organisation)
    assert user_a.has_perm("shippers.act_for_organisation", membership_a.organisation)
    assert not user_a.has_perm("shippers.view_organisation_portal", membership_b.organisation)
    assert not user_a.has_perm("shippers.act_for_organisation", membership_b.organisation)


def test_only_owners_manage_members() -> None:
    owner = MembershipFactory(role="owner")
    member = MembershipFactory(organisation=owner.organisation, role="member")
    assert owner.user.has_perm("shippers.manage_organisation_members", owner.organisation)
    assert not member.user.has_perm("shippers.manage_organisation_members", owner.organisation)


def test_officers_see_every_organisation_but_do_not_act_for_it() -> None:
    organisation = MembershipFactory().organisation
    officer = UserFactory(roles=["officer"])
    assert officer.has_perm("shippers.view_organisation_portal", organisation)
    assert not officer.has_perm("shippers.act_for_organisation", organisation)


def test_anonymous_has_no_access() -> None:
    from django.contrib.auth.models import AnonymousUser

    organisation = MembershipFactory().organisation
    assert not AnonymousUser().has_perm("shippers.view_organisation_portal", organisation)


def test_creator_becomes_owner() -> None:
    user = UserFactory()
    organisation = organisation_create(user=user, legal_name="  Harbour Ltd ", country="gb")
    assert organisation.legal_name == "Harbour Ltd"
    assert organisation.country == "GB"
    assert user.has_perm("shippers.manage_organisation_members", organisation)
