"""The verify page and API are kept in the shared cache (`core.public_cache`, scope
``"verify"``). Whatever changes what partners see (a certificate issued, an application
suspended, revoked, reinstated or expired, an organisation renamed) makes every stored
answer stale at once; these receivers see to it, whichever service or admin made the change.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from core import public_cache
from shippers.models import Application, Certificate, Organisation
from shippers.workflow import ApplicationStatus

SCOPE = "verify"
# An application in one of these states has (or had) a certificate partners can look up.
CERTIFIED_STATUSES = frozenset(
    {
        ApplicationStatus.APPROVED,
        ApplicationStatus.SUSPENDED,
        ApplicationStatus.REINSTATED,
        ApplicationStatus.REVOKED,
        ApplicationStatus.EXPIRED,
    }
)


def verification_changed() -> None:
    """Every stored verify answer is stale (also for callers outside this app)."""
    public_cache.invalidate(SCOPE)


def _certificate_saved(sender: Any, **kwargs: Any) -> None:
    verification_changed()


def _application_saved(sender: Any, instance: Application, **kwargs: Any) -> None:
    if instance.status in CERTIFIED_STATUSES:
        verification_changed()


def connect() -> None:
    post_save.connect(_certificate_saved, sender=Certificate, dispatch_uid="verify-cache-cert")
    post_delete.connect(_certificate_saved, sender=Certificate, dispatch_uid="verify-cache-cd")
    post_save.connect(_application_saved, sender=Application, dispatch_uid="verify-cache-app")
    post_save.connect(_certificate_saved, sender=Organisation, dispatch_uid="verify-cache-org")
