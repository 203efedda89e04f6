"""The compiled targeting snapshot of this process: built from the rules in use, the watch
list, the unit-value statistics and the sanctioned places; rebuilt when the targeting
version (``TargetingState``) changes, which is checked at most every
``SHIPMENTS_TARGETING_RELOAD_SECONDS``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from core.reference.sanctions import load_sanctioned_countries
from shipments.targeting import RuleKind, RuleSpec, Snapshot, Thresholds, compile_snapshot
from shipments.targeting.engine.compiled import ReferenceData, WatchedPlace
from shipments.targeting.engine.rules import Outcome
from shipments.targeting.models import (
    HsValueStatistic,
    TargetingRuleVersion,
    TargetingState,
    WatchedAddress,
)

_lock = threading.Lock()
_cache: dict[str, Any] = {"snapshot": None, "checked": 0.0}


def targeting_version() -> int:
    version = TargetingState.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(version or 0)


def current_snapshot() -> Snapshot:
    """The snapshot of the rules in use, compiled once per version per process."""
    snapshot: Snapshot | None = _cache["snapshot"]
    now = time.monotonic()
    reload_seconds = float(settings.SHIPMENTS_TARGETING_RELOAD_SECONDS)
    if snapshot is not None and now - _cache["checked"] < reload_seconds:
        return snapshot
    version = targeting_version()
    with _lock:
        snapshot = _cache["snapshot"]
        if snapshot is None or snapshot.version != version:
            snapshot = build_snapshot(version=version)
        _cache["snapshot"] = snapshot
        _cache["checked"] = now
    return snapshot


def forget_snapshot() -> None:
    """Drop this process's snapshot (tests)."""
    with _lock:
        _cache["snapshot"] = None


def build_snapshot(*, version: int, specs: Iterable[RuleSpec] | None = None) -> Snapshot:
    """A snapshot of ``specs`` (default: every rule version in use) with today's reference
    data."""
    if specs is None:
        specs = [spec_of(rule_version) for rule_version in rule_versions_in_use()]
    return compile_snapshot(
        version=version,
        rules=specs,
        thresholds=thresholds(),
        reference=reference_data(),
    )


def rule_versions_in_use() -> list[TargetingRuleVersion]:
    return list(TargetingRuleVersion.objects.in_use().select_related("rule").order_by("rule__code"))


def spec_of(rule_version: TargetingRuleVersion) -> RuleSpec:
    return RuleSpec(
        code=rule_version.rule.code,
        version=rule_version.number,
        kind=RuleKind(rule_version.kind),
        name=rule_version.name,
        reason=rule_version.reason,
        weight=float(rule_version.weight),
        outcome=Outcome(rule_version.outcome or ""),
        shadow=rule_version.shadow,
        effective_from=rule_version.effective_from,
        effective_to=rule_version.effective_to,
        conditions=dict(rule_version.conditions or {}),
        citation=rule_version.citation,
        rule_id=rule_version.rule_id,
        version_id=rule_version.pk,
    )


def reference_data() -> ReferenceData:
    watched = tuple(
        WatchedPlace(
            id=place.pk,
            label=place.label,
            category=place.category,
            country=place.country,
            postal_code=place.postal_code,
            street=place.street,
            note=place.source,
        )
        for place in WatchedAddress.objects.filter(active=True)
    )
    medians = {
        heading: (median, samples)
        for heading, median, samples in HsValueStatistic.objects.values_list(
            "heading", "median_unit_value_usd", "samples"
        )
    }
    return ReferenceData(
        watched=watched,
        medians=medians,
        sanctioned=load_sanctioned_countries(),
        usd_rates=usd_rates(),
    )


def thresholds() -> Thresholds:
    return Thresholds(
        review_score=float(settings.SHIPMENTS_REVIEW_SCORE),
        hold_score=float(settings.SHIPMENTS_HOLD_SCORE),
        trust_factors={int(k): v for k, v in _pairs(settings.SHIPMENTS_TRUST_FACTORS).items()},
    )


def usd_rates() -> dict[str, float]:
    rates = {code.upper(): rate for code, rate in _pairs(settings.SHIPMENTS_USD_RATES).items()}
    rates.setdefault("USD", 1.0)
    return rates


def _pairs(text: str) -> dict[str, float]:
    pairs: dict[str, float] = {}
    for part in text.split(","):
        if "=" in part:
            key, value = part.split("=", 1)
            pairs[key.strip()] = float(value)
    return pairs
