"""List diffs and content fingerprints."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from screening.engine import Alias, ListEntry, diff, fingerprint, parse_ofac_sdn


def _load(folder: Path, sdn: str, with_extras: bool = True) -> list[ListEntry]:
    if with_extras:
        return list(parse_ofac_sdn(folder / sdn, folder / "alt.csv", folder / "add.csv"))
    return list(parse_ofac_sdn(folder / sdn))


def test_fingerprint_ignores_order_of_collections(ofac_entries: list[ListEntry]) -> None:
    entry = next(e for e in ofac_entries if len(e.aliases) > 1)
    reordered = dataclasses.replace(entry, aliases=tuple(reversed(entry.aliases)))
    assert fingerprint(reordered) == fingerprint(entry)
    renamed = dataclasses.replace(entry, primary_name=entry.primary_name + " X")
    assert fingerprint(renamed) != fingerprint(entry)


def test_diff_between_two_versions(fixtures: Path) -> None:
    folder = fixtures / "ofac"
    old = _load(folder, "sdn.csv")
    new = _load(folder, "sdn_v2.csv")
    result = diff(old, new)
    assert [e.source_id for e in result.added] == ["7011"]
    assert [e.source_id for e in result.removed] == ["7010"]
    assert [c.new.source_id for c in result.changed] == ["7002"]
    change = result.changed[0]
    assert change.changed_fields == {"aliases", "programs", "remarks"}
    aliases = next(f for f in change.fields if f.field == "aliases")
    assert aliases.added == ({"name": "PETROFF, Serge", "alias_type": "aka", "strength": "weak"},)
    assert aliases.removed == ()
    assert result.summary() == {"added": 1, "removed": 1, "changed": 1, "unchanged": 12}
    assert [e.source_id for e in result.to_rescreen()] == ["7011", "7002"]


def test_diff_reflects_missing_alt_and_add_files_unless_ignored(fixtures: Path) -> None:
    folder = fixtures / "ofac"
    with_extras = _load(folder, "sdn.csv")
    without = _load(folder, "sdn.csv", with_extras=False)
    honest = diff(with_extras, without)
    assert {c.new.source_id for c in honest.changed} == {
        "36",
        "173",
        "306",
        "2674",
        "7002",
        "7003",
        "7007",
        "7010",
    }
    partial = diff(with_extras, without, ignore={"aliases", "addresses"})
    assert partial.changed == ()
    assert partial.ignored_fields == {"aliases", "addresses"}


def test_diff_refuses_repeated_keys(ofac_entries: list[ListEntry]) -> None:
    with pytest.raises(ValueError, match="repeats entry"):
        diff(ofac_entries + ofac_entries[:1], ofac_entries)


def test_alias_change_is_screening_relevant(ofac_entries: list[ListEntry]) -> None:
    entry = ofac_entries[0]
    changed = dataclasses.replace(entry, aliases=(*entry.aliases, Alias("NEW NAME")))
    result = diff([entry], [changed])
    assert result.to_rescreen() == (changed,)
    only_remarks = dataclasses.replace(entry, remarks="new remark")
    assert diff([entry], [only_remarks]).to_rescreen() == ()
