"""Whether a listed party's listing is still in force on a day.

A BIS denial order (15 CFR 764.3(a)(2)) runs for the term it states; the Denied Persons List
gives its end as ``Expiration_Date``, kept in ``source_fields`` as ``expiration_date``; the
Consolidated Screening List gives it as ``end_date`` on the DPL's rows). From the day after,
the order no longer denies export privileges: the party must not raise a hit, though its
entry stays in the list version as history. Entries of other lists have no expiry here (an
SDN designation lasts until OFAC removes it) and are always in force.
"""

from __future__ import annotations

import datetime

from screening.engine.models import ListEntry
from screening.engine.parsers._common import parse_date

_DPL_SOURCE_PREFIX = "denied persons list"


def expires_on(entry: ListEntry) -> datetime.date | None:
    """The last day the entry's order is in force, or ``None`` when it has no expiry."""
    fields = dict(entry.source_fields)
    text = fields.get("expiration_date", "")
    if not text and fields.get("source", "").lower().startswith(_DPL_SOURCE_PREFIX):
        text = fields.get("end_date", "")
    iso = parse_date(text) if text else ""
    if len(iso) != len("2020-01-31"):
        return None  # an expiry we cannot read keeps the entry in force: never miss a hit
    return datetime.date.fromisoformat(iso)


def in_force(entry: ListEntry, on_date: datetime.date) -> bool:
    """False once the entry's order has expired (after its expiry date)."""
    expiry = expires_on(entry)
    return expiry is None or on_date <= expiry
