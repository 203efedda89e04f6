"""What the enforcement services share: who is acting, the row lock, the figures in force,
money and deadlines, stored uploads, and writing the case's audit event.

Each business action is one keyword-only function and one transaction: the case row is
locked (`select_for_update`) so concurrent actions queue and the second sees the first's
result; the change and its one `core.AuditEvent` are written together; e-mail is sent after
commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.models import User
from accounts.roles import staff_kind
from core.audit import audit_record
from core.models import AuditEvent
from core.workflow import ActorKind
from enforcement import selectors
from enforcement.calculator import CalculationError, PenaltyCalculation
from enforcement.deadlines import ComputedDeadline, limitations_date
from enforcement.models import (
    ZERO,
    Case,
    CaseDocument,
    Culpability,
    Deadline,
    ViolationType,
)
from enforcement.workflow import CASE
from shippers.documents import UploadRejectedError, inspect_upload
from shippers.models import Organisation

S = Case.Status
D = Deadline.Kind

# Keys of the deadline periods in `StatutoryFigure` (law, with citations, as data).
PREPENALTY_RESPONSE_DAYS = "deadline.prepenalty_response_days"
PREPENALTY_EXCEPTION_CLAIM_MAX = "1592.prepenalty_exception.claim_max"
PREPENALTY_MINIMUM_DAYS = "deadline.prepenalty_minimum_days"
PREPENALTY_SHORTENING_WINDOW_DAYS = "deadline.prepenalty_shortening_window_days"
PETITION_DAYS = "deadline.petition_days"
SEIZURE_PETITION_DAYS = "deadline.seizure_petition_days"
SUPPLEMENTAL_PETITION_DAYS = "deadline.supplemental_petition_days"
PAYMENT_DAYS = "deadline.payment_days"
LIMITATIONS_YEARS = "limitations.years"
BOND_CLAIM_YEARS = "limitations.bond_claim_years"
PETITION_MINIMUM_WORKING_DAYS = "deadline.petition_minimum_working_days"
PETITION_SHORTENING_WINDOW_DAYS = "deadline.petition_shortening_window_days"
PETITION_LONGEST_DAYS = "deadline.petition_longest_days"

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


# -- who acts -----------------------------------------------------------------------------------


def officer_kind(user: User) -> ActorKind:
    """The staff kind (`accounts.roles.staff_kind`) of someone allowed to work cases."""
    kind = staff_kind(user) if user.has_perm("enforcement.work_cases") else None
    if kind is None:
        raise PermissionDenied("Only officers and supervisors can work penalty cases.")
    return kind


def require_respondent(user: User, case: Case) -> None:
    organisation = case.organisation
    if (
        organisation is None
        or case.first_notice_at is None
        or not organisation.memberships.filter(user=user).exists()
    ):
        raise PermissionDenied("You do not act for the respondent of this case.")


def locked(case: Case) -> Case:
    return CASE.lock(Case, case.pk)


# -- the audit event --------------------------------------------------------------------------


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


def record(
    case: Case,
    action: str,
    *,
    actor: User | None,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
    internal: bool = False,
    documents: Iterable[CaseDocument] = (),
    acting_for_id: int | None = None,
) -> AuditEvent:
    """The case's one audit event for this action (inside the action's transaction)."""
    detail = dict(detail or {})
    document_ids = [document.pk for document in documents]
    if document_ids:
        detail["document_ids"] = document_ids
    return audit_record(
        action=action,
        target=case,
        actor=actor,
        acting_for_id=acting_for_id,
        organisation_id=case.organisation_id,
        changes=_jsonable(dict(changes or {})),
        reason=reason,
        detail=_jsonable(detail),
        internal=internal,
    )


def transition(
    case: Case,
    name: str,
    *,
    actor: User | None,
    actor_kind: ActorKind,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
    documents: Iterable[CaseDocument] = (),
    internal: bool = False,
    acting_for_id: int | None = None,
) -> AuditEvent:
    """Apply a declared transition to the locked case, save it and record its event."""
    before, after = CASE.apply(case, name, actor_kind)
    case.save(update_fields=["status"])
    return record(
        case,
        f"case.{name}",
        actor=actor,
        reason=reason,
        detail=detail,
        changes={"status": {"before": before, "after": after}, **dict(changes or {})},
        documents=documents,
        internal=internal,
        acting_for_id=acting_for_id,
    )


# -- figures, money, deadlines, files -------------------------------------------------------


def figure(key: str, day: date) -> int:
    try:
        return int(selectors.statutory_figure_value(key=key, day=day))
    except CalculationError as error:
        raise ValidationError(str(error)) from error


def calculation_of(case: Case) -> PenaltyCalculation:
    try:
        return selectors.case_calculation(case=case)
    except CalculationError as error:
        raise ValidationError(str(error)) from error


def money(value: Any, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValidationError({field: "Enter an amount in dollars and cents."}) from error
    if amount < ZERO:
        raise ValidationError({field: "The amount cannot be negative."})
    return amount


def check_amount(
    calculation: PenaltyCalculation, amount: Decimal, departure_reason: str, field: str = "amount"
) -> None:
    problems = calculation.amount_problems(amount, departure_reason)
    if problems:
        raise ValidationError({field: problems})


def open_deadline(case: Case, kind: str, *, starts_on: date, due_on: date, rule: str) -> Deadline:
    return Deadline.objects.create(
        case=case, kind=kind, starts_on=starts_on, original_due_on=due_on, due_on=due_on, rule=rule
    )


def end_deadlines(case: Case, kinds: Iterable[str] | None = None, *, met: bool = False) -> None:
    running = case.deadlines.open()
    if kinds is not None:
        running = running.filter(kind__in=list(kinds))
    running.update(**{"met_at" if met else "closed_at": timezone.now()})


def store_upload(
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
        detected, sha256 = inspect_upload(upload, upload.size or 0, name=upload.name or "")
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


def validate_subject_and_culpability(
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


def limitations_of(case: Case) -> ComputedDeadline:
    """The case's statute of limitations and the rule that gives it (19 USC 1621; claims on a
    bond 28 USC 2415(a)), with the periods in force on the violation date."""
    return limitations_date(
        violation_type=case.violation_type,
        violation_date=case.violation_date,
        discovery_date=case.discovery_date,
        is_fraud=case.culpability == Culpability.FRAUD,
        years=figure(LIMITATIONS_YEARS, case.violation_date),
        bond_years=figure(BOND_CLAIM_YEARS, case.violation_date),
    )


def set_limitations(case: Case) -> None:
    if case.discovery_date is not None and case.discovery_date < case.violation_date:
        raise ValidationError(
            {"discovery_date": "The violation cannot be discovered before it happened."}
        )
    computed = limitations_of(case)
    case.limitations_date = computed.due_on
    case.limitations_rule = computed.rule[:300]
