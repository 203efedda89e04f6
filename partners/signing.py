"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

A secret is `whsec_` + base64 of 32 random bytes. A delivery carries `webhook-id`,
`webhook-timestamp` (Unix seconds) and `webhook-signature`: space-separated `v1,<base64
HMAC-SHA256 over "<id>.<timestamp>.<body>">`, one per secret in force (two during a
rotation's overlap). A receiver accepts the message when any signature matches one of its
secrets and the timestamp is recent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable, Mapping

PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(
    *, secrets_in_force: Iterable[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    signatures = " ".join(
        sign(secret=secret, message_id=message_id, timestamp=timestamp, body=body)
        for secret in secrets_in_force
    )
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signatures,
        "content-type": "application/json",
    }


def verify(
    *, secret: str, headers: Mapping[str, str], body: bytes, now: float | None = None
) -> bool:
    """What a receiver does: True when a `v1` signature matches and the timestamp is within
    five minutes."""
    lowered = {key.lower(): value for key, value in headers.items()}
    message_id = lowered.get("webhook-id", "")
    timestamp = lowered.get("webhook-timestamp", "")
    if not message_id or not timestamp.isdigit():
        return False
    if abs((now if now is not None else time.time()) - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret=secret, message_id=message_id, timestamp=int(timestamp), body=body)
    return any(
        hmac.compare_digest(candidate, expected)
        for candidate in lowered.get("webhook-signature", "").split()
    )
