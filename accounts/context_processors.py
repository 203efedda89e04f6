"""Navigation by role, for the header of every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from accounts.roles import CONTENT_EDITOR, OFFICER, PARTNER, SHIPPER, SUPERVISOR
from accounts.selectors import user_roles

# (label, url name, roles that see it; empty = everyone)
NAVIGATION: list[tuple[str, str, set[str]]] = [
    ("Guidance", "education:home", set()),
    ("Training", "education:modules", set()),
    ("Verify a certificate", "shippers:verify", set()),
    ("My organisation", "shippers:dashboard", {SHIPPER}),
    ("Shipments", "shipments:home", {SHIPPER}),
    ("Penalty cases", "enforcement:cases", {SHIPPER}),
    ("Officer pages", "admin:index", {OFFICER, SUPERVISOR, CONTENT_EDITOR}),
    ("API", "api-docs", {PARTNER, SHIPPER, OFFICER, SUPERVISOR}),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    roles = set(user_roles(user=request.user)) if hasattr(request, "user") else set()  # type: ignore[arg-type]
    items = []
    for label, url_name, allowed in NAVIGATION:
        if allowed and not (roles & allowed):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # the app providing this page is not installed in this deployment
        items.append(
            {"label": label, "url": url, "current": request.path.startswith(url) and url != "/"}
        )
    user = getattr(request, "user", None)
    anonymous = user is not None and not user.is_authenticated
    current = next((item["url"] for item in items if item["current"]), "")
    return {
        "nav_items": items,
        "program_name": settings.PROGRAM_NAME,
        "user_roles": sorted(roles),
        # What an anonymous visitor's page header depends on (base.html keeps one copy of the
        # header per key in each process); None for a signed-in user, whose header is theirs.
        "anonymous_header_key": f"{settings.PROGRAM_NAME}\n{current}" if anonymous else None,
    }
