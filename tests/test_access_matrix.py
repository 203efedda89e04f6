"""The access matrix, generated from the URL resolver: every URL pattern of the project x
every role, with the outcome each role must get (tests/access_matrix_table.py).

A URL pattern without a row fails `test_every_url_pattern_has_a_row` with its name, so a
new page cannot ship without someone deciding who may open it. The admin's hundreds of
patterns are one rule: only staff reach it, staff only after MFA, and for staff the
model permissions decide (never a server error).
"""

from __future__ import annotations

import pytest

from tests.access_matrix_support import (
    Route,
    clients,
    observe,
    row_of,
    sample_url,
    url_for,
    walk,
)
from tests.access_matrix_table import POSTS, ROWS, kwargs_for
from tests.access_world import ROLES, build_world

ADMIN_PREFIX = "admin/"
# The admin for each role: refused roles get these outcomes on every admin URL; `perm`:
# the staff member's model permissions decide (200, 403 or a redirect inside the admin).
ADMIN_OUTCOMES = "login login login mfa perm perm perm login login login"
ADMIN_RULE = dict(zip(ROLES, ADMIN_OUTCOMES.split(" "), strict=True))
PERMITTED = {"ok", "403", "redir"}


def project_routes() -> list[Route]:
    return list(walk())


def without_a_row(routes: list[Route]) -> list[str]:
    return [
        f"{route.route} ({route.name or 'unnamed'})"
        for route in routes
        if not route.route.startswith(ADMIN_PREFIX) and route.route not in ROWS
    ]


def test_a_new_url_pattern_without_a_row_is_named() -> None:
    from django.http import HttpResponse
    from django.urls import get_resolver, path

    from config import urls

    extended = [
        *urls.urlpatterns,
        path("portal/reports/<int:pk>/", lambda request, pk: HttpResponse(), name="report"),
    ]
    resolver = get_resolver(type("urlconf", (), {"urlpatterns": extended}))
    assert without_a_row(list(walk(resolver))) == ["portal/reports/<int:pk>/ (report)"]


def test_every_url_pattern_has_a_row() -> None:
    missing = without_a_row(project_routes())
    assert not missing, (
        "URL patterns without a row in tests/access_matrix_table.py (decide who may open "
        "them): " + ", ".join(missing)
    )
    stale = set(ROWS) - {route.route for route in project_routes()}
    assert not stale, f"rows for URL patterns that no longer exist: {sorted(stale)}"
    assert set(POSTS) <= set(ROWS)


@pytest.mark.django_db
def test_every_role_gets_the_expected_outcome_on_every_url() -> None:
    world = build_world()
    by_role = clients(world)
    wrong: list[str] = []
    for route in project_routes():
        if route.route.startswith(ADMIN_PREFIX):
            continue
        spec, expected = ROWS[route.route]
        url = url_for(route, kwargs_for(spec, world))
        actual = row_of(by_role, url)
        if actual != expected:
            wrong.append(f"GET {route.route}\n  expected {expected}\n  actual   {actual}")
        if route.route in POSTS:
            actual = row_of(by_role, url, "post", POSTS[route.route])
            if actual != POSTS[route.route]:
                wrong.append(
                    f"POST {route.route}\n  expected {POSTS[route.route]}\n  actual   {actual}"
                )
    header = "columns: " + " ".join(ROLES)
    assert not wrong, header + "\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_the_admin_is_staff_only_and_behind_mfa() -> None:
    world = build_world()
    by_role = clients(world)
    wrong: list[str] = []
    for route in project_routes():
        if not route.route.startswith(ADMIN_PREFIX) or route.name in {
            "admin:login",
            "admin:logout",
            "admin:jsi18n",
        }:
            continue
        url = sample_url(route)
        # Staff are probed on the pages that list and search; every admin URL for the rest.
        staff_probe = route.name == "admin:index" or route.name.endswith("_changelist")
        for role, expected in ADMIN_RULE.items():
            if expected == "perm" and not staff_probe:
                continue
            actual = observe(by_role[role], url)
            if actual != expected and not (expected == "perm" and actual in PERMITTED):
                wrong.append(f"{role} GET {url}: expected {expected}, got {actual}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_admin_sign_in_pages_send_everyone_to_allauth_or_away() -> None:
    by_role = clients(build_world())
    assert observe(by_role["anonymous"], "/admin/login/") == "login"
    assert observe(by_role["owner"], "/admin/login/") == "403"
    assert observe(by_role["officer_no_mfa"], "/admin/login/") == "mfa"
    assert observe(by_role["officer"], "/admin/login/") == "redir"
