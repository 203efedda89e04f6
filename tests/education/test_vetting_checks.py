"""Education's vetting check (registered in EducationConfig.ready()): the required training,
read from the organisation's members' completions."""

from __future__ import annotations

import pytest

from education import services as education_services
from shippers.models import Application, VettingCheck
from shippers.vetting import services as vetting
from shippers.vetting.registry import check_spec
from tests.education.factories import ModuleFactory, answers_for
from tests.shippers.vetting_support import Kind, check_of, ofac_list, officer, submit

pytestmark = pytest.mark.django_db
Status = VettingCheck.Status
__all__ = ["ofac_list", "submit"]  # fixtures


def test_education_registers_the_training_check() -> None:
    spec = check_spec(Kind.TRAINING)
    assert spec is not None
    assert spec.run.__module__ == "education.vetting_checks"
    assert (spec.label, spec.severe_failure, spec.remediable) == ("Required training", False, True)


def test_required_training_is_read_from_the_members_completions(  # type: ignore[no-untyped-def]
    ofac_list, submit, django_capture_on_commit_callbacks
) -> None:
    module = ModuleFactory(title="Known-shipper essentials", required_for=["online_seller"])
    application = submit()
    check = check_of(application, Kind.TRAINING)
    assert check.status == Status.FAILED
    assert check.evidence["missing"] == ["Known-shipper essentials"]
    assert application.risk_level == Application.Risk.MEDIUM

    member = application.organisation.memberships.get().user
    attempt = education_services.quiz_attempt_submit(
        user=member, module=module, version=module.version, answers=answers_for(module, correct=5)
    )
    assert attempt.passed
    with django_capture_on_commit_callbacks(execute=True):
        run = vetting.vetting_rerun(actor=officer(), application=application)
    assert run.checks.get(kind=Kind.TRAINING).status == Status.PASSED
