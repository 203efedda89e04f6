"""Enforcement's vetting check (registered in EnforcementConfig.ready()): penalty cases
against the applicant, or before it registered against its names and identifiers, in the
last three years. Names are compared with the screening engine's transliterating fold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from enforcement.models import Case
from enforcement.selectors import unregistered_party_record
from shippers import services
from shippers.models import Application, Principal, VettingCheck
from shippers.vetting.registry import check_spec
from tests.accounts.factories import UserFactory
from tests.enforcement.factories import open_case
from tests.shippers.factories import complete_application, owner_with_organisation
from tests.shippers.vetting_support import Kind, check_of, ofac_list, officer, submit

pytestmark = pytest.mark.django_db
Status = VettingCheck.Status
__all__ = ["ofac_list", "submit"]  # fixtures


def test_enforcement_registers_the_compliance_record_check() -> None:
    spec = check_spec(Kind.COMPLIANCE_RECORD)
    assert spec is not None
    assert spec.run.__module__ == "enforcement.vetting_checks"
    assert (spec.label, spec.severe_failure) == ("Compliance record (3 years)", True)


def test_a_penalty_case_in_the_last_three_years_is_on_the_compliance_record(  # type: ignore[no-untyped-def]
    ofac_list, django_capture_on_commit_callbacks
) -> None:
    user, organisation = owner_with_organisation()
    staff = UserFactory(roles=["officer"])
    open_case(actor=staff, organisation=organisation, culpability="fraud")
    application = complete_application(user, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=user, application=application)
    check = check_of(application, Kind.COMPLIANCE_RECORD)
    assert check.status == Status.FAILED
    assert check.evidence["cases"][0]["serious"] is True
    application.refresh_from_db()
    assert application.risk_level == Application.Risk.HIGH


def test_a_case_against_a_principal_before_registration_is_on_the_record(  # type: ignore[no-untyped-def]
    ofac_list, submit
) -> None:
    staff = UserFactory(roles=["officer"])
    case = open_case(actor=staff, organisation=None)
    Case.objects.filter(pk=case.pk).update(party_name="AMELIA  HART")  # the factory's director
    unrelated = open_case(actor=staff, organisation=None)
    application = submit()
    check = check_of(application, Kind.COMPLIANCE_RECORD)
    assert check.status == Status.FLAGGED  # negligence, once: an officer weighs it
    assert [row["case"] for row in check.evidence["cases"]] == [case.number]
    assert check.evidence["cases"][0]["against"] == "an unregistered party"
    assert unrelated.number not in check.summary


def _case_against(party_name: str) -> Case:
    case = open_case(actor=officer(), organisation=None)
    Case.objects.filter(pk=case.pk).update(party_name=party_name)
    case.refresh_from_db()
    return case


def test_names_in_other_scripts_are_compared_transliterated() -> None:
    """The old fold turned every Cyrillic name into "", so any non-Latin applicant name
    matched every non-Latin unregistered party."""
    petrov = _case_against("Петров")
    _case_against("Иванов")
    since = (timezone.now() - timedelta(days=30)).date()

    found = unregistered_party_record(names=["Petrov"], identifiers=[], since=since)
    assert [summary.case_number for summary in found] == [petrov.number]
    assert unregistered_party_record(names=["Сидоров"], identifiers=[], since=since) == []
    found = unregistered_party_record(names=["  PETROV "], identifiers=[], since=since)
    assert [summary.case_number for summary in found] == [petrov.number]


def test_a_cyrillic_principal_matches_only_the_case_with_their_name(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    petrov = _case_against("Петров")
    ivanov = _case_against("Иванов")

    def add_principal(application: Application) -> None:
        Principal.objects.create(
            organisation=application.organisation,
            full_name="Petrov",
            role="director",
            nationality="RU",
        )

    application = submit(add_principal)
    check = check_of(application, Kind.COMPLIANCE_RECORD)
    assert [row["case"] for row in check.evidence["cases"]] == [petrov.number]
    assert ivanov.number not in check.summary
