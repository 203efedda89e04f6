"""Reference data the vetting of shippers relies on, kept as reviewed YAML files in
``shippers/data/`` rather than in code or the database: the security-profile
questionnaire, the documents each business type must upload, and the countries and
regions under comprehensive sanctions.

Each loader reads its file with ``yaml.safe_load`` and checks its whole structure, so a
bad edit fails loudly at start-up or in the tests with the file and entry named, never
half-way through a vetting run. Loaded data is immutable and cached per path.
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

__all__ = [
    "DATA_DIR",
    "BusinessType",
    "BusinessTypeDocuments",
    "DocumentRequirements",
    "DocumentType",
    "Question",
    "QuestionArea",
    "Questionnaire",
    "Requirement",
    "SanctionedArea",
    "SanctionedCountry",
    "load_document_requirements",
    "load_sanctioned_countries",
    "load_security_questionnaire",
    "sanctioned_country",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
SECURITY_QUESTIONNAIRE_FILE = DATA_DIR / "security_questionnaire.yaml"
DOCUMENT_REQUIREMENTS_FILE = DATA_DIR / "document_requirements.yaml"
SANCTIONED_COUNTRIES_FILE = DATA_DIR / "sanctioned_countries.yaml"


class Requirement(enum.StrEnum):
    """How binding a security-profile question is (the CTPAT criteria's own terms)."""

    MUST = "must"
    SHOULD = "should"


class BusinessType(enum.StrEnum):
    """What kind of business a shipper is; decides which documents it must upload."""

    ONLINE_SELLER = "online_seller"
    MARKETPLACE = "marketplace"
    EXPRESS_CONSIGNOR = "express_consignor"
    FREIGHT_FORWARDER = "freight_forwarder"
    MANUFACTURER = "manufacturer"
    OTHER = "other"


class SanctionedArea(enum.StrEnum):
    COUNTRY = "country"
    REGION = "region"


# -- security questionnaire ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Question:
    """One yes / no / not-applicable question of the security profile. ``code`` is stable
    and is what answers are stored against."""

    code: str
    area_code: str
    text: str
    help: str
    requirement: Requirement
    weight: int
    allow_not_applicable: bool


@dataclass(frozen=True, slots=True)
class QuestionArea:
    """One of the twelve CTPAT Minimum Security Criteria areas."""

    code: str
    name: str
    description: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """The security-profile questionnaire. ``minimum_must_score`` is the percentage of
    must-questions that have to be answered yes (or not applicable, where allowed) for the
    security-profile check to pass."""

    version: int
    title: str
    source: str
    minimum_must_score: int
    areas: tuple[QuestionArea, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(question for area in self.areas for question in area.questions)

    def question(self, code: str) -> Question:
        """The question with this code; ``KeyError`` if there is none."""
        for question in self.questions:
            if question.code == code:
                return question
        raise KeyError(code)


# -- document requirements -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentType:
    """A kind of document a shipper can upload. ``max_age_days`` is how recent it must be
    when uploaded; ``None`` means any date, as long as it is still valid."""

    code: str
    name: str
    description: str
    accepted_formats: str
    max_age_days: int | None


@dataclass(frozen=True, slots=True)
class BusinessTypeDocuments:
    """The documents one business type must and may upload. A document is never in both."""

    business_type: BusinessType
    required: tuple[DocumentType, ...]
    optional: tuple[DocumentType, ...]


@dataclass(frozen=True, slots=True)
class DocumentRequirements:
    """All document types and the requirements for every :class:`BusinessType`."""

    version: int
    document_types: Mapping[str, DocumentType]
    by_business_type: Mapping[BusinessType, BusinessTypeDocuments]

    def for_business_type(self, business_type: BusinessType | str) -> BusinessTypeDocuments:
        return self.by_business_type[BusinessType(business_type)]


# -- sanctioned countries ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SanctionedCountry:
    """A country or region under comprehensive sanctions for a period.

    ``effective_to`` is the last day the sanctions applied (inclusive), ``None`` while in
    force. ``partial`` means only part of the area named by ``code`` is sanctioned, so a
    match needs an officer's review rather than an automatic finding."""

    code: str
    name: str
    kind: SanctionedArea
    effective_from: datetime.date
    effective_to: datetime.date | None
    citation: str
    url: str
    notes: str = ""
    partial: bool = False

    def in_effect_on(self, day: datetime.date) -> bool:
        day = _as_date(day)
        if day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


# -- public loaders ------------------------------------------------------------------------


@functools.cache
def load_security_questionnaire(path: Path = SECURITY_QUESTIONNAIRE_FILE) -> Questionnaire:
    """The security-profile questionnaire; ``ValueError`` naming the file and entry if the
    file is malformed."""
    source = _Source(path)
    root = source.load()
    source.check_keys(
        root,
        "the top level",
        required={"version", "title", "source", "minimum_must_score", "areas"},
    )
    minimum_must_score = source.integer(root, "minimum_must_score", "the top level")
    if not 0 <= minimum_must_score <= 100:
        raise source.error("the top level", "minimum_must_score must be between 0 and 100")
    area_entries = source.sequence(root, "areas", "the top level")
    if not area_entries:
        raise source.error("the top level", "areas must not be empty")

    areas: list[QuestionArea] = []
    area_codes: set[str] = set()
    question_codes: set[str] = set()
    for area_index, area_entry in enumerate(area_entries):
        where = f"areas[{area_index}]"
        area = source.mapping(area_entry, where)
        source.check_keys(area, where, required={"code", "name", "description", "questions"})
        area_code = source.text(area, "code", where, pattern=_SLUG_RE)
        where = f"areas[{area_index}] ({area_code})"
        if area_code in area_codes:
            raise source.error(where, f"area code {area_code!r} is used twice")
        area_codes.add(area_code)
        question_entries = source.sequence(area, "questions", where)
        if not question_entries:
            raise source.error(where, "an area needs at least one question")
        questions: list[Question] = []
        for question_index, question_entry in enumerate(question_entries):
            question_where = f"{where}.questions[{question_index}]"
            question = _parse_question(source, question_entry, question_where, area_code)
            if question.code in question_codes:
                raise source.error(
                    f"{question_where} ({question.code})",
                    f"question code {question.code!r} is used twice",
                )
            question_codes.add(question.code)
            questions.append(question)
        areas.append(
            QuestionArea(
                code=area_code,
                name=source.text(area, "name", where),
                description=source.text(area, "description", where),
                questions=tuple(questions),
            )
        )
    return Questionnaire(
        version=source.version(root),
        title=source.text(root, "title", "the top level"),
        source=source.text(root, "source", "the top level"),
        minimum_must_score=minimum_must_score,
        areas=tuple(areas),
    )


@functools.cache
def load_document_requirements(
    path: Path = DOCUMENT_REQUIREMENTS_FILE,
) -> DocumentRequirements:
    """Document types and per-business-type requirements; ``ValueError`` naming the file
    and entry if the file is malformed, a list refers to an unknown document type, or a
    business type is missing."""
    source = _Source(path)
    root = source.load()
    source.check_keys(
        root,
        "the top level",
        required={"version", "business_types", "document_types", "requirements"},
    )
    listed_types = [
        source.scalar_text(value, f"business_types[{index}]")
        for index, value in enumerate(source.sequence(root, "business_types", "the top level"))
    ]
    expected_types = {member.value for member in BusinessType}
    if sorted(listed_types) != sorted(expected_types):
        raise source.error(
            "business_types",
            f"must list each of {sorted(expected_types)} once, not {listed_types}",
        )

    document_types: dict[str, DocumentType] = {}
    for index, entry in enumerate(source.sequence(root, "document_types", "the top level")):
        where = f"document_types[{index}]"
        document = source.mapping(entry, where)
        source.check_keys(
            document,
            where,
            required={"code", "name", "description", "accepted_formats"},
            optional={"max_age_days"},
        )
        code = source.text(document, "code", where, pattern=_IDENTIFIER_RE)
        where = f"document_types[{index}] ({code})"
        if code in document_types:
            raise source.error(where, f"document type {code!r} is defined twice")
        max_age_days = document.get("max_age_days")
        if max_age_days is not None and (
            not isinstance(max_age_days, int) or isinstance(max_age_days, bool) or max_age_days < 1
        ):
            raise source.error(where, "max_age_days must be a positive whole number or null")
        document_types[code] = DocumentType(
            code=code,
            name=source.text(document, "name", where),
            description=source.text(document, "description", where),
            accepted_formats=source.text(document, "accepted_formats", where),
            max_age_days=max_age_days,
        )

    requirements = source.mapping(root.get("requirements"), "requirements")
    if set(requirements) != expected_types:
        missing = sorted(expected_types - set(requirements))
        unknown = sorted(str(key) for key in set(requirements) - expected_types)
        raise source.error(
            "requirements",
            f"must have exactly one entry per business type (missing: {missing}, "
            f"unknown: {unknown})",
        )
    by_business_type: dict[BusinessType, BusinessTypeDocuments] = {}
    for business_type in BusinessType:
        where = f"requirements.{business_type.value}"
        entry = source.mapping(requirements[business_type.value], where)
        source.check_keys(entry, where, required={"required", "optional"})
        lists: dict[str, tuple[DocumentType, ...]] = {}
        for kind in ("required", "optional"):
            codes = [
                source.scalar_text(value, f"{where}.{kind}[{index}]")
                for index, value in enumerate(source.sequence(entry, kind, where, allow_empty=True))
            ]
            unknown_codes = [code for code in codes if code not in document_types]
            if unknown_codes:
                raise source.error(f"{where}.{kind}", f"unknown document types {unknown_codes}")
            if len(set(codes)) != len(codes):
                raise source.error(f"{where}.{kind}", "a document type is listed twice")
            lists[kind] = tuple(document_types[code] for code in codes)
        if not lists["required"]:
            raise source.error(where, "at least one document must be required")
        both = {d.code for d in lists["required"]} & {d.code for d in lists["optional"]}
        if both:
            raise source.error(where, f"{sorted(both)} are both required and optional")
        by_business_type[business_type] = BusinessTypeDocuments(
            business_type=business_type, required=lists["required"], optional=lists["optional"]
        )
    return DocumentRequirements(
        version=source.version(root),
        document_types=MappingProxyType(document_types),
        by_business_type=MappingProxyType(by_business_type),
    )


@functools.cache
def load_sanctioned_countries(
    path: Path = SANCTIONED_COUNTRIES_FILE,
) -> tuple[SanctionedCountry, ...]:
    """Every comprehensive-sanctions period in the file, current and past; ``ValueError``
    naming the file and entry if the file is malformed or a code's periods overlap."""
    source = _Source(path)
    root = source.load()
    source.check_keys(root, "the top level", required={"version", "entries"})
    source.version(root)
    entries: list[SanctionedCountry] = []
    for index, entry_data in enumerate(source.sequence(root, "entries", "the top level")):
        where = f"entries[{index}]"
        entry = source.mapping(entry_data, where)
        source.check_keys(
            entry,
            where,
            required={
                "code",
                "name",
                "kind",
                "effective_from",
                "effective_to",
                "citation",
                "url",
            },
            optional={"notes", "partial"},
        )
        code = source.text(entry, "code", where)
        where = f"entries[{index}] ({code})"
        kind = source.choice(entry, "kind", where, SanctionedArea)
        pattern = _COUNTRY_CODE_RE if kind is SanctionedArea.COUNTRY else _REGION_CODE_RE
        if not pattern.match(code):
            raise source.error(
                where,
                f"code {code!r} is not an ISO 3166 "
                + ("alpha-2 country code" if kind is SanctionedArea.COUNTRY else "region code"),
            )
        effective_from = source.date(entry, "effective_from", where)
        effective_to = source.optional_date(entry, "effective_to", where)
        if effective_to is not None and effective_to < effective_from:
            raise source.error(where, "effective_to is before effective_from")
        url = source.text(entry, "url", where)
        if not url.startswith("https://"):
            raise source.error(where, "url must be an https:// address")
        partial = entry.get("partial", False)
        if not isinstance(partial, bool):
            raise source.error(where, "partial must be true or false")
        notes = entry.get("notes", "")
        if not isinstance(notes, str):
            raise source.error(where, "notes must be text")
        candidate = SanctionedCountry(
            code=code,
            name=source.text(entry, "name", where),
            kind=kind,
            effective_from=effective_from,
            effective_to=effective_to,
            citation=source.text(entry, "citation", where),
            url=url,
            notes=notes.strip(),
            partial=partial,
        )
        for earlier in entries:
            if earlier.code == code and _periods_overlap(earlier, candidate):
                raise source.error(where, f"its period overlaps another entry for {code}")
        entries.append(candidate)
    return tuple(entries)


def sanctioned_country(
    code: str, on_date: datetime.date, *, path: Path = SANCTIONED_COUNTRIES_FILE
) -> SanctionedCountry | None:
    """The comprehensive-sanctions entry in effect for ``code`` (an ISO 3166-1 alpha-2
    country code or an ISO 3166-2 region code such as ``UA-43``, any case) on
    ``on_date``, or ``None``. A country code does not match its regions: to check an
    address, look up both its country and its region. A ``datetime`` is reduced to its
    own (local) date."""
    normalised = code.strip().upper()
    for entry in _sanctioned_index(path).get(normalised, ()):
        if entry.in_effect_on(on_date):
            return entry
    return None


# -- helpers -------------------------------------------------------------------------------

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IDENTIFIER_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_QUESTION_CODE_RE = re.compile(r"^[A-Z]{2,3}-[0-9]{1,2}$")
_COUNTRY_CODE_RE = re.compile(r"^[A-Z]{2}$")
_REGION_CODE_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


@functools.cache
def _sanctioned_index(path: Path) -> Mapping[str, tuple[SanctionedCountry, ...]]:
    index: dict[str, list[SanctionedCountry]] = {}
    for entry in load_sanctioned_countries(path):
        index.setdefault(entry.code, []).append(entry)
    return MappingProxyType({code: tuple(entries) for code, entries in index.items()})


def _periods_overlap(first: SanctionedCountry, second: SanctionedCountry) -> bool:
    first_end = first.effective_to or datetime.date.max
    second_end = second.effective_to or datetime.date.max
    return first.effective_from <= second_end and second.effective_from <= first_end


def _as_date(day: datetime.date) -> datetime.date:
    # datetime is a subclass of date but does not compare with one.
    return day.date() if isinstance(day, datetime.datetime) else day


def _parse_question(source: _Source, entry: object, where: str, area_code: str) -> Question:
    question = source.mapping(entry, where)
    source.check_keys(
        question,
        where,
        required={"code", "text", "help", "requirement", "weight", "allow_not_applicable"},
    )
    code = source.text(question, "code", where, pattern=_QUESTION_CODE_RE)
    where = f"{where} ({code})"
    text = source.text(question, "text", where)
    if not text.endswith("?"):
        raise source.error(where, "text must be a question ending with '?'")
    weight = source.integer(question, "weight", where)
    if not 1 <= weight <= 5:
        raise source.error(where, f"weight must be between 1 and 5, not {weight}")
    allow_not_applicable = question["allow_not_applicable"]
    if not isinstance(allow_not_applicable, bool):
        raise source.error(where, "allow_not_applicable must be true or false")
    return Question(
        code=code,
        area_code=area_code,
        text=text,
        help=source.text(question, "help", where),
        requirement=source.choice(question, "requirement", where, Requirement),
        weight=weight,
        allow_not_applicable=allow_not_applicable,
    )


@dataclass(frozen=True, slots=True)
class _Source:
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
            raise self.error(where, f"expected a mapping, found {_describe(value)}")
        return value

    def sequence(
        self, entry: Mapping[str, object], key: str, where: str, *, allow_empty: bool = False
    ) -> Sequence[object]:
        value = entry.get(key)
        if value is None and allow_empty:
            return ()
        if not isinstance(value, list):
            raise self.error(where, f"{key} must be a list, found {_describe(value)}")
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
            raise self.error(where, f"{key} must be non-empty text, found {_describe(value)}")
        value = value.strip()
        if pattern is not None and not pattern.match(value):
            raise self.error(where, f"{key} {value!r} does not match {pattern.pattern}")
        return value

    def scalar_text(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(where, f"expected non-empty text, found {_describe(value)}")
        return value.strip()

    def integer(self, entry: Mapping[str, object], key: str, where: str) -> int:
        value = entry.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(where, f"{key} must be a whole number, found {_describe(value)}")
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
        raise self.error(where, f"{key} must be a date (YYYY-MM-DD), found {_describe(value)}")

    def optional_date(
        self, entry: Mapping[str, object], key: str, where: str
    ) -> datetime.date | None:
        return None if entry.get(key) is None else self.date(entry, key, where)


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'...' if len(text) > 60 else ''}"
