"""Demo accounts for `make run`: one per role, with known passwords, never in production."""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts import roles
from accounts.models import User
from accounts.services import user_set_roles


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str


DEMO_ACCOUNTS = (
    DemoAccount("officer@demo.example", "Olivia Officer", roles.OFFICER),
    DemoAccount("supervisor@demo.example", "Samuel Supervisor", roles.SUPERVISOR),
    DemoAccount("editor@demo.example", "Edith Editor", roles.CONTENT_EDITOR),
    DemoAccount("shipper.one@demo.example", "Sofia Seller", roles.SHIPPER),
    DemoAccount("shipper.two@demo.example", "Tomas Trader", roles.SHIPPER),
    DemoAccount("partner@demo.example", "Paula Partner", roles.PARTNER),
)


@dataclass
class DemoCredentials:
    account: DemoAccount
    created: bool
    totp_secret: str = ""
    api_token: str = ""


def demo_account_ensure(*, account: DemoAccount, password: str) -> DemoCredentials:
    """Create or refresh one demo account: verified e-mail, role, password, and a second
    factor for staff roles (officers must use MFA) or an API token for partners."""
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            email=account.email, defaults={"full_name": account.full_name}
        )
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        user_set_roles(user=user, roles=[account.role])
        credentials = DemoCredentials(account=account, created=created)
        if account.role in roles.STAFF_ROLES:
            totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            if totp is None:
                totp = TOTP.activate(user, generate_totp_secret()).instance
            credentials.totp_secret = get_mfa_adapter().decrypt(totp.data["secret"])
            if not Authenticator.objects.filter(
                user=user, type=Authenticator.Type.RECOVERY_CODES
            ).exists():
                RecoveryCodes.activate(user)
        if account.role == roles.PARTNER:
            credentials.api_token = Token.objects.get_or_create(user=user)[0].key
    return credentials


def current_totp_code(secret: str, period: int = 30) -> str:
    """The code an authenticator app would show now for this secret (RFC 6238)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
