"""allauth's hooks: where people land after signing in, and how account e-mails name the
program (not the host name of the request)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from accounts.landing import landing_url
from accounts.models import User


class ProgramSite:
    """What allauth's e-mails call `current_site`: the program's name and public address."""

    def __init__(self) -> None:
        self.name = settings.PROGRAM_NAME
        self.domain = urlsplit(settings.SITE_URL).netloc or settings.SITE_URL

    def __str__(self) -> str:
        return self.name


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        assert isinstance(user, User)
        return landing_url(user=user)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            return landing_url(user=user)
        return super().get_signup_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {**context, "current_site": ProgramSite()}
        super().send_mail(template_prefix, email, context)
