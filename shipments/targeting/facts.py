"""Targeting facts from shipment content (the batch API's shipment shape) and from the
filer's standing. Filing builds its facts from the decoded structs (``shipments.facts``)
with ``filer_standings`` and ``has_filed_before`` from here; the screening task and the
back-test call ``facts_for_shipments`` on stored shipments; ``batch_facts`` builds a
batch's facts from content dicts (one filer)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec
from django.utils import timezone

from core.reference.places import sanctioned_region_named
from shipments import schema
from shipments.targeting import Item, Party, ShipmentFacts, Standing

PARTY_ROLES = ("seller", "shipper", "consignee")


def party_from_content(role: str, data: Mapping[str, Any] | None) -> Party | None:
    if not data:
        return None
    address = data.get("address") or {}
    identifier = data.get("identifier")
    line1, line2 = address.get("line1"), address.get("line2")
    return Party(
        role=role,
        name=str(data.get("name") or ""),
        country=str(address.get("country") or "").upper(),
        address_lines=(
            (str(line1), str(line2))
            if line1 and line2
            else (str(line1 or line2),)
            if line1 or line2
            else ()
        ),
        city=str(address.get("city") or ""),
        postal_code=str(address.get("postal_code") or ""),
        region=_region(address),
        identifier=str(identifier.get("value") or "") if isinstance(identifier, Mapping) else "",
    )


def _region(address: Mapping[str, Any]) -> str:
    """The ISO 3166-2 code given, or the sanctioned region the address names (Simferopol,
    Sevastopol, Donetsk, ... in any script: ``core.reference.places``)."""
    region = str(address.get("region") or "")
    if "-" in region:
        return region
    return sanctioned_region_named(
        str(address.get("line1") or ""),
        str(address.get("line2") or ""),
        str(address.get("city") or ""),
        region,
        country=str(address.get("country") or ""),
    )


def facts_from_content(
    content: Mapping[str, Any],
    *,
    organisation_id: int,
    standing: Standing,
    tier: int | None,
    first_shipment: bool,
    estimated_arrival: datetime.datetime | None = None,
    key: str = "",
) -> ShipmentFacts:
    """The facts of one shipment in the batch API's shape (validated content)."""
    parties = [party_from_content(role, content.get(role)) for role in PARTY_ROLES]
    items: list[Item] = []
    for raw in content.get("items") or []:
        items.append(
            Item(
                description=str(raw.get("description") or ""),
                hs_code=str(raw.get("hs_code") or "").replace(".", ""),
                quantity=float(raw.get("quantity") or 0),
                unit_value=float(raw.get("unit_value") or 0),
                origin_country=str(raw.get("origin_country") or "").upper(),
            )
        )
        parties.append(party_from_content("manufacturer", raw.get("manufacturer")))
    arrival = estimated_arrival or _datetime(content.get("estimated_arrival"))
    total = content.get("total_value")
    if total is None:
        total = sum(item.quantity * item.unit_value for item in items)
    return ShipmentFacts(
        organisation_id=organisation_id,
        standing=standing,
        tier=tier,
        first_shipment=first_shipment,
        mode=str(content.get("mode") or ""),
        port=str(content.get("port_of_arrival") or ""),
        estimated_arrival=arrival,
        currency=str(content.get("currency") or "").upper(),
        total_value=float(total),
        gross_weight_kg=float(content.get("gross_weight_kg") or 0),
        packages=int(content.get("packages") or 0),
        parties=tuple(party for party in parties if party is not None),
        items=tuple(items),
        key=key or str(content.get("reference") or ""),
    )


def _datetime(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(str(value))


def filer_standings(organisation_ids: Iterable[int]) -> dict[int, tuple[Standing, int | None]]:
    """Each organisation's standing today from its latest certificate: a known shipper
    (with its tier) while the certificate is valid and its application approved or
    reinstated; suspended or revoked; otherwise none. One query."""
    from shippers.models import Application, Certificate

    ids = set(organisation_ids)
    today = timezone.localdate()
    standings: dict[int, tuple[Standing, int | None]] = dict.fromkeys(ids, (Standing.NONE, None))
    seen: set[int] = set()
    rows = (
        Certificate.objects.filter(organisation_id__in=ids)
        .order_by("organisation_id", "-issued_at")
        .values_list("organisation_id", "tier", "valid_from", "valid_to", "application__status")
    )
    for organisation_id, tier, valid_from, valid_to, status in rows:
        if organisation_id in seen:
            continue
        seen.add(organisation_id)
        if status == Application.Status.SUSPENDED:
            standings[organisation_id] = (Standing.SUSPENDED, tier)
        elif status == Application.Status.REVOKED:
            standings[organisation_id] = (Standing.REVOKED, tier)
        elif (
            status in (Application.Status.APPROVED, Application.Status.REINSTATED)
            and valid_from <= today <= valid_to
        ):
            standings[organisation_id] = (Standing.KNOWN, tier)
    return standings


def has_filed_before(organisation_id: int, *, before: datetime.datetime | None = None) -> bool:
    from shipments.models import Shipment

    shipments = Shipment.objects.filter(organisation_id=organisation_id)
    if before is not None:
        shipments = shipments.filter(filed_at__lt=before)
    return shipments.exists()


def batch_facts(
    *,
    organisation_id: int,
    contents: Sequence[Mapping[str, Any]],
    keys: Sequence[str] | None = None,
) -> list[ShipmentFacts]:
    """The facts of a batch from one filer, in order: two queries for the whole batch. Only
    the first shipment of a filer that has never filed counts as its first shipment."""
    standing, tier = filer_standings([organisation_id])[organisation_id]
    first = not has_filed_before(organisation_id)
    facts = []
    for index, content in enumerate(contents):
        facts.append(
            facts_from_content(
                content,
                organisation_id=organisation_id,
                standing=standing,
                tier=tier,
                first_shipment=first and index == 0,
                key=keys[index] if keys else "",
            )
        )
    return facts


def facts_for_shipments(shipments: Sequence[Any]) -> list[ShipmentFacts]:
    """The facts of stored shipments (their current version's content), with each filer's
    standing today. A shipment is its filer's first when no earlier shipment was filed.

    The content is read as its JSON text and decoded straight into the API's structs
    (``shipments.schema``), which stored content always fits; anything that does not (or
    a missing version) takes the generic path, which gives the same facts."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from shipments.models import ShipmentVersion

    if not shipments:
        return []
    texts = {
        (shipment_id, number): text
        for shipment_id, number, text in ShipmentVersion.objects.filter(
            shipment__any=[shipment.pk for shipment in shipments],
            # The partition key: PostgreSQL reads only the months concerned.
            estimated_arrival__gte=min(shipment.estimated_arrival for shipment in shipments),
            estimated_arrival__lte=max(shipment.estimated_arrival for shipment in shipments),
        )
        .annotate(text=Cast("content", output_field=TextField()))
        .values_list("shipment_id", "number", "text")
    }
    organisations = {shipment.organisation_id for shipment in shipments}
    standings = filer_standings(organisations)
    firsts = {pk: _first_shipment_id(pk) for pk in organisations}
    facts = []
    for shipment in shipments:
        text = texts.get((shipment.pk, shipment.version))
        standing, tier = standings[shipment.organisation_id]
        struct = _decode_stored(text)
        common = {
            "organisation_id": shipment.organisation_id,
            "standing": standing,
            "tier": tier,
            "first_shipment": firsts.get(shipment.organisation_id) == shipment.pk,
            "estimated_arrival": shipment.estimated_arrival,
            "key": str(shipment.pk),
        }
        if struct is not None:
            facts.append(_facts_from_struct(struct, **common))
        else:
            content = msgspec.json.decode(text) if text else {}
            facts.append(facts_from_content(content or {}, **common))
    return facts


_stored_decoder = msgspec.json.Decoder(schema.Shipment)
_PARTY_MEMO_LIMIT = 50_000
_parties: dict[tuple[Any, ...], Party] = {}


def _decode_stored(text: str | None) -> schema.Shipment | None:
    if not text:
        return None
    try:
        return _stored_decoder.decode(text)
    except msgspec.DecodeError:
        return None


def party_from_struct(role: str, party: schema.Party) -> Party:
    """``party_from_content`` of the same party as structs, remembered (parties repeat): the
    one builder of a party from structs, for filing and for stored shipments alike."""
    address = party.address
    identifier = party.identifier.value if party.identifier is not None else ""
    key = (
        role,
        party.name,
        identifier,
        address.line1,
        address.line2,
        address.city,
        address.region,
        address.postal_code,
        address.country,
    )
    found = _parties.get(key)
    if found is not None:
        return found
    line1, line2 = address.line1, address.line2
    region = address.region or ""
    found = Party(
        role=role,
        name=party.name,
        country=address.country.upper(),
        address_lines=(line1, line2)
        if line1 and line2
        else (line1 or line2,)
        if line1 or line2
        else (),  # type: ignore[arg-type]
        city=address.city,
        postal_code=address.postal_code or "",
        region=region
        if "-" in region
        else sanctioned_region_named(
            line1, line2 or "", address.city, region, country=address.country
        ),
        identifier=identifier,
    )
    if len(_parties) >= _PARTY_MEMO_LIMIT:
        _parties.clear()
    _parties[key] = found
    return found


def _facts_from_struct(
    shipment: schema.Shipment,
    *,
    organisation_id: int,
    standing: Standing,
    tier: int | None,
    first_shipment: bool,
    estimated_arrival: datetime.datetime,
    key: str,
) -> ShipmentFacts:
    """``facts_from_content`` of the same content decoded as structs."""
    parties = [
        party_from_struct("seller", shipment.seller),
        party_from_struct("shipper", shipment.shipper),
        party_from_struct("consignee", shipment.consignee),
    ]
    items: list[Item] = []
    for raw in shipment.items:
        items.append(
            Item(
                description=raw.description,
                hs_code=raw.hs_code.replace(".", ""),
                quantity=float(raw.quantity),
                unit_value=float(raw.unit_value),
                origin_country=raw.origin_country.upper(),
            )
        )
        if raw.manufacturer is not None:
            parties.append(party_from_struct("manufacturer", raw.manufacturer))
    return ShipmentFacts(
        organisation_id=organisation_id,
        standing=standing,
        tier=tier,
        first_shipment=first_shipment,
        mode=shipment.mode,
        port=shipment.port_of_arrival,
        estimated_arrival=estimated_arrival,
        currency=shipment.currency.upper(),
        total_value=float(sum(item.quantity * item.unit_value for item in items)),
        gross_weight_kg=float(shipment.gross_weight_kg),
        packages=int(shipment.packages),
        parties=tuple(parties),
        items=tuple(items),
        key=key,
    )


def _first_shipment_id(organisation_id: int) -> Any:
    """The filer's first shipment (an index scan of one row, however many it filed)."""
    from shipments.models import Shipment

    return (
        Shipment.objects.filter(organisation_id=organisation_id)
        .order_by("filed_at", "id")
        .values_list("id", flat=True)
        .first()
    )
