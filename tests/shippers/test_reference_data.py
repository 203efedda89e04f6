"""The reference data files load, have the shape the vetting checks rely on, and bad edits
are refused with the file and entry named."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from core.reference.business_types import BusinessType
from core.reference.sanctions import SanctionedArea, load_sanctioned_countries, sanctioned_country
from shippers.reference_data import (
    Requirement,
    load_document_requirements,
    load_security_questionnaire,
)

CTPAT_AREAS = {
    "security-vision": "Security vision and responsibility",
    "risk-assessment": "Risk assessment",
    "business-partners": "Business partner security",
    "cybersecurity": "Cybersecurity",
    "conveyance-security": "Conveyance and instruments of international traffic security",
    "seal-security": "Seal security",
    "procedural-security": "Procedural security",
    "agricultural-security": "Agricultural security",
    "physical-security": "Physical security",
    "physical-access-controls": "Physical access controls",
    "personnel-security": "Personnel security",
    "security-training": "Security training and threat awareness",
}


# -- security questionnaire ----------------------------------------------------------------


def test_questionnaire_covers_the_twelve_ctpat_areas() -> None:
    questionnaire = load_security_questionnaire()

    assert {area.code: area.name for area in questionnaire.areas} == CTPAT_AREAS
    assert all(len(area.questions) >= 3 for area in questionnaire.areas)
    assert len(questionnaire.questions) >= 48


def test_questionnaire_header() -> None:
    questionnaire = load_security_questionnaire()

    assert questionnaire.version == 1
    assert questionnaire.minimum_must_score == 100
    assert "CTPAT" in questionnaire.source


def test_question_and_area_codes_are_unique() -> None:
    questionnaire = load_security_questionnaire()
    question_codes = [question.code for question in questionnaire.questions]
    area_codes = [area.code for area in questionnaire.areas]

    assert len(question_codes) == len(set(question_codes))
    assert len(area_codes) == len(set(area_codes))


def test_questions_are_well_formed() -> None:
    for question in load_security_questionnaire().questions:
        assert question.requirement in (Requirement.MUST, Requirement.SHOULD)
        assert 1 <= question.weight <= 5
        assert question.text.endswith("?")
        assert len(question.help) > 40, question.code


def test_roughly_two_in_five_questions_are_musts_and_every_area_has_one() -> None:
    questionnaire = load_security_questionnaire()
    musts = [q for q in questionnaire.questions if q.requirement is Requirement.MUST]

    assert 0.3 <= len(musts) / len(questionnaire.questions) <= 0.5
    for area in questionnaire.areas:
        assert any(q.requirement is Requirement.MUST for q in area.questions), area.code


def test_not_applicable_is_offered_where_a_parcel_shipper_can_genuinely_answer_it() -> None:
    questionnaire = load_security_questionnaire()
    by_area = {area.code: area for area in questionnaire.areas}

    for container_question in by_area["conveyance-security"].questions:
        assert container_question.allow_not_applicable, container_question.code
    assert questionnaire.question("SS-1").allow_not_applicable
    for always_applies in ("SV-1", "RA-1", "BP-1", "CY-2", "PS-1", "TR-1"):
        assert not questionnaire.question(always_applies).allow_not_applicable


def test_questions_know_their_area() -> None:
    questionnaire = load_security_questionnaire()

    assert questionnaire.question("CY-2").area_code == "cybersecurity"
    with pytest.raises(KeyError):
        questionnaire.question("XX-1")


def test_loading_is_cached() -> None:
    assert load_security_questionnaire() is load_security_questionnaire()


GOOD_QUESTION = """
      - code: SV-1
        text: Is there a policy?
        help: Explain.
        requirement: must
        weight: 3
        allow_not_applicable: false
"""


def _questionnaire_file(tmp_path: Path, questions: str) -> Path:
    path = tmp_path / "questionnaire.yaml"
    path.write_text(
        "version: 1\ntitle: T\nsource: S\nminimum_must_score: 100\nareas:\n"
        "  - code: security-vision\n    name: N\n    description: D\n    questions:\n" + questions,
        encoding="utf-8",
    )
    return path


def test_a_valid_minimal_questionnaire_file_loads(tmp_path: Path) -> None:
    questionnaire = load_security_questionnaire(_questionnaire_file(tmp_path, GOOD_QUESTION))

    assert [question.code for question in questionnaire.questions] == ["SV-1"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("requirement: must", "requirement: maybe"), "requirement must be one of"),
        (("weight: 3", "weight: 6"), "weight must be between 1 and 5"),
        (("weight: 3", "weight: '3'"), "weight must be a whole number"),
        (("allow_not_applicable: false", "allow_not_applicable: 'no'"), "true or false"),
        (("text: Is there a policy?", "text: There is a policy."), "ending with '?'"),
        (("help: Explain.", "helptext: Explain."), "missing help"),
        (("code: SV-1", "code: sv one"), "code 'sv one' does not match"),
    ],
)
def test_bad_question_is_refused_naming_file_and_entry(
    tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    path = _questionnaire_file(tmp_path, GOOD_QUESTION.replace(*change))

    with pytest.raises(ValueError, match=r"^questionnaire\.yaml: areas\[0\]") as caught:
        load_security_questionnaire(path)

    assert "questions[0]" in str(caught.value)
    assert problem in str(caught.value)


def test_duplicate_question_code_is_refused(tmp_path: Path) -> None:
    path = _questionnaire_file(tmp_path, GOOD_QUESTION + GOOD_QUESTION)

    with pytest.raises(ValueError, match=r"questions\[1\] \(SV-1\): question code 'SV-1' is used"):
        load_security_questionnaire(path)


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    path = _questionnaire_file(tmp_path, GOOD_QUESTION + "        allow_na: true\n")

    with pytest.raises(ValueError, match="unknown field"):
        load_security_questionnaire(path)


def test_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("areas: [unclosed\n", encoding="utf-8")

    with pytest.raises(ValueError, match=r"^broken\.yaml: not valid YAML"):
        load_security_questionnaire(path)


# -- document requirements -----------------------------------------------------------------


def test_document_requirements_cover_every_business_type() -> None:
    requirements = load_document_requirements()

    assert set(requirements.by_business_type) == set(BusinessType)
    for business_type in BusinessType:
        documents = requirements.for_business_type(business_type)
        required = {document.code for document in documents.required}
        optional = {document.code for document in documents.optional}
        assert {"business_registration", "proof_of_address", "ownership_structure"} <= required
        assert {"tax_registration", "security_policy"} <= required
        assert not required & optional


def test_every_document_type_is_used_and_described() -> None:
    requirements = load_document_requirements()
    used = {
        document.code
        for documents in requirements.by_business_type.values()
        for document in documents.required + documents.optional
    }

    assert used == set(requirements.document_types)
    for document in requirements.document_types.values():
        assert document.name
        assert document.description
        assert document.accepted_formats
        assert document.max_age_days is None or document.max_age_days > 0


def test_business_specific_documents() -> None:
    requirements = load_document_requirements()

    def required(business_type: str) -> set[str]:
        return {d.code for d in requirements.for_business_type(business_type).required}

    assert "seller_verification_procedure" in required("marketplace")
    assert "forwarder_licence" in required("freight_forwarder")
    assert "manufacturing_sites" in required("manufacturer")
    assert "carrier_account_agreement" in required("express_consignor")
    assert "forwarder_licence" not in required("online_seller")


DOCUMENTS_FILE = """
version: 1
business_types: [online_seller, marketplace, express_consignor, freight_forwarder,
                 manufacturer, other]
document_types:
  - code: business_registration
    name: N
    description: D
    accepted_formats: PDF
requirements:
"""


def _documents_file(tmp_path: Path, requirements: dict[str, str]) -> Path:
    path = tmp_path / "documents.yaml"
    body = "".join(
        f"  {business_type}:\n    required: [{required}]\n    optional: []\n"
        for business_type, required in requirements.items()
    )
    path.write_text(DOCUMENTS_FILE + body, encoding="utf-8")
    return path


def test_missing_business_type_is_refused(tmp_path: Path) -> None:
    requirements = {business_type.value: "business_registration" for business_type in BusinessType}
    del requirements["manufacturer"]

    with pytest.raises(ValueError, match=r"^documents\.yaml: requirements: .*'manufacturer'"):
        load_document_requirements(_documents_file(tmp_path, requirements))


def test_unknown_document_type_is_refused(tmp_path: Path) -> None:
    requirements = {business_type.value: "business_registration" for business_type in BusinessType}
    requirements["other"] = "business_registration, passport_copy"

    with pytest.raises(ValueError, match=r"requirements\.other\.required: unknown .*passport_copy"):
        load_document_requirements(_documents_file(tmp_path, requirements))


# -- sanctioned countries ------------------------------------------------------------------


def test_sanctioned_countries_load_with_citations() -> None:
    entries = load_sanctioned_countries()
    codes = {entry.code for entry in entries}

    assert {"CU", "IR", "KP", "SY", "UA-43", "UA-40", "UA-14", "UA-09"} <= codes
    for entry in entries:
        assert entry.citation
        assert entry.url.startswith("https://")
        assert entry.effective_to is None or entry.effective_to >= entry.effective_from
        expected_kind = SanctionedArea.COUNTRY if len(entry.code) == 2 else SanctionedArea.REGION
        assert entry.kind is expected_kind


def test_syria_is_sanctioned_until_the_program_was_revoked_on_2025_07_01() -> None:
    before = sanctioned_country("SY", datetime.date(2025, 6, 30))

    assert before is not None
    assert before.effective_to == datetime.date(2025, 6, 30)
    assert "14312" in before.citation
    assert sanctioned_country("SY", datetime.date(2025, 7, 1)) is None
    assert sanctioned_country("SY", datetime.date(2026, 1, 1)) is None
    assert sanctioned_country("SY", datetime.date(2011, 8, 16)) is None


@pytest.mark.parametrize(
    ("code", "day", "expected_name"),
    [
        ("CU", datetime.date(2026, 1, 1), "Cuba"),
        ("cu", datetime.date(1970, 1, 1), "Cuba"),
        ("IR", datetime.date(2026, 1, 1), "Iran"),
        ("KP", datetime.date(2026, 1, 1), "North Korea (Democratic People's Republic of Korea)"),
        (" ua-43 ", datetime.date(2026, 1, 1), "Crimea region of Ukraine"),
        ("UA-14", datetime.date(2022, 2, 21), "So-called Donetsk People's Republic"),
    ],
)
def test_sanctioned_on_a_date(code: str, day: datetime.date, expected_name: str) -> None:
    entry = sanctioned_country(code, day)

    assert entry is not None
    assert entry.name.startswith(expected_name)


@pytest.mark.parametrize(
    ("code", "day"),
    [
        ("CU", datetime.date(1963, 7, 7)),
        ("UA-43", datetime.date(2014, 12, 18)),
        ("UA-09", datetime.date(2022, 2, 20)),
        ("UA", datetime.date(2026, 1, 1)),  # a country code does not match its regions
        ("FR", datetime.date(2026, 1, 1)),
        ("ZZ", datetime.date(2026, 1, 1)),
    ],
)
def test_not_sanctioned_on_a_date(code: str, day: datetime.date) -> None:
    assert sanctioned_country(code, day) is None


def test_a_datetime_is_taken_as_its_date() -> None:
    moment = datetime.datetime(2025, 6, 30, 23, 59, tzinfo=datetime.UTC)

    assert sanctioned_country("SY", moment) is not None


def test_partial_regions_are_flagged_for_review() -> None:
    day = datetime.date(2026, 1, 1)
    donetsk = sanctioned_country("UA-14", day)
    crimea = sanctioned_country("UA-43", day)

    assert donetsk is not None
    assert donetsk.partial
    assert crimea is not None
    assert not crimea.partial


SANCTIONS_FILE = """
version: 1
entries:
  - code: SY
    name: Syria
    kind: country
    effective_from: 2011-08-17
    effective_to: 2025-06-30
    citation: EO 13582
    url: https://example.org/sy
"""


def _sanctions_file(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "sanctions.yaml"
    path.write_text(SANCTIONS_FILE + extra, encoding="utf-8")
    return path


def test_a_reimposed_program_is_a_second_period(tmp_path: Path) -> None:
    path = _sanctions_file(
        tmp_path,
        SANCTIONS_FILE.split("entries:\n")[1]
        .replace("2011-08-17", "2030-01-01")
        .replace("2025-06-30", "null"),
    )

    assert sanctioned_country("SY", datetime.date(2020, 1, 1), path=path) is not None
    assert sanctioned_country("SY", datetime.date(2027, 1, 1), path=path) is None
    assert sanctioned_country("SY", datetime.date(2031, 1, 1), path=path) is not None


def test_overlapping_periods_are_refused(tmp_path: Path) -> None:
    path = _sanctions_file(
        tmp_path, SANCTIONS_FILE.split("entries:\n")[1].replace("2011-08-17", "2025-01-01")
    )

    with pytest.raises(ValueError, match=r"^sanctions\.yaml: entries\[1\] \(SY\): .*overlaps"):
        load_sanctioned_countries(path)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("effective_to: 2025-06-30", "effective_to: 2010-01-01"), "before effective_from"),
        (("effective_from: 2011-08-17", "effective_from: soon"), "must be a date"),
        (("kind: country", "kind: territory"), "kind must be one of"),
        (("code: SY", "code: SYR"), "not an ISO 3166 alpha-2 country code"),
        (("url: https://example.org/sy", "url: http://example.org/sy"), "https://"),
        (("citation: EO 13582", "cite: EO 13582"), "missing citation"),
    ],
)
def test_bad_sanctions_entry_is_refused(
    tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    path = tmp_path / "sanctions.yaml"
    path.write_text(SANCTIONS_FILE.replace(*change), encoding="utf-8")

    with pytest.raises(ValueError, match=r"^sanctions\.yaml: entries\[0\]") as caught:
        load_sanctioned_countries(path)

    assert problem in str(caught.value)
