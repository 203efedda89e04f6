"""Writes of risk targeting: rules and their versions, the watch list, the unit-value
statistics. Each runs in one transaction with its audit event and raises the targeting
version, so every process recompiles its snapshot."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from core.audit import audit_record
from shipments.targeting import validate_rule
from shipments.targeting.events import TargetingAction
from shipments.targeting.models import (
    HsValueStatistic,
    TargetingRule,
    TargetingRuleVersion,
    TargetingState,
    WatchedAddress,
)

VERSION_FIELDS = (
    "enabled",
    "kind",
    "name",
    "reason",
    "weight",
    "outcome",
    "shadow",
    "effective_from",
    "effective_to",
    "conditions",
    "citation",
)


def targeting_version_bump() -> int:
    """Call inside the transaction of a change the snapshot depends on."""
    updated = TargetingState.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        TargetingState.objects.get_or_create(pk=1, defaults={"version": 2})
    return int(TargetingState.objects.values_list("version", flat=True).get(pk=1))


def _check(fields: dict[str, Any]) -> None:
    errors = validate_rule(
        kind=str(fields.get("kind", "")),
        conditions=fields.get("conditions") or {},
        weight=float(fields.get("weight") or 0),
        outcome=str(fields.get("outcome") or ""),
    )
    start, end = fields.get("effective_from"), fields.get("effective_to")
    if start and end and end < start:
        errors.append("The rule ends before it starts.")
    if errors:
        raise ValidationError(errors)


def rule_create(
    *, actor: Any, code: str, owner: Any = None, change_note: str = "", **fields: Any
) -> TargetingRuleVersion:
    """A new rule with its version 1."""
    _check(fields)
    with transaction.atomic():
        if TargetingRule.objects.filter(code=code).exists():
            raise ValidationError(f"A rule with the code {code!r} exists; add a version to it.")
        rule = TargetingRule.objects.create(code=code, owner=owner)
        version = TargetingRuleVersion.objects.create(
            rule=rule,
            number=1,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            change_note=change_note,
            **{key: fields[key] for key in VERSION_FIELDS if key in fields},
        )
        audit_record(
            action=TargetingAction.RULE_CREATE,
            target=rule,
            actor=actor,
            detail={"version": 1, **_version_json(version)},
            reason=change_note,
        )
        targeting_version_bump()
    return version


def rule_version_create(
    *, actor: Any, rule: TargetingRule, change_note: str = "", owner: Any = None, **fields: Any
) -> TargetingRuleVersion:
    """A new version of ``rule`` (fields not given are copied from the current one); the
    current version stays stored, no longer current."""
    with transaction.atomic():
        # Two supervisors saving at once: the second one numbers after the first.
        rule = TargetingRule.objects.select_for_update().get(pk=rule.pk)
        current = rule.versions.filter(is_current=True).first()
        values = {key: getattr(current, key) for key in VERSION_FIELDS} if current else {}
        values.update({key: fields[key] for key in VERSION_FIELDS if key in fields})
        _check(values)
        number = (current.number if current else 0) + 1
        if current is not None:
            TargetingRuleVersion.objects.filter(pk=current.pk).update(is_current=False)
        version = TargetingRuleVersion.objects.create(
            rule=rule,
            number=number,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            change_note=change_note,
            **values,
        )
        if owner is not None and owner != rule.owner:
            rule.owner = owner
            rule.save(update_fields=["owner"])
        before = _version_json(current) if current else {}
        after = _version_json(version)
        audit_record(
            action=TargetingAction.RULE_VERSION,
            target=rule,
            actor=actor,
            changes={
                key: {"before": before.get(key), "after": value}
                for key, value in after.items()
                if before.get(key) != value
            },
            detail={"version": number},
            reason=change_note,
        )
        targeting_version_bump()
    return version


def _version_json(version: TargetingRuleVersion) -> dict[str, Any]:
    data = {key: getattr(version, key) for key in VERSION_FIELDS}
    for key in ("effective_from", "effective_to"):
        data[key] = data[key].isoformat() if data[key] else None
    return data


def watched_address_save(*, actor: Any, address: WatchedAddress) -> WatchedAddress:
    """Create or change an entry of the watch list."""
    with transaction.atomic():
        before: dict[str, Any] = (
            dict(WatchedAddress.objects.filter(pk=address.pk).values().first() or {})
            if address.pk
            else {}
        )
        address.country = address.country.upper()
        if address.pk is None and getattr(actor, "is_authenticated", False):
            address.created_by = actor
        address.save()
        after = WatchedAddress.objects.filter(pk=address.pk).values().get()
        audit_record(
            action=TargetingAction.WATCH_SAVE,
            target=address,
            actor=actor,
            changes={
                key: {"before": before.get(key), "after": value}
                for key, value in after.items()
                if before.get(key) != value and key not in {"created_at", "id"}
            },
        )
        targeting_version_bump()
    return address


def value_statistics_refresh(*, now: datetime.datetime | None = None) -> int:
    """Recompute the median unit value (US dollars) of each HS heading over the items of the
    shipments filed in the last ``SHIPMENTS_VALUE_STATISTICS_DAYS`` days. PostgreSQL
    computes the medians; elsewhere there are no statistics (undervaluation stays silent)."""
    from shipments.targeting.snapshot import usd_rates

    now = now or timezone.now()
    days = int(settings.SHIPMENTS_VALUE_STATISTICS_DAYS)
    rows: list[tuple[str, float, int]] = []
    if connection.vendor == "postgresql":
        rates = usd_rates()
        currencies = list(rates)
        factors = [rates[code] for code in currencies]
        sql = """
            SELECT left(item->>'hs_code', 4) AS heading,
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY (item->>'unit_value')::numeric * rate.factor) AS median,
                   count(*) AS samples
            FROM shipments_shipmentversion AS version
            JOIN shipments_shipment AS shipment
              ON shipment.id = version.shipment_id AND shipment.version = version.number
            JOIN unnest(%s::text[], %s::float8[]) AS rate(currency, factor)
              ON rate.currency = upper(shipment.currency)
            CROSS JOIN LATERAL jsonb_array_elements((version.content->'items')::jsonb) AS item
            WHERE shipment.filed_at >= %s AND shipment.status <> 'cancelled'
              AND (item->>'unit_value') ~ '^[0-9]+(\\.[0-9]+)?$'
            GROUP BY 1
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [currencies, factors, now - datetime.timedelta(days=days)])
            rows = [(heading, float(median), int(count)) for heading, median, count in cursor]
    with transaction.atomic():
        HsValueStatistic.objects.all().delete()
        HsValueStatistic.objects.bulk_create(
            HsValueStatistic(
                heading=heading,
                median_unit_value_usd=median,
                samples=samples,
                window_days=days,
                computed_at=now,
            )
            for heading, median, samples in rows
            if heading
        )
        audit_record(
            action=TargetingAction.STATISTICS_REFRESH,
            target_type="shipments.hsvaluestatistic",
            target_id="all",
            target_label="Unit-value statistics",
            detail={"headings": len(rows), "window_days": days},
        )
        targeting_version_bump()
    return len(rows)
