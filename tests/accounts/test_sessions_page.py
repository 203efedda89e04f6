"""The "Signed-in devices" page (allauth.usersessions) in the site's layout: it lists the
user's own sessions only, and signs the other devices out."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(user_agent: str, email: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_page_lists_the_users_sessions_and_signs_the_others_out() -> None:
    user = UserFactory(roles=["shipper"])
    stranger = UserFactory(roles=["shipper"])
    laptop = _sign_in("Laptop-Browser/1.0", user.email)
    phone = _sign_in("Phone-Browser/2.0", user.email)
    _sign_in("Stranger-Browser/3.0", stranger.email)
    assert UserSession.objects.filter(user=user).count() == 2

    response = laptop.get("/accounts/sessions/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Signed-in devices" in html
    assert "usa-sidenav" in html
    assert "usa-table" in html
    assert "Laptop-Browser/1.0" in html
    assert "Phone-Browser/2.0" in html
    assert "Stranger-Browser/3.0" not in html
    assert html.count("this device</span>") == 1
    assert 'aria-current="page">Signed-in devices</a>' in html
    assert "Sign out the other devices" in html

    response = laptop.post("/accounts/sessions/", follow=True)
    assert response.status_code == 200
    # The phone is signed out (its session is gone); the laptop and the stranger are not.
    assert phone.get("/accounts/").status_code == 302
    assert laptop.get("/accounts/").status_code == 200
    assert list(UserSession.objects.filter(user=user).values_list("user_agent", flat=True)) == [
        "Laptop-Browser/1.0"
    ]
    assert UserSession.objects.filter(user=stranger).count() == 1
    assert Session.objects.count() == 2

    # With one session left the button signs this device out.
    assert "Sign out the other devices" not in laptop.get("/accounts/sessions/").content.decode()


def test_the_page_asks_an_anonymous_visitor_to_sign_in(client: Client) -> None:
    response = client.get("/accounts/sessions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
