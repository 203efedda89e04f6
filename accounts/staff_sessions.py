"""The policy for staff sessions: who counts as staff, whether this session passed MFA, and
how long a staff session may live (idle and absolute limits, `STAFF_SESSION_*` settings).

A staff account is one with `is_staff` (or `is_superuser`) or any staff role (officer,
supervisor, content editor). Its session passed MFA when allauth recorded an "mfa"
authentication for that user in this session (`get_authentication_records`): the second
step of a sign-in, a re-authentication with a code, or, on the first sign-in of an account
without an authenticator, the activation of TOTP itself (the code typed proves the new
factor; `record_activation_as_mfa`, called by the middleware).
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.http import HttpRequest

from accounts.roles import STAFF_ROLES

# Session keys: when the staff session began and when it was last used (epoch seconds).
STARTED_KEY = "staff_session_started"
LAST_SEEN_KEY = "staff_session_last_seen"
# Last-seen is written at most this often, not on every request.
LAST_SEEN_RESOLUTION_SECONDS = 30


def is_staff_account(user: Any) -> bool:
    """Staff for the MFA and session rules: the staff flag or any staff role."""
    if not getattr(user, "is_authenticated", False) or not hasattr(user, "groups"):
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_staff_role_cache", None)
    if cached is None:
        cached = user.groups.filter(name__in=STAFF_ROLES).exists()
        user._staff_role_cache = cached
    return bool(cached)


def session_passed_mfa(request: HttpRequest, user: Any) -> bool:
    """True when this session holds an MFA authentication record for this user."""
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def totp_of(user: Any) -> Any:
    """The user's TOTP authenticator, or None."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()


def record_activation_as_mfa(request: HttpRequest, user: Any, authenticator: Any) -> None:
    """A signed-in user who has just activated TOTP typed a valid code of it: this login
    has now used a second factor (allauth records only sign-in and re-authentication)."""
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
    )


def idle_limit() -> int:
    return int(settings.STAFF_SESSION_IDLE_SECONDS)


def absolute_limit() -> int:
    return int(settings.STAFF_SESSION_MAX_SECONDS)


def expiry_reason(request: HttpRequest, now: float | None = None) -> str | None:
    """Why this staff session has ended, or None while it is within both limits."""
    now = time.time() if now is None else now
    session = request.session
    started = session.get(STARTED_KEY)
    last_seen = session.get(LAST_SEEN_KEY)
    if isinstance(started, int | float) and now - started > absolute_limit():
        hours = absolute_limit() / 3600
        return (
            f"Staff sessions last at most {hours:g} hours. Your session has ended: sign in "
            "again to continue."
        )
    if isinstance(last_seen, int | float) and now - last_seen > idle_limit():
        minutes = idle_limit() / 60
        return (
            f"Your session ended after {minutes:g} minutes without activity. Sign in again "
            "to continue."
        )
    return None


def touch(request: HttpRequest, now: float | None = None) -> None:
    """Note that the staff session is in use; start its clock on first use. The session
    cookie itself expires after the idle limit too."""
    now = time.time() if now is None else now
    session = request.session
    if not isinstance(session.get(STARTED_KEY), int | float):
        session[STARTED_KEY] = now
    last_seen = session.get(LAST_SEEN_KEY)
    if not isinstance(last_seen, int | float) or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
        session[LAST_SEEN_KEY] = now
        session.set_expiry(idle_limit())


def start(request: HttpRequest) -> None:
    """A new login: both clocks start now."""
    now = time.time()
    request.session[STARTED_KEY] = now
    request.session[LAST_SEEN_KEY] = now
