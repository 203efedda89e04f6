"""Staff must have MFA before the admin; the admin login is allauth's."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from demo.accounts import current_totp_code
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_login_goes_through_allauth(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_without_mfa_is_sent_to_set_it_up(client: Client) -> None:
    officer = UserFactory(roles=["officer"])
    client.force_login(officer, mfa=False)  # type: ignore[call-arg]
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2F"


def test_staff_with_mfa_must_enter_a_code_and_then_reaches_the_admin(client: Client) -> None:
    officer = UserFactory(roles=["officer"])
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    response = client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    client.post("/accounts/2fa/authenticate/", {"code": current_totp_code(secret)})
    assert int(client.session["_auth_user_id"]) == officer.pk
    assert client.get("/admin/").status_code == 200


def test_a_shipper_is_refused_from_the_admin(client: Client) -> None:
    shipper = UserFactory(roles=["shipper"])
    client.force_login(shipper)
    assert client.get("/admin/").status_code in {302, 403}
    assert client.get("/admin/shippers/organisation/").status_code in {302, 403}
    assert client.get("/admin/login/").status_code == 403


def test_a_recovery_code_signs_in_once(client: Client) -> None:
    officer = UserFactory(roles=["officer"])
    TOTP.activate(officer, generate_totp_secret())
    codes = RecoveryCodes.activate(officer)
    code = codes.get_unused_codes()[0]
    client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert int(client.session["_auth_user_id"]) == officer.pk
    assert (
        code
        not in RecoveryCodes(
            Authenticator.objects.get(user=officer, type="recovery_codes")
        ).get_unused_codes()
    )
