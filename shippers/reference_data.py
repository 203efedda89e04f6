"""Reference data the vetting of shippers relies on, kept as reviewed YAML files in
``shippers/data/`` rather than in code or the database: the security-profile
questionnaire and the documents each business type must upload. (Business types and
sanctioned places, which other apps need too, are in ``core.reference``.)

Each loader reads its file with ``yaml.safe_load`` and checks its whole structure, so a
bad edit fails loudly at start-up or in the tests with the file and entry named, never
half-way through a vetting run. Loaded data is immutable and cached per path.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from core.reference.business_types import BusinessType
from core.reference.yaml_source import YamlSource as _Source

__all__ = [
    "DATA_DIR",
    "BusinessTypeDocuments",
    "DocumentRequirements",
    "DocumentType",
    "Question",
    "QuestionArea",
    "Questionnaire",
    "Requirement",
    "load_document_requirements",
    "load_security_questionnaire",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
SECURITY_QUESTIONNAIRE_FILE = DATA_DIR / "security_questionnaire.yaml"
DOCUMENT_REQUIREMENTS_FILE = DATA_DIR / "document_requirements.yaml"


class Requirement(enum.StrEnum):
    """How binding a security-profile question is (the CTPAT criteria's own terms)."""

    MUST = "must"
    SHOULD = "should"


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
    """One of the twelve CTPAT Minimum Security Criteria areas, or an optional area a
    program adds (``legal_basis`` then names its source, e.g. UCC Art. 39(c))."""

    code: str
    name: str
    description: str
    questions: tuple[Question, ...]
    legal_basis: str = ""


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
    # Not part of a version until a supervisor adds them (EU AEO criteria for partners
    # under mutual recognition); `questions` never includes them.
    optional_areas: tuple[QuestionArea, ...] = ()

    def optional_area(self, code: str) -> QuestionArea:
        """The optional area with this code; ``KeyError`` if there is none."""
        for area in self.optional_areas:
            if area.code == code:
                return area
        raise KeyError(code)

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
        optional={"optional_areas"},
    )
    minimum_must_score = source.integer(root, "minimum_must_score", "the top level")
    if not 0 <= minimum_must_score <= 100:
        raise source.error("the top level", "minimum_must_score must be between 0 and 100")
    area_entries = source.sequence(root, "areas", "the top level")
    if not area_entries:
        raise source.error("the top level", "areas must not be empty")
    optional_entries = (
        source.sequence(root, "optional_areas", "the top level") if "optional_areas" in root else []
    )
    area_codes: set[str] = set()
    question_codes: set[str] = set()
    areas = _parse_areas(source, area_entries, "areas", area_codes, question_codes)
    optional_areas = _parse_areas(
        source, optional_entries, "optional_areas", area_codes, question_codes, optional=True
    )
    return Questionnaire(
        version=source.version(root),
        title=source.text(root, "title", "the top level"),
        source=source.text(root, "source", "the top level"),
        minimum_must_score=minimum_must_score,
        areas=tuple(areas),
        optional_areas=tuple(optional_areas),
    )


def _parse_areas(
    source: _Source,
    area_entries: Sequence[object],
    key: str,
    area_codes: set[str],
    question_codes: set[str],
    *,
    optional: bool = False,
) -> list[QuestionArea]:
    areas: list[QuestionArea] = []
    for area_index, area_entry in enumerate(area_entries):
        where = f"{key}[{area_index}]"
        area = source.mapping(area_entry, where)
        required = {"code", "name", "description", "questions"}
        source.check_keys(area, where, required=required | ({"legal_basis"} if optional else set()))
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
                legal_basis=source.text(area, "legal_basis", where) if optional else "",
            )
        )
    return areas


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


# -- helpers -------------------------------------------------------------------------------

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IDENTIFIER_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_QUESTION_CODE_RE = re.compile(r"^[A-Z]{2,3}-[0-9]{1,2}$")


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
