"""The fast path of shipment validation: the contract as msgspec structs, checked in C.

A shipment that passes these structs and the few checks `validation._fast` adds (code
tables, the arrival window, no control characters or untrimmed text, read once over the
encoded content) is valid, and its canonical content is exactly what the full checker
would build: the fast path accepts only already-canonical text (trimmed, upper-case
codes, lower-case mode, digits-only HS codes). Anything else, including a fixable spelling
like "cn", takes the full checker, which names every wrong field. So the fast path may be
stricter than the contract, never looser.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec


def _text(max_length: int, min_length: int = 1) -> Any:
    return Annotated[str, msgspec.Meta(min_length=min_length, max_length=max_length)]


Country = Annotated[str, msgspec.Meta(min_length=2, max_length=2)]  # checked against ISO
# Case-blind scheme, as the full checker: canonical content always converts back to structs.
Url = Annotated[str, msgspec.Meta(max_length=2000, pattern=r"(?i)^https?://[^\s/$.?#][^\s]*$")]
Email = Annotated[str, msgspec.Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
HsCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6,10}$")]
Port = Annotated[str, msgspec.Meta(pattern=r"^(?:[0-9]{4}|[A-Z]{2}[A-Z2-9]{3})$")]
Currency = Annotated[str, msgspec.Meta(min_length=3, max_length=3)]  # checked against ISO


class Struct(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    pass


class Address(Struct):
    line1: _text(200)  # type: ignore[valid-type]
    city: _text(120)  # type: ignore[valid-type]
    country: Country
    line2: _text(200) | None = None  # type: ignore[valid-type]
    region: _text(120) | None = None  # type: ignore[valid-type]
    postal_code: _text(20) | None = None  # type: ignore[valid-type]


class Identifier(Struct):
    scheme: _text(20)  # type: ignore[valid-type]
    value: _text(64)  # type: ignore[valid-type]


class Party(Struct):
    name: _text(200)  # type: ignore[valid-type]
    address: Address
    identifier: Identifier | None = None
    email: Email | None = None
    phone: _text(40) | None = None  # type: ignore[valid-type]


class Marketplace(Struct):
    name: _text(200)  # type: ignore[valid-type]
    url: Url | None = None


class Item(Struct):
    description: _text(500, 3)  # type: ignore[valid-type]
    hs_code: HsCode
    quantity: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
    unit_value: Annotated[float, msgspec.Meta(ge=0, le=10_000_000)]
    origin_country: Country
    listing_url: Url | None = None
    manufacturer: Party | None = None


class Shipment(Struct):
    reference: _text(64)  # type: ignore[valid-type]
    mode: Literal["air", "truck", "rail", "sea", "postal"]
    port_of_arrival: Port
    estimated_arrival: Annotated[str, msgspec.Meta(max_length=40)]
    seller: Party
    shipper: Party
    consignee: Party
    gross_weight_kg: Annotated[float, msgspec.Meta(gt=0, le=100_000)]
    packages: Annotated[int, msgspec.Meta(ge=1, le=100_000)]
    currency: Currency
    items: Annotated[list[Item], msgspec.Meta(min_length=1, max_length=999)]
    house_bill: _text(64) | None = None  # type: ignore[valid-type]
    master_bill: _text(64) | None = None  # type: ignore[valid-type]
    tracking_number: _text(64) | None = None  # type: ignore[valid-type]
    carrier: _text(200) | None = None  # type: ignore[valid-type]
    marketplace: Marketplace | None = None


class Batch(Struct):
    shipments: list[Shipment]


_batch_decoder = msgspec.json.Decoder(Batch)
_shipment_decoder = msgspec.json.Decoder(Shipment)


def convert(raw: object) -> Shipment | None:
    """The shipment as structs, or None when it needs the full checker."""
    try:
        return msgspec.convert(raw, Shipment)
    except msgspec.ValidationError:
        return None


def decode_batch(body: bytes) -> list[Shipment] | None:
    """A whole JSON batch decoded straight into structs (one pass in C); None if anything
    in it needs a closer look, which the generic decoding and the full checker give."""
    try:
        return _batch_decoder.decode(body).shipments
    except msgspec.DecodeError:  # ValidationError is a DecodeError
        return None


def decode_line(line: bytes) -> Shipment | None:
    try:
        return _shipment_decoder.decode(line)
    except msgspec.DecodeError:
        return None


to_builtins = msgspec.to_builtins
