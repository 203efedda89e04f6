"""Opening and working a case, and ending it (closed, referred, withdrawn, cancelled)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.audit import diff
from enforcement import notifications
from enforcement.events import AuditAction
from enforcement.models import ZERO, Case, CaseDocument, CaseNote, PenaltyNoticeApproval
from enforcement.services._common import (
    FACT_FIELDS,
    calculation_of,
    check_amount,
    end_deadlines,
    locked,
    money,
    officer_kind,
    record,
    set_limitations,
    store_upload,
    transition,
    validate_subject_and_culpability,
)
from enforcement.workflow import APPROVAL, CASE, FINAL_STATUSES
from shippers.models import Organisation

S = Case.Status


def case_open(
    *,
    actor: User,
    violation_type: str,
    summary: str,
    violation_date: date,
    organisation: Organisation | None = None,
    party_name: str = "",
    party_identifiers: Iterable[str] = (),
    party_address: str = "",
    party_country: str = "",
    culpability: str = "",
    discovery_date: date | None = None,
    entry_references: Iterable[str] = (),
    facts: Mapping[str, Any] | None = None,
    assigned_officer: User | None = None,
) -> Case:
    """Open a case against a registered organisation or an unregistered party."""
    officer_kind(actor)
    validate_subject_and_culpability(violation_type, culpability, organisation, party_name)
    if not summary.strip():
        raise ValidationError({"summary": "Describe the violation."})
    if violation_date > timezone.localdate():
        raise ValidationError({"violation_date": "The violation date cannot be in the future."})
    unknown = set(facts or {}) - FACT_FIELDS
    if unknown:
        raise ValueError(f"Unknown facts: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        case = Case(
            number=f"pending-{uuid.uuid4().hex[:12]}",
            organisation=organisation,
            party_name=party_name.strip(),
            party_identifiers=[i.strip() for i in party_identifiers if i.strip()],
            party_address=party_address.strip(),
            party_country=party_country.upper(),
            violation_type=violation_type,
            culpability=culpability,
            summary=summary.strip(),
            violation_date=violation_date,
            discovery_date=discovery_date,
            entry_references=[r.strip() for r in entry_references if r.strip()],
            assigned_officer=assigned_officer or actor,
            opened_by=actor,
            **dict(facts or {}),
        )
        set_limitations(case)
        case.full_clean(exclude=["number", "opened_by"])
        case.save()
        case.number = f"PC-{case.opened_at:%Y}-{case.pk:06d}"
        case.save(update_fields=["number"])
        record(
            case,
            AuditAction.OPENED,
            actor=actor,
            changes={"status": {"before": None, "after": S.OPENED}},
            detail={"violation_type": violation_type, "culpability": culpability},
        )
    return case


def case_update_facts(*, actor: User, case: Case, changes: Mapping[str, Any]) -> Case:
    """Correct or complete the facts. Issued notices keep the figures they were issued with."""
    officer_kind(actor)
    unknown = set(changes) - FACT_FIELDS
    if unknown:
        raise ValueError(f"Unknown facts: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        case = locked(case)
        if case.status in FINAL_STATUSES:
            raise ValidationError("The case is finished; its facts can no longer change.")
        before = {name: getattr(case, name) for name in changes}
        for name, value in changes.items():
            setattr(case, name, value)
        validate_subject_and_culpability(
            case.violation_type, case.culpability, case.organisation, case.party_name
        )
        set_limitations(case)
        case.full_clean()
        case.save()
        changed = diff(before, dict(changes))
        if changed:
            record(case, AuditAction.FACTS_UPDATED, actor=actor, changes=changed, internal=True)
    return case


def case_assign(*, actor: User, case: Case, officer: User | None) -> Case:
    officer_kind(actor)
    if officer is not None and not officer.has_perm("enforcement.work_cases"):
        raise ValidationError({"officer": "Cases can only be assigned to officers."})
    with transaction.atomic():
        case = locked(case)
        previous = case.assigned_officer
        case.assigned_officer = officer
        case.save(update_fields=["assigned_officer"])
        record(
            case,
            AuditAction.ASSIGNED,
            actor=actor,
            changes={
                "assigned_officer": {
                    "before": previous.email if previous else None,
                    "after": officer.email if officer else None,
                }
            },
            internal=True,
        )
    return case


def case_add_note(*, actor: User, case: Case, text: str) -> CaseNote:
    """An officer's note: stored on the case and recorded as an internal event."""
    officer_kind(actor)
    if not text.strip():
        raise ValidationError({"text": "A note cannot be empty."})
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=actor, text=text.strip())
        record(
            case,
            AuditAction.NOTE_ADDED,
            actor=actor,
            reason=note.text,
            detail={"note": note.pk},
            internal=True,
        )
    return note


def case_add_evidence(
    *,
    actor: User,
    case: Case,
    upload: UploadedFile,
    description: str = "",
    visible_to_respondent: bool = False,
) -> CaseDocument:
    """Evidence is internal unless the officer shares it with the respondent."""
    officer_kind(actor)
    with transaction.atomic():
        case = locked(case)
        document = store_upload(
            case,
            upload,
            kind=CaseDocument.Kind.EVIDENCE
            if not visible_to_respondent
            else CaseDocument.Kind.OFFICER_DOCUMENT,
            actor=actor,
            visible_to_respondent=visible_to_respondent,
            description=description,
        )
        record(
            case,
            AuditAction.EVIDENCE_ADDED,
            actor=actor,
            detail={"name": document.original_name},
            internal=not visible_to_respondent,
            documents=[document],
        )
    return document


def case_relate(*, actor: User, case: Case, other: Case) -> None:
    officer_kind(actor)
    if other.pk == case.pk:
        raise ValidationError("A case cannot be related to itself.")
    with transaction.atomic():
        case = locked(case)
        case.related_cases.add(other)
        record(case, AuditAction.RELATED, actor=actor, detail={"case": other.number}, internal=True)


def case_start_investigation(*, actor: User, case: Case, reason: str = "") -> Case:
    actor_kind = officer_kind(actor)
    with transaction.atomic():
        case = locked(case)
        # The respondent is not told of an investigation; its first notice tells it.
        transition(
            case,
            "start_investigation",
            actor=actor,
            actor_kind=actor_kind,
            reason=reason.strip(),
            internal=True,
        )
    return case


def case_propose_amount(
    *, actor: User, case: Case, amount: Any, departure_reason: str = ""
) -> Case:
    """The officer's proposed penalty: within the mitigation range, or with a reason to
    depart from it; never above the statutory maximum."""
    officer_kind(actor)
    amount = money(amount)
    with transaction.atomic():
        case = locked(case)
        if case.status not in {S.OPENED, S.INVESTIGATING, S.PREPENALTY_NOTICE}:
            raise ValidationError("An amount is proposed before the penalty notice.")
        calculation = calculation_of(case)
        check_amount(calculation, amount, departure_reason)
        before = case.proposed_amount
        case.proposed_amount = amount
        case.departure_reason = departure_reason.strip()
        case.save(update_fields=["proposed_amount", "departure_reason"])
        record(
            case,
            AuditAction.AMOUNT_PROPOSED,
            actor=actor,
            reason=departure_reason.strip(),
            changes={"proposed_amount": {"before": before, "after": amount}},
            detail={"amount": amount, "calculation": calculation.as_json()},
            internal=True,
        )
    return case


# -- ending a case ----------------------------------------------------------------------------


def _end_case(
    *, actor: User, case: Case, name: str, reason: str, reason_required: bool = True
) -> Case:
    actor_kind = officer_kind(actor)
    if reason_required and not reason.strip():
        raise ValidationError({"reason": "Give the reason; it is recorded on the case."})
    with transaction.atomic():
        case = locked(case)
        CASE.check(case, name, actor_kind)
        detail: dict[str, Any] = {}
        if name != "refer_for_collection":
            end_deadlines(case)
            case.closed_at = timezone.now()
            case.save(update_fields=["closed_at"])
            detail = _lapse_pending_approvals(case, actor_kind=actor_kind, name=name)
        event = transition(
            case, name, actor=actor, actor_kind=actor_kind, reason=reason.strip(), detail=detail
        )
        event_id = event.pk
        transaction.on_commit(lambda: notifications.case_status_changed(event_id=event_id))
    return case


def _lapse_pending_approvals(case: Case, *, actor_kind: Any, name: str) -> dict[str, Any]:
    """A request still waiting for a supervisor ends with the case (recorded on its event)."""
    pending = case.approval_requests.select_for_update().filter(
        status=PenaltyNoticeApproval.Status.PENDING
    )
    lapsed = []
    for approval in pending:
        APPROVAL.apply(approval, "lapse", actor_kind)
        approval.decision_reason = f"The case was {name}."
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "decision_reason", "decided_at"])
        lapsed.append(approval.amount)
    return {"lapsed_approval": lapsed} if lapsed else {}


def case_close(*, actor: User, case: Case, reason: str = "") -> Case:
    """Close a paid case, a decided one (e.g. nothing to pay) or one back from collection.
    Closing with an amount still due needs a reason."""
    if (case.amount_due or ZERO) > ZERO and not reason.strip():
        raise ValidationError({"reason": "An amount is still due: give the reason to close."})
    return _end_case(
        actor=actor, case=case, name="close", reason=reason or "Closed.", reason_required=False
    )


def case_refer_for_collection(*, actor: User, case: Case, reason: str) -> Case:
    return _end_case(actor=actor, case=case, name="refer_for_collection", reason=reason)


def case_withdraw(*, actor: User, case: Case, reason: str) -> Case:
    return _end_case(actor=actor, case=case, name="withdraw", reason=reason)


def case_cancel(*, actor: User, case: Case, reason: str) -> Case:
    return _end_case(actor=actor, case=case, name="cancel", reason=reason)
