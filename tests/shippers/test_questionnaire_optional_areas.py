"""The EU AEO criteria the CTPAT areas lack (UCC Art. 39(b)-(d)) as optional areas of the
questionnaire data that a program switches on as a new version."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from core.models import AuditEvent
from shippers import services
from shippers.models import SecurityQuestionnaire
from shippers.reference_data import load_security_questionnaire
from tests.enforcement.factories import officer, supervisor

AEO_AREAS = {"eu-aeo-records": "39(b)", "eu-aeo-solvency": "39(c)", "eu-aeo-competence": "39(d)"}


def test_ucc_art_39_b_to_d_are_optional_areas_outside_the_12_ctpat_areas() -> None:
    data = load_security_questionnaire()
    assert len(data.areas) == 12
    assert len(data.questions) == 58
    assert {area.code for area in data.optional_areas} == set(AEO_AREAS)
    for area in data.optional_areas:
        assert f"UCC Art. {AEO_AREAS[area.code]}" in area.legal_basis
        assert area.questions
    core_codes = {question.code for question in data.questions}
    assert not core_codes & {q.code for a in data.optional_areas for q in a.questions}


@pytest.mark.django_db
def test_ucc_art_39_switching_on_aeo_areas_makes_a_new_version_not_yet_current() -> None:
    current = SecurityQuestionnaire.objects.get(is_current=True)
    before = current.questions.count()
    boss = supervisor()
    version = services.questionnaire_add_optional_areas(
        actor=boss, questionnaire=current, area_codes=["eu-aeo-solvency", "eu-aeo-competence"]
    )
    assert not version.is_current
    assert version.version == current.version + 1
    areas = set(version.questions.values_list("area_code", flat=True))
    assert {"eu-aeo-solvency", "eu-aeo-competence"} <= areas
    assert "eu-aeo-records" not in areas
    assert version.questions.count() == before + 5
    assert current.questions.count() == before  # the answered version is untouched
    event = AuditEvent.objects.for_target(version).get(action="questionnaire.edit")
    assert event.detail["optional_areas"] == ["eu-aeo-solvency", "eu-aeo-competence"]
    assert "UCC Art. 39(c)" in event.detail["legal_basis"][0]
    with pytest.raises(ValidationError, match="already has eu-aeo-solvency"):
        services.questionnaire_add_optional_areas(
            actor=boss, questionnaire=version, area_codes=["eu-aeo-solvency"]
        )


@pytest.mark.django_db
def test_only_supervisors_switch_on_optional_areas_and_unknown_areas_are_refused() -> None:
    current = SecurityQuestionnaire.objects.get(is_current=True)
    versions = SecurityQuestionnaire.objects.count()
    with pytest.raises(PermissionDenied):
        services.questionnaire_add_optional_areas(
            actor=officer(), questionnaire=current, area_codes=["eu-aeo-records"]
        )
    with pytest.raises(ValidationError, match="No optional area eu-aeo-loyalty"):
        services.questionnaire_add_optional_areas(
            actor=supervisor(), questionnaire=current, area_codes=["eu-aeo-loyalty"]
        )
    assert SecurityQuestionnaire.objects.count() == versions


@pytest.mark.django_db
def test_the_command_switches_on_an_area_for_the_program() -> None:
    boss = supervisor()
    out = StringIO()
    call_command(
        "questionnaire_add_optional_areas",
        "--area",
        "eu-aeo-records",
        "--by",
        boss.email,
        stdout=out,
    )
    assert "with eu-aeo-records" in out.getvalue()
    newest = SecurityQuestionnaire.objects.order_by("-version").first()
    assert newest is not None
    assert newest.questions.filter(area_code="eu-aeo-records").count() == 3
