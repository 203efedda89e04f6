"""Content fingerprints of list entries and the difference between two versions of a list.

Behaviour that callers rely on:

* ``fingerprint(entry)`` is the SHA-256 of a canonical JSON form of *every* field of the entry.
  Collections (aliases, addresses, countries, identifiers, ...) are sorted first, so a list that
  merely reorders an entry's aliases does not change its fingerprint; anything else does.
* ``diff(old, new)`` pairs entries by ``(list_code, source_id)`` and reports ``added``,
  ``removed`` and ``changed`` (with per-field changes). It reflects the data actually imported:
  comparing an OFAC import made with ``alt.csv``/``add.csv`` against one made from ``sdn.csv``
  alone reports every entry that had strong aliases or addresses as changed, because those facts
  really are absent from the new import. The importer avoids that by carrying the previous
  aliases and addresses over first (:mod:`screening.engine.partial`); a caller comparing partial
  data directly can pass ``ignore={"aliases", "addresses"}``; the fields left out are then
  neither compared nor reported, and the diff says so in ``ignored_fields``.
* :meth:`ListDiff.to_rescreen` gives the entries a re-screening run must look at: added entries
  and changed entries whose names or identifying facts changed. Removed entries cannot create new
  hits (their open hits are closed by the caller).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from screening.engine.models import ListEntry

SCREENING_FIELDS = frozenset(
    {
        "primary_name",
        "aliases",
        "entity_type",
        "countries",
        "dates_of_birth",
        "identifiers",
        "addresses",
    }
)
"""Fields whose change can change a screening result."""

_COLLECTION_FIELDS = frozenset(
    field.name
    for field in dataclasses.fields(ListEntry)
    if field.name not in {"source_fields"} and field.type.startswith("tuple")
)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def canonical(entry: ListEntry, ignore: Collection[str] = ()) -> dict[str, Any]:
    """The entry as a JSON-ready dict with collections sorted; fields in ``ignore`` left out."""
    result: dict[str, Any] = {}
    for field in dataclasses.fields(ListEntry):
        if field.name in ignore:
            continue
        value = _plain(getattr(entry, field.name))
        if isinstance(value, list):
            value = sorted(value, key=_sort_key)
        result[field.name] = value
    return result


def fingerprint(entry: ListEntry, ignore: Collection[str] = ()) -> str:
    """SHA-256 (hex) of the canonical JSON of ``entry``; equal content gives an equal print."""
    text = json.dumps(
        canonical(entry, ignore), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class FieldChange:
    """How one field of one entry changed.

    For collection fields ``added``/``removed`` list the items gained and lost (as JSON-ready
    values); for scalar fields they are empty and ``before``/``after`` say it all.
    """

    field: str
    before: Any
    after: Any
    added: tuple[Any, ...] = ()
    removed: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class EntryChange:
    """An entry present in both versions whose fingerprint differs."""

    old: ListEntry
    new: ListEntry
    fields: tuple[FieldChange, ...]

    @property
    def key(self) -> tuple[str, str]:
        """``(list_code, source_id)`` of the entry."""
        return self.new.key

    @property
    def changed_fields(self) -> frozenset[str]:
        """Names of the fields that differ."""
        return frozenset(change.field for change in self.fields)


@dataclass(frozen=True, slots=True)
class ListDiff:
    """Result of :func:`diff`; entries are in the order of the new (added, changed) or old
    (removed) version."""

    added: tuple[ListEntry, ...]
    removed: tuple[ListEntry, ...]
    changed: tuple[EntryChange, ...]
    unchanged_count: int
    ignored_fields: frozenset[str] = frozenset()

    def to_rescreen(self) -> tuple[ListEntry, ...]:
        """New versions of the entries whose screening-relevant content is new or changed."""
        return self.added + tuple(
            change.new for change in self.changed if change.changed_fields & SCREENING_FIELDS
        )

    def summary(self) -> dict[str, int]:
        """Counts for logs and the import report."""
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "unchanged": self.unchanged_count,
        }


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    changes: list[FieldChange] = []
    for name, before in old.items():
        after = new[name]
        if before == after:
            continue
        if name in _COLLECTION_FIELDS and isinstance(before, list) and isinstance(after, list):
            before_keys = {_sort_key(item) for item in before}
            after_keys = {_sort_key(item) for item in after}
            changes.append(
                FieldChange(
                    name,
                    before,
                    after,
                    added=tuple(item for item in after if _sort_key(item) not in before_keys),
                    removed=tuple(item for item in before if _sort_key(item) not in after_keys),
                )
            )
        else:
            changes.append(FieldChange(name, before, after))
    return tuple(changes)


def diff(
    old: Iterable[ListEntry], new: Iterable[ListEntry], *, ignore: Collection[str] = ()
) -> ListDiff:
    """Compare two versions of a list, keyed by ``(list_code, source_id)``.

    Raises ``ValueError`` when one version holds the same key twice.
    """
    ignored = frozenset(ignore)
    old_by_key: dict[tuple[str, str], tuple[str, ListEntry]] = {}
    for entry in old:
        if entry.key in old_by_key:
            raise ValueError(f"old version repeats entry {entry.key}")
        old_by_key[entry.key] = (fingerprint(entry, ignored), entry)
    added: list[ListEntry] = []
    changed: list[EntryChange] = []
    seen: set[tuple[str, str]] = set()
    unchanged = 0
    for entry in new:
        if entry.key in seen:
            raise ValueError(f"new version repeats entry {entry.key}")
        seen.add(entry.key)
        previous = old_by_key.get(entry.key)
        if previous is None:
            added.append(entry)
            continue
        old_print, old_entry = previous
        if old_print == fingerprint(entry, ignored):
            unchanged += 1
            continue
        changed.append(
            EntryChange(
                old_entry,
                entry,
                _field_changes(canonical(old_entry, ignored), canonical(entry, ignored)),
            )
        )
    removed = tuple(entry for key, (_, entry) in old_by_key.items() if key not in seen)
    return ListDiff(tuple(added), removed, tuple(changed), unchanged, ignored)
