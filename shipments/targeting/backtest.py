"""Back-testing a rule version against the shipments filed in the last N days: how many it
would have hit, and which, before it goes live."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from shipments.models import Shipment
from shipments.targeting import RuleKind, RuleSpec, Snapshot, evaluate_batch
from shipments.targeting.facts import facts_for_shipments
from shipments.targeting.models import RuleHit, TargetingRuleVersion
from shipments.targeting.screening import NoActiveListError, consignee_windows, screen_parties
from shipments.targeting.snapshot import build_snapshot, spec_of

CHUNK = 2000


@dataclass
class BacktestResult:
    rule: str
    version: int
    days: int
    since: datetime.datetime
    evaluated: int = 0
    hits: int = 0
    holds: int = 0
    not_screened: int = 0
    recorded_hits: int = 0  # hits the version recorded live in the same period
    sample: list[dict[str, Any]] = field(default_factory=list)

    @property
    def hit_rate(self) -> float:
        return self.hits / self.evaluated if self.evaluated else 0.0


def rule_backtest(
    *,
    rule_version: TargetingRuleVersion,
    days: int,
    now: datetime.datetime | None = None,
    sample_size: int = 50,
) -> BacktestResult:
    """Evaluate ``rule_version`` alone, as if live (not shadow, switched on), on every shipment
    filed in the last ``days`` days (cancelled ones included: they were filed). Parties are
    screened through the screening caches for a party-screening rule."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    spec: RuleSpec = dataclasses.replace(spec_of(rule_version), shadow=False)
    snapshot = build_snapshot(version=-1, specs=[spec])
    result = BacktestResult(rule=spec.code, version=spec.version, days=days, since=since)
    shipments = Shipment.objects.filter(filed_at__gte=since, filed_at__lte=now).order_by(
        "filed_at", "id"
    )
    batch: list[Shipment] = []
    for shipment in shipments.iterator(chunk_size=CHUNK):
        batch.append(shipment)
        if len(batch) == CHUNK:
            _evaluate(batch, spec, snapshot, result, sample_size)
            batch = []
    if batch:
        _evaluate(batch, spec, snapshot, result, sample_size)
    result.recorded_hits = RuleHit.objects.filter(
        rule_version=rule_version, recorded_at__gte=since
    ).count()
    return result


def _evaluate(
    shipments: list[Shipment],
    spec: RuleSpec,
    snapshot: Snapshot,
    result: BacktestResult,
    sample_size: int,
) -> None:
    facts = facts_for_shipments(shipments)
    if spec.kind == RuleKind.PARTY_SCREENING:
        try:
            screened = screen_parties(party for one in facts for party in one.parties)
        except NoActiveListError:
            screened = None
        if screened is None:
            result.not_screened += len(facts)
            facts = [dataclasses.replace(one, screening=()) for one in facts]
        else:
            facts = [
                dataclasses.replace(
                    one,
                    screening=tuple(
                        dataclasses.replace(screened[(p.name, p.country)], role=p.role)
                        for p in one.parties
                        if (p.name, p.country) in screened
                    ),
                )
                for one in facts
            ]
    else:
        facts = [dataclasses.replace(one, screening=()) for one in facts]
    if spec.kind == RuleKind.SPLIT_SHIPMENT:
        windows = consignee_windows(shipments, snapshot)
        facts = [
            dataclasses.replace(one, consignee_window=windows.get(shipment.pk))
            for one, shipment in zip(facts, shipments, strict=True)
        ]
    for shipment, risk in zip(shipments, evaluate_batch(facts, snapshot=snapshot), strict=True):
        result.evaluated += 1
        reason = next((r for r in risk.reasons if r.rule == spec.code), None)
        if reason is None:
            continue
        result.hits += 1
        if reason.outcome == "hold":
            result.holds += 1
        if len(result.sample) < sample_size:
            result.sample.append(
                {
                    "id": str(shipment.pk),
                    "reference": shipment.reference,
                    "organisation_id": shipment.organisation_id,
                    "estimated_arrival": shipment.estimated_arrival,
                    "decision": shipment.decision,
                    "explanation": reason.explanation,
                    "outcome": reason.outcome or f"+{reason.weight:g}",
                }
            )
