"""Writes for screening: importing a list version (atomic, idempotent, with its diff) and
recording false positives."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from accounts.models import User
from screening import engine
from screening.engine import ListDiff, ListEntry, ParseError
from screening.engine.diff import FieldChange
from screening.engine.partial import (
    OFAC_ADDRESS_FILE,
    OFAC_ALIAS_FILE,
    OFAC_FILES,
    OFAC_MAIN_FILE,
    CarryOver,
    carry_over,
)
from screening.models import EntryChange, FalsePositive, ListedParty, ListVersion, ScreeningList
from screening.serialization import entry_from_json, entry_to_json
from screening.signals import list_version_activated

LIST_NAMES = {
    "ofac": ("OFAC-SDN", "OFAC Specially Designated Nationals and Blocked Persons List"),
    "csl": ("CSL", "trade.gov Consolidated Screening List"),
    "dpl": ("BIS-DPL", "BIS Denied Persons List"),
    "un": ("UN", "UN Security Council Consolidated List"),
}

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportResult:
    version: ListVersion
    created: bool
    diff: ListDiff | None


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_sha256(fmt: str, paths: Sequence[Path]) -> str:
    """The fingerprint of an import's contents: the same files under other names or in
    another order give the same print. An OFAC file's part (sdn, alt or add) is part of what
    it means, so it counts; other names do not."""
    if fmt == "ofac":
        roles = ofac_files(paths)
        parts = [f"{role}:{_file_sha256(path)}" for role, path in sorted(roles.items())]
    else:
        parts = sorted(_file_sha256(path) for path in paths)
    return hashlib.sha256("\n".join([fmt, *parts]).encode()).hexdigest()


_OFAC_NAME = re.compile(r"^(sdn|alt|add)(?:[-_. ][^/]*)?\.csv$")


def ofac_files(paths: Sequence[Path]) -> dict[str, Path]:
    """The OFAC file set by part, recognised by name: ``sdn.csv``, ``alt.csv`` and
    ``add.csv``, or those names with a suffix (``sdn_2024-05.csv``). `ParseError` naming
    the file when sdn.csv is missing, a name is none of the three or a part is given twice."""
    given = ", ".join(path.name for path in paths)
    by_part: dict[str, Path] = {}
    for path in paths:
        match = _OFAC_NAME.match(path.name.lower())
        if match is None:
            raise ParseError(
                f"{path.name} is not an OFAC file name: the set is sdn.csv with optional "
                "alt.csv and add.csv",
                None,
                given,
            )
        part = f"{match.group(1)}.csv"
        if part in by_part:
            raise ParseError(f"{by_part[part].name} and {path.name} are both {part}", None, given)
        by_part[part] = path
    if OFAC_MAIN_FILE not in by_part:
        raise ParseError(
            "sdn.csv is missing: an OFAC import needs sdn.csv (alt.csv and add.csv "
            "only complete it)",
            None,
            given,
        )
    return by_part


def parse_files(fmt: str, paths: Sequence[Path]) -> Iterator[ListEntry]:
    """Entries of the files of one import. OFAC takes sdn.csv, then optional alt.csv and
    add.csv (recognised by name; see `ofac_files`); the CSL takes .csv or .json."""
    if fmt == "ofac":
        by_name = ofac_files(paths)
        yield from engine.parse_ofac_sdn(
            by_name[OFAC_MAIN_FILE], by_name.get(OFAC_ALIAS_FILE), by_name.get(OFAC_ADDRESS_FILE)
        )
    elif fmt == "csl":
        for path in paths:
            parser = (
                engine.parse_csl_json if path.suffix.lower() == ".json" else engine.parse_csl_csv
            )
            yield from parser(path)
    elif fmt == "dpl":
        for path in paths:
            yield from engine.parse_bis_dpl(path)
    elif fmt == "un":
        for path in paths:
            yield from engine.parse_un_consolidated(path)
    else:
        raise ValueError(f"Unknown list format {fmt!r}; use ofac, csl, dpl or un.")


def active_version(*, list_code: str) -> ListVersion | None:
    return ListVersion.objects.filter(screening_list__code=list_code, is_active=True).first()


def version_entries(version: ListVersion) -> Iterator[ListEntry]:
    for data in version.entries.values_list("data", flat=True).iterator(chunk_size=2000):
        yield entry_from_json(data)


def list_import(
    *,
    fmt: str,
    paths: Sequence[Path],
    actor: User | None = None,
    progress: Progress | None = None,
    source: str = "",
) -> ImportResult:
    """Import one version of a list. Files the same as the active version's make no new
    version (files of an older version do: the list went back to them); a file that does not
    parse raises `ParseError` (naming the line) and leaves everything as it was. An OFAC
    release without alt.csv or add.csv keeps the previous version's aliases or addresses of
    the entries still listed, and the version's `warnings` say so (see
    `screening.engine.partial`)."""
    if fmt not in LIST_NAMES:
        raise ValueError(f"Unknown list format {fmt!r}; use ofac, csl, dpl or un.")
    code, name = LIST_NAMES[fmt]
    digest = content_sha256(fmt, paths)
    current = active_version(list_code=code)
    if current is not None and current.source_sha256 == digest:
        return ImportResult(current, False, None)

    entries: list[ListEntry] = []
    for entry in parse_files(fmt, paths):
        entries.append(entry)
        if progress and len(entries) % 1000 == 0:
            progress(len(entries))
    if progress:
        progress(len(entries))
    if not entries:
        raise ParseError("the file holds no entries", None, ", ".join(p.name for p in paths))

    with transaction.atomic():
        screening_list, _ = ScreeningList.objects.get_or_create(
            code=code, defaults={"name": name, "format": fmt}
        )
        screening_list = ScreeningList.objects.select_for_update().get(pk=screening_list.pk)
        previous = screening_list.versions.filter(is_active=True).first()
        if previous is not None and previous.source_sha256 == digest:
            return ImportResult(previous, False, None)  # imported meanwhile by another run
        old_entries = list(version_entries(previous)) if previous else []
        report = CarryOver(())
        if fmt == "ofac":
            entries, report = carry_over(
                entries,
                old_entries,
                missing_files=[name for name in OFAC_FILES if name not in ofac_files(paths)],
                previous_version=str(previous) if previous else "",
            )
        try:
            list_diff = engine.diff(old_entries, entries)
        except ValueError as error:
            raise ParseError(str(error), None, ", ".join(p.name for p in paths)) from error
        last = screening_list.versions.order_by("-number").first()
        if previous is not None:
            previous.is_active = False
            previous.save(update_fields=["is_active"])
        version = ListVersion.objects.create(
            screening_list=screening_list,
            number=(last.number + 1) if last else 1,
            imported_by=actor,
            source=(source or ", ".join(str(p) for p in paths))[:500],
            source_sha256=digest,
            entry_count=len(entries),
            is_active=True,
            warnings=report.warnings(),
            **{key: value for key, value in list_diff.summary().items() if key != "unchanged"},
        )
        ListedParty.objects.bulk_create(
            (
                ListedParty(
                    version=version,
                    list_code=entry.list_code,
                    source_id=entry.source_id,
                    entity_type=entry.entity_type,
                    primary_name=entry.primary_name[:500],
                    fingerprint=engine.fingerprint(entry),
                    data=entry_to_json(entry),
                )
                for entry in entries
            ),
            batch_size=2000,
        )
        EntryChange.objects.bulk_create(_changes(version, list_diff), batch_size=2000)
        version_id = version.pk
        # Apps above re-screen against what is new: the changed entries of an update, or
        # the whole of a list imported for the first time (every entry is "added").
        list_version_activated.send(
            sender=ListVersion, version_id=version_id, list_id=screening_list.pk
        )
    return ImportResult(version, True, list_diff)


def _changes(version: ListVersion, list_diff: ListDiff) -> Iterator[EntryChange]:
    for entry in list_diff.added:
        yield EntryChange(
            version=version,
            kind="added",
            list_code=entry.list_code,
            source_id=entry.source_id,
            name=entry.primary_name[:500],
        )
    for entry in list_diff.removed:
        yield EntryChange(
            version=version,
            kind="removed",
            list_code=entry.list_code,
            source_id=entry.source_id,
            name=entry.primary_name[:500],
        )
    for change in list_diff.changed:
        yield EntryChange(
            version=version,
            kind="changed",
            list_code=change.new.list_code,
            source_id=change.new.source_id,
            name=change.new.primary_name[:500],
            fields=[_field_json(field) for field in change.fields],
        )


def _field_json(field: FieldChange) -> dict[str, Any]:
    """One changed field as stored: old and new value, and for collections the items gained
    and lost."""
    return {
        "field": field.field,
        "old": _plain(field.before),
        "new": _plain(field.after),
        "added": _plain(field.added),
        "removed": _plain(field.removed),
    }


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def false_positive_mark(
    *,
    actor: User,
    organisation_id: int,
    list_code: str,
    source_id: str,
    note: str,
    matched_query: str = "",
) -> FalsePositive:
    """Record that a listed party is not this organisation; the current entry content is
    remembered so that a changed entry is raised again."""
    from django.core.exceptions import PermissionDenied, ValidationError

    if not actor.has_perm("accounts.use_officer_pages"):
        raise PermissionDenied("Only officers can mark screening hits.")
    if not note.strip():
        raise ValidationError({"note": "Say why this is not the listed party."})
    party = (
        ListedParty.objects.filter(
            version__is_active=True, list_code=list_code, source_id=source_id
        )
        .order_by("-version__imported_at")
        .first()
    )
    if party is None:
        raise ValidationError("This listed party is not on an active list.")
    return FalsePositive.objects.create(
        organisation_id=organisation_id,
        list_code=list_code,
        source_id=source_id,
        entry_fingerprint=party.fingerprint,
        matched_query=matched_query[:500],
        note=note.strip(),
        marked_by=actor,
    )


def suppressed_pairs(*, organisation_id: int) -> set[tuple[str, str, str]]:
    """(list_code, source_id, fingerprint) an officer has cleared for this organisation."""
    return set(
        FalsePositive.objects.filter(organisation_id=organisation_id).values_list(
            "list_code", "source_id", "entry_fingerprint"
        )
    )
