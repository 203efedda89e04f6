"""Where a signed-in person lands: the page for their role.

Accounts sits below the apps whose pages it names, so it names them by URL only (as the
navigation does); a page whose app is not installed is skipped.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from accounts.models import User
from accounts.roles import CONTENT_EDITOR, OFFICER, SUPERVISOR

# (role, URL name, URL kwargs): the first role the user holds decides. A user with none of
# these (a shipper, or a new account that has not registered an organisation yet) goes to
# the portal's dashboard, which leads on to registering or joining an organisation.
LANDINGS: list[tuple[str, str, dict[str, str]]] = [
    (SUPERVISOR, "admin:index", {}),
    (OFFICER, "admin:index", {}),
    (CONTENT_EDITOR, "admin:app_list", {"app_label": "education"}),
]
DEFAULT_LANDING = "shippers:dashboard"


def landing_url(*, user: User) -> str:
    roles = set(user.groups.values_list("name", flat=True))
    for role, url_name, kwargs in LANDINGS:
        if role in roles and user.is_staff:
            try:
                return reverse(url_name, kwargs=kwargs or None)
            except NoReverseMatch:
                continue
    try:
        return reverse(DEFAULT_LANDING)
    except NoReverseMatch:
        return reverse("home")
