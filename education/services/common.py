"""What every education service shares: the errors it raises and the permission check.

``actor=None`` means the system (the content loader, scheduled tasks); a user actor must hold
the model permission the action needs, so a shipper or an anonymous caller is refused here
whatever page or API calls the function.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import User


class EducationError(Exception):
    """A business rule refused the action; the message is meant for the person acting."""


class FeedbackRateLimited(EducationError):
    pass


class QuizOutdated(EducationError):
    pass


def require_permission(actor: User | None, permission: str) -> None:
    if actor is None:
        return
    if not (actor.is_authenticated and actor.is_active and actor.has_perm(permission)):
        raise PermissionDenied(f"{actor} may not do this ({permission}).")
