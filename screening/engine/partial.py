"""An OFAC release imported without ``alt.csv`` or ``add.csv``: what it lacks, and carrying the
previous version's aliases and addresses over to the entries still listed.

OFAC publishes an entry's strong aliases (``alt.csv``) and addresses (``add.csv``) under its
``ent_num``, which stays the same across releases. A release that comes with ``sdn.csv`` alone
(OFAC's 2024-05 CSV download did) says nothing about them, not that they are gone: importing it
as it is would strip every alias and address and report almost every entry as changed (the
2021 -> 2024-05 update would report 6,871 changed entries when about 750 really changed).

So an entry still listed keeps the previous version's strong aliases and/or addresses, and the
import says so loudly (the warnings go on the version). Weak aliases come from ``sdn.csv``'s
Remarks and are always the new release's own. An entry new in this release has no strong
aliases or addresses until a complete file set is imported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from screening.engine.models import ListEntry

OFAC_MAIN_FILE = "sdn.csv"
OFAC_ALIAS_FILE = "alt.csv"
OFAC_ADDRESS_FILE = "add.csv"
OFAC_FILES = (OFAC_MAIN_FILE, OFAC_ALIAS_FILE, OFAC_ADDRESS_FILE)


@dataclass(frozen=True, slots=True)
class CarryOver:
    """What a partial OFAC import took from the previous version."""

    missing_files: tuple[str, ...]
    previous_version: str = ""
    aliases_kept: int = 0
    addresses_kept: int = 0
    new_without: int = 0

    def warnings(self) -> list[str]:
        """Sentences for the version, the command output and the admin; empty when the file
        set was complete."""
        if not self.missing_files:
            return []
        missing = " and ".join(self.missing_files)
        lacking = _lacking(self.missing_files)
        if not self.previous_version:
            return [
                f"{missing} not imported: the entries have no {lacking} except the weak "
                "a.k.a.s in sdn.csv's Remarks. Import the complete file set."
            ]
        kept = []
        if OFAC_ALIAS_FILE in self.missing_files:
            kept.append(f"the aliases of {self.aliases_kept:,} entries")
        if OFAC_ADDRESS_FILE in self.missing_files:
            kept.append(f"the addresses of {self.addresses_kept:,} entries")
        sentences = [
            f"{missing} not imported: {' and '.join(kept)} were carried over from "
            f"{self.previous_version}, not read from this release."
        ]
        if self.new_without:
            sentences.append(
                f"{self.new_without:,} entries new in this release have no {lacking} "
                "until the complete file set is imported."
            )
        return sentences


def _lacking(missing_files: Sequence[str]) -> str:
    parts = []
    if OFAC_ALIAS_FILE in missing_files:
        parts.append("strong aliases")
    if OFAC_ADDRESS_FILE in missing_files:
        parts.append("addresses")
    return " or ".join(parts)


def carry_over(
    entries: Sequence[ListEntry],
    previous: Iterable[ListEntry],
    *,
    missing_files: Sequence[str],
    previous_version: str = "",
) -> tuple[list[ListEntry], CarryOver]:
    """``entries`` of a release that lacked ``missing_files`` (``alt.csv`` and/or
    ``add.csv``), each entry still in ``previous`` given that entry's strong aliases and/or
    addresses back; with the report of what was done."""
    missing = tuple(name for name in OFAC_FILES[1:] if name in missing_files)
    if not missing:
        return list(entries), CarryOver(())
    by_key = {entry.key: entry for entry in previous}
    if not by_key:
        return list(entries), CarryOver(missing)
    result: list[ListEntry] = []
    aliases_kept = addresses_kept = new_without = 0
    for entry in entries:
        old = by_key.get(entry.key)
        if old is None:
            new_without += 1
            result.append(entry)
            continue
        changes: dict[str, object] = {}
        if OFAC_ALIAS_FILE in missing:
            strong = tuple(alias for alias in old.aliases if alias.strength == "strong")
            if strong:
                aliases_kept += 1
                weak = tuple(alias for alias in entry.aliases if alias.strength != "strong")
                changes["aliases"] = tuple(dict.fromkeys((*strong, *weak)))
        if OFAC_ADDRESS_FILE in missing and old.addresses:
            addresses_kept += 1
            changes["addresses"] = old.addresses
        result.append(dataclasses.replace(entry, **changes) if changes else entry)  # type: ignore[arg-type]
    return result, CarryOver(missing, previous_version, aliases_kept, addresses_kept, new_without)
