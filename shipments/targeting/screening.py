"""Party screening of shipments and the final decision.

Every party name (seller, shipper, consignee, manufacturer) is screened against the active
denied-party lists with the screening engine, once per folded name and country and list
versions: the result is kept in this process and in ``PartyScreeningResult``, so the same
seller on thousands of parcels costs one search. ``shipments_finalise`` then re-evaluates
the shipments with the screening results and the consignee's other shipments (split
shipments) and writes the decision."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from core.audit import audit_record
from core.workflow import ActorKind
from shipments.models import Decision, ScreeningState, Shipment, ShipmentStatus
from shipments.targeting import Party, PartyScreening, RiskResult, Snapshot, evaluate_batch
from shipments.targeting.engine.text import fold
from shipments.targeting.events import TargetingAction
from shipments.targeting.facts import facts_for_shipments
from shipments.targeting.models import PartyScreeningResult, RuleHit
from shipments.targeting.snapshot import current_snapshot
from shipments.workflow import SHIPMENT_MACHINE

logger = logging.getLogger(__name__)

MEMORY_LIMIT = 200_000
_memory: OrderedDict[tuple[str, str], tuple[float, tuple[dict[str, Any], ...]]] = OrderedDict()
_memory_lock = threading.Lock()
_RANK = {Decision.PENDING: 0, Decision.RELEASE: 1, Decision.REVIEW: 2, Decision.HOLD: 3}


class NoActiveListError(RuntimeError):
    """No denied-party list is active: parties cannot be screened."""


def name_key(name: str, country: str) -> str:
    """The cache key of a party: its name folded (case, accents, punctuation and spacing
    do not matter) and its country, which the screening score reads."""
    return hashlib.sha256(f"{fold(name)}|{country.upper()}".encode()).hexdigest()[:40]


def _lists_key() -> tuple[str, Any]:
    from screening import selectors

    version_ids = selectors.active_version_ids()
    if not version_ids:
        raise NoActiveListError("No active screening list: parties cannot be screened.")
    _hit, review = selectors.thresholds()
    text = ",".join(str(pk) for pk in version_ids) + f"@{review}"
    return hashlib.sha256(text.encode()).hexdigest()[:40], version_ids


def screen_parties(parties: Iterable[Party]) -> dict[tuple[str, str], PartyScreening]:
    """The screening of each distinct (name, country) among ``parties``, from the caches
    where possible. Raises ``NoActiveListError`` when no list is active."""
    from screening import selectors

    lists_key, _versions = _lists_key()
    wanted: dict[tuple[str, str], str] = {}
    for party in parties:
        if party.name.strip():
            wanted.setdefault((party.name, party.country), "")
    found: dict[tuple[str, str], tuple[float, tuple[dict[str, Any], ...]]] = {}
    missing: dict[str, list[tuple[str, str]]] = {}
    with _memory_lock:
        for pair in wanted:
            key = name_key(*pair)
            wanted[pair] = key
            cached = _memory.get((key, lists_key))
            if cached is not None:
                found[pair] = cached
            else:
                missing.setdefault(key, []).append(pair)
    if missing:
        rows = PartyScreeningResult.objects.filter(
            lists_key=lists_key, key__any=list(missing)
        ).values_list("key", "score", "matches")
        for key, score, matches in rows:
            for pair in missing.pop(key, []):
                found[pair] = (score, tuple(matches))
                _remember(key, lists_key, found[pair])
    if missing:
        index = selectors.active_index()
        _hit, review = selectors.thresholds()
        new_rows = []
        for key, pairs in missing.items():
            name, country = pairs[0]
            matches = index.search(name, country=country or None, limit=3, min_score=review)
            data = tuple(selectors.match_json(match, review) for match in matches)
            score = round(max((match.score for match in matches), default=0.0), 4)
            for pair in pairs:
                found[pair] = (score, data)
            _remember(key, lists_key, (score, data))
            new_rows.append(
                PartyScreeningResult(
                    key=key,
                    lists_key=lists_key,
                    name=name[:200],
                    country=country[:2],
                    score=score,
                    matches=list(data),
                )
            )
        _insert_screenings(new_rows, lists_key)
    return {
        pair: PartyScreening(role="", name=pair[0], score=score, matches=matches)
        for pair, (score, matches) in found.items()
    }


def _insert_screenings(rows: list[PartyScreeningResult], lists_key: str) -> None:
    """The new screening results in one statement (another worker may have stored the same
    name meanwhile: kept as it is)."""
    if connection.vendor != "postgresql":
        PartyScreeningResult.objects.bulk_create(rows, ignore_conflicts=True)
        return
    table = PartyScreeningResult._meta.db_table
    sql = (
        f"INSERT INTO {table} (key, lists_key, name, country, score, matches, "  # noqa: S608
        "screened_at) SELECT v.key, %s, v.name, v.country, v.score, v.matches, %s "
        "FROM unnest(%s::text[], %s::text[], %s::text[], %s::float8[], %s::jsonb[]) "
        "AS v(key, name, country, score, matches) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                lists_key,
                timezone.now(),
                _array(row.key for row in rows),
                _array(row.name for row in rows),
                _array(row.country for row in rows),
                _array(repr(float(row.score)) for row in rows),
                _array(json.dumps(row.matches) for row in rows),
            ],
        )


def _array(texts: Iterable[str | None]) -> str:
    """A PostgreSQL array literal of ``texts`` (None as NULL), passed as one text parameter:
    the client-side binding of psycopg would otherwise dump and quote element by element,
    which costs more than the statement."""
    return (
        "{"
        + ",".join(
            "NULL" if text is None else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
            for text in texts
        )
        + "}"
    )


def _remember(key: str, lists_key: str, value: tuple[float, tuple[dict[str, Any], ...]]) -> None:
    with _memory_lock:
        _memory[(key, lists_key)] = value
        if len(_memory) > MEMORY_LIMIT:
            _memory.popitem(last=False)


def forget_screening_memory() -> None:
    with _memory_lock:
        _memory.clear()


def consignee_windows(shipments: Sequence[Any], snapshot: Snapshot) -> dict[Any, tuple[int, float]]:
    """For each shipment, the other shipments to its consignee (same ``consignee_key``)
    arriving within the widest split-shipment window: (count, value in US dollars)."""
    hours = snapshot.split_window_hours
    if hours is None or not shipments:
        return {}
    window = datetime.timedelta(hours=hours)
    arrivals = [shipment.estimated_arrival for shipment in shipments]
    rows = list(
        Shipment.objects.filter(
            consignee_key__any=list({shipment.consignee_key for shipment in shipments}),
            estimated_arrival__gte=min(arrivals) - window,
            estimated_arrival__lte=max(arrivals) + window,
        )
        .exclude(status=ShipmentStatus.CANCELLED)
        .values_list("id", "consignee_key", "estimated_arrival", "total_value", "currency")
    )
    rates = snapshot.reference.usd_rates
    by_key: dict[str, list[tuple[Any, datetime.datetime, float]]] = {}
    for pk, key, arrival, value, currency in rows:
        rate = rates.get(currency.upper())
        if rate is not None:
            by_key.setdefault(key, []).append((pk, arrival, float(value) * rate))
    windows: dict[Any, tuple[int, float]] = {}
    for shipment in shipments:
        others = [
            value
            for pk, arrival, value in by_key.get(shipment.consignee_key, [])
            if pk != shipment.pk and abs(arrival - shipment.estimated_arrival) <= window
        ]
        windows[shipment.pk] = (len(others), sum(others))
    return windows


def _screening_state(result: RiskResult, screened: Sequence[PartyScreening] | None) -> str:
    from screening import selectors

    if screened is None:
        return ScreeningState.ERROR
    hit, review = selectors.thresholds()
    best = max((party.score for party in screened), default=0.0)
    if best >= hit:
        return ScreeningState.HIT
    if best >= review:
        return ScreeningState.POSSIBLE_MATCH
    return ScreeningState.CLEAR


class _Seen(NamedTuple):
    """What the task reads of a shipment before its decision (no model instance needed)."""

    pk: Any
    organisation_id: int
    version: int
    estimated_arrival: datetime.datetime
    consignee_key: str


def shipments_finalise(*, shipment_ids: Sequence[Any]) -> dict[str, int]:
    """Screen the parties of the open shipments among ``shipment_ids``, re-evaluate them
    and write each decision (idempotent: an unchanged result writes nothing). A shipment
    already decided is only made stricter here; relaxing a decision is an officer's."""
    shipments = [
        _Seen(*row)
        for row in Shipment.objects.filter(id__any=list(shipment_ids))
        .open()
        .values_list(*_READ_FIELDS)
    ]
    counts = {"decided": 0, "unchanged": 0, "skipped": len(shipment_ids) - len(shipments)}
    if not shipments:
        return counts
    snapshot = current_snapshot()
    facts = facts_for_shipments(shipments)
    try:
        screened_names = screen_parties(party for one in facts for party in one.parties)
    except NoActiveListError:
        logger.warning("No active screening list: shipments decided without party screening.")
        screened_names = None
    windows = consignee_windows(shipments, snapshot)
    completed = []
    by_role: dict[tuple[str, str, str], PartyScreening] = {}
    for shipment, one in zip(shipments, facts, strict=True):
        screening = None
        if screened_names is not None:
            screening = tuple(
                _with_role(screened_names, by_role, p.name, p.country, p.role)
                for p in one.parties
                if (p.name, p.country) in screened_names
            )
        completed.append(
            dataclasses.replace(
                one,
                screening=screening if screening is not None else (),
                consignee_window=windows.get(shipment.pk),
            )
        )
    results = evaluate_batch(completed, snapshot=snapshot)
    states = [
        _screening_state(result, one.screening if screened_names is not None else None)
        for result, one in zip(results, completed, strict=True)
    ]
    _write(shipments, results, states, snapshot, counts)
    return counts


def _with_role(
    screened: dict[tuple[str, str], PartyScreening],
    by_role: dict[tuple[str, str, str], PartyScreening],
    name: str,
    country: str,
    role: str,
) -> PartyScreening:
    """The screening of a party in its role, one object per distinct party and role."""
    found = by_role.get((name, country, role))
    if found is None:
        plain = screened[name, country]
        found = by_role[name, country, role] = PartyScreening(
            role=role, name=plain.name, score=plain.score, matches=plain.matches
        )
    return found


# What the task reads of a shipment before its final decision, and what it locks and
# writes: the rest of the row (descriptions, codes, parties) is not decoded for nothing.
_READ_FIELDS = ("id", "organisation_id", "version", "estimated_arrival", "consignee_key")
_LOCKED_FIELDS = (
    *_READ_FIELDS,
    "reference",
    "status",
    "decision",
    "risk_level",
    "risk_score",
    "risk_reasons",
    "screening_state",
    "decided_at",
    "batch_id",
)


def _write(
    shipments: list[_Seen],
    results: list[RiskResult],
    states: list[str],
    snapshot: Snapshot,
    counts: dict[str, int],
) -> None:
    now = timezone.now()
    versions: dict[tuple[str, int], int] = {}
    for rule in snapshot.rules:
        if rule.spec.version_id is not None:
            versions[rule.spec.code, rule.spec.version] = rule.spec.version_id
    with transaction.atomic():
        # The lock makes an amendment or an officer's decision wait, or this one see theirs.
        locked = {
            shipment.pk: shipment
            for shipment in Shipment.objects.select_for_update()
            .only(*_LOCKED_FIELDS)
            .filter(
                id__any=[shipment.pk for shipment in shipments],
                estimated_arrival__gte=min(shipment.estimated_arrival for shipment in shipments),
                estimated_arrival__lte=max(shipment.estimated_arrival for shipment in shipments),
            )
        }
        changed: list[Shipment] = []
        hits: list[tuple[Any, ...]] = []
        released: dict[str, list[str]] = {}
        for seen, result, state in zip(shipments, results, states, strict=True):
            shipment = locked.get(seen.pk)
            if shipment is None or not shipment.is_open or shipment.version != seen.version:
                counts["skipped"] += 1
                continue
            reasons = [reason.as_json() for reason in result.reasons]
            before = {
                "decision": shipment.decision,
                "risk_level": shipment.risk_level,
                "status": shipment.status,
            }
            same = (
                shipment.decision == result.decision
                and shipment.risk_level == result.level
                and shipment.risk_score == result.score
                and shipment.risk_reasons == reasons
                and shipment.screening_state == state
            )
            stricter = _RANK[Decision(result.decision)] >= _RANK[Decision(shipment.decision)]
            if same or (shipment.status == ShipmentStatus.DECIDED and not stricter):
                counts["unchanged"] += 1
                continue
            if result.decision != Decision.PENDING:
                name = "redecide" if shipment.status == ShipmentStatus.DECIDED else "decide"
                SHIPMENT_MACHINE.apply(shipment, name, ActorKind.SYSTEM)
                shipment.decided_at = now
            shipment.decision = result.decision
            shipment.risk_level = result.level
            shipment.risk_score = result.score
            shipment.risk_reasons = reasons
            shipment.screening_state = state
            changed.append(shipment)
            hits += [
                (
                    shipment.pk,
                    versions[reason.rule, reason.version],
                    reason.shadow,
                    reason.outcome or "",
                    reason.weight,
                    shipment.estimated_arrival,
                    now,
                )
                for reason in result.reasons
                if (reason.rule, reason.version) in versions
            ]
            if result.decision == Decision.RELEASE and before["decision"] in (
                Decision.PENDING,
                Decision.RELEASE,
            ):
                released.setdefault(str(shipment.batch_id or ""), []).append(str(shipment.pk))
                continue
            audit_record(
                action=TargetingAction.DECIDE,
                target_type="shipments.shipment",
                target_id=str(shipment.pk),
                target_label=f"shipment {shipment.reference}",
                organisation_id=shipment.organisation_id,
                actor_kind="system",
                changes={
                    key: {"before": value, "after": getattr(shipment, key)}
                    for key, value in before.items()
                    if value != getattr(shipment, key)
                },
                detail={
                    "score": result.score,
                    "rules": [reason.rule for reason in result.reasons],
                    "screening": state,
                    "targeting_version": snapshot.version,
                },
            )
        if not changed:
            return
        _update_rows(changed)
        RuleHit.objects.filter(shipment__any=[shipment.pk for shipment in changed]).delete()
        _insert_hits(hits)
        # Releases are the great majority: one event per batch lists them, so the log does
        # not grow by a row per parcel.
        for batch_id, ids in released.items():
            audit_record(
                action=TargetingAction.DECIDE_BATCH,
                target_type="shipments.batch",
                target_id=batch_id or "none",
                target_label=f"batch {batch_id}" if batch_id else "shipments without a batch",
                actor_kind="system",
                organisation_id=next(
                    (s.organisation_id for s in changed if str(s.batch_id or "") == batch_id),
                    None,
                ),
                detail={"decision": "release", "count": len(ids), "shipments": ids},
            )
        counts["decided"] += len(changed)


_FIELDS = (
    "status",
    "decision",
    "risk_level",
    "risk_score",
    "risk_reasons",
    "screening_state",
    "decided_at",
)


def _update_rows(changed: list[Shipment]) -> None:
    """One UPDATE for all rows (Django's bulk_update builds a CASE per field and row, which
    costs more than the screening on PostgreSQL)."""
    if connection.vendor != "postgresql":
        Shipment.objects.bulk_update(changed, list(_FIELDS))
        return
    columns = [
        _array(str(shipment.pk) for shipment in changed),
        _array(shipment.status for shipment in changed),
        _array(shipment.decision for shipment in changed),
        _array(shipment.risk_level for shipment in changed),
        _array(repr(float(shipment.risk_score)) for shipment in changed),
        _array(json.dumps(shipment.risk_reasons) for shipment in changed),
        _array(shipment.screening_state for shipment in changed),
        _array(
            None if shipment.decided_at is None else shipment.decided_at.isoformat()
            for shipment in changed
        ),
    ]
    table = Shipment._meta.db_table
    # One array literal a column: the statement and its eight parameters are the same
    # whatever the number of rows (psycopg neither splits nor quotes a placeholder a value).
    sql = (
        f"UPDATE {table} AS s SET status = v.status, decision = v.decision, "  # noqa: S608
        "risk_level = v.risk_level, risk_score = v.risk_score, risk_reasons = v.risk_reasons, "
        "screening_state = v.screening_state, decided_at = v.decided_at "
        "FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::text[], %s::float8[], "
        "%s::jsonb[], %s::text[], %s::timestamptz[]) AS v(id, status, decision, risk_level, "
        "risk_score, risk_reasons, screening_state, decided_at) WHERE s.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, columns)


_HIT_COLUMNS = (
    "shipment_id",
    "rule_version_id",
    "shadow",
    "outcome",
    "weight",
    "estimated_arrival",
    "recorded_at",
)


def _insert_hits(hits: list[tuple[Any, ...]]) -> None:
    """Rule hits (rows in ``_HIT_COLUMNS`` order) by COPY on PostgreSQL: a few a shipment,
    every shipment decided."""
    if not hits:
        return
    if connection.vendor != "postgresql":
        RuleHit.objects.bulk_create(
            RuleHit(**dict(zip(_HIT_COLUMNS, row, strict=True))) for row in hits
        )
        return
    table = RuleHit._meta.db_table
    with connection.cursor() as cursor:
        statement = f"COPY {table} ({', '.join(_HIT_COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in hits:
                copy.write_row(row)
