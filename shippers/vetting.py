"""Vetting of a submitted application.

Until the background checks of the vetting engine exist, vetting moves the application
straight to an officer and says so on the timeline: no check is reported as passed.
"""

from __future__ import annotations

from shippers import services


def vetting_start(*, application_id: int) -> str:
    application = services.application_start_vetting(application_id=application_id)
    if application is None:
        return "skipped: not awaiting vetting"
    services.application_complete_vetting(
        application_id=application_id,
        risk_level="medium",
        summary={
            "checks": [],
            "note": "No automated checks are configured yet; every check needs an officer.",
        },
    )
    return "under review"
