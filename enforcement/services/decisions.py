"""The officer's decision on a case: after a petition, a supplemental petition, or none."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from enforcement import notifications
from enforcement.deadlines import DeadlineError, payment_due, supplemental_petition_due
from enforcement.models import ZERO, Case, Deadline, Decision, Notice
from enforcement.notices import notice_create
from enforcement.services._common import (
    PAYMENT_DAYS,
    SUPPLEMENTAL_PETITION_DAYS,
    calculation_of,
    check_amount,
    end_deadlines,
    figure,
    locked,
    money,
    officer_kind,
    open_deadline,
    set_limitations,
    transition,
    validate_subject_and_culpability,
)
from enforcement.services.consequences import apply_consequences
from enforcement.services.notices import notice_context
from enforcement.workflow import CASE

S = Case.Status
D = Deadline.Kind


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
    period. A decision on a supplemental petition is final.

    The decision is one event; when it makes a consequence due at once (a final fraud
    finding) the suspension it triggers is recorded as its own event in the same transaction.
    """
    actor_kind = officer_kind(actor)
    amount = money(amount)
    if not reasoning.strip():
        raise ValidationError({"reasoning": "Give the reasons for the decision."})
    with transaction.atomic():
        case = locked(case)
        CASE.check(case, "decide", actor_kind)
        is_supplemental = case.status == S.SUPPLEMENTAL_PETITION
        previous_culpability = case.culpability
        if culpability is not None and culpability != case.culpability:
            validate_subject_and_culpability(
                case.violation_type, culpability, case.organisation, case.party_name
            )
            case.culpability = culpability
            set_limitations(case)
        calculation = calculation_of(case)
        check_amount(calculation, amount, departure_reason)
        if case.assessed_amount is not None and amount > case.assessed_amount:
            raise ValidationError(
                {"amount": "A decision cannot exceed the amount of the penalty notice."}
            )
        today = timezone.localdate()
        end_deadlines(case, [D.PETITION, D.SUPPLEMENTAL_PETITION, D.PAYMENT])
        payment = None
        if amount > ZERO:
            maximum = figure(PAYMENT_DAYS, today)
            try:
                payment = payment_due(
                    decided_on=today, days=payment_days or maximum, maximum_days=maximum
                )
            except DeadlineError as error:
                raise ValidationError({"payment_days": str(error)}) from error
            open_deadline(
                case, D.PAYMENT, starts_on=today, due_on=payment.due_on, rule=payment.rule
            )
        supplemental = None
        if not is_supplemental:
            supplemental = supplemental_petition_due(
                decided_on=today, days=figure(SUPPLEMENTAL_PETITION_DAYS, today)
            )
            open_deadline(
                case,
                D.SUPPLEMENTAL_PETITION,
                starts_on=today,
                due_on=supplemental.due_on,
                rule=supplemental.rule,
            )
        case.mitigated_amount = amount
        case.decided_at = timezone.now()
        case.save(
            update_fields=[
                "culpability",
                "limitations_date",
                "limitations_rule",
                "mitigated_amount",
                "decided_at",
            ]
        )
        notice = notice_create(
            case=case,
            kind=Notice.Kind.DECISION,
            issued_by=actor,
            amount=amount,
            calculation=calculation.as_json(),
            context={
                **notice_context(case, calculation),
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
        changes = {}
        if previous_culpability != case.culpability:
            changes["culpability"] = {"before": previous_culpability, "after": case.culpability}
        transition(
            case,
            "decide",
            actor=actor,
            actor_kind=actor_kind,
            reason=reasoning.strip(),
            changes=changes,
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
        apply_consequences(case)
    return decision
