"""From check results to a risk level and a recommendation for the officer.

Rules (documented in the README, "Vetting"):
- high: a likely denied-party hit, a location under comprehensive sanctions, a link to an
  organisation that was rejected, suspended or revoked, or a serious or repeated
  infringement in the last three years (a failed check registered with `severe_failure`);
- medium: anything else not passed (a possible match, a missing document or training, a
  security profile below the minimum, an invalid identifier, a check that could not run);
- low: every check passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shippers.models import Application, VettingCheck
from shippers.vetting.registry import check_spec

Status = VettingCheck.Status


def _severe(check: VettingCheck) -> bool:
    spec = check_spec(check.kind)
    return spec is not None and spec.severe_failure


def _remediable(check: VettingCheck) -> bool:
    """Failures the applicant can put right by sending something: ask for it."""
    spec = check_spec(check.kind)
    return spec is not None and spec.remediable


@dataclass(frozen=True)
class Assessment:
    risk_level: str
    recommendation: str
    reasons: list[str]


def assess(checks: Iterable[VettingCheck]) -> Assessment:
    checks = list(checks)
    open_checks = [check for check in checks if check.status != Status.PASSED]
    reasons = [
        f"{check.get_kind_display()}: {check.get_status_display().lower()}. {check.summary}"
        for check in open_checks
    ]
    severe = [check for check in open_checks if check.status == Status.FAILED and _severe(check)]
    if severe:
        return Assessment(
            Application.Risk.HIGH,
            "High risk: do not approve unless the findings below are resolved; an approval "
            "needs a supervisor's confirmation. "
            + " ".join(f"{check.get_kind_display()}: {check.summary}" for check in severe),
            reasons,
        )
    if not open_checks:
        return Assessment(
            Application.Risk.LOW,
            "Low risk: every automated check passed. Approve after reviewing the documents "
            "and the security profile answers.",
            reasons,
        )
    remediable = [check for check in open_checks if _remediable(check)]
    errors = [check for check in open_checks if check.status == Status.ERROR]
    parts = []
    if errors:
        parts.append(
            "Check by hand what could not be checked automatically: "
            + ", ".join(check.get_kind_display().lower() for check in errors)
            + "."
        )
    if remediable:
        parts.append(
            "Request information for: "
            + ", ".join(check.get_kind_display().lower() for check in remediable)
            + "."
        )
    others = [check for check in open_checks if check not in remediable and check not in errors]
    if others:
        parts.append(
            "Review: " + ", ".join(check.get_kind_display().lower() for check in others) + "."
        )
    return Assessment(Application.Risk.MEDIUM, "Medium risk. " + " ".join(parts), reasons)
