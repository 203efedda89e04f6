"""Writes for enforcement, by sub-domain (as Zulip splits `zerver/actions/`):

- `cases`: opening and working a case, and ending it;
- `notices`: the pre-penalty and penalty notices; `approvals`: a supervisor's approval of a
  large one;
- `replies`: the respondent's reply to a pre-penalty notice and the officer's determination;
- `petitions`, `decisions`, `payments`;
- `consequences`: suspension and reinstatement of the known-shipper standing;
- `deadlines`: extensions and the scheduled reminders and warnings;
- `reference`: versions of the statutory figures and mitigation guidelines.

Each business action is one keyword-only function and one transaction that writes the change
and its one `core.AuditEvent`. The portal, the admin and the Celery tasks all call these
functions, through this package (`from enforcement import services`).
"""

from enforcement.services._common import approval_threshold, unpaid_suspension_days
from enforcement.services.approvals import case_approve_penalty_notice, case_reject_penalty_notice
from enforcement.services.cases import (
    case_add_evidence,
    case_add_note,
    case_assign,
    case_cancel,
    case_close,
    case_open,
    case_propose_amount,
    case_refer_for_collection,
    case_relate,
    case_start_investigation,
    case_update_facts,
    case_withdraw,
)
from enforcement.services.consequences import (
    can_reinstate_shipper,
    case_apply_consequences,
    case_reinstate_shipper,
)
from enforcement.services.deadlines import (
    case_extend_deadline,
    case_warn_limitations,
    deadline_flag_overdue,
    deadline_send_reminder,
)
from enforcement.services.decisions import case_decide
from enforcement.services.notices import case_issue_penalty_notice, case_issue_prepenalty_notice
from enforcement.services.payments import case_record_payment, case_review_payment
from enforcement.services.petitions import (
    case_file_petition,
    case_file_supplemental_petition,
    petition_window,
)
from enforcement.services.reference import (
    mitigation_guideline_add_version,
    mitigation_guideline_version_problems,
    statutory_figure_add_version,
    statutory_figure_version_problems,
)
from enforcement.services.replies import (
    case_record_reply_determination,
    case_reply_to_prepenalty_notice,
    determination_refusal,
    reply_refusal,
    reply_window,
)

__all__ = [
    "approval_threshold",
    "can_reinstate_shipper",
    "case_add_evidence",
    "case_add_note",
    "case_apply_consequences",
    "case_approve_penalty_notice",
    "case_assign",
    "case_cancel",
    "case_close",
    "case_decide",
    "case_extend_deadline",
    "case_file_petition",
    "case_file_supplemental_petition",
    "case_issue_penalty_notice",
    "case_issue_prepenalty_notice",
    "case_open",
    "case_propose_amount",
    "case_record_payment",
    "case_record_reply_determination",
    "case_refer_for_collection",
    "case_reinstate_shipper",
    "case_reject_penalty_notice",
    "case_relate",
    "case_reply_to_prepenalty_notice",
    "case_review_payment",
    "case_start_investigation",
    "case_update_facts",
    "case_warn_limitations",
    "case_withdraw",
    "deadline_flag_overdue",
    "deadline_send_reminder",
    "determination_refusal",
    "mitigation_guideline_add_version",
    "mitigation_guideline_version_problems",
    "petition_window",
    "reply_refusal",
    "reply_window",
    "statutory_figure_add_version",
    "statutory_figure_version_problems",
    "unpaid_suspension_days",
]
