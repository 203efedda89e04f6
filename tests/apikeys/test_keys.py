"""Organisation API keys: hashed, shown once, scoped, revocable, audited."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from apikeys.models import OrganisationAPIKey
from apikeys.services import api_key_create, api_key_revoke
from core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.shippers.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_hashed_with_its_prefix_visible() -> None:
    organisation = OrganisationFactory()
    user = UserFactory()
    api_key, plain = api_key_create(
        organisation=organisation,
        name="Warehouse system",
        scopes=["shipments:write"],
        created_by=user,
    )
    prefix, secret = plain.split(".")
    assert api_key.prefix == prefix
    assert len(secret) >= 32
    stored = OrganisationAPIKey.objects.get(prefix=prefix)
    assert plain not in (stored.hashed_key, stored.pk)
    assert secret not in stored.hashed_key
    assert stored.hashed_key.startswith("sha512$$")
    assert OrganisationAPIKey.objects.get_from_key(plain) == stored
    assert (stored.scopes, stored.created_by) == (["shipments:write"], user)
    event = AuditEvent.objects.get(action="apikey.create")
    assert (event.target_id, event.organisation_id, event.actor) == (prefix, organisation.pk, user)
    assert plain not in str(event.detail)


@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [
        ("", ["shipments:write"], "name"),
        ("x" * 51, ["shipments:write"], "name"),
        ("ok", [], "scopes"),
        ("ok", ["shipments:delete"], "scopes"),
    ],
)
def test_bad_key_requests_are_refused(name: str, scopes: list[str], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        api_key_create(organisation=OrganisationFactory(), name=name, scopes=scopes)
    assert field in raised.value.message_dict
    assert not OrganisationAPIKey.objects.exists()


def test_an_expiry_in_the_past_is_refused() -> None:
    with pytest.raises(ValidationError):
        api_key_create(
            organisation=OrganisationFactory(),
            name="old",
            scopes=["verify"],
            expires_at=timezone.now() - timedelta(days=1),
        )


def test_revoking_is_recorded_once_and_final() -> None:
    api_key, _ = api_key_create(
        organisation=OrganisationFactory(), name="k", scopes=["shipments:read"]
    )
    user = UserFactory(roles=["officer"])
    api_key_revoke(api_key=api_key, revoked_by=user, reason="Leaked in a log")
    api_key_revoke(api_key=api_key, revoked_by=user)
    api_key.refresh_from_db()
    assert api_key.revoked
    assert api_key.revoked_at
    assert api_key.revoked_by == user
    events = AuditEvent.objects.filter(action="apikey.revoke")
    assert events.count() == 1
    assert events.get().reason == "Leaked in a log"
    assert not OrganisationAPIKey.objects.usable().filter(pk=api_key.pk).exists()


def test_the_command_prints_a_working_key() -> None:
    organisation = OrganisationFactory(legal_name="Harbourline Parcels Ltd")
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_key",
        "--organisation",
        "harbourline parcels ltd",
        "--scope",
        "shipments:write",
        "--scope",
        "shipments:read",
        stdout=out,
        stderr=err,
    )
    plain = out.getvalue().strip()
    api_key = OrganisationAPIKey.objects.get_from_key(plain)
    assert api_key.organisation == organisation
    assert api_key.scopes == ["shipments:read", "shipments:write"]
    assert "cannot be shown again" in err.getvalue()


def test_the_command_names_an_unknown_organisation() -> None:
    with pytest.raises(CommandError, match="No organisation has the legal name"):
        call_command("create_api_key", "--organisation", "Nobody", "--scope", "verify")


def test_officers_and_supervisors_may_issue_and_revoke_keys_and_shippers_may_not() -> None:
    for role in ("officer", "supervisor"):
        user = UserFactory(roles=[role])
        assert user.has_perm("apikeys.add_organisationapikey")
        assert user.has_perm("apikeys.change_organisationapikey")
    assert not UserFactory(roles=["shipper"]).has_perm("apikeys.add_organisationapikey")
    assert not UserFactory(roles=["partner"]).has_perm("apikeys.add_organisationapikey")
