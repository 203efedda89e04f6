"""The difference between two versions of a shipment's content, field by field, for the
officer's review page. No database."""

from __future__ import annotations

from itertools import pairwise
from typing import Any


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key in sorted(value):
            _flatten(value[key], f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(item, f"{path}[{index}]", out)
    else:
        out[path] = value


def content_diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Changed, added and removed fields (dotted paths, e.g. items[0].unit_value)."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    _flatten(before, "", old)
    _flatten(after, "", new)
    changes = []
    for path in sorted(set(old) | set(new)):
        if old.get(path) != new.get(path) or (path in old) != (path in new):
            changes.append(
                {
                    "field": path,
                    "before": old.get(path, "(none)") if path in old else "(none)",
                    "after": new.get(path, "(none)") if path in new else "(none)",
                }
            )
    return changes


def version_diffs(versions: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    """For each amendment (version 2 onwards): what changed from the version before."""
    ordered = sorted(versions, key=lambda pair: pair[0])
    return [
        {"number": number, "previous": prev_number, "changes": content_diff(prev, content)}
        for (prev_number, prev), (number, content) in pairwise(ordered)
    ]
