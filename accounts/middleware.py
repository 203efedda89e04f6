"""Staff sessions: a second factor on every request, and shorter lives.

A staff account (see `accounts.staff_sessions`) signed in with a session reaches nothing
but the MFA set-up, the MFA step, re-authentication and sign-out until this login has
passed MFA: HTML requests are redirected there with a message, API requests get 403 in
the API's error shape. Staff sessions end after `STAFF_SESSION_IDLE_SECONDS` without a
request and `STAFF_SESSION_MAX_SECONDS` after they began, with a message on the sign-in
page. Requests authenticated otherwise (a token, an API key) are judged by the DRF
authentication classes in `accounts.authentication`.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse

from accounts import staff_sessions

# What a staff session that has not passed MFA may still reach (URL names).
MFA_PENDING_ALLOWED = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_request_reauthentication_code",
        "account_confirm_reauthentication_code",
        "account_logout",
    }
)

MFA_REQUIRED_MESSAGE = (
    "Officer, supervisor and editor accounts must use two-factor authentication on every "
    "request. Set up an authenticator app, or enter a code from it, to continue."
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_refusal(code: str, message: str) -> JsonResponse:
    from config.logging import current_request_id

    return JsonResponse(
        {
            "error": {
                "status": 403,
                "code": code,
                "message": message,
                "request_id": current_request_id(),
            }
        },
        status=403,
    )


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class StaffMfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if not staff_sessions.is_staff_account(user) or request.path.startswith(
            settings.STATIC_URL
        ):
            return self.get_response(request)
        reason = staff_sessions.expiry_reason(request)
        if reason is not None:
            return self._expired(request, reason)
        staff_sessions.touch(request)
        if staff_sessions.session_passed_mfa(request, user):
            return self.get_response(request)
        url_name = _url_name(request)
        if url_name == "mfa_activate_totp" and request.method == "POST":
            return self._activation(request)
        if url_name in MFA_PENDING_ALLOWED:
            return self.get_response(request)
        return self._mfa_required(request)

    def _activation(self, request: HttpRequest) -> HttpResponse:
        """The code typed to activate TOTP proves the new factor: when this request created
        the user's authenticator, this login has passed MFA."""
        had_totp = staff_sessions.totp_of(request.user) is not None
        response = self.get_response(request)
        totp = staff_sessions.totp_of(request.user)
        if not had_totp and totp is not None:
            staff_sessions.record_activation_as_mfa(request, request.user, totp)
        return response

    def _expired(self, request: HttpRequest, reason: str) -> HttpResponse:
        logout(request)
        if _is_api(request):
            return _api_refusal("session_expired", reason)
        messages.warning(request, reason)
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse("account_login") + (f"?{query}" if query else ""))

    def _mfa_required(self, request: HttpRequest) -> HttpResponse:
        if _is_api(request):
            return _api_refusal(
                "mfa_required",
                "Staff accounts must pass two-factor authentication in this session before "
                "using the API: sign in again and enter a code from your authenticator app.",
            )
        messages.warning(request, MFA_REQUIRED_MESSAGE)
        target = "mfa_reauthenticate" if is_mfa_enabled(request.user) else "mfa_activate_totp"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
