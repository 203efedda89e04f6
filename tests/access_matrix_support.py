"""Machinery of the access-matrix test (tests/test_access_matrix.py): walk the URL resolver,
fill each pattern's arguments from the world, request it as each role and name the outcome.

Outcomes: `ok` (2xx), `login` (redirect to sign-in), `mfa` (redirect to the MFA set-up or
step), `reauth` (redirect to allauth's password re-authentication), `redir` (another
redirect), or the status code (`400`, `401`, `403`, `404`, `405`); `-` in a POST row: not
probed for that role (a POST that would change the world for the next roles). A 5xx is
never an expected outcome.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_world import ROLES, World


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, prefixes joined: "portal/applications/<int:pk>/"
    name: str  # "namespace:name", or "" for unnamed patterns


def _text(pattern: URLPattern | URLResolver) -> str:
    return str(pattern.pattern)


def walk(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> Iterator[Route]:
    """Every URL pattern of the project, with its full route and qualified name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner_ns = ns
            if pattern.namespace:
                inner_ns = f"{ns}:{pattern.namespace}" if ns else pattern.namespace
            yield from walk(pattern, prefix + _text(pattern), inner_ns)
        else:
            name = f"{ns}:{pattern.name}" if ns and pattern.name else (pattern.name or "")
            yield Route(route=prefix + _text(pattern), name=name)


def url_for(route: Route, kwargs: dict[str, Any]) -> str:
    if not route.name:
        raise ValueError(f"{route.route} has no name to reverse")
    return reverse(route.name, kwargs=kwargs)


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_SAMPLE = {"int": "1", "uuid": "00000000-0000-4000-8000-000000000001"}


def sample_url(route: Route) -> str:
    """A URL of the pattern with a placeholder for every argument (for rules that refuse
    before any object is looked up, and for unnamed patterns)."""
    path = _CONVERTER.sub(lambda m: _SAMPLE.get(m.group(1) or "str", "x1"), route.route)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x1", path).replace("^", "").replace("$", "")
    return "/" + path


def outcome(response: Any) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return "ok"
    if status in {301, 302, 303, 307, 308}:
        location = response["Location"]
        if location.startswith(("/accounts/login/", "/admin/login/")):
            return "login"
        if location.startswith("/accounts/2fa/"):
            return "mfa"
        if location.startswith("/accounts/reauthenticate/"):
            return "reauth"
        return "redir"
    return str(status)


def clients(world: World) -> dict[str, Client]:
    """One client per role: signed in (the officer without MFA with a password only), or
    for `api_key`, sending the organisation's API key on every request."""
    result: dict[str, Client] = {}
    for role in ROLES:
        if role in {"api_key", "partner_key"}:
            key = world.api_key if role == "api_key" else world.partner_key
            result[role] = Client(headers={"Authorization": f"Api-Key {key}"})
            continue
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user, mfa=role != "officer_no_mfa")  # type: ignore[call-arg]
        result[role] = client
    return result


def observe(client: Client, url: str, method: str = "get") -> str:
    cache.clear()  # rate limits would otherwise answer 429 to a long walk
    return outcome(getattr(client, method)(url))


def row_of(
    clients_by_role: dict[str, Client], url: str, method: str = "get", expected: str = ""
) -> str:
    """The outcomes of one URL in column order; roles marked `-` in `expected` are skipped."""
    skip = [part == "-" for part in expected.split()] if expected else [False] * len(ROLES)
    return " ".join(
        "-" if skipped else observe(clients_by_role[role], url, method)
        for role, skipped in zip(ROLES, skip, strict=True)
    )
