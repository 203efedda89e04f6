"""Education's vetting check: the training the program requires of the applicant's type of
business, completed by a member of the organisation. Registered in `EducationConfig.ready()`
(see `shippers.vetting.registry`)."""

from __future__ import annotations

from education.selectors import required_training_status
from shippers.models import Application, VettingCheck
from shippers.vetting.outcome import Outcome
from shippers.vetting.registry import CheckSpec

Status = VettingCheck.Status
KIND = "training"


def check_training(application: Application) -> Outcome:
    organisation = application.organisation
    user_ids = list(organisation.memberships.values_list("user_id", flat=True))
    status = required_training_status(user_ids=user_ids, business_type=organisation.business_type)
    evidence = {
        "required": [module.title for module in status.required],
        "completed": [
            {
                "module": module.title,
                "version": module.version,
                "by": module.completed_by,
                "at": module.completed_at.isoformat() if module.completed_at else None,
            }
            for module in status.completed
        ],
        "missing": [module.title for module in status.missing],
    }
    if not status.required:
        return Outcome(
            Status.PASSED,
            "No training is required for this type of business.",
            "Supervisors designate the modules required for each business type.",
            evidence=evidence,
        )
    if status.complete:
        return Outcome(
            Status.PASSED,
            f"All {len(status.required)} required training modules completed.",
            "A module counts when a member of the organisation passed its current version.",
            evidence=evidence,
        )
    return Outcome(
        Status.FAILED,
        "Not completed: " + ", ".join(module.title for module in status.missing) + ".",
        "A module counts when a member of the organisation passed its current version; the "
        "applicant sees what is still required in the portal.",
        evidence=evidence,
    )


SPEC = CheckSpec(
    kind=KIND, label="Required training", run=check_training, order=70, remediable=True
)
