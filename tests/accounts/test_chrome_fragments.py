"""The page chrome's `{% cache %}` fragments (base.html): the head's assets, the footer and an
anonymous visitor's header are kept in each process's memory; a signed-in user's header is
always their own, and the current section still shows in an anonymous header."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragments_on(settings: Any) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "chrome-fragments-test",
        },
    }
    caches["template_fragments"].clear()


def _header(page: str) -> str:
    return page.split('<header class="usa-header', 1)[1].split("</header>", 1)[0]


def _current(page: str) -> list[str]:
    header = _header(page)
    return [
        part.split("<span>", 1)[1].split("</span>", 1)[0]
        for part in header.split('usa-current" aria-current="page"')[1:]
    ]


@pytest.mark.usefixtures("fragments_on")
def test_an_anonymous_header_is_shared_and_marks_the_current_section(client: Client) -> None:
    guidance = client.get("/guidance/").content.decode()
    verify = client.get("/verify/").content.decode()
    again = client.get("/guidance/").content.decode()
    assert "Sign in" in _header(guidance)
    assert _current(guidance) == ["Guidance"]
    assert _current(verify) == ["Verify a certificate"]
    assert _header(again) == _header(guidance)
    assert 'rel="stylesheet"' in again
    assert "Footer navigation" in again


@pytest.mark.usefixtures("fragments_on")
def test_a_signed_in_header_is_never_shared(client: Client) -> None:
    anonymous = Client().get("/guidance/").content.decode()
    client.force_login(UserFactory(roles=["shipper"]))
    signed_in = client.get("/guidance/").content.decode()
    assert "Sign out" in _header(signed_in)
    assert "csrfmiddlewaretoken" in _header(signed_in)
    assert "My organisation" in _header(signed_in)
    assert "Sign in" not in _header(signed_in)
    later = Client().get("/guidance/").content.decode()
    assert _header(later) == _header(anonymous)
    assert "Sign out" not in later


@pytest.mark.usefixtures("fragments_on")
def test_the_fragments_follow_the_program_name(client: Client, settings: Any) -> None:
    client.get("/guidance/")
    settings.PROGRAM_NAME = "Other Program"
    page = client.get("/guidance/").content.decode()
    assert "Other Program home" in _header(page)
    assert "<p>Other Program. Open" in page


def test_the_chrome_is_the_same_with_and_without_fragments(client: Client, settings: Any) -> None:
    plain = client.get("/guidance/").content.decode()
    settings.CACHES = {
        **settings.CACHES,
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "chrome-fragments-compare",
        },
    }
    caches["template_fragments"].clear()
    client.get("/guidance/")
    cached = client.get("/guidance/").content.decode()
    assert cached == plain
