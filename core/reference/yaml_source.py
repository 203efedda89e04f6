"""Reading a reviewed YAML reference file and checking its structure, entry by entry, with
errors that name the file and the entry."""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass(frozen=True, slots=True)
class YamlSource:
    """Reads one YAML file and produces errors that name it and the offending entry."""

    path: Path
    name: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.path.name)

    def error(self, where: str, problem: str) -> ValueError:
        return ValueError(f"{self.name}: {where}: {problem}")

    def load(self) -> Mapping[str, object]:
        try:
            data = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise ValueError(f"{self.name}: not valid YAML: {error}") from error
        return self.mapping(data, "the top level")

    def mapping(self, value: object, where: str) -> Mapping[str, object]:
        if not isinstance(value, dict):
            raise self.error(where, f"expected a mapping, found {describe(value)}")
        return value

    def sequence(
        self, entry: Mapping[str, object], key: str, where: str, *, allow_empty: bool = False
    ) -> Sequence[object]:
        value = entry.get(key)
        if value is None and allow_empty:
            return ()
        if not isinstance(value, list):
            raise self.error(where, f"{key} must be a list, found {describe(value)}")
        return value

    def check_keys(
        self,
        entry: Mapping[str, object],
        where: str,
        *,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> None:
        required_keys = set(required)
        missing = sorted(required_keys - set(entry))
        if missing:
            raise self.error(where, f"missing {', '.join(missing)}")
        unknown = sorted(str(key) for key in set(entry) - required_keys - set(optional))
        if unknown:
            raise self.error(where, f"unknown field(s) {', '.join(unknown)}")

    def text(
        self,
        entry: Mapping[str, object],
        key: str,
        where: str,
        *,
        pattern: re.Pattern[str] | None = None,
    ) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(where, f"{key} must be non-empty text, found {describe(value)}")
        value = value.strip()
        if pattern is not None and not pattern.match(value):
            raise self.error(where, f"{key} {value!r} does not match {pattern.pattern}")
        return value

    def scalar_text(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(where, f"expected non-empty text, found {describe(value)}")
        return value.strip()

    def integer(self, entry: Mapping[str, object], key: str, where: str) -> int:
        value = entry.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(where, f"{key} must be a whole number, found {describe(value)}")
        return value

    def version(self, root: Mapping[str, object]) -> int:
        version = self.integer(root, "version", "the top level")
        if version < 1:
            raise self.error("the top level", "version must be 1 or more")
        return version

    def choice[E: enum.StrEnum](
        self, entry: Mapping[str, object], key: str, where: str, choices: type[E]
    ) -> E:
        value = entry.get(key)
        allowed = [member.value for member in choices]
        if not isinstance(value, str) or value not in allowed:
            raise self.error(where, f"{key} must be one of {allowed}, not {value!r}")
        return choices(value)

    def date(self, entry: Mapping[str, object], key: str, where: str) -> datetime.date:
        value = entry.get(key)
        if isinstance(value, datetime.datetime):
            raise self.error(where, f"{key} must be a date without a time")
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(where, f"{key} must be a date (YYYY-MM-DD), found {describe(value)}")

    def optional_date(
        self, entry: Mapping[str, object], key: str, where: str
    ) -> datetime.date | None:
        return None if entry.get(key) is None else self.date(entry, key, where)


def describe(value: object) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'...' if len(text) > 60 else ''}"
