"""Validation of one shipment as the API contract describes it (see README, "Advance
shipment data API").

`validate_shipment(raw)` never stops at the first problem: it returns every wrong field,
each as a `FieldError` with a path (`items[0].hs_code`), a stable code and a message a
developer understands, and, when there is none, the canonical content: known keys only,
strings trimmed, codes upper-cased, optional empties dropped. Two submissions with the
same canonical content are the same filing (`content_hash`).

Hand-written on purpose: a serializer per object costs more than the whole budget of a
shipment at 10,000 a second.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from django.utils import timezone

from screening.engine.countries import is_country_code
from shipments import schema
from shipments.models import Mode
from shipments.reference import CURRENCIES

MAX_ITEMS = 999
MAX_QUANTITY = 1_000_000
MAX_UNIT_VALUE = 10_000_000
MAX_TOTAL_VALUE = 1_000_000_000
MAX_WEIGHT_KG = 100_000
MAX_PACKAGES = 100_000
ARRIVAL_WINDOW = timedelta(days=366)

MODES = frozenset(Mode.values)
_HS = re.compile(r"^[0-9]{6,10}$")
_US_PORT = re.compile(r"^[0-9]{4}$")
_LOCODE = re.compile(r"^([A-Z]{2})[A-Z2-9]{3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# In compact JSON, an escaped control character (\n, \t, \u0000...). A false alarm only sends
# the shipment to the full checker.
_ESCAPED_CONTROL = re.compile(rb"\\[bfnrt]|\\u00[01]")
# One literal each: a compiled search beats `in` for a needle whose bytes are frequent.
_SPACE_AFTER_QUOTE = re.compile(rb'" ').search
_SPACE_BEFORE_QUOTE = re.compile(rb' "').search

SHIPMENT_FIELDS = frozenset(
    {
        "reference",
        "house_bill",
        "master_bill",
        "tracking_number",
        "mode",
        "carrier",
        "port_of_arrival",
        "estimated_arrival",
        "seller",
        "shipper",
        "consignee",
        "marketplace",
        "gross_weight_kg",
        "packages",
        "currency",
        "items",
    }
)
PARTY_FIELDS = frozenset({"name", "address", "identifier", "email", "phone"})
ADDRESS_FIELDS = frozenset({"line1", "line2", "city", "region", "postal_code", "country"})
IDENTIFIER_FIELDS = frozenset({"scheme", "value"})
MARKETPLACE_FIELDS = frozenset({"name", "url"})
ITEM_FIELDS = frozenset(
    {
        "description",
        "hs_code",
        "quantity",
        "unit_value",
        "origin_country",
        "listing_url",
        "manufacturer",
    }
)
_TYPE_NAMES = {
    str: "a string",
    dict: "an object",
    list: "an array",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


def _type_name(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class _Checker:
    """Collects the errors of one shipment while building its canonical content."""

    __slots__ = ("errors",)

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, code: str, message: str) -> None:
        self.errors.append(FieldError(path, code, message))

    def obj(self, value: object, path: str, allowed: frozenset[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, "invalid_type", f"Expected an object, got {_type_name(value)}.")
            return None
        for key in value:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                self.fail(
                    where,
                    "unknown_field",
                    f"Unknown field {key!r}; allowed here: {', '.join(sorted(allowed))}.",
                )
        return value

    def text(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        *,
        max_length: int,
        required: bool = True,
        min_length: int = 1,
    ) -> str:
        where = f"{path}.{key}" if path else key
        value = parent.get(key)
        if value is None or (isinstance(value, str) and not value.strip() and not required):
            if required:
                self.fail(where, "required", "This field is required.")
            return ""
        if not isinstance(value, str):
            self.fail(where, "invalid_type", f"Expected a string, got {_type_name(value)}.")
            return ""
        if "\x00" in value:
            self.fail(where, "nul_character", "Text may not contain NUL (\\u0000) characters.")
            return ""
        if _CONTROL.search(value):
            self.fail(
                where,
                "control_character",
                "Text may not contain control characters (tabs, line breaks and the like).",
            )
            return ""
        value = value.strip()
        if len(value) < min_length:
            if not value:
                self.fail(where, "required", "This field may not be blank.")
            else:
                self.fail(where, "too_short", f"Give at least {min_length} characters.")
            return ""
        if len(value) > max_length:
            self.fail(where, "too_long", f"At most {max_length} characters ({len(value)} given).")
            return ""
        return value

    def country(self, parent: dict[str, Any], key: str, path: str) -> str:
        value = self.text(parent, key, path, max_length=2)
        if value and not is_country_code(value.upper()):
            where = f"{path}.{key}" if path else key
            self.fail(where, "invalid_country", f"{value!r} is not an ISO 3166-1 alpha-2 code.")
            return ""
        return value.upper()

    def number(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        *,
        integer: bool,
        minimum: float,
        maximum: float,
        exclusive_minimum: bool = False,
    ) -> int | float | None:
        where = f"{path}.{key}" if path else key
        value = parent.get(key)
        if value is None:
            self.fail(where, "required", "This field is required.")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            expected = "an integer" if integer else "a number"
            self.fail(where, "invalid_type", f"Expected {expected}, got {_type_name(value)}.")
            return None
        if integer and not isinstance(value, int):
            if not value.is_integer():
                self.fail(where, "invalid_type", f"Expected an integer, got {value!r}.")
                return None
            value = int(value)
        too_low = value <= minimum if exclusive_minimum else value < minimum
        if too_low or value > maximum:
            low = f"more than {minimum:g}" if exclusive_minimum else f"at least {minimum:g}"
            self.fail(where, "out_of_range", f"Must be {low} and at most {maximum:g}.")
            return None
        return value if integer else float(value)

    def party(self, value: object, path: str, *, required: bool = True) -> dict[str, Any] | None:
        if value is None:
            if required:
                self.fail(path, "required", "This party is required.")
            return None
        party = self.obj(value, path, PARTY_FIELDS)
        if party is None:
            return None
        result: dict[str, Any] = {"name": self.text(party, "name", path, max_length=200)}
        address_path = f"{path}.address"
        address = party.get("address")
        if address is None:
            self.fail(address_path, "required", "The party's address is required.")
        elif (checked := self.obj(address, address_path, ADDRESS_FIELDS)) is not None:
            cleaned = {
                "line1": self.text(checked, "line1", address_path, max_length=200),
                "line2": self.text(checked, "line2", address_path, max_length=200, required=False),
                "city": self.text(checked, "city", address_path, max_length=120),
                "region": self.text(
                    checked, "region", address_path, max_length=120, required=False
                ),
                "postal_code": self.text(
                    checked, "postal_code", address_path, max_length=20, required=False
                ),
                "country": self.country(checked, "country", address_path),
            }
            result["address"] = {key: text for key, text in cleaned.items() if text}
        identifier = party.get("identifier")
        if identifier is not None:
            id_path = f"{path}.identifier"
            if (checked := self.obj(identifier, id_path, IDENTIFIER_FIELDS)) is not None:
                result["identifier"] = {
                    "scheme": self.text(checked, "scheme", id_path, max_length=20),
                    "value": self.text(checked, "value", id_path, max_length=64),
                }
        email = self.text(party, "email", path, max_length=254, required=False)
        if email and not _EMAIL.match(email):
            self.fail(f"{path}.email", "invalid_format", "Not an e-mail address.")
        elif email:
            result["email"] = email
        phone = self.text(party, "phone", path, max_length=40, required=False)
        if phone:
            result["phone"] = phone
        return result

    def url(self, parent: dict[str, Any], key: str, path: str) -> str:
        value = self.text(parent, key, path, max_length=2000, required=False)
        if value and not _URL.match(value):
            self.fail(f"{path}.{key}", "invalid_format", "Expected an http(s) URL.")
            return ""
        return value

    def item(self, value: object, path: str) -> tuple[dict[str, Any] | None, float]:
        item = self.obj(value, path, ITEM_FIELDS)
        if item is None:
            return None, 0.0
        result: dict[str, Any] = {
            "description": self.text(item, "description", path, max_length=500, min_length=3)
        }
        hs_raw = item.get("hs_code")
        if isinstance(hs_raw, str):
            hs_code = hs_raw.replace(".", "").replace(" ", "")
            if not _HS.match(hs_code):
                self.fail(
                    f"{path}.hs_code",
                    "invalid_format",
                    f"An HS code has 6 to 10 digits (dots allowed), not {hs_raw[:20]!r}.",
                )
            result["hs_code"] = hs_code
        else:
            self.text(item, "hs_code", path, max_length=13)  # records required / wrong type
        quantity = self.number(
            item, "quantity", path, integer=True, minimum=1, maximum=MAX_QUANTITY
        )
        unit_value = self.number(
            item, "unit_value", path, integer=False, minimum=0, maximum=MAX_UNIT_VALUE
        )
        result["quantity"] = quantity
        result["unit_value"] = unit_value
        result["origin_country"] = self.country(item, "origin_country", path)
        listing_url = self.url(item, "listing_url", path)
        if listing_url:
            result["listing_url"] = listing_url
        manufacturer = self.party(item.get("manufacturer"), f"{path}.manufacturer", required=False)
        if manufacturer is not None:
            result["manufacturer"] = manufacturer
        value = (quantity or 0) * (unit_value or 0)
        return result, value


def _arrival(checker: _Checker, raw: dict[str, Any]) -> tuple[str, datetime | None]:
    value = raw.get("estimated_arrival")
    if value is None:
        checker.fail("estimated_arrival", "required", "This field is required.")
        return "", None
    if not isinstance(value, str) or "\x00" in value or len(value) > 40:
        checker.fail(
            "estimated_arrival",
            "invalid_type" if not isinstance(value, str) else "invalid_datetime",
            "Expected an ISO 8601 date and time with its offset, e.g. 2027-03-05T14:30:00+00:00.",
        )
        return "", None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        checker.fail(
            "estimated_arrival",
            "invalid_datetime",
            f"{value[:40]!r} is not an ISO 8601 date and time with an offset "
            "(e.g. 2027-03-05T14:30:00+00:00 or ...Z).",
        )
        return "", None
    now = timezone.now()
    if not now - ARRIVAL_WINDOW <= moment <= now + ARRIVAL_WINDOW:
        checker.fail(
            "estimated_arrival",
            "out_of_range",
            "The estimated arrival must be within a year of today.",
        )
        return "", None
    return moment.isoformat(), moment


class ValidShipment:
    """A valid shipment: its canonical content (as structs, as builtins, as the hashed JSON
    text) and its hash. Either form of the content is made from the other when first asked
    for: the fast path has the structs, the full checker the builtins."""

    __slots__ = ("_content", "content_hash", "encoded", "estimated_arrival", "struct")

    def __init__(
        self,
        content: dict[str, Any] | None,
        content_hash: str,
        estimated_arrival: datetime,
        encoded: bytes,  # the canonical content as compact JSON with sorted keys (hashed)
        struct: schema.Shipment | None = None,
    ) -> None:
        self._content = content
        self.content_hash = content_hash
        self.estimated_arrival = estimated_arrival
        self.encoded = encoded
        self.struct = struct

    @property
    def content(self) -> dict[str, Any]:
        if self._content is None:
            assert self.struct is not None
            self._content = schema.to_builtins(self.struct)
        return self._content

    @property
    def reference(self) -> str:
        return self.struct.reference if self.struct is not None else self.content["reference"]

    def as_struct(self) -> schema.Shipment:
        """The content as structs (what filing builds the targeting facts from): the
        decoded ones, or the canonical content converted (the full checker's path)."""
        if self.struct is None:
            self.struct = msgspec.convert(self.content, schema.Shipment)
        return self.struct


def _encode_sorted(content: dict[str, Any] | schema.Shipment) -> bytes:
    """Keys sorted at every level (struct fields too); defaults (None) left out."""
    return msgspec.json.encode(content, order="sorted")


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(_encode_sorted(content)).hexdigest()


def _countries_ok(party: schema.Party) -> bool:
    return is_country_code(party.address.country)


def _fast(raw: object) -> ValidShipment | None:
    """The shipment through the C structs plus the checks they cannot express; None when
    the full checker must look (an error, or text that needs normalising)."""
    shipment = raw if isinstance(raw, schema.Shipment) else schema.convert(raw)
    if shipment is None:
        return None
    return _checked(shipment)


def _checked(shipment: schema.Shipment) -> ValidShipment | None:
    if shipment.house_bill is None and shipment.tracking_number is None:
        return None
    if shipment.currency not in CURRENCIES:
        return None
    if not shipment.port_of_arrival[0].isdigit() and not is_country_code(
        shipment.port_of_arrival[:2]
    ):
        return None
    if not (
        _countries_ok(shipment.seller)
        and _countries_ok(shipment.shipper)
        and _countries_ok(shipment.consignee)
    ):
        return None
    total = 0.0
    for item in shipment.items:
        if not is_country_code(item.origin_country):
            return None
        if item.manufacturer is not None and not _countries_ok(item.manufacturer):
            return None
        total += item.quantity * item.unit_value
    if total > MAX_TOTAL_VALUE:
        return None
    try:
        moment = datetime.fromisoformat(shipment.estimated_arrival)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    now = datetime.now(UTC)  # timezone.now() with USE_TZ, without a settings look-up
    if not now - ARRIVAL_WINDOW <= moment <= now + ARRIVAL_WINDOW:
        return None
    given = shipment.estimated_arrival
    # The structs encode as the builtins would, keys sorted, with the arrival canonical.
    shipment.estimated_arrival = moment.isoformat()
    encoded = _encode_sorted(shipment)
    if (
        (b"\\" in encoded and _ESCAPED_CONTROL.search(encoded))
        # DEL, or a string starting or ending with a space (compact JSON has no other).
        or b"\x7f" in encoded
        or _SPACE_AFTER_QUOTE(encoded)
        or _SPACE_BEFORE_QUOTE(encoded)
    ):
        shipment.estimated_arrival = given  # the full checker reads what was sent
        return None
    return ValidShipment(None, hashlib.sha256(encoded).hexdigest(), moment, encoded, shipment)


def validate_shipment(raw: object) -> tuple[ValidShipment | None, list[FieldError]]:
    """The canonical content of one shipment (a decoded JSON value, or a `schema.Shipment`
    decoded straight from the body), or every error in it."""
    fast = _fast(raw)
    if fast is not None:
        return fast, []
    if isinstance(raw, schema.Shipment):  # decoded as structs: the same fields as a dict
        raw = schema.to_builtins(raw)
    return validate_fully(raw)


def validate_fully(raw: object) -> tuple[ValidShipment | None, list[FieldError]]:
    """The full checker: every error, or the canonical content."""
    checker = _Checker()
    shipment = checker.obj(raw, "", SHIPMENT_FIELDS)
    if shipment is None:
        return None, checker.errors
    content: dict[str, Any] = {
        "reference": checker.text(shipment, "reference", "", max_length=64),
    }
    for key in ("house_bill", "master_bill", "tracking_number"):
        value = checker.text(shipment, key, "", max_length=64, required=False)
        if value:
            content[key] = value
    bill_errors = any(e.field in ("house_bill", "tracking_number") for e in checker.errors)
    if "house_bill" not in content and "tracking_number" not in content and not bill_errors:
        checker.fail("house_bill", "required", "Give a house_bill or a tracking_number (or both).")
    mode = checker.text(shipment, "mode", "", max_length=10).lower()
    if mode and mode not in MODES:
        checker.fail("mode", "invalid_choice", f"Expected one of {', '.join(sorted(MODES))}.")
    content["mode"] = mode
    carrier = checker.text(shipment, "carrier", "", max_length=200, required=False)
    if carrier:
        content["carrier"] = carrier
    port = checker.text(shipment, "port_of_arrival", "", max_length=6).upper().replace(" ", "")
    if port and not _US_PORT.match(port):
        locode = _LOCODE.match(port)
        if locode is None or not is_country_code(locode.group(1)):
            checker.fail(
                "port_of_arrival",
                "invalid_format",
                f"Expected a 4-digit US port code (e.g. 4701) or a UN/LOCODE (e.g. USJFK), "
                f"not {port!r}.",
            )
    content["port_of_arrival"] = port
    content["estimated_arrival"], moment = _arrival(checker, shipment)
    for role in ("seller", "shipper", "consignee"):
        content[role] = checker.party(shipment.get(role), role)
    marketplace = shipment.get("marketplace")
    if marketplace is not None:
        checked = checker.obj(marketplace, "marketplace", MARKETPLACE_FIELDS)
        if checked is not None:
            content["marketplace"] = {
                "name": checker.text(checked, "name", "marketplace", max_length=200)
            }
            url = checker.url(checked, "url", "marketplace")
            if url:
                content["marketplace"]["url"] = url
    content["gross_weight_kg"] = checker.number(
        shipment,
        "gross_weight_kg",
        "",
        integer=False,
        minimum=0,
        maximum=MAX_WEIGHT_KG,
        exclusive_minimum=True,
    )
    content["packages"] = checker.number(
        shipment, "packages", "", integer=True, minimum=1, maximum=MAX_PACKAGES
    )
    currency = checker.text(shipment, "currency", "", max_length=3).upper()
    if currency and currency not in CURRENCIES:
        checker.fail("currency", "invalid_currency", f"{currency!r} is not an ISO 4217 code.")
    content["currency"] = currency
    items = shipment.get("items")
    if items is None:
        checker.fail("items", "required", "Give at least one item.")
    elif not isinstance(items, list):
        checker.fail("items", "invalid_type", f"Expected an array, got {_type_name(items)}.")
    elif not 1 <= len(items) <= MAX_ITEMS:
        checker.fail("items", "out_of_range", f"Give 1 to {MAX_ITEMS} items ({len(items)} given).")
    else:
        cleaned_items = []
        total = 0.0
        for index, item in enumerate(items):
            cleaned, item_value = checker.item(item, f"items[{index}]")
            cleaned_items.append(cleaned)
            total += item_value
        if total > MAX_TOTAL_VALUE:
            checker.fail(
                "items",
                "out_of_range",
                f"The shipment's total value may not pass {MAX_TOTAL_VALUE:,}.",
            )
        content["items"] = cleaned_items
    if checker.errors or moment is None:
        return None, checker.errors
    encoded = _encode_sorted(content)
    return ValidShipment(content, hashlib.sha256(encoded).hexdigest(), moment, encoded), []
