"""Every request of a staff session needs a second factor passed in this login, in every
part of the site and the API; staff sessions end when idle and after an absolute limit."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.messages import get_messages
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import staff_sessions
from demo.accounts import current_totp_code
from tests.access_world import World, build_world
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/screening/search/"


@pytest.fixture
def world() -> World:
    return build_world()


def guarded_urls(world: World) -> list[str]:
    k = world.kwargs
    return [
        f"/portal/applications/{k['application']}/",
        f"/portal/documents/{k['document']}/download/",
        f"/portal/requests/{k['rfi']}/",
        f"/certificates/{k['certificate']}/",
        f"/portal/cases/{k['case']}/",
        "/portal/",
    ]


def assert_refused_without_mfa(client: Client, world: World, to: str) -> None:
    for url in guarded_urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"/accounts/2fa/{to}/?next="), url
    api = APIClient()
    api.cookies = client.cookies
    answer = api.post(SEARCH, {"name": "Ivan Petrov"}, format="json")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "mfa_required"
    assert "two-factor" in answer.json()["error"]["message"]


def assert_allowed(client: Client, world: World) -> None:
    for url in guarded_urls(world):
        assert client.get(url).status_code == 200, url
    api = APIClient()
    api.cookies = client.cookies
    assert api.post(SEARCH, {"name": "Ivan Petrov"}, format="json").status_code == 200


def sign_in_with_password(client: Client, user: Any) -> None:
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def test_an_officer_without_a_second_factor_reaches_only_the_set_up(
    client: Client, world: World
) -> None:
    officer = world.users["officer_no_mfa"]
    sign_in_with_password(client, officer)
    assert int(client.session["_auth_user_id"]) == officer.pk  # type: ignore[union-attr]
    assert_refused_without_mfa(client, world, "totp/activate")
    page = client.get("/portal/", follow=True)
    assert "must use two-factor authentication" in page.content.decode()
    # The set-up itself (allauth asks for the password again first): the code typed to
    # activate TOTP is this login's second factor.
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert_refused_without_mfa(client, world, "totp/activate")  # a password is not enough
    activation = client.get("/accounts/2fa/totp/activate/")
    assert activation.status_code == 200
    secret = activation.context["form"].secret
    done = client.post("/accounts/2fa/totp/activate/", {"code": current_totp_code(secret)})
    assert done.status_code == 302
    assert client.get(done["Location"]).status_code == 200  # the recovery codes
    assert_allowed(client, world)


def test_posting_to_the_activation_with_totp_already_set_up_passes_nothing(
    client: Client, world: World
) -> None:
    officer = world.users["officer"]
    TOTP.activate(officer, generate_totp_secret())
    client.force_login(officer, mfa=False)  # type: ignore[call-arg]
    client.post("/accounts/2fa/totp/activate/", {"code": "123456"})
    assert_refused_without_mfa(client, world, "reauthenticate")


def test_an_officer_with_totp_but_a_password_only_session_is_refused_until_he_enters_a_code(
    client: Client, world: World
) -> None:
    officer = world.users["officer"]
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    client.force_login(officer, mfa=False)  # type: ignore[call-arg]
    assert_refused_without_mfa(client, world, "reauthenticate")
    wrong = client.post("/accounts/2fa/reauthenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert_refused_without_mfa(client, world, "reauthenticate")
    client.post("/accounts/2fa/reauthenticate/", {"code": current_totp_code(secret)})
    assert_allowed(client, world)


def test_the_real_sign_in_with_a_code_opens_the_site_and_the_api(
    client: Client, world: World
) -> None:
    supervisor = world.users["supervisor"]
    secret = generate_totp_secret()
    TOTP.activate(supervisor, secret)
    sign_in_with_password(client, supervisor)
    assert "_auth_user_id" not in client.session  # the code is still to come
    client.post("/accounts/2fa/authenticate/", {"code": current_totp_code(secret)})
    assert_allowed(client, world)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", ["content_editor", "officer", "supervisor"])
def test_every_staff_role_is_held_to_the_rule_and_may_still_sign_out(role: str) -> None:
    client = Client()
    client.force_login(UserFactory(roles=[role]), mfa=False)  # type: ignore[call-arg]
    for url in ("/", "/guidance/", "/training/", "/accounts/email/", "/admin/"):
        assert client.get(url)["Location"].startswith("/accounts/2fa/totp/activate/"), url
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 403
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_an_is_staff_flag_without_a_role_is_staff_too() -> None:
    client = Client()
    client.force_login(UserFactory(is_staff=True), mfa=False)  # type: ignore[call-arg]
    assert client.get("/guidance/").status_code == 302


def test_shippers_and_partners_need_no_second_factor(world: World) -> None:
    for role in ("owner", "partner"):
        client = Client()
        sign_in_with_password(client, world.users[role])
        assert client.get("/guidance/").status_code == 200
        assert client.get("/api/v1/me/").status_code == 200


def test_a_staff_token_is_refused_and_a_partner_token_works() -> None:
    api = APIClient()
    officer_token = Token.objects.create(user=UserFactory(roles=["officer"]))
    api.credentials(HTTP_AUTHORIZATION=f"Token {officer_token.key}")
    refused = api.post(SEARCH, {"name": "Ivan Petrov"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "staff_token_refused"
    partner_token = Token.objects.create(user=UserFactory(roles=["partner"]))
    api.credentials(HTTP_AUTHORIZATION=f"Token {partner_token.key}")
    assert api.post(SEARCH, {"name": "Ivan Petrov"}, format="json").status_code == 200


def _age_session(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_an_idle_staff_session_ends_with_a_message(client: Client, settings: Any) -> None:
    settings.STAFF_SESSION_IDLE_SECONDS = 600
    client.force_login(UserFactory(roles=["officer"]))
    assert client.get("/portal/").status_code == 200
    _age_session(client, staff_sessions.LAST_SEEN_KEY, 540)
    assert client.get("/portal/").status_code == 200  # still within the limit; clock reset
    assert time.time() - client.session[staff_sessions.LAST_SEEN_KEY] < 5
    _age_session(client, staff_sessions.LAST_SEEN_KEY, 601)
    response = client.get("/portal/?tab=queue")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fportal%2F%3Ftab%3Dqueue"
    assert "_auth_user_id" not in client.session
    text = [str(m) for m in get_messages(response.wsgi_request)]
    assert text == [
        "Your session ended after 10 minutes without activity. Sign in again to continue."
    ]


def test_a_staff_session_ends_after_the_absolute_limit_even_when_busy(
    settings: Any,
) -> None:
    settings.STAFF_SESSION_MAX_SECONDS = 3600
    api = APIClient()
    api.force_login(UserFactory(roles=["supervisor"]))
    assert api.get("/api/v1/me/").status_code == 200
    _age_session(api, staff_sessions.STARTED_KEY, 3601)
    response = api.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "session_expired"
    assert "at most 1 hours" in response.json()["error"]["message"]
    assert api.get("/api/v1/me/").status_code in {401, 403}  # signed out


def test_shipper_sessions_have_no_staff_limits(settings: Any) -> None:
    settings.STAFF_SESSION_IDLE_SECONDS = 1
    client = Client()
    client.force_login(UserFactory(roles=["shipper"]))
    _age_session(client, staff_sessions.LAST_SEEN_KEY, 3600)
    assert client.get("/portal/").status_code == 200


def test_a_new_sign_in_starts_both_clocks(client: Client) -> None:
    officer = UserFactory(roles=["officer"])
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    sign_in_with_password(client, officer)
    client.post("/accounts/2fa/authenticate/", {"code": current_totp_code(secret)})
    started = client.session[staff_sessions.STARTED_KEY]
    assert time.time() - started < 5
    assert client.session[staff_sessions.LAST_SEEN_KEY] == pytest.approx(started, abs=5)
