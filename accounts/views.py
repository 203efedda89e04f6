"""The account page: who you are, what you may do, and the account's settings."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.landing import landing_url
from accounts.models import User
from accounts.roles import ROLE_LABELS
from accounts.selectors import user_roles


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    roles = user_roles(user=user)
    return render(
        request,
        "account/home.html",
        {
            "role_labels": [ROLE_LABELS[role] for role in roles],
            "email_addresses": EmailAddress.objects.filter(user=user).order_by("-primary"),
            "mfa_enabled": is_mfa_enabled(user),
            "landing_url": landing_url(user=user),
            "is_staff": user.is_staff,
        },
    )
