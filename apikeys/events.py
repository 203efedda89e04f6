"""Audit actions of the API keys."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    CREATE = "apikey.create"
    REVOKE = "apikey.revoke"


TITLES: dict[str, str] = {
    AuditAction.CREATE: "API key created",
    AuditAction.REVOKE: "API key revoked",
}
