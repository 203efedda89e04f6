"""Writes for enforcement. Each business action is one keyword-only function, one transaction
(the case row locked with `select_for_update`, so concurrent transitions queue and the second
sees the first's result), and records its `CaseEvent`; e-mail is sent after commit.

The portal, the admin and the Celery tasks all call these functions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import SUPERVISOR
from enforcement import notifications, selectors
from enforcement.calculator import CalculationError, PenaltyCalculation
from enforcement.deadlines import (
    DeadlineError,
    extension_problems,
    limitations_date,
    payment_due,
    petition_due,
    prepenalty_response_due,
    supplemental_petition_due,
)
from enforcement.models import (
    ZERO,
    Case,
    CaseDocument,
    CaseEvent,
    CaseNote,
    Culpability,
    Deadline,
    DeadlineExtension,
    Decision,
    Notice,
    Payment,
    PenaltyNoticeApproval,
    Petition,
    ViolationType,
)
from enforcement.notices import notice_create
from enforcement.workflow import (
    Actor,
    TransitionNotAllowedError,
    transition_for,
)
from shippers.documents import UploadRejectedError, inspect_upload
from shippers.models import Organisation

S = Case.Status
D = Deadline.Kind

# Keys of the deadline periods in `StatutoryFigure` (law, with citations, as data).
PREPENALTY_RESPONSE_DAYS = "deadline.prepenalty_response_days"
PREPENALTY_MINIMUM_DAYS = "deadline.prepenalty_minimum_days"
PREPENALTY_SHORTENING_WINDOW_DAYS = "deadline.prepenalty_shortening_window_days"
PETITION_DAYS = "deadline.petition_days"
SEIZURE_PETITION_DAYS = "deadline.seizure_petition_days"
SUPPLEMENTAL_PETITION_DAYS = "deadline.supplemental_petition_days"
PAYMENT_DAYS = "deadline.payment_days"
LIMITATIONS_YEARS = "limitations.years"

FACT_FIELDS = frozenset(
    {
        "summary",
        "culpability",
        "entry_references",
        "violation_date",
        "discovery_date",
        "loss_of_revenue",
        "loss_date",
        "dutiable_value",
        "domestic_value",
        "msrp_genuine",
        "liquidated_damages_claim",
        "bond_amount",
        "prior_violations",
        "prior_disclosure",
        "prior_disclosure_date",
        "involves_seizure",
        "party_name",
        "party_identifiers",
        "party_address",
        "party_country",
    }
)


# -- program settings (policy, not law) -----------------------------------------------------


def approval_threshold() -> Decimal:
    """Penalty notices above this amount need a supervisor's approval."""
    return Decimal(str(getattr(settings, "ENFORCEMENT_SUPERVISOR_APPROVAL_ABOVE", "50000.00")))


def unpaid_suspension_days() -> int:
    """A decided penalty unpaid this many days past its due date suspends the shipper."""
    return int(getattr(settings, "ENFORCEMENT_SUSPEND_UNPAID_AFTER_DAYS", 30))


# -- helpers ---------------------------------------------------------------------------------


def _officer_kind(user: User) -> Actor:
    if not user.is_authenticated or not user.has_perm("enforcement.work_cases"):
        raise PermissionDenied("Only officers and supervisors can work penalty cases.")
    return Actor.SUPERVISOR if user.has_role(SUPERVISOR) else Actor.OFFICER


def _require_respondent(user: User, case: Case) -> None:
    organisation = case.organisation
    if (
        organisation is None
        or case.first_notice_at is None
        or not organisation.memberships.filter(user=user).exists()
    ):
        raise PermissionDenied("You do not act for the respondent of this case.")


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "pk"):
        return value.pk
    return value


def _record(
    case: Case,
    kind: str,
    *,
    actor: User | None,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    from_status: str = "",
    to_status: str = "",
    visible_to_respondent: bool = True,
    documents: Iterable[CaseDocument] = (),
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        reason=reason,
        detail=_jsonable(dict(detail or {})),
        from_status=from_status,
        to_status=to_status,
        visible_to_respondent=visible_to_respondent,
    )
    documents = list(documents)
    if documents:
        event.documents.set(documents)
    return event


def _transition(
    case: Case,
    name: str,
    *,
    actor: User | None,
    actor_kind: Actor,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    documents: Iterable[CaseDocument] = (),
    visible_to_respondent: bool = True,
) -> CaseEvent:
    transition = transition_for(case, name, actor_kind)
    from_status = case.status
    case.status = transition.target
    case.save(update_fields=["status"])
    return _record(
        case,
        name,
        actor=actor,
        reason=reason,
        detail=detail,
        from_status=from_status,
        to_status=transition.target,
        documents=documents,
        visible_to_respondent=visible_to_respondent,
    )


def _figure(key: str, day: date) -> int:
    try:
        return int(selectors.statutory_figure_value(key=key, day=day))
    except CalculationError as error:
        raise ValidationError(str(error)) from error


def _calculation(case: Case) -> PenaltyCalculation:
    try:
        return selectors.case_calculation(case=case)
    except CalculationError as error:
        raise ValidationError(str(error)) from error


def _amount(value: Any, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValidationError({field: "Enter an amount in dollars and cents."}) from error
    if amount < ZERO:
        raise ValidationError({field: "The amount cannot be negative."})
    return amount


def _check_amount(
    calculation: PenaltyCalculation, amount: Decimal, departure_reason: str, field: str = "amount"
) -> None:
    problems = calculation.amount_problems(amount, departure_reason)
    if problems:
        raise ValidationError({field: problems})


def _open_deadline(case: Case, kind: str, *, starts_on: date, due_on: date, rule: str) -> Deadline:
    return Deadline.objects.create(
        case=case, kind=kind, starts_on=starts_on, original_due_on=due_on, due_on=due_on, rule=rule
    )


def _end_deadlines(case: Case, kinds: Iterable[str] | None = None, *, met: bool = False) -> None:
    running = case.deadlines.filter(met_at__isnull=True, closed_at__isnull=True)
    if kinds is not None:
        running = running.filter(kind__in=list(kinds))
    running.update(**{"met_at" if met else "closed_at": timezone.now()})


def _store_upload(
    case: Case,
    upload: UploadedFile,
    *,
    kind: str,
    actor: User,
    visible_to_respondent: bool,
    description: str = "",
) -> CaseDocument:
    """Check the upload's content and store it under a server-generated name."""
    try:
        detected, sha256 = inspect_upload(upload, upload.size or 0)
    except UploadRejectedError as error:
        raise ValidationError({"documents": f"{upload.name}: {error}"}) from error
    document = CaseDocument(
        case=case,
        kind=kind,
        visible_to_respondent=visible_to_respondent,
        description=description.strip()[:300],
        original_name=(upload.name or "document")[:255],
        content_type=detected.content_type,
        size=upload.size or 0,
        sha256=sha256,
        uploaded_by=actor,
    )
    document.file.save(f"{uuid.uuid4().hex}.{detected.extension}", File(upload), save=False)
    document.save()
    return document


def _validate_subject_and_culpability(
    violation_type: str, culpability: str, organisation: Organisation | None, party_name: str
) -> None:
    errors: dict[str, str] = {}
    if violation_type not in ViolationType.values:
        errors["violation_type"] = "Choose a violation type."
    if violation_type == ViolationType.SECTION_1592 and culpability not in Culpability.values:
        errors["culpability"] = "A 19 USC 1592 case needs a culpability."
    if violation_type != ViolationType.SECTION_1592 and culpability:
        errors["culpability"] = "Culpability applies to 19 USC 1592 cases only."
    if organisation is None and not party_name.strip():
        errors["party_name"] = "Choose a registered organisation or name the party."
    if errors:
        raise ValidationError(errors)


def _limitations(case: Case) -> date:
    return limitations_date(
        violation_date=case.violation_date,
        discovery_date=case.discovery_date,
        is_fraud=case.culpability == Culpability.FRAUD,
        years=_figure(LIMITATIONS_YEARS, case.violation_date),
    )


# -- opening and working a case ----------------------------------------------------------------


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
    _officer_kind(actor)
    _validate_subject_and_culpability(violation_type, culpability, organisation, party_name)
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
        case.limitations_date = _limitations(case)
        case.full_clean(exclude=["number", "opened_by"])
        case.save()
        case.number = f"PC-{case.opened_at:%Y}-{case.pk:06d}"
        case.save(update_fields=["number"])
        _record(
            case,
            "opened",
            actor=actor,
            to_status=S.OPENED,
            detail={"violation_type": violation_type, "culpability": culpability},
        )
    return case


def case_update_facts(*, actor: User, case: Case, changes: Mapping[str, Any]) -> Case:
    """Correct or complete the facts. Issued notices keep the figures they were issued with."""
    _officer_kind(actor)
    unknown = set(changes) - FACT_FIELDS
    if unknown:
        raise ValueError(f"Unknown facts: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        case = _locked(case)
        if case.status in {S.PAID, S.CLOSED, S.WITHDRAWN, S.CANCELLED}:
            raise ValidationError("The case is finished; its facts can no longer change.")
        before = {name: getattr(case, name) for name in changes}
        for name, value in changes.items():
            setattr(case, name, value)
        _validate_subject_and_culpability(
            case.violation_type, case.culpability, case.organisation, case.party_name
        )
        case.limitations_date = _limitations(case)
        case.full_clean()
        case.save()
        changed = {
            name: {"from": before[name], "to": value}
            for name, value in changes.items()
            if before[name] != value
        }
        if changed:
            _record(case, "facts_updated", actor=actor, detail=changed, visible_to_respondent=False)
    return case


def case_assign(*, actor: User, case: Case, officer: User | None) -> Case:
    _officer_kind(actor)
    if officer is not None and not officer.has_perm("enforcement.work_cases"):
        raise ValidationError({"officer": "Cases can only be assigned to officers."})
    with transaction.atomic():
        case = _locked(case)
        previous = case.assigned_officer
        case.assigned_officer = officer
        case.save(update_fields=["assigned_officer"])
        _record(
            case,
            "assigned",
            actor=actor,
            detail={
                "from": previous.email if previous else None,
                "to": officer.email if officer else None,
            },
            visible_to_respondent=False,
        )
    return case


def case_add_note(*, actor: User, case: Case, text: str) -> CaseNote:
    _officer_kind(actor)
    if not text.strip():
        raise ValidationError({"text": "A note cannot be empty."})
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=actor, text=text.strip())
        _record(case, "note_added", actor=actor, visible_to_respondent=False)
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
    _officer_kind(actor)
    with transaction.atomic():
        case = _locked(case)
        document = _store_upload(
            case,
            upload,
            kind=CaseDocument.Kind.EVIDENCE
            if not visible_to_respondent
            else CaseDocument.Kind.OFFICER_DOCUMENT,
            actor=actor,
            visible_to_respondent=visible_to_respondent,
            description=description,
        )
        _record(
            case,
            "evidence_added",
            actor=actor,
            detail={"document": document.pk, "name": document.original_name},
            visible_to_respondent=visible_to_respondent,
            documents=[document],
        )
    return document


def case_relate(*, actor: User, case: Case, other: Case) -> None:
    _officer_kind(actor)
    if other.pk == case.pk:
        raise ValidationError("A case cannot be related to itself.")
    with transaction.atomic():
        case = _locked(case)
        case.related_cases.add(other)
        _record(
            case,
            "related",
            actor=actor,
            detail={"case": other.number},
            visible_to_respondent=False,
        )


def case_start_investigation(*, actor: User, case: Case, reason: str = "") -> Case:
    actor_kind = _officer_kind(actor)
    with transaction.atomic():
        case = _locked(case)
        # The respondent is not told of an investigation; its first notice tells it.
        _transition(
            case,
            "start_investigation",
            actor=actor,
            actor_kind=actor_kind,
            reason=reason.strip(),
            visible_to_respondent=False,
        )
    return case


def case_propose_amount(
    *, actor: User, case: Case, amount: Any, departure_reason: str = ""
) -> Case:
    """The officer's proposed penalty: within the mitigation range, or with a reason to
    depart from it; never above the statutory maximum."""
    _officer_kind(actor)
    amount = _amount(amount)
    with transaction.atomic():
        case = _locked(case)
        if case.status not in {S.OPENED, S.INVESTIGATING, S.PREPENALTY_NOTICE}:
            raise ValidationError("An amount is proposed before the penalty notice.")
        calculation = _calculation(case)
        _check_amount(calculation, amount, departure_reason)
        case.proposed_amount = amount
        case.departure_reason = departure_reason.strip()
        case.save(update_fields=["proposed_amount", "departure_reason"])
        _record(
            case,
            "amount_proposed",
            actor=actor,
            reason=departure_reason.strip(),
            detail={"amount": amount, "calculation": calculation.as_json()},
            visible_to_respondent=False,
        )
    return case


def _notice_context(case: Case, calculation: PenaltyCalculation) -> dict[str, Any]:
    return {
        "calc": calculation,
        "entry_references": list(case.entry_references),
    }


def case_issue_prepenalty_notice(
    *,
    actor: User,
    case: Case,
    amount: Any = None,
    departure_reason: str = "",
    response_days: int | None = None,
) -> Notice:
    """Issue the pre-penalty notice (19 USC 1592(b)(1)) with the proposed amount; the reply
    is due in 30 days, or fewer (not under 7) when under a year remains before the statute of
    limitations."""
    actor_kind = _officer_kind(actor)
    with transaction.atomic():
        case = _locked(case)
        transition_for(case, "issue_prepenalty_notice", actor_kind)
        if amount is None:
            if case.proposed_amount is None:
                raise ValidationError({"amount": "Propose an amount for the notice."})
            amount, departure_reason = case.proposed_amount, case.departure_reason
        amount = _amount(amount)
        calculation = _calculation(case)
        _check_amount(calculation, amount, departure_reason)
        today = timezone.localdate()
        try:
            due = prepenalty_response_due(
                issued_on=today,
                limitations_on=case.limitations_date,
                standard_days=_figure(PREPENALTY_RESPONSE_DAYS, today),
                minimum_days=_figure(PREPENALTY_MINIMUM_DAYS, today),
                shortening_window_days=_figure(PREPENALTY_SHORTENING_WINDOW_DAYS, today),
                requested_days=response_days,
            )
        except DeadlineError as error:
            raise ValidationError({"response_days": str(error)}) from error
        case.proposed_amount = amount
        case.departure_reason = departure_reason.strip()
        case.first_notice_at = case.first_notice_at or timezone.now()
        case.save(update_fields=["proposed_amount", "departure_reason", "first_notice_at"])
        deadline = _open_deadline(
            case, D.PREPENALTY_RESPONSE, starts_on=today, due_on=due.due_on, rule=due.rule
        )
        notice = notice_create(
            case=case,
            kind=Notice.Kind.PREPENALTY,
            issued_by=actor,
            amount=amount,
            calculation=calculation.as_json(),
            context={
                **_notice_context(case, calculation),
                "deadline": deadline,
                "departure_reason": case.departure_reason,
            },
        )
        _transition(
            case,
            "issue_prepenalty_notice",
            actor=actor,
            actor_kind=actor_kind,
            detail={
                "notice": notice.reference,
                "amount": amount,
                "reply_due": due.due_on,
                "rule": due.rule,
            },
        )
        transaction.on_commit(lambda: notifications.notice_issued(notice_id=notice.pk))
    return notice


def case_issue_penalty_notice(
    *, actor: User, case: Case, amount: Any, departure_reason: str = ""
) -> Notice | PenaltyNoticeApproval:
    """Issue the penalty notice; above the approval amount an officer's notice waits for a
    supervisor (`case_approve_penalty_notice`) and this returns the approval request."""
    actor_kind = _officer_kind(actor)
    amount = _amount(amount)
    with transaction.atomic():
        case = _locked(case)
        _check_penalty_notice(case, actor_kind, amount, departure_reason)
        if amount > approval_threshold() and actor_kind != Actor.SUPERVISOR:
            if case.approval_requests.filter(status=PenaltyNoticeApproval.Status.PENDING).exists():
                raise ValidationError("A penalty notice on this case is already awaiting approval.")
            approval = PenaltyNoticeApproval.objects.create(
                case=case,
                amount=amount,
                departure_reason=departure_reason.strip(),
                requested_by=actor,
            )
            _record(
                case,
                "penalty_notice_approval_requested",
                actor=actor,
                reason=departure_reason.strip(),
                detail={"amount": amount, "threshold": approval_threshold()},
                visible_to_respondent=False,
            )
            transaction.on_commit(lambda: notifications.approval_requested(approval_id=approval.pk))
            return approval
        return _issue_penalty_notice(
            case,
            actor=actor,
            actor_kind=actor_kind,
            amount=amount,
            departure_reason=departure_reason,
        )


def _check_penalty_notice(
    case: Case, actor_kind: Actor, amount: Decimal, departure_reason: str
) -> PenaltyCalculation:
    transition_for(case, "issue_penalty_notice", actor_kind)
    if case.violation_type == ViolationType.SECTION_1592 and case.status != S.PREPENALTY_NOTICE:
        raise ValidationError(
            "A 19 USC 1592 penalty notice must follow a pre-penalty notice (19 USC 1592(b))."
        )
    calculation = _calculation(case)
    _check_amount(calculation, amount, departure_reason)
    return calculation


def _issue_penalty_notice(
    case: Case,
    *,
    actor: User,
    actor_kind: Actor,
    amount: Decimal,
    departure_reason: str,
    detail: Mapping[str, Any] | None = None,
) -> Notice:
    calculation = _calculation(case)
    today = timezone.localdate()
    days = _figure(SEIZURE_PETITION_DAYS if case.involves_seizure else PETITION_DAYS, today)
    due = petition_due(issued_on=today, days=days, seizure=case.involves_seizure)
    _end_deadlines(case, [D.PREPENALTY_RESPONSE])
    case.assessed_amount = amount
    if departure_reason.strip():
        case.departure_reason = departure_reason.strip()
    case.first_notice_at = case.first_notice_at or timezone.now()
    case.save(update_fields=["assessed_amount", "departure_reason", "first_notice_at"])
    deadline = _open_deadline(case, D.PETITION, starts_on=today, due_on=due.due_on, rule=due.rule)
    notice = notice_create(
        case=case,
        kind=Notice.Kind.PENALTY,
        issued_by=actor,
        amount=amount,
        calculation=calculation.as_json(),
        context={
            **_notice_context(case, calculation),
            "deadline": deadline,
            "departure_reason": departure_reason.strip(),
        },
    )
    _transition(
        case,
        "issue_penalty_notice",
        actor=actor,
        actor_kind=actor_kind,
        detail={
            "notice": notice.reference,
            "amount": amount,
            "petition_due": due.due_on,
            "rule": due.rule,
            **dict(detail or {}),
        },
    )
    transaction.on_commit(lambda: notifications.notice_issued(notice_id=notice.pk))
    return notice


def _require_approver(actor: User) -> None:
    if not actor.has_perm("enforcement.approve_large_penalty"):
        raise PermissionDenied("Only a supervisor can approve a large penalty notice.")


def case_approve_penalty_notice(*, actor: User, approval: PenaltyNoticeApproval) -> Notice:
    """A supervisor (not the requester) approves; the notice is issued now."""
    _require_approver(actor)
    actor_kind = _officer_kind(actor)
    with transaction.atomic():
        case = _locked(approval.case)
        approval = PenaltyNoticeApproval.objects.select_for_update().get(pk=approval.pk)
        if approval.status != PenaltyNoticeApproval.Status.PENDING:
            raise ValidationError("This request has already been decided.")
        if approval.requested_by_id == actor.pk:
            raise PermissionDenied("The notice must be approved by a second person.")
        _check_penalty_notice(case, actor_kind, approval.amount, approval.departure_reason)
        approval.status = PenaltyNoticeApproval.Status.APPROVED
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "decided_by", "decided_at"])
        notice = _issue_penalty_notice(
            case,
            actor=actor,
            actor_kind=actor_kind,
            amount=approval.amount,
            departure_reason=approval.departure_reason,
            detail={"requested_by": approval.requested_by.email, "approved_by": actor.email},
        )
        transaction.on_commit(lambda: notifications.approval_decided(approval_id=approval.pk))
    return notice


def case_reject_penalty_notice(
    *, actor: User, approval: PenaltyNoticeApproval, reason: str
) -> PenaltyNoticeApproval:
    _require_approver(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Say why, for the officer."})
    with transaction.atomic():
        case = _locked(approval.case)
        approval = PenaltyNoticeApproval.objects.select_for_update().get(pk=approval.pk)
        if approval.status != PenaltyNoticeApproval.Status.PENDING:
            raise ValidationError("This request has already been decided.")
        approval.status = PenaltyNoticeApproval.Status.REJECTED
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.decision_reason = reason.strip()
        approval.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        _record(
            case,
            "penalty_notice_approval_rejected",
            actor=actor,
            reason=reason.strip(),
            detail={"amount": approval.amount},
            visible_to_respondent=False,
        )
        transaction.on_commit(lambda: notifications.approval_decided(approval_id=approval.pk))
    return approval


# -- the respondent's petitions ---------------------------------------------------------------


def petition_window(*, case: Case, kind: str) -> Deadline | None:
    """The running deadline for a petition of this kind, if any."""
    deadline_kind = D.PETITION if kind == Petition.Kind.PETITION else D.SUPPLEMENTAL_PETITION
    return selectors.current_deadline(case=case, kind=deadline_kind)


def _file_petition(
    *,
    actor: User,
    case: Case,
    text: str,
    uploads: Iterable[UploadedFile],
    kind: str,
) -> Petition:
    if not text.strip():
        raise ValidationError({"text": "Write your petition: the facts and why relief is due."})
    transition = "file_petition" if kind == Petition.Kind.PETITION else "file_supplemental_petition"
    with transaction.atomic():
        case = _locked(case)
        _require_respondent(actor, case)
        transition_for(case, transition, Actor.RESPONDENT)
        deadline = petition_window(case=case, kind=kind)
        today = timezone.localdate()
        if deadline is None or deadline.due_on < today:
            due = f" was due by {deadline.due_on:%-d %B %Y}" if deadline else " is closed"
            raise ValidationError(
                f"The {'petition' if kind == Petition.Kind.PETITION else 'supplemental petition'}"
                f"{due}. It can no longer be filed here; contact the officer named on the "
                "notice, who may grant an extension."
            )
        document_kind = (
            CaseDocument.Kind.PETITION
            if kind == Petition.Kind.PETITION
            else CaseDocument.Kind.SUPPLEMENTAL_PETITION
        )
        documents = [
            _store_upload(case, upload, kind=document_kind, actor=actor, visible_to_respondent=True)
            for upload in uploads
        ]
        petition = Petition.objects.create(case=case, kind=kind, text=text.strip(), filed_by=actor)
        petition.documents.set(documents)
        deadline.met_at = timezone.now()
        deadline.save(update_fields=["met_at"])
        if kind == Petition.Kind.SUPPLEMENTAL:
            # The payment period starts again with the decision on the supplemental petition.
            _end_deadlines(case, [D.PAYMENT])
        event = _transition(
            case,
            transition,
            actor=actor,
            actor_kind=Actor.RESPONDENT,
            detail={"petition": petition.pk, "documents": len(documents)},
            documents=documents,
        )
        transaction.on_commit(lambda: notifications.respondent_acted(event_id=event.pk))
    return petition


def case_file_petition(
    *, actor: User, case: Case, text: str, uploads: Iterable[UploadedFile] = ()
) -> Petition:
    """The respondent petitions for relief, before the petition deadline."""
    return _file_petition(
        actor=actor, case=case, text=text, uploads=uploads, kind=Petition.Kind.PETITION
    )


def case_file_supplemental_petition(
    *, actor: User, case: Case, text: str, uploads: Iterable[UploadedFile] = ()
) -> Petition:
    """The respondent asks for reconsideration of a decision (once), before its deadline."""
    if case.petitions.filter(kind=Petition.Kind.SUPPLEMENTAL).exists():
        raise ValidationError("A supplemental petition has already been filed on this case.")
    return _file_petition(
        actor=actor, case=case, text=text, uploads=uploads, kind=Petition.Kind.SUPPLEMENTAL
    )


# -- decisions and payment ------------------------------------------------------------------


def case_decide(
    *,
    actor: User,
    case: Case,
    amount: Any,
    reasoning: str,
    culpability: str | None = None,
    departure_reason: str = "",
    payment_days: int | None = None,
) -> Decision:
    """Decide the case (on a petition, a supplemental petition, or with none): the amount
    (mitigated within the guideline range or with a reason), the culpability finding for 1592,
    the payment period (up to 60 days) and, after a first decision, the supplemental petition
    period. A decision on a supplemental petition is final."""
    actor_kind = _officer_kind(actor)
    amount = _amount(amount)
    if not reasoning.strip():
        raise ValidationError({"reasoning": "Give the reasons for the decision."})
    with transaction.atomic():
        case = _locked(case)
        transition_for(case, "decide", actor_kind)
        is_supplemental = case.status == S.SUPPLEMENTAL_PETITION
        previous_culpability = case.culpability
        if culpability is not None and culpability != case.culpability:
            _validate_subject_and_culpability(
                case.violation_type, culpability, case.organisation, case.party_name
            )
            case.culpability = culpability
            case.limitations_date = _limitations(case)
        calculation = _calculation(case)
        _check_amount(calculation, amount, departure_reason)
        if case.assessed_amount is not None and amount > case.assessed_amount:
            raise ValidationError(
                {"amount": "A decision cannot exceed the amount of the penalty notice."}
            )
        today = timezone.localdate()
        _end_deadlines(case, [D.PETITION, D.SUPPLEMENTAL_PETITION, D.PAYMENT])
        payment = None
        if amount > ZERO:
            maximum = _figure(PAYMENT_DAYS, today)
            try:
                payment = payment_due(
                    decided_on=today, days=payment_days or maximum, maximum_days=maximum
                )
            except DeadlineError as error:
                raise ValidationError({"payment_days": str(error)}) from error
            _open_deadline(
                case, D.PAYMENT, starts_on=today, due_on=payment.due_on, rule=payment.rule
            )
        supplemental = None
        if not is_supplemental:
            supplemental = supplemental_petition_due(
                decided_on=today, days=_figure(SUPPLEMENTAL_PETITION_DAYS, today)
            )
            _open_deadline(
                case,
                D.SUPPLEMENTAL_PETITION,
                starts_on=today,
                due_on=supplemental.due_on,
                rule=supplemental.rule,
            )
        case.mitigated_amount = amount
        case.decided_at = timezone.now()
        case.save(
            update_fields=["culpability", "limitations_date", "mitigated_amount", "decided_at"]
        )
        notice = notice_create(
            case=case,
            kind=Notice.Kind.DECISION,
            issued_by=actor,
            amount=amount,
            calculation=calculation.as_json(),
            context={
                **_notice_context(case, calculation),
                "reasoning": reasoning.strip(),
                "departure_reason": departure_reason.strip(),
                "payment": payment,
                "supplemental": supplemental,
                "is_supplemental": is_supplemental,
                "culpability_changed": previous_culpability != case.culpability,
            },
        )
        decision = Decision.objects.create(
            case=case,
            amount=amount,
            culpability=case.culpability,
            reasoning=reasoning.strip(),
            departure_reason=departure_reason.strip(),
            payment_due_on=payment.due_on if payment else None,
            is_supplemental=is_supplemental,
            decided_by=actor,
            notice=notice,
        )
        _transition(
            case,
            "decide",
            actor=actor,
            actor_kind=actor_kind,
            reason=reasoning.strip(),
            detail={
                "notice": notice.reference,
                "amount": amount,
                "culpability": case.culpability,
                "previous_culpability": previous_culpability,
                "payment_due": payment.due_on if payment else None,
                "supplemental_petition_due": supplemental.due_on if supplemental else None,
                "final": is_supplemental,
            },
        )
        transaction.on_commit(lambda: notifications.notice_issued(notice_id=notice.pk))
        _apply_consequences(case)
    return decision


def case_record_payment(
    *,
    actor: User,
    case: Case,
    amount: Any,
    reference: str,
    paid_on: date,
    upload: UploadedFile | None = None,
) -> Payment:
    """Record a payment. The respondent's report awaits an officer's confirmation; an
    officer's record is confirmed at once."""
    amount = _amount(amount)
    if amount <= ZERO:
        raise ValidationError({"amount": "Enter the amount paid."})
    if not reference.strip():
        raise ValidationError({"reference": "Enter the payment reference."})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "The payment date cannot be in the future."})
    is_officer = actor.has_perm("enforcement.work_cases")
    with transaction.atomic():
        case = _locked(case)
        if not is_officer:
            _require_respondent(actor, case)
        if case.status not in {S.PENALTY_NOTICE, S.DECIDED, S.REFERRED_FOR_COLLECTION}:
            raise ValidationError(
                f"A payment cannot be recorded while the case is "
                f"{case.get_status_display().lower()}."
            )
        documents = []
        if upload is not None:
            documents.append(
                _store_upload(
                    case,
                    upload,
                    kind=CaseDocument.Kind.PAYMENT,
                    actor=actor,
                    visible_to_respondent=True,
                )
            )
        payment = Payment.objects.create(
            case=case,
            amount=amount,
            currency=case.currency,
            reference=reference.strip(),
            paid_on=paid_on,
            recorded_by=actor,
        )
        event = _record(
            case,
            "payment_reported" if not is_officer else "payment_recorded",
            actor=actor,
            detail={"payment": payment.pk, "amount": amount, "reference": payment.reference},
            documents=documents,
        )
        if is_officer:
            _confirm_payment(case, payment, actor=actor)
        else:
            transaction.on_commit(lambda: notifications.respondent_acted(event_id=event.pk))
    return payment


def _confirm_payment(case: Case, payment: Payment, *, actor: User) -> None:
    payment.status = Payment.Status.CONFIRMED
    payment.reviewed_by = actor
    payment.reviewed_at = timezone.now()
    payment.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    case.collected_amount += payment.amount
    case.save(update_fields=["collected_amount"])
    _record(
        case,
        "payment_confirmed",
        actor=actor,
        detail={
            "payment": payment.pk,
            "amount": payment.amount,
            "collected": case.collected_amount,
        },
    )
    if case.amount_due == ZERO:
        _end_deadlines(case, [D.PAYMENT, D.PETITION, D.SUPPLEMENTAL_PETITION], met=True)
        event = _transition(
            case,
            "mark_paid",
            actor=actor,
            actor_kind=_officer_kind(actor),
            detail={"collected": case.collected_amount},
        )
        transaction.on_commit(lambda: notifications.case_status_changed(event_id=event.pk))


def case_review_payment(
    *, actor: User, payment: Payment, received: bool, reason: str = ""
) -> Payment:
    """An officer confirms a reported payment (it counts as collected) or records that it was
    not received."""
    _officer_kind(actor)
    with transaction.atomic():
        case = _locked(payment.case)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != Payment.Status.REPORTED:
            raise ValidationError("This payment has already been reviewed.")
        if received:
            _confirm_payment(case, payment, actor=actor)
        else:
            if not reason.strip():
                raise ValidationError({"reason": "Say what was found, for the respondent."})
            payment.status = Payment.Status.REJECTED
            payment.reviewed_by = actor
            payment.reviewed_at = timezone.now()
            payment.save(update_fields=["status", "reviewed_by", "reviewed_at"])
            _record(
                case,
                "payment_not_received",
                actor=actor,
                reason=reason.strip(),
                detail={"payment": payment.pk, "amount": payment.amount},
            )
    return payment


# -- ending a case ----------------------------------------------------------------------------


def _end_case(
    *, actor: User, case: Case, name: str, reason: str, reason_required: bool = True
) -> Case:
    actor_kind = _officer_kind(actor)
    if reason_required and not reason.strip():
        raise ValidationError({"reason": "Give the reason; it is recorded on the case."})
    with transaction.atomic():
        case = _locked(case)
        transition_for(case, name, actor_kind)
        if name != "refer_for_collection":
            _end_deadlines(case)
            case.closed_at = timezone.now()
            case.save(update_fields=["closed_at"])
            case.approval_requests.filter(status=PenaltyNoticeApproval.Status.PENDING).update(
                status=PenaltyNoticeApproval.Status.REJECTED,
                decision_reason=f"The case was {name}.",
                decided_at=timezone.now(),
            )
        event = _transition(case, name, actor=actor, actor_kind=actor_kind, reason=reason.strip())
        transaction.on_commit(lambda: notifications.case_status_changed(event_id=event.pk))
    return case


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


def case_extend_deadline(
    *, actor: User, deadline: Deadline, new_due_on: date, reason: str
) -> Deadline:
    """The fines, penalties and forfeitures officer extends a running deadline."""
    _officer_kind(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the extension."})
    with transaction.atomic():
        case = _locked(deadline.case)
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if not deadline.is_open:
            raise ValidationError("Only a running deadline can be extended.")
        problems = extension_problems(
            current_due_on=deadline.due_on, new_due_on=new_due_on, today=timezone.localdate()
        )
        if problems:
            raise ValidationError({"new_due_on": problems})
        DeadlineExtension.objects.create(
            deadline=deadline,
            previous_due_on=deadline.due_on,
            new_due_on=new_due_on,
            reason=reason.strip(),
            granted_by=actor,
        )
        previous = deadline.due_on
        deadline.due_on = new_due_on
        deadline.reminded_at = None
        deadline.overdue_flagged_at = None
        deadline.save(update_fields=["due_on", "reminded_at", "overdue_flagged_at"])
        _record(
            case,
            "deadline_extended",
            actor=actor,
            reason=reason.strip(),
            detail={"deadline": deadline.get_kind_display(), "from": previous, "to": new_due_on},
        )
        deadline_id = deadline.pk
        transaction.on_commit(lambda: notifications.deadline_extended(deadline_id=deadline_id))
    return deadline


# -- consequences for the known-shipper standing ----------------------------------------------


def _consequence(case: Case, today: date) -> str:
    """Why the case now suspends the respondent's standing ("" when it does not)."""
    if case.violation_type == ViolationType.SECTION_1592 and case.culpability == Culpability.FRAUD:
        decided = case.decided_at is not None and case.status in {
            S.DECIDED,
            S.PAID,
            S.CLOSED,
            S.REFERRED_FOR_COLLECTION,
        }
        if decided:
            supplemental_window_open = case.deadlines.filter(
                kind=D.SUPPLEMENTAL_PETITION,
                met_at__isnull=True,
                closed_at__isnull=True,
                due_on__gte=today,
            ).exists()
            final = case.status != S.DECIDED or not supplemental_window_open
            if final:
                return f"Final fraud finding in penalty case {case.number}."
    if case.status in {S.DECIDED, S.REFERRED_FOR_COLLECTION} and (case.amount_due or ZERO) > ZERO:
        limit = today - timedelta(days=unpaid_suspension_days())
        overdue = case.deadlines.filter(kind=D.PAYMENT, met_at__isnull=True, due_on__lt=limit)
        waiting = case.payments.filter(status=Payment.Status.REPORTED).exists()
        payment = overdue.order_by("-due_on").first()
        if payment is not None and not waiting:
            return (
                f"The penalty decided in case {case.number} was due on "
                f"{payment.due_on:%-d %B %Y} and is unpaid {unpaid_suspension_days()} days later."
            )
    return ""


def _apply_consequences(case: Case) -> str:
    """Suspend the respondent's known-shipper standing once, when the case calls for it.
    Call with the case locked. Returns the outcome recorded ("" when nothing applies)."""
    from core.workflow import TransitionNotAllowed as ApplicationTransitionError
    from shippers import services as shipper_services

    if case.suspension_checked_at is not None:
        return ""
    reason = _consequence(case, timezone.localdate())
    if not reason:
        return ""
    standing = (
        shipper_services.organisation_current_standing(organisation=case.organisation)
        if case.organisation is not None
        else None
    )
    detail: dict[str, Any] = {"reason": reason}
    if case.organisation is None:
        outcome = "Nothing suspended: the respondent is not a registered organisation."
    elif standing is None:
        outcome = "Nothing suspended: the organisation holds no known-shipper standing."
    else:
        try:
            shipper_services.application_suspend(
                actor=None,
                application=standing,
                reason=reason,
                source=f"enforcement:{case.number}",
            )
        except ApplicationTransitionError:
            outcome = (
                f"Nothing suspended: application {standing.reference} is "
                f"{standing.get_status_display().lower()}."
            )
        else:
            case.suspended_application = standing
            outcome = f"Suspended the known-shipper standing ({standing.reference})."
        detail["application"] = standing.reference
    case.suspension_checked_at = timezone.now()
    case.suspension_outcome = outcome
    case.save(
        update_fields=["suspension_checked_at", "suspension_outcome", "suspended_application"]
    )
    _record(
        case,
        "suspension" if case.suspended_application_id else "suspension_not_applied",
        actor=None,
        reason=reason,
        detail={**detail, "outcome": outcome},
    )
    return outcome


def case_apply_consequences(*, case_id: int) -> str:
    """System (daily sweep and decisions): apply the case's consequences once. Idempotent."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        return _apply_consequences(case)


def case_reinstate_shipper(*, actor: User, case: Case, reason: str) -> Case:
    """After payment or closure an officer reinstates the standing the case suspended."""
    from shippers import services as shipper_services
    from shippers.models import Application

    _officer_kind(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the suspension ends."})
    with transaction.atomic():
        case = _locked(case)
        if case.status not in {S.PAID, S.CLOSED}:
            raise ValidationError("Reinstatement follows payment or closure of the case.")
        application = case.suspended_application
        if application is None or application.status != Application.Status.SUSPENDED:
            raise ValidationError("This case has no suspended standing to reinstate.")
        shipper_services.application_reinstate(
            actor=actor, application=application, reason=reason.strip()
        )
        _record(
            case,
            "shipper_reinstated",
            actor=actor,
            reason=reason.strip(),
            detail={"application": application.reference},
        )
    return case


def can_reinstate_shipper(*, case: Case) -> bool:
    application = case.suspended_application
    return (
        case.status in {S.PAID, S.CLOSED}
        and application is not None
        and application.status == "suspended"
    )


# -- scheduled work (idempotent) ----------------------------------------------------------------


def deadline_send_reminder(*, deadline_id: int, days_before: int) -> bool:
    """Remind the respondent once that a deadline falls due within `days_before` days."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline_id)
        today = timezone.localdate()
        if (
            not deadline.is_open
            or deadline.reminded_at is not None
            or not today <= deadline.due_on <= today + timedelta(days=days_before)
        ):
            return False
        deadline.reminded_at = timezone.now()
        deadline.save(update_fields=["reminded_at"])
        _record(
            deadline.case,
            "deadline_reminder",
            actor=None,
            detail={"deadline": deadline.get_kind_display(), "due_on": deadline.due_on},
        )
        transaction.on_commit(lambda: notifications.deadline_reminder(deadline_id=deadline_id))
    return True


def deadline_flag_overdue(*, deadline_id: int) -> bool:
    """Flag (once) a deadline that passed: the officer and the respondent are told."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline_id)
        if not deadline.is_overdue or deadline.overdue_flagged_at is not None:
            return False
        deadline.overdue_flagged_at = timezone.now()
        deadline.save(update_fields=["overdue_flagged_at"])
        _record(
            deadline.case,
            "deadline_overdue",
            actor=None,
            detail={"deadline": deadline.get_kind_display(), "due_on": deadline.due_on},
        )
        transaction.on_commit(lambda: notifications.deadline_overdue(deadline_id=deadline_id))
    return True


def case_warn_limitations(*, case_id: int, within_days: int) -> bool:
    """Warn the officer (once) that the statute of limitations is near."""
    from enforcement.workflow import OPEN_STATUSES

    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        horizon = timezone.localdate() + timedelta(days=within_days)
        if (
            case.status not in OPEN_STATUSES
            or case.limitations_warned_at is not None
            or case.limitations_date > horizon
        ):
            return False
        case.limitations_warned_at = timezone.now()
        case.save(update_fields=["limitations_warned_at"])
        _record(
            case,
            "limitations_warning",
            actor=None,
            detail={"limitations_date": case.limitations_date},
            visible_to_respondent=False,
        )
        transaction.on_commit(lambda: notifications.limitations_near(case_id=case_id))
    return True


__all__ = ["TransitionNotAllowedError"]
