"""Reads for shipments: who may file, a filer's own shipments and what it is told about
them, and for officers the queue, a filer's compliance rate, each rule's hit rate and
precision, and the dashboard's figures.

Definitions (also in the README):
- compliance rate of a filer = examined shipments without a discrepancy / examined
  shipments, over the window (None when nothing was examined);
- a rule's hits = shipments it fired on (shadow hits counted apart), its holds = hits on
  shipments sent to officers (review or hold), its precision = findings with a
  discrepancy / holds.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from shipments.facts import filer_reasons
from shipments.models import Decision, FilerRegistration, Shipment, ShipmentStatus, ShipmentVersion
from shipments.models.examination import DISCREPANCY_KINDS, ExaminationFinding, FindingKind
from shipments.targeting.models import RuleHit
from shippers.models import Application, Organisation
from shippers.selectors import standing_application
from shippers.workflow import ACTIVE_STATUSES


@dataclass(frozen=True)
class FilingRefusal:
    code: str  # "suspended" or "not_eligible"
    message: str


def filing_refusal(*, organisation: Organisation) -> FilingRefusal | None:
    """Why the organisation may not file shipment data now, or None if it may: it needs a
    current known-shipper certificate or an active filer registration, and no suspension."""
    name = organisation.legal_name
    standing = standing_application(organisation=organisation)
    if standing is not None and standing.status == Application.Status.SUSPENDED:
        return FilingRefusal(
            "suspended",
            f"{name}'s known-shipper standing is suspended: it may not file shipment data "
            "until it is reinstated.",
        )
    registration = FilerRegistration.objects.filter(organisation=organisation).first()
    if registration is not None and registration.status == FilerRegistration.Status.SUSPENDED:
        return FilingRefusal(
            "suspended",
            f"{name}'s registration as a filer is suspended: it may not file shipment data.",
        )
    if standing is not None and standing.status in ACTIVE_STATUSES:
        today = timezone.localdate()
        certificate = getattr(standing, "certificate", None)
        if certificate is not None and certificate.valid_from <= today <= certificate.valid_to:
            return None
    if registration is not None:
        return None
    return FilingRefusal(
        "not_eligible",
        f"{name} may not file shipment data: only known shippers with a current certificate "
        "and registered filers (carriers, brokers, marketplaces, posts) may.",
    )


def shipments_for_organisation(*, organisation_id: int) -> QuerySet[Shipment]:
    return Shipment.objects.for_organisation(organisation_id)


def shipment_for_organisation(
    *, organisation_id: int, shipment_id: uuid.UUID | str
) -> Shipment | None:
    """The organisation's shipment with this id; None for another organisation's."""
    return Shipment.objects.for_organisation(organisation_id).filter(pk=shipment_id).first()


def current_version(*, shipment: Shipment) -> ShipmentVersion | None:
    return (
        ShipmentVersion.objects.filter(shipment_id=shipment.pk, number=shipment.version)
        .only("content", "number", "filed_at", "content_hash")
        .first()
    )


def versions(*, shipment: Shipment) -> list[ShipmentVersion]:
    return list(
        ShipmentVersion.objects.filter(shipment_id=shipment.pk)
        .order_by("number")
        .only("number", "filed_at", "content_hash", "batch_id", "shipment_id")
    )


OFFICER_DECISIONS = (Decision.REVIEW, Decision.HOLD)
UPCOMING = timedelta(days=30)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# -- the officer queue -----------------------------------------------------------------------


OFFICER_QUEUE = Q(
    decision__in=OFFICER_DECISIONS,
    status__in=(ShipmentStatus.DECIDED, ShipmentStatus.ARRIVED, ShipmentStatus.EXAMINED),
)


def officer_queue(model: type[Shipment] = Shipment) -> QuerySet[Shipment]:
    """Shipments sent to officers (review or hold) and not yet released, seized or
    cancelled, the earliest arrival first."""
    return model.objects.filter(OFFICER_QUEUE).order_by("estimated_arrival", "id")


# -- compliance rate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceRate:
    examined: int
    without_discrepancy: int
    since: datetime

    @property
    def rate(self) -> float | None:
        return self.without_discrepancy / self.examined if self.examined else None

    @property
    def percent(self) -> str:
        return "no examinations" if self.rate is None else f"{self.rate:.0%}"


def filer_compliance_rate(
    organisation_id: int, *, days: int = 365, now: datetime | None = None
) -> ComplianceRate:
    """Examined shipments of the filer without a discrepancy, over the last `days`."""
    end = _now(now)
    since = end - timedelta(days=days)
    counts = (
        ExaminationFinding.objects.for_organisation(organisation_id)
        .examined_between(since, end)
        .aggregate(
            examined=Count("id"),
            without=Count("id", filter=~Q(kind__in=DISCREPANCY_KINDS)),
        )
    )
    return ComplianceRate(counts["examined"], counts["without"], since)


def compliance_rates(organisation_ids: list[int], *, days: int = 365) -> dict[int, ComplianceRate]:
    """The rate of many filers in one query (organisation lists)."""
    end = timezone.now()
    since = end - timedelta(days=days)
    rows = (
        ExaminationFinding.objects.filter(organisation_id__in=organisation_ids)
        .examined_between(since, end)
        .values("organisation_id")
        .annotate(examined=Count("id"), without=Count("id", filter=~Q(kind__in=DISCREPANCY_KINDS)))
    )
    found = {
        row["organisation_id"]: ComplianceRate(row["examined"], row["without"], since)
        for row in rows
    }
    return {pk: found.get(pk, ComplianceRate(0, 0, since)) for pk in organisation_ids}


def filer_compliance_table(*, days: int = 365) -> list[dict[str, Any]]:
    """Every filer examined in the window with its rate, the lowest rate first (one query)."""
    end = timezone.now()
    since = end - timedelta(days=days)
    rows = (
        ExaminationFinding.objects.examined_between(since, end)
        .values("organisation_id", "organisation__legal_name")
        .annotate(examined=Count("id"), without=Count("id", filter=~Q(kind__in=DISCREPANCY_KINDS)))
    )
    table = [
        {
            "organisation_id": row["organisation_id"],
            "name": row["organisation__legal_name"],
            "rate": ComplianceRate(row["examined"], row["without"], since),
        }
        for row in rows
    ]
    return sorted(table, key=lambda row: (row["rate"].rate or 0.0, row["name"]))


# -- rule performance --------------------------------------------------------------------------


@dataclass
class RulePerformance:
    code: str
    name: str = ""
    hits: int = 0
    shadow_hits: int = 0
    holds: int = 0
    examined: int = 0
    discrepancies: int = 0
    filed: int = 0
    weeks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def hit_rate(self) -> float | None:
        return self.hits / self.filed if self.filed else None

    @property
    def precision(self) -> float | None:
        return self.discrepancies / self.holds if self.holds else None


def rule_performance(*, days: int = 90, now: datetime | None = None) -> list[RulePerformance]:
    """Every rule that fired in the window (by arrival), with hits, holds, findings and
    precision, and the same per week (oldest first). Four queries."""
    end = _now(now)
    since = end - timedelta(days=days)
    # Shipments still on their way count too (decided before they arrive).
    horizon = end + UPCOMING
    filed = Shipment.objects.arriving_between(since, horizon).count()
    hits = (
        RuleHit.objects.filter(estimated_arrival__gte=since, estimated_arrival__lt=horizon)
        .annotate(week=TruncDate("estimated_arrival"))
        .values("rule_version__rule__code", "rule_version__name", "shadow", "week")
        .annotate(
            hits=Count("id"),
            holds=Count("id", filter=Q(shipment__decision__in=OFFICER_DECISIONS)),
        )
    )
    rules: dict[str, RulePerformance] = {}
    weekly: dict[str, dict[date, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for row in hits:
        code = row["rule_version__rule__code"]
        rule = rules.setdefault(code, RulePerformance(code=code, filed=filed))
        rule.name = row["rule_version__name"]
        week = _week(row["week"])
        if row["shadow"]:
            rule.shadow_hits += row["hits"]
            continue
        rule.hits += row["hits"]
        rule.holds += row["holds"]
        weekly[code][week]["holds"] += row["holds"]
    findings = ExaminationFinding.objects.examined_between(since, end).values_list(
        "rule_codes", "kind", "examined_at"
    )
    for codes, kind, examined_at in findings:
        for code in codes or []:
            rule = rules.setdefault(code, RulePerformance(code=code, filed=filed))
            rule.examined += 1
            week = _week(timezone.localdate(examined_at))
            weekly[code][week]["examined"] += 1
            if kind in DISCREPANCY_KINDS:
                rule.discrepancies += 1
                weekly[code][week]["discrepancies"] += 1
    for code, rule in rules.items():
        for week in sorted(weekly[code]):
            counts = weekly[code][week]
            holds = counts["holds"]
            rule.weeks.append(
                {
                    "week": week,
                    "holds": holds,
                    "examined": counts["examined"],
                    "discrepancies": counts["discrepancies"],
                    "precision": counts["discrepancies"] / holds if holds else None,
                }
            )
    return sorted(rules.values(), key=lambda rule: (-rule.holds, rule.code))


def _week(day: date | datetime) -> date:
    if isinstance(day, datetime):
        day = day.date()
    return day - timedelta(days=day.weekday())


# -- the targeting dashboard -------------------------------------------------------------------


@dataclass
class DashboardFigures:
    days: list[date]
    per_day: dict[str, list[int]]  # decision -> count per day
    holds_by_rule: list[tuple[str, int]]
    findings_by_kind: list[tuple[str, int]]
    ports: list[dict[str, Any]]


def dashboard_figures(*, days: int = 14, now: datetime | None = None) -> DashboardFigures:
    """Shipments per arrival day and decision, holds by rule, findings by kind and the
    load per port, over the last `days` days (four queries)."""
    end = _now(now)
    today = timezone.localdate(end)
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    stop = start + timedelta(days=days)
    day_list = [first + timedelta(days=i) for i in range(days)]
    per_day = {d: [0] * days for d in Decision.values}
    rows = (
        Shipment.objects.arriving_between(start, stop)
        .annotate(day=TruncDate("estimated_arrival"))
        .values("day", "decision")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        index = (row["day"] - first).days
        if 0 <= index < days:
            per_day[row["decision"]][index] += row["n"]
    holds = (
        RuleHit.objects.filter(
            estimated_arrival__gte=start,
            estimated_arrival__lt=stop,
            shadow=False,
            shipment__decision__in=OFFICER_DECISIONS,
        )
        .values("rule_version__rule__code")
        .annotate(n=Count("id"))
        .order_by("-n", "rule_version__rule__code")[:15]
    )
    labels = dict(FindingKind.choices)
    kinds = (
        ExaminationFinding.objects.examined_between(start, stop)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("-n", "kind")
    )
    ports = (
        Shipment.objects.arriving_between(start, stop)
        .values("port_of_arrival")
        .annotate(
            total=Count("id"),
            review=Count("id", filter=Q(decision=Decision.REVIEW)),
            hold=Count("id", filter=Q(decision=Decision.HOLD)),
        )
        .order_by("-total", "port_of_arrival")[:15]
    )
    return DashboardFigures(
        days=day_list,
        per_day=per_day,
        holds_by_rule=[(row["rule_version__rule__code"], row["n"]) for row in holds],
        findings_by_kind=[(labels.get(row["kind"], row["kind"]), row["n"]) for row in kinds],
        ports=[dict(row) for row in ports],
    )


# -- a filer's own shipments -------------------------------------------------------------------


# What a filer is told about a decision: never the rules, their weights or their wording.
FILER_DECISION_TEXT: dict[str, str] = {
    Decision.PENDING: "Being assessed. A decision follows within minutes.",
    Decision.RELEASE: "Released for delivery on arrival.",
    Decision.REVIEW: "Selected for a document review by an officer before release.",
    Decision.HOLD: "Held for examination on arrival.",
}


def reasons_for_filer(shipment: Shipment) -> list[str]:
    """The reasons that concern the filer (the same part the API shows,
    `shipments.facts.filer_reasons`), or what the decision means for it when none is
    written for filers; never the rules, their wording or their weights."""
    messages = [reason["message"] for reason in filer_reasons(shipment.risk_reasons or [])]
    if not messages:
        messages.append(FILER_DECISION_TEXT.get(shipment.decision, ""))
    return [m for m in dict.fromkeys(messages) if m]
