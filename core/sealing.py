"""Secrets at rest: data a system must keep for a while but nobody may read from the
database or the admin (an e-mail carrying a password-reset link until it is delivered).

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a key derived from
SECRET_KEY; SECRET_KEY_FALLBACKS still open what older keys sealed, so keys can rotate.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SealBroken(Exception):
    """The sealed text was altered, or sealed with a key this deployment no longer has."""


def _fernet(secret: str, purpose: str) -> Fernet:
    digest = hashlib.sha256(f"known-shipper:{purpose}:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret, purpose) for secret in secrets])


def seal(value: Any, *, purpose: str) -> str:
    plain = json.dumps(value, separators=(",", ":")).encode("utf-8")
    return _keys(purpose).encrypt(plain).decode("ascii")


def unseal(token: str, *, purpose: str) -> Any:
    try:
        plain = _keys(purpose).decrypt(token.encode("ascii"))
    except InvalidToken as error:
        raise SealBroken("The sealed data cannot be opened with this deployment's keys.") from error
    return json.loads(plain)
