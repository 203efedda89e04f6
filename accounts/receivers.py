"""Signal receivers of the accounts app (connected in `AccountsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts import staff_sessions


def logged_in(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    if (
        request is not None
        and hasattr(request, "session")
        and staff_sessions.is_staff_account(user)
    ):
        staff_sessions.start(request)
