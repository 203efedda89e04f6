"""Penalty cases: who, what violation, the facts the penalty is computed from, and the
case's path from opening to payment or closure.

A case's status is an explicit state machine (`enforcement.workflow`); it changes only
through `enforcement.services`, which records a `core.AuditEvent` with every change. Statutory
figures (multiples, caps, de minimis penalty amounts, deadline periods) and the mitigation
guidelines are data with citations and effective dates, maintained by supervisors as
immutable versions (a change is a new row from a date); they are never constants in code.
Money is `Decimal` in the case's currency, quantized to cents.
"""

from enforcement.models._base import ZERO, Culpability, ViolationType
from enforcement.models.cases import (
    FINAL_CASE_STATUSES,
    Case,
    CaseDocument,
    CaseNote,
    CaseQuerySet,
    Deadline,
    DeadlineExtension,
    DeadlineQuerySet,
    Decision,
    Notice,
    Payment,
    PenaltyNoticeApproval,
    Petition,
    PrepenaltyException,
    PrepenaltyReply,
    ReplyOutcome,
)
from enforcement.models.reference import MitigationGuideline, StatutoryFigure

__all__ = [
    "FINAL_CASE_STATUSES",
    "ZERO",
    "Case",
    "CaseDocument",
    "CaseNote",
    "CaseQuerySet",
    "Culpability",
    "Deadline",
    "DeadlineExtension",
    "DeadlineQuerySet",
    "Decision",
    "MitigationGuideline",
    "Notice",
    "Payment",
    "PenaltyNoticeApproval",
    "Petition",
    "PrepenaltyException",
    "PrepenaltyReply",
    "ReplyOutcome",
    "StatutoryFigure",
    "ViolationType",
]
