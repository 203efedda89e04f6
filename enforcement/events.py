"""What enforcement writes to the audit log (`core.AuditEvent`), and how a case's timeline
reads it.

Actions on a case are "case.<kind>", the kinds the case timeline has always used (the older
per-case table moved into the log with those names), so one action name finds a kind of
event across the whole history. Versions of the statutory figures and mitigation guidelines
are audited on the row they add, with the version they replace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from core.models import AuditEvent
from enforcement.models import Case, Culpability, ViolationType


class AuditAction(StrEnum):
    OPENED = "case.opened"
    FACTS_UPDATED = "case.facts_updated"
    ASSIGNED = "case.assigned"
    NOTE_ADDED = "case.note_added"
    EVIDENCE_ADDED = "case.evidence_added"
    RELATED = "case.related"
    START_INVESTIGATION = "case.start_investigation"
    AMOUNT_PROPOSED = "case.amount_proposed"
    ISSUE_PREPENALTY_NOTICE = "case.issue_prepenalty_notice"
    ISSUE_PENALTY_NOTICE = "case.issue_penalty_notice"
    PREPENALTY_REPLY = "case.prepenalty_reply"
    REPLY_DETERMINATION = "case.reply_determination"
    APPROVAL_REQUESTED = "case.penalty_notice_approval_requested"
    APPROVAL_REJECTED = "case.penalty_notice_approval_rejected"
    FILE_PETITION = "case.file_petition"
    FILE_SUPPLEMENTAL_PETITION = "case.file_supplemental_petition"
    DECIDE = "case.decide"
    PAYMENT_REPORTED = "case.payment_reported"
    PAYMENT_RECORDED = "case.payment_recorded"
    PAYMENT_CONFIRMED = "case.payment_confirmed"
    PAYMENT_NOT_RECEIVED = "case.payment_not_received"
    MARK_PAID = "case.mark_paid"  # history only: payments now carry the status change
    CLOSE = "case.close"
    REFER_FOR_COLLECTION = "case.refer_for_collection"
    WITHDRAW = "case.withdraw"
    CANCEL = "case.cancel"
    DEADLINE_EXTENDED = "case.deadline_extended"
    DEADLINE_REMINDER = "case.deadline_reminder"
    DEADLINE_OVERDUE = "case.deadline_overdue"
    LIMITATIONS_WARNING = "case.limitations_warning"
    SUSPENSION = "case.suspension"
    SUSPENSION_NOT_APPLIED = "case.suspension_not_applied"
    SHIPPER_REINSTATED = "case.shipper_reinstated"
    STATUTORY_FIGURE_VERSION = "statutory_figure.add_version"
    MITIGATION_GUIDELINE_VERSION = "mitigation_guideline.add_version"


ACTION_LABELS: dict[str, str] = {
    AuditAction.OPENED: "Case opened",
    AuditAction.FACTS_UPDATED: "Facts updated",
    AuditAction.ASSIGNED: "Assigned",
    AuditAction.NOTE_ADDED: "Internal note",
    AuditAction.EVIDENCE_ADDED: "Document added",
    AuditAction.RELATED: "Related to another case",
    AuditAction.START_INVESTIGATION: "Investigation started",
    AuditAction.AMOUNT_PROPOSED: "Amount proposed",
    AuditAction.ISSUE_PREPENALTY_NOTICE: "Pre-penalty notice issued",
    AuditAction.ISSUE_PENALTY_NOTICE: "Penalty notice issued",
    AuditAction.PREPENALTY_REPLY: "Reply to the pre-penalty notice",
    AuditAction.REPLY_DETERMINATION: "Determination after the reply period (19 CFR 162.79)",
    AuditAction.APPROVAL_REQUESTED: "Penalty notice sent for a supervisor's approval",
    AuditAction.APPROVAL_REJECTED: "Penalty notice not approved",
    AuditAction.FILE_PETITION: "Petition filed",
    AuditAction.DECIDE: "Decision",
    AuditAction.FILE_SUPPLEMENTAL_PETITION: "Supplemental petition filed",
    AuditAction.PAYMENT_REPORTED: "Payment reported",
    AuditAction.PAYMENT_RECORDED: "Payment recorded",
    AuditAction.PAYMENT_CONFIRMED: "Payment confirmed",
    AuditAction.PAYMENT_NOT_RECEIVED: "Payment not received",
    AuditAction.MARK_PAID: "Paid",
    AuditAction.CLOSE: "Closed",
    AuditAction.REFER_FOR_COLLECTION: "Referred for collection",
    AuditAction.WITHDRAW: "Withdrawn",
    AuditAction.CANCEL: "Cancelled",
    AuditAction.DEADLINE_EXTENDED: "Deadline extended",
    AuditAction.DEADLINE_REMINDER: "Reminder sent",
    AuditAction.DEADLINE_OVERDUE: "Deadline passed",
    AuditAction.LIMITATIONS_WARNING: "Statute of limitations near",
    AuditAction.SUSPENSION: "Known-shipper status suspended",
    AuditAction.SUSPENSION_NOT_APPLIED: "Suspension considered: nothing suspended",
    AuditAction.SHIPPER_REINSTATED: "Known-shipper status reinstated",
    AuditAction.STATUTORY_FIGURE_VERSION: "New version of a statutory figure",
    AuditAction.MITIGATION_GUIDELINE_VERSION: "New version of a mitigation guideline",
}

# Readable names of the detail and change keys; keys not listed are shown capitalised.
FIELD_LABELS: dict[str, str] = {
    "amount": "Amount",
    "threshold": "Approval needed above",
    "notice": "Notice",
    "reply_due": "Reply due",
    "petition_due": "Petition due",
    "payment_due": "Payment due",
    "supplemental_petition_due": "Supplemental petition due",
    "rule": "Rule",
    "culpability": "Culpability",
    "previous_culpability": "Culpability before",
    "final": "Final",
    "petition": "Petition",
    "documents": "Documents",
    "document_ids": "Documents",
    "payment": "Payment",
    "reference": "Reference",
    "collected": "Collected so far",
    "deadline": "Deadline",
    "due_on": "Due on",
    "limitations_date": "Statute of limitations",
    "application": "Known-shipper application",
    "outcome": "Outcome",
    "requested_by": "Requested by",
    "approved_by": "Approved by",
    "assigned_officer": "Assigned officer",
    "case": "Case",
    "name": "File",
    "violation_type": "Violation",
    "lapsed_approval": "Approval request closed",
    "calculation": "Calculation",
    "replies": "Replies considered",
    "prepenalty_exception": "Without a pre-penalty notice under",
    "without_prepenalty_notice": "Facts recorded",
    "petition_period_reason": "Petition period",
}
HIDDEN_KEYS = frozenset({"calculation", "document", "document_ids"})
MONEY_KEYS = frozenset({"amount", "collected", "threshold", "lapsed_approval"})
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "status": dict(Case.Status.choices),
    "culpability": dict(Culpability.choices),
    "previous_culpability": dict(Culpability.choices),
    "violation_type": {value: label.split(":")[0] for value, label in ViolationType.choices},
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    return action.split(".", 1)[-1].replace("_", " ").capitalize()


def _readable(key: str, value: Any, currency: str = "USD") -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_readable(key, item, currency) for item in value) or "-"
    if isinstance(value, Mapping):
        return "; ".join(
            f"{_field_label(k)}: {_readable(k, v, currency)}" for k, v in value.items()
        )
    text = str(value)
    choices = CHOICE_LABELS.get(key)
    if choices is not None:
        return choices.get(text, text)
    try:
        return date.fromisoformat(text).strftime("%-d %B %Y") if len(text) == 10 else _time(text)
    except ValueError:
        pass
    if key in MONEY_KEYS or key.endswith("_amount"):
        try:
            return f"{currency} {Decimal(text):,.2f}"
        except InvalidOperation:
            return text
    return text


def _time(text: str) -> str:
    moment = datetime.fromisoformat(text)
    return moment.strftime("%-d %B %Y %H:%M")


def _field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key.replace("_", " ").capitalize())


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a case as people read it: labels and formatted values, never raw data."""

    at: datetime
    label: str
    actor: str
    from_status: str
    to_status: str
    from_status_label: str
    to_status_label: str
    reason: str
    details: list[tuple[str, str]]
    internal: bool
    document_ids: list[int]

    @property
    def visible_to_respondent(self) -> bool:
        return not self.internal


def timeline_entry(event: AuditEvent, currency: str = "USD") -> TimelineEntry:
    statuses = dict(Case.Status.choices)
    details = [
        (_field_label(key), _readable(key, value, currency))
        for key, value in event.detail.items()
        if key not in HIDDEN_KEYS
    ]
    details += [
        (
            _field_label(key),
            f"{_readable(key, change.get('before'), currency)} → "
            f"{_readable(key, change.get('after'), currency)}",
        )
        for key, change in event.changes.items()
        if key != "status" and isinstance(change, Mapping)
    ]
    if event.actor_id is not None:
        actor = event.actor_label or str(event.actor_id)
    else:
        actor = "system" if event.actor_kind == AuditEvent.ActorKind.SYSTEM else event.actor_kind
    return TimelineEntry(
        at=event.at,
        label=action_label(event.action),
        actor=actor,
        from_status=event.from_status,
        to_status=event.to_status,
        from_status_label=statuses.get(event.from_status, event.from_status),
        to_status_label=statuses.get(event.to_status, event.to_status),
        reason=event.reason,
        details=details,
        internal=event.internal,
        document_ids=[int(pk) for pk in event.detail.get("document_ids", [])],
    )
