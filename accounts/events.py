"""What the accounts app records in the audit log (`core.AuditEvent`)."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    USER_CHANGE_ROLES = "user.change_roles"


TITLES: dict[str, str] = {
    AuditAction.USER_CHANGE_ROLES: "Roles changed",
}
