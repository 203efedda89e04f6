"""Audit actions of vetting (officers' work on vetting results), written to `core.AuditEvent`
by `shippers.vetting.services` with the application as target; all internal."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    VETTING_RUN_REQUEST = "vetting_run.request"
    SCREENING_MATCH_CLEAR = "screening_match.clear"
    VETTING_ALERT_ACKNOWLEDGE = "vetting_alert.acknowledge"


TITLES: dict[str, str] = {
    AuditAction.VETTING_RUN_REQUEST: "Vetting run again",
    AuditAction.SCREENING_MATCH_CLEAR: "Screening match cleared as a false positive",
    AuditAction.VETTING_ALERT_ACKNOWLEDGE: "Vetting alert acknowledged",
}
