"""Reads for enforcement: the figures in force, a case's calculation, what a respondent or an
officer sees, and the compliance record the vetting engine reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from core.models import AuditEvent
from enforcement.calculator import (
    UNDERPAYMENT_RATE,
    CalculationError,
    Figure,
    Guideline,
    PenaltyCalculation,
    PenaltyFacts,
    RatePeriod,
    calculate_penalty,
)
from enforcement.events import TimelineEntry, timeline_entry
from enforcement.models import (
    Case,
    CaseDocument,
    Culpability,
    Deadline,
    MitigationGuideline,
    Notice,
    StatutoryFigure,
    ViolationType,
)
from screening.engine.normalize import fold_name

S = Case.Status


def _in_force(queryset: QuerySet, day: date) -> QuerySet:
    return queryset.filter(effective_from__lte=day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )


def statutory_figures_on(*, day: date) -> dict[str, Figure]:
    """Each figure's row in force on `day` (the latest `effective_from` when rows overlap)."""
    figures: dict[str, Figure] = {}
    for row in _in_force(StatutoryFigure.objects.all(), day).order_by("key", "-effective_from"):
        if row.key not in figures:
            figures[row.key] = Figure(
                key=row.key,
                value=row.value,
                unit=row.unit,
                citation=row.citation,
                effective_from=row.effective_from,
            )
    return figures


def statutory_figure_value(*, key: str, day: date) -> Decimal:
    figure = statutory_figures_on(day=day).get(key)
    if figure is None:
        raise CalculationError(
            f"No statutory figure {key!r} is in force on {day:%-d %B %Y}; a supervisor must "
            "record it."
        )
    return figure.value


def underpayment_rates() -> list[RatePeriod]:
    """The quarterly 26 USC 6621 underpayment rates as recorded (one row per quarter, its
    `effective_to` the quarter's last day; an open-ended row runs to the end of time)."""
    rows = StatutoryFigure.objects.filter(key=UNDERPAYMENT_RATE).order_by("effective_from")
    return [
        RatePeriod(
            start=row.effective_from,
            end=row.effective_to or date.max,
            rate=row.value,
            citation=row.citation,
        )
        for row in rows
    ]


def mitigation_guidelines_on(*, day: date) -> list[Guideline]:
    return [
        Guideline(
            violation_type=row.violation_type,
            culpability=row.culpability,
            situation=row.situation,
            basis=row.basis,
            low_share=row.low_share,
            high_share=row.high_share,
            citation=row.citation,
            effective_from=row.effective_from,
        )
        for row in _in_force(MitigationGuideline.objects.all(), day)
    ]


def case_facts(*, case: Case) -> PenaltyFacts:
    return PenaltyFacts(
        violation_type=case.violation_type,
        violation_date=case.violation_date,
        culpability=case.culpability,
        currency=case.currency,
        loss_of_revenue=case.loss_of_revenue,
        loss_date=case.loss_date,
        dutiable_value=case.dutiable_value,
        domestic_value=case.domestic_value,
        msrp_genuine=case.msrp_genuine,
        liquidated_damages_claim=case.liquidated_damages_claim,
        bond_amount=case.bond_amount,
        prior_violations=case.prior_violations,
        prior_disclosure=case.prior_disclosure,
        prior_disclosure_date=case.prior_disclosure_date,
    )


def case_calculation(*, case: Case) -> PenaltyCalculation:
    """The case's calculation with the figures in force on the violation date. Raises
    `CalculationError` when a fact or figure is missing."""
    return calculate_penalty(
        case_facts(case=case),
        statutory_figures_on(day=case.violation_date),
        mitigation_guidelines_on(day=timezone.localdate()),
        underpayment_rates() if case.prior_disclosure else (),
    )


def case_calculation_or_error(*, case: Case) -> tuple[PenaltyCalculation | None, str]:
    try:
        return case_calculation(case=case), ""
    except CalculationError as error:
        return None, str(error)


# -- what people see ---------------------------------------------------------------------


def cases_for_user(*, user: User) -> QuerySet[Case]:
    """The cases a respondent's member sees: those of its organisations that reached the
    notice stage (an investigation is not shown before the first notice)."""
    return (
        Case.objects.filter(organisation__memberships__user=user, first_notice_at__isnull=False)
        .select_related("organisation")
        .distinct()
    )


def case_events(*, case: Case, for_respondent: bool) -> QuerySet[AuditEvent]:
    """The case's audit events, oldest first; a respondent never sees internal ones."""
    events = AuditEvent.objects.for_target(case)
    return events.visible_to_members() if for_respondent else events


def timeline(*, case: Case, for_respondent: bool) -> list[TimelineEntry]:
    """The case's timeline as people read it (labels and formatted values)."""
    return [
        timeline_entry(event, case.currency)
        for event in case_events(case=case, for_respondent=for_respondent)
    ]


def documents(*, case: Case, for_respondent: bool) -> QuerySet[CaseDocument]:
    files = case.documents.select_related("uploaded_by")
    return files.filter(visible_to_respondent=True) if for_respondent else files


def open_deadlines(*, case: Case) -> QuerySet[Deadline]:
    return case.deadlines.open()


def current_deadline(*, case: Case, kind: str) -> Deadline | None:
    return open_deadlines(case=case).filter(kind=kind).order_by("-starts_on", "-pk").first()


def notices(*, case: Case) -> QuerySet[Notice]:
    return case.notices.all()


def overdue_cases() -> QuerySet[Case]:
    today = timezone.localdate()
    running_late = Deadline.objects.overdue(on=today).values("case_id")
    return Case.objects.open().filter(pk__in=running_late)


# -- the compliance record (read by vetting) ------------------------------------------------

SERIOUS_CULPABILITIES = frozenset({Culpability.FRAUD, Culpability.GROSS_NEGLIGENCE})
DROPPED_STATUSES = frozenset({S.WITHDRAWN, S.CANCELLED})


@dataclass(frozen=True)
class CaseSummary:
    """One penalty case as the vetting engine's compliance-record check reads it."""

    case_number: str
    organisation_id: int | None  # None: a case against an unregistered party
    violation_type: str
    status: str
    opened_at: datetime
    decided_at: datetime | None
    culpability: str
    final_penalty_amount: Decimal | None
    currency: str
    is_serious: bool


def compliance_record(*, organisation_ids: Iterable[int], since: date) -> list[CaseSummary]:
    """Cases against these organisations opened or decided on or after `since` (EU AEO looks
    back 3 years), oldest first. Withdrawn and cancelled cases are left out: they are not
    infringements. `final_penalty_amount` is the decided amount (None before a decision).
    A case is serious when the culpability is fraud or gross negligence, or when it is
    repeated: the party had prior violations, or it has more than one case in the period."""
    ids = list(organisation_ids)
    if not ids:
        return []
    cases = list(
        Case.objects.filter(organisation_id__in=ids)
        .exclude(status__in=DROPPED_STATUSES)
        .filter(Q(opened_at__date__gte=since) | Q(decided_at__date__gte=since))
        .order_by("opened_at", "pk")
    )
    per_organisation = Counter(case.organisation_id for case in cases)
    summaries = []
    for case in cases:
        assert case.organisation_id is not None
        repeated = case.prior_violations > 0 or per_organisation[case.organisation_id] > 1
        summaries.append(
            CaseSummary(
                case_number=case.number,
                organisation_id=case.organisation_id,
                violation_type=case.violation_type,
                status=case.status,
                opened_at=case.opened_at,
                decided_at=case.decided_at,
                culpability=case.culpability,
                final_penalty_amount=case.mitigated_amount if case.decided_at else None,
                currency=case.currency,
                is_serious=case.culpability in SERIOUS_CULPABILITIES or repeated,
            )
        )
    return summaries


def _compact(identifier: str) -> str:
    return "".join(char for char in identifier.upper() if char.isalnum())


def unregistered_party_record(
    *, names: Iterable[str], identifiers: Iterable[str], since: date
) -> list[CaseSummary]:
    """Cases against unregistered parties (no organisation) whose name equals one of
    `names` (case, accents and punctuation ignored) or whose identifiers include one of
    `identifiers` (compared without spaces or punctuation), opened or decided on or after
    `since`. The vetting check reads these for an applicant, its trade names and managers
    (EU AEO: the applicant, its managers and customs staff)."""
    wanted_names = {fold_name(name) for name in names if name.strip()}
    wanted_ids = {_compact(value) for value in identifiers if value.strip()}
    if not wanted_names and not wanted_ids:
        return []
    cases = (
        Case.objects.filter(organisation__isnull=True)
        .exclude(status__in=DROPPED_STATUSES)
        .filter(Q(opened_at__date__gte=since) | Q(decided_at__date__gte=since))
        .order_by("opened_at", "pk")
    )
    summaries = []
    for case in cases.iterator():
        by_name = fold_name(case.party_name) in wanted_names
        by_id = any(_compact(str(value)) in wanted_ids for value in case.party_identifiers or [])
        if not (by_name or by_id):
            continue
        summaries.append(
            CaseSummary(
                case_number=case.number,
                organisation_id=None,
                violation_type=case.violation_type,
                status=case.status,
                opened_at=case.opened_at,
                decided_at=case.decided_at,
                culpability=case.culpability,
                final_penalty_amount=case.mitigated_amount if case.decided_at else None,
                currency=case.currency,
                is_serious=case.culpability in SERIOUS_CULPABILITIES or case.prior_violations > 0,
            )
        )
    return summaries


# -- reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    status: str
    status_label: str
    violation_type: str
    violation_type_label: str
    cases: int
    proposed: Decimal
    assessed: Decimal
    mitigated: Decimal
    collected: Decimal


def case_summary(*, cases: QuerySet[Case]) -> tuple[list[SummaryRow], SummaryRow]:
    """Cases by status and violation type with the amounts proposed, assessed (penalty
    notice), mitigated (decision) and collected (confirmed payments), and the totals."""
    zero = Decimal("0.00")
    status_labels = dict(S.choices)
    type_labels = dict(ViolationType.choices)
    rows = []
    grouped = (
        cases.order_by()
        .values("status", "violation_type")
        .annotate(
            count=Count("pk"),
            proposed=Sum("proposed_amount"),
            assessed=Sum("assessed_amount"),
            mitigated=Sum("mitigated_amount"),
            collected=Sum("collected_amount"),
        )
        .order_by("status", "violation_type")
    )
    for group in grouped:
        rows.append(
            SummaryRow(
                status=group["status"],
                status_label=status_labels.get(group["status"], group["status"]),
                violation_type=group["violation_type"],
                violation_type_label=type_labels.get(
                    group["violation_type"], group["violation_type"]
                ),
                cases=group["count"],
                proposed=group["proposed"] or zero,
                assessed=group["assessed"] or zero,
                mitigated=group["mitigated"] or zero,
                collected=group["collected"] or zero,
            )
        )
    total = SummaryRow(
        status="",
        status_label="All",
        violation_type="",
        violation_type_label="All",
        cases=sum(r.cases for r in rows),
        proposed=sum((r.proposed for r in rows), zero),
        assessed=sum((r.assessed for r in rows), zero),
        mitigated=sum((r.mitigated for r in rows), zero),
        collected=sum((r.collected for r in rows), zero),
    )
    return rows, total


def limitations_near(*, within_days: int) -> QuerySet[Case]:
    horizon = timezone.localdate() + timedelta(days=within_days)
    return Case.objects.open().filter(limitations_date__lte=horizon)
