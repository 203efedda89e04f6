"""Education's panel on the portal's application pages: the training the program requires
of the applicant's type of business, with links, progress and who completed what.
Registered in `EducationConfig.ready()` (see `shippers.panels`)."""

from __future__ import annotations

from typing import Any

from education.selectors import required_training_status
from shippers.models import Application
from shippers.panels import PanelSpec
from shippers.selectors import applications_for_user
from shippers.workflow import OPEN_STATUSES


def training_panel_context(application: Application) -> dict[str, Any] | None:
    organisation = application.organisation
    user_ids = list(organisation.memberships.values_list("user_id", flat=True))
    status = required_training_status(user_ids=user_ids, business_type=organisation.business_type)
    if not status.required:
        return None
    return {
        "training": status,
        "done_count": len(status.completed),
        "required_count": len(status.required),
        "percent": round(100 * len(status.completed) / len(status.required)),
    }


SPEC = PanelSpec(
    key="required_training",
    template="education/includes/application_training_panel.html",
    context=training_panel_context,
    order=10,
)


def open_applications_for(user: Any) -> list[Application]:
    """The applications still being worked on of the organisations the user belongs to: the
    training pages link back to them (the application's panel sent the user here)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        applications_for_user(user=user)
        .filter(status__in=OPEN_STATUSES)
        .order_by("organisation__legal_name")[:5]
    )
