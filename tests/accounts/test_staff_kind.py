"""Staff kinds, computed once (`accounts.roles.staff_kind`), and role changes in the log."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import AnonymousUser, Group

from accounts import roles
from accounts.models import User
from accounts.services import user_set_roles
from core.models import AuditEvent
from core.workflow import ActorKind
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_kind() -> None:
    assert roles.staff_kind(AnonymousUser()) is None
    assert roles.staff_kind(UserFactory(roles=["shipper"])) is None
    assert roles.staff_kind(UserFactory(roles=["content_editor"])) is None
    assert roles.staff_kind(UserFactory(roles=["officer"])) == ActorKind.OFFICER
    assert roles.staff_kind(UserFactory(roles=["supervisor"])) == ActorKind.SUPERVISOR
    # Staff without the officer pages' permission is no officer.
    assert roles.staff_kind(UserFactory(is_staff=True)) is None


def test_officers_are_active_staff_with_an_officer_role() -> None:
    officer = UserFactory(roles=["officer"])
    supervisor = UserFactory(roles=["supervisor"])
    gone = UserFactory(roles=["officer"], is_active=False)
    UserFactory(roles=["content_editor"])
    UserFactory(roles=["shipper"])
    officers = set(User.objects.officers())
    assert officers == {officer, supervisor}
    assert gone not in officers


def test_role_grants_and_removals_are_recorded() -> None:
    admin = UserFactory(roles=["supervisor"])
    user = UserFactory(roles=["shipper"])
    user_set_roles(user=user, roles=["officer"], actor=admin)
    event = AuditEvent.objects.for_target(user).last()
    assert event is not None
    assert event.action == "user.change_roles"
    assert event.actor == admin
    assert event.internal
    assert event.changes == {
        "is_staff": {"before": False, "after": True},
        "roles": {"before": ["shipper"], "after": ["officer"]},
    }
    assert event.detail == {"granted": ["officer"], "removed": ["shipper"]}
    # The same roles again change nothing and record nothing.
    count = AuditEvent.objects.for_target(user).count()
    user_set_roles(user=user, roles=["officer"], actor=admin)
    assert AuditEvent.objects.for_target(user).count() == count


def test_the_admin_user_form_records_a_role_change(client) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.create_superuser("root@example.org", "a-long-enough-passphrase")
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    user = UserFactory(roles=["shipper"])
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "groups": [Group.objects.get(name="officer").pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.for_target(user).last()
    assert event is not None
    assert event.action == "user.change_roles"
    assert event.actor == admin
    assert event.changes["roles"] == {"before": ["shipper"], "after": ["officer"]}
