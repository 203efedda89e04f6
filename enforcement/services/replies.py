"""The respondent's reply to a pre-penalty notice and the officer's determination on it.

19 USC 1592(b)(1)(A)(vii) gives the person a reasonable opportunity to make written
representations; 19 CFR 162.78(a) gives 30 days (fewer, not under 7, near the statute of
limitations). The penalty notice follows only after the reply period ends or a reply is
received, and the officer has considered it and determined whether there was a violation
(19 USC 1592(b)(2); 19 CFR 162.79). A reply is accepted in the portal until the deadline
(as extended) or until the determination, whichever comes first.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from enforcement import notifications, selectors
from enforcement.events import AuditAction
from enforcement.models import Case, CaseDocument, Deadline, PrepenaltyReply, ReplyOutcome
from enforcement.services._common import (
    end_deadlines,
    locked,
    officer_kind,
    record,
    require_respondent,
    store_upload,
)

S = Case.Status
D = Deadline.Kind


def reply_window(*, case: Case) -> Deadline | None:
    """The running reply deadline, if any (none once the officer has determined)."""
    if case.status != S.PREPENALTY_NOTICE or case.reply_considered_at is not None:
        return None
    return selectors.current_deadline(case=case, kind=D.PREPENALTY_RESPONSE)


def reply_refusal(*, case: Case) -> str:
    """Why the respondent cannot reply now ("" when they can)."""
    if case.status != S.PREPENALTY_NOTICE:
        return "There is no pre-penalty notice to answer at this stage."
    if case.reply_considered_at is not None:
        return (
            "The officer has considered the reply period and recorded a determination on "
            f"{case.reply_considered_at:%-d %B %Y}; a reply can no longer be added here."
        )
    deadline = reply_window(case=case)
    if deadline is None:
        return "The reply period has ended."
    if deadline.due_on < timezone.localdate():
        return (
            f"The reply period ended on {deadline.due_on:%-d %B %Y}, so the portal cannot "
            "accept a reply. The officer will now decide whether to issue a penalty notice. "
            "If you could not reply in time, contact the officer named on the notice, who may "
            "extend the period."
        )
    return ""


def case_reply_to_prepenalty_notice(
    *, actor: User, case: Case, text: str, uploads: Iterable[UploadedFile] = ()
) -> PrepenaltyReply:
    """The respondent's written representations, with documents, before the deadline."""
    if not text.strip():
        raise ValidationError(
            {"text": "Write your reply: why a penalty should not be issued, or not in this amount."}
        )
    with transaction.atomic():
        case = locked(case)
        require_respondent(actor, case)
        refusal = reply_refusal(case=case)
        if refusal:
            raise ValidationError(refusal)
        documents = [
            store_upload(
                case,
                upload,
                kind=CaseDocument.Kind.PREPENALTY_REPLY,
                actor=actor,
                visible_to_respondent=True,
            )
            for upload in uploads
        ]
        reply = PrepenaltyReply.objects.create(case=case, text=text.strip(), filed_by=actor)
        reply.documents.set(documents)
        event = record(
            case,
            AuditAction.PREPENALTY_REPLY,
            actor=actor,
            detail={"documents": len(documents)},
            documents=documents,
            acting_for_id=case.organisation_id,
        )
        event_id = event.pk
        transaction.on_commit(lambda: notifications.respondent_acted(event_id=event_id))
    return reply


def determination_refusal(*, case: Case) -> str:
    """Why the officer cannot record the determination yet ("" when they can)."""
    if case.status != S.PREPENALTY_NOTICE:
        return "A determination follows a pre-penalty notice."
    if case.reply_considered_at is not None:
        return "The determination is already recorded."
    if case.prepenalty_replies.exists():
        return ""
    deadline = selectors.current_deadline(case=case, kind=D.PREPENALTY_RESPONSE)
    if deadline is not None and deadline.due_on >= timezone.localdate():
        return (
            f"No reply has been received and the reply period runs until "
            f"{deadline.due_on:%-d %B %Y} (19 CFR 162.78(a)): wait for it to end or for a reply."
        )
    return ""


def case_record_reply_determination(
    *, actor: User, case: Case, outcome: str, determination: str
) -> Case:
    """The officer records, after considering any reply, whether a violation occurred
    (19 CFR 162.79). A penalty notice may follow only a "penalty warranted" determination."""
    officer_kind(actor)
    errors = {}
    if outcome not in ReplyOutcome.values:
        errors["outcome"] = "Choose the determination."
    if not determination.strip():
        errors["determination"] = "Explain the determination: what the reply said and why."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = locked(case)
        refusal = determination_refusal(case=case)
        if refusal:
            raise ValidationError(refusal)
        replied = case.prepenalty_replies.exists()
        end_deadlines(case, [D.PREPENALTY_RESPONSE], met=replied)
        case.reply_outcome = outcome
        case.reply_determination = determination.strip()
        case.reply_considered_at = timezone.now()
        case.reply_considered_by = actor
        case.save(
            update_fields=[
                "reply_outcome",
                "reply_determination",
                "reply_considered_at",
                "reply_considered_by",
            ]
        )
        record(
            case,
            AuditAction.REPLY_DETERMINATION,
            actor=actor,
            reason=determination.strip(),
            detail={
                "outcome": ReplyOutcome(outcome).label,
                "replies": case.prepenalty_replies.count(),
            },
        )
    return case
