"""Reads of vetting results, shaped for the officer's review page and the alert queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from shippers.models import Application, VettingCheck, VettingRun
from shippers.vetting.checks import screening as screening_check

Status = VettingCheck.Status

# Admin CSS has no status colours of its own; these are the message-list classes it has.
STATUS_CLASS: dict[str, str] = {
    Status.PASSED: "success",
    Status.FLAGGED: "warning",
    Status.FAILED: "error",
    Status.ERROR: "error",
    Status.PENDING: "info",
    Status.RUNNING: "info",
}


@dataclass
class CheckView:
    check: VettingCheck
    css: str
    evidence_lines: list[str] = field(default_factory=list)
    matches: list[dict[str, Any]] = field(default_factory=list)
    cleared: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RunView:
    run: VettingRun
    checks: list[CheckView]
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def runs_for(*, application: Application, limit: int = 10) -> QuerySet[VettingRun]:
    return (
        application.vetting_runs.select_related(
            "requested_by", "acknowledged_by", "list_version__screening_list"
        )
        .prefetch_related(Prefetch("checks", queryset=VettingCheck.objects.order_by("pk")))
        .order_by("-started_at", "-pk")[:limit]
    )


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(
            f"{key}: {_plain(item)}" for key, item in value.items() if item not in ("", None)
        )
    if isinstance(value, list | tuple):
        return "; ".join(_plain(item) for item in value) or "none"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _evidence_lines(evidence: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in evidence.items():
        label = key.replace("_", " ").capitalize()
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{label}:")
            lines.extend(f"  {_plain(item)}" for item in value)
        else:
            lines.append(f"{label}: {_plain(value)}")
    return lines


def _match_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    shaped = []
    for row in rows:
        explanation = row.get("explanation") or {}
        shaped.append(
            {
                **row,
                "summary": explanation.get("summary", ""),
                "token_matches": [
                    f"{item.get('query_token', item.get('query', ''))} ~ "
                    f"{item.get('listed_token', item.get('listed', ''))} "
                    f"({item.get('reason', '')}, {item.get('similarity', '')})"
                    for item in explanation.get("token_matches", [])
                    if isinstance(item, dict)
                ],
                "adjustments": [
                    f"{item.get('detail', '')} ({item.get('delta', item.get('factor', ''))})"
                    for item in explanation.get("adjustments", [])
                    if isinstance(item, dict)
                ],
            }
        )
    return shaped


def run_views(*, application: Application) -> list[RunView]:
    views = []
    for run in runs_for(application=application):
        checks = []
        for check in run.checks.all():
            view = CheckView(check=check, css=STATUS_CLASS.get(check.status, "info"))
            if check.kind == screening_check.KIND:
                view.matches = _match_rows(check.evidence.get("matches", []))
                view.cleared = _match_rows(check.evidence.get("cleared", []))
                rest = {
                    key: value
                    for key, value in check.evidence.items()
                    if key not in {"matches", "cleared"}
                }
                view.evidence_lines = _evidence_lines(rest)
            else:
                view.evidence_lines = _evidence_lines(check.evidence)
            checks.append(view)
        done = sum(1 for item in checks if item.check.is_final)
        views.append(RunView(run=run, checks=checks, done=done, total=len(checks)))
    return views


def open_alerts() -> QuerySet[VettingRun]:
    """Re-screening and re-vetting findings no officer has dealt with yet."""
    return (
        VettingRun.objects.filter(needs_attention=True, acknowledged_at__isnull=True)
        .select_related("application__organisation", "list_version")
        .order_by("started_at")
    )
