"""Vetting: the checks, their aggregation, idempotent tasks, retries and errors,
false positives, re-screening after a list update, the sweeper and periodic re-vetting.

Celery runs eagerly here (tests/conftest.py); tests/shippers/test_vetting_worker.py runs
the same path on a real worker and broker."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from screening.models import FalsePositive
from screening.services import list_import
from shippers import services
from shippers.events import AuditAction
from shippers.models import (
    Address,
    Application,
    Identifier,
    Principal,
    SecurityAnswer,
    SecurityQuestion,
    VettingCheck,
    VettingRun,
)
from shippers.vetting import services as vetting
from shippers.vetting.outcome import Outcome
from shippers.vetting.registry import CheckSpec, check_spec, register_check, registered_checks
from tests.shippers.factories import (
    application_events,
    complete_application,
    owner_with_organisation,
)
from tests.shippers.vetting_support import (
    OFAC,
    Kind,
    check_of,
    ofac_list,
    officer,
    registered,
    run_of,
    submit,
)

pytestmark = pytest.mark.django_db
S = Application.Status
Status = VettingCheck.Status
__all__ = ["ofac_list", "submit"]  # fixtures


def all_kinds() -> list[str]:
    return [spec.kind for spec in registered_checks()]


def test_a_clean_application_passes_every_check_and_goes_to_an_officer(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    application = submit()
    assert application.status == S.UNDER_REVIEW
    run = run_of(application)
    assert run.reason == VettingRun.Reason.SUBMISSION
    assert run.is_complete
    checks = {check.kind: check for check in run.checks.all()}
    assert set(checks) == set(all_kinds())
    for check in checks.values():
        assert check.status == Status.PASSED, (check.kind, check.summary)
        assert check.attempts == 1
        assert check.started_at is not None
        assert check.finished_at is not None
        assert check.summary
        assert check.explanation
    assert application.risk_level == Application.Risk.LOW
    assert run.risk_level == Application.Risk.LOW
    assert run.recommendation.startswith("Low risk")
    screening = checks[Kind.SCREENING]
    assert screening.evidence["list_versions"] == [ofac_list.version.pk]
    assert {s["role"] for s in screening.evidence["subjects"]} >= {
        "organisation",
        "principal",
        "supply-chain partner",
    }
    assert run.screening_versions == [ofac_list.version.pk]
    event = application_events(application, "complete_vetting").get()
    assert event.detail["risk_level"] == "low"
    assert len(event.detail["checks"]) == len(all_kinds())


# -- the registry --------------------------------------------------------------------------


def test_shippers_enforcement_education_and_shipments_register_their_checks_in_order() -> None:
    assert all_kinds() == [
        Kind.IDENTIFIERS,
        Kind.SCREENING,
        Kind.SANCTIONED_COUNTRIES,
        Kind.LINKED_IDENTITIES,
        Kind.SECURITY_PROFILE,
        Kind.DOCUMENTS,
        Kind.TRAINING,
        Kind.COMPLIANCE_RECORD,
        "compliance_rate",
        "mutual_recognition",
    ]
    severe = {spec.kind for spec in registered_checks() if spec.severe_failure}
    assert severe == {
        Kind.SCREENING,
        Kind.SANCTIONED_COUNTRIES,
        Kind.LINKED_IDENTITIES,
        Kind.COMPLIANCE_RECORD,
    }


def _fake_check(application: Application) -> Outcome:
    return Outcome(
        Status.FAILED,
        f"{application.organisation.legal_name} shipped nothing yet.",
        "A check registered by a test.",
        evidence={"shipments": 0},
    )


FAKE = CheckSpec(
    kind="fake_rate",
    label="Fake compliance rate",
    run=_fake_check,
    severe_failure=True,
    order=75,
)


def test_a_registered_check_runs_in_every_run_and_counts_in_the_risk(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    with registered(FAKE):
        application = submit(legal_name="Registry Test Ltd")
        run = run_of(application)
        kinds = list(run.checks.values_list("kind", flat=True))
        fake = run.checks.get(kind="fake_rate")
        assert fake.get_kind_display() == "Fake compliance rate"
        assert fake.status == Status.FAILED
        assert fake.evidence == {"shipments": 0}
    assert kinds.index("fake_rate") == kinds.index(Kind.TRAINING) + 1  # in `order`
    assert run.risk_level == Application.Risk.HIGH  # a severe failure
    assert "Fake compliance rate: Registry Test Ltd shipped nothing yet." in run.recommendation
    assert application.status == S.UNDER_REVIEW


def test_a_check_no_longer_registered_is_reported_for_a_manual_check(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    with registered(FAKE):
        user, organisation = owner_with_organisation()
        application = complete_application(user, organisation)
        services.application_submit(actor=user, application=application)
        services.application_start_vetting(application_id=application.pk)
        run = vetting.run_begin(application=application, reason=VettingRun.Reason.SUBMISSION)
    check = run.checks.get(kind="fake_rate")
    vetting.check_execute(check_id=check.pk)
    check.refresh_from_db()
    assert check.status == Status.ERROR
    assert "No vetting check of kind 'fake_rate' is registered" in check.error


def test_a_kind_is_registered_once() -> None:
    spec = check_spec(Kind.DOCUMENTS)
    assert spec is not None
    with pytest.raises(ValueError, match="already registered"):
        register_check(dataclasses.replace(spec, label="Other documents"))
    register_check(spec)  # the same spec again: nothing changes
    assert check_spec(Kind.DOCUMENTS) is spec


# -- each check -------------------------------------------------------------------------------


def test_a_listed_company_name_is_a_likely_hit_and_makes_the_risk_high(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    application = submit(legal_name="Golden Star Trading L.L.C.", country="AE")
    screening = check_of(application, Kind.SCREENING)
    assert screening.status == Status.FAILED
    top = screening.evidence["matches"][0]
    assert (top["list"], top["source_id"]) == ("SDN", "7010")
    assert top["subject"] == "organisation"
    assert top["flag"] == "hit"
    assert top["explanation"]["summary"]
    assert screening.score is not None
    assert screening.score >= 0.87
    assert application.risk_level == Application.Risk.HIGH
    assert "supervisor" in run_of(application).recommendation


def test_a_listed_principal_is_found_behind_a_transliteration_variant(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    def add_principal(application: Application) -> None:
        Principal.objects.create(
            organisation=application.organisation,
            full_name="Sergei Aleksandrovich Petrov",
            role="owner",
            nationality="RU",
            date_of_birth=date(1976, 9, 23),
        )

    application = submit(add_principal)
    screening = check_of(application, Kind.SCREENING)
    assert screening.status in {Status.FAILED, Status.FLAGGED}
    match = next(m for m in screening.evidence["matches"] if m["subject"] == "principal")
    assert match["source_id"] == "7002"
    assert match["query"] == "Sergei Aleksandrovich Petrov"


def test_without_a_screening_list_screening_is_an_error_never_a_pass(submit) -> None:  # type: ignore[no-untyped-def]
    application = submit()
    screening = check_of(application, Kind.SCREENING)
    assert screening.status == Status.ERROR
    assert "No screening list is loaded" in screening.explanation
    assert application.status == S.UNDER_REVIEW
    assert application.risk_level == Application.Risk.MEDIUM
    assert "by hand" in run_of(application).recommendation


def test_an_invalid_identifier_fails_its_check(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    def bad_identifier(application: Application) -> None:
        Identifier.objects.create(
            organisation=application.organisation, kind="us_ein", value="001234567"
        )

    application = submit(bad_identifier)
    check = check_of(application, Kind.IDENTIFIERS)
    assert check.status == Status.FAILED
    rows = {row["identifier"]: row for row in check.evidence["identifiers"]}
    assert any(not row["valid"] for row in rows.values())
    assert application.risk_level == Application.Risk.MEDIUM
    assert "Request information for: identifier validity" in run_of(application).recommendation


def test_an_address_in_a_comprehensively_sanctioned_country_fails(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    def iranian_facility(application: Application) -> None:
        Address.objects.create(
            organisation=application.organisation,
            kind="facility",
            line1="12 Azadi Street",
            city="Tehran",
            country="IR",
        )

    application = submit(iranian_facility)
    check = check_of(application, Kind.SANCTIONED_COUNTRIES)
    assert check.status == Status.FAILED
    finding = check.evidence["findings"][0]
    assert finding["code"] == "IR"
    assert finding["where"] == "address"
    assert finding["citation"]
    assert application.risk_level == Application.Risk.HIGH


def test_a_principal_of_a_sanctioned_nationality_is_flagged_not_failed(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    def cuban_director(application: Application) -> None:
        Principal.objects.create(
            organisation=application.organisation,
            full_name="Maria Lopez Diaz",
            role="director",
            nationality="CU",
        )

    application = submit(cuban_director)
    check = check_of(application, Kind.SANCTIONED_COUNTRIES)
    assert check.status == Status.FLAGGED
    assert check.evidence["findings"][0]["where"] == "principal's nationality"
    assert application.risk_level == Application.Risk.MEDIUM


def test_shared_identifiers_and_addresses_are_linked_and_a_revoked_link_fails(  # type: ignore[no-untyped-def]
    ofac_list, submit
) -> None:
    first = submit(legal_name="Harbourline Parcels Ltd")
    assert check_of(first, Kind.LINKED_IDENTITIES).status == Status.PASSED
    second = submit(legal_name="Harbourline Logistics Ltd")
    check = check_of(second, Kind.LINKED_IDENTITIES)
    assert check.status == Status.FLAGGED
    kinds = {link["by"] for link in check.evidence["links"]}
    assert kinds == {"identifier", "address", "principal"}
    assert {link["organisation"] for link in check.evidence["links"]} == {"Harbourline Parcels Ltd"}

    # The first organisation is rejected: a new business with the same identity fails.
    services.application_reject(actor=officer(), application=first, reason="False documents.")
    third = submit(legal_name="Harbourline Freight Ltd")
    linked = check_of(third, Kind.LINKED_IDENTITIES)
    assert linked.status == Status.FAILED
    assert third.risk_level == Application.Risk.HIGH


def test_a_must_criterion_answered_no_puts_the_security_profile_below_the_minimum(  # type: ignore[no-untyped-def]
    ofac_list, submit
) -> None:
    def answer_no(application: Application) -> None:
        question = application.questionnaire.questions.filter(
            requirement=SecurityQuestion.Requirement.MUST
        ).first()
        SecurityAnswer.objects.filter(application=application, question=question).update(
            answer=SecurityAnswer.Answer.NO, explanation="Seals are applied by the carrier."
        )

    application = submit(answer_no)
    check = check_of(application, Kind.SECURITY_PROFILE)
    assert check.status == Status.FAILED
    assert check.evidence["must_score"] < check.evidence["minimum_must_score"]
    assert check.evidence["unmet_must"][0]["explanation"] == "Seals are applied by the carrier."
    assert check.score is not None
    assert check.score < 1


def test_missing_documents_fail_their_check(  # type: ignore[no-untyped-def]
    ofac_list, submit, django_capture_on_commit_callbacks
) -> None:
    application = submit()
    assert check_of(application, Kind.DOCUMENTS).status == Status.PASSED
    # Submission needs every document; one removed afterwards shows on the next run.
    application.documents.first().delete()  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks(execute=True):
        vetting.vetting_rerun(actor=officer(), application=application)
    check = check_of(application, Kind.DOCUMENTS)
    assert check.status == Status.FAILED
    assert len(check.evidence["missing"]) == 1


# -- tasks: idempotent, retried, given up ----------------------------------------------------


def test_tasks_delivered_twice_do_no_harm(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    from shippers.tasks import run_vetting_check, start_vetting

    application = submit()
    run = run_of(application)
    check = run.checks.get(kind=Kind.IDENTIFIERS)
    assert run_vetting_check.delay(check.pk).get() == "already passed"
    assert start_vetting.delay(application.pk).get() == "skipped: not awaiting vetting"
    assert application.vetting_runs.count() == 1
    assert application_events(application, "complete_vetting").count() == 1
    check.refresh_from_db()
    assert check.attempts == 1


@pytest.fixture
def eager_retries():  # type: ignore[no-untyped-def]
    """Eager tasks re-run themselves on retry only when errors are not propagated."""
    from config.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_a_failing_check_is_retried_then_reported_for_a_manual_check(  # type: ignore[no-untyped-def]
    ofac_list, submit, eager_retries
) -> None:
    calls: list[int] = []

    def broken(application: Application) -> Outcome:
        calls.append(application.pk)
        raise ConnectionError("registry unreachable")

    spec = check_spec(Kind.IDENTIFIERS)
    assert spec is not None
    with registered(dataclasses.replace(spec, run=broken)):
        application = submit()
    check = check_of(application, Kind.IDENTIFIERS)
    assert len(calls) == vetting.MAX_ATTEMPTS
    assert check.status == Status.ERROR
    assert check.attempts == vetting.MAX_ATTEMPTS
    assert "registry unreachable" in check.error
    assert check.summary == "Could not be checked automatically: manual check needed."
    # The run still completes and the application reaches an officer.
    assert application.status == S.UNDER_REVIEW
    assert application.risk_level == Application.Risk.MEDIUM


def test_a_check_that_recovers_on_retry_passes(ofac_list, submit, eager_retries) -> None:  # type: ignore[no-untyped-def]
    spec = check_spec(Kind.DOCUMENTS)
    assert spec is not None
    calls: list[int] = []

    def flaky(application: Application) -> Outcome:
        calls.append(1)
        if len(calls) == 1:
            raise TimeoutError("storage slow")
        return spec.run(application)

    with registered(dataclasses.replace(spec, run=flaky)):
        application = submit()
    check = check_of(application, Kind.DOCUMENTS)
    assert check.status == Status.PASSED
    assert check.attempts == 2


def test_the_sweeper_requeues_lost_checks_and_finishes_the_run(  # type: ignore[no-untyped-def]
    ofac_list, submit, django_capture_on_commit_callbacks
) -> None:
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    services.application_submit(actor=user, application=application)
    # The submission's tasks were lost (the on-commit hook never ran in this transaction).
    vetting_result = services.application_start_vetting(application_id=application.pk)
    assert vetting_result is not None
    run = VettingRun.objects.create(application=application, reason=VettingRun.Reason.SUBMISSION)
    long_ago = timezone.now() - timedelta(hours=1)
    for kind in all_kinds():
        VettingCheck.objects.create(run=run, kind=kind, queued_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):  # re-queued through the outbox
        counts = vetting.sweep_stuck_checks()
    assert counts["requeued"] == len(all_kinds())
    run.refresh_from_db()
    assert run.is_complete
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_the_sweeper_gives_up_on_checks_that_used_every_attempt(ofac_list) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    run = VettingRun.objects.create(application=application, reason=VettingRun.Reason.OFFICER)
    long_ago = timezone.now() - timedelta(hours=1)
    check = VettingCheck.objects.create(
        run=run,
        kind=Kind.DOCUMENTS,
        status=Status.RUNNING,
        attempts=vetting.MAX_ATTEMPTS,
        queued_at=long_ago,
        started_at=long_ago,
    )
    assert vetting.sweep_stuck_checks()["given_up"] == 1
    check.refresh_from_db()
    assert check.status == Status.ERROR
    run.refresh_from_db()
    assert run.is_complete


# -- officers: false positives, re-runs, alerts -----------------------------------------------


def test_a_cleared_false_positive_is_not_raised_again_until_the_entry_changes(  # type: ignore[no-untyped-def]
    ofac_list, submit, django_capture_on_commit_callbacks, tmp_path
) -> None:
    application = submit(legal_name="Golden Star Trading LLC", country="GB")
    assert check_of(application, Kind.SCREENING).status == Status.FAILED
    staff = officer()
    with pytest.raises(ValidationError):
        vetting.vetting_mark_false_positive(
            actor=staff, application=application, list_code="SDN", source_id="7010", note=" "
        )
    shipper = application.organisation.memberships.get().user
    with pytest.raises(PermissionDenied):
        vetting.vetting_mark_false_positive(
            actor=shipper,
            application=application,
            list_code="SDN",
            source_id="7010",
            note="Not them.",
        )
    vetting.vetting_mark_false_positive(
        actor=staff,
        application=application,
        list_code="SDN",
        source_id="7010",
        note="UK company founded 2015; the listed party is a UAE registration 123456.",
        matched_query="Golden Star Trading LLC",
    )
    cleared = FalsePositive.objects.get(organisation_id=application.organisation_id)
    assert cleared.marked_by == staff
    event = AuditEvent.objects.for_target(application).get(
        action=AuditAction.APPLICATION_SCREENING_MATCH_CLEARED
    )
    assert (event.actor, event.organisation_id, event.internal) == (
        staff,
        application.organisation_id,
        True,
    )
    assert event.reason == cleared.note
    assert event.detail["source_id"] == "7010"

    with django_capture_on_commit_callbacks(execute=True):
        vetting.vetting_rerun(actor=staff, application=application)
    screening = check_of(application, Kind.SCREENING)
    assert screening.status == Status.PASSED
    assert [row["source_id"] for row in screening.evidence["cleared"]] == ["7010"]

    # The list changes that entry (a new address): it is raised again.
    changed = tmp_path / "sdn.csv"
    changed.write_text(
        (OFAC / "sdn.csv")
        .read_text()
        .replace(
            "Registration Number 123456 (United Arab Emirates).",
            "Registration Number 123456 (United Arab Emirates); alt. Registration Number 99.",
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        list_import(fmt="ofac", paths=[changed])
    with django_capture_on_commit_callbacks(execute=True):
        vetting.vetting_rerun(actor=staff, application=application)
    assert check_of(application, Kind.SCREENING).status == Status.FAILED


def test_an_officer_rerun_refreshes_the_risk_of_an_undecided_application(  # type: ignore[no-untyped-def]
    ofac_list, submit, django_capture_on_commit_callbacks
) -> None:
    application = submit()
    assert application.risk_level == Application.Risk.LOW
    Address.objects.create(
        organisation=application.organisation,
        kind="operating",
        line1="5 Malecon",
        city="Havana",
        country="CU",
    )
    staff = officer()
    with django_capture_on_commit_callbacks(execute=True):
        run = vetting.vetting_rerun(actor=staff, application=application)
    run.refresh_from_db()
    assert run.reason == VettingRun.Reason.OFFICER
    assert run.requested_by == staff
    assert run.risk_level == Application.Risk.HIGH
    assert not run.needs_attention  # an officer's own re-run is no alert
    application.refresh_from_db()
    assert application.risk_level == Application.Risk.HIGH
    assert application.status == S.UNDER_REVIEW
    event = AuditEvent.objects.for_target(application).get(
        action=AuditAction.APPLICATION_VETTING_REQUESTED
    )
    assert (event.actor, event.detail, event.internal) == (staff, {"run": run.pk}, True)


def test_a_rerun_is_refused_for_drafts_while_running_and_for_shippers(ofac_list) -> None:  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation()
    application = complete_application(user, organisation)
    with pytest.raises(ValidationError, match="draft"):
        vetting.vetting_rerun(actor=officer(), application=application)
    with pytest.raises(PermissionDenied):
        vetting.vetting_rerun(actor=user, application=application)
    services.application_submit(actor=user, application=application)
    services.application_start_vetting(application_id=application.pk)
    vetting.run_begin(application=application, reason=VettingRun.Reason.SUBMISSION)
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="already running"):
        vetting.vetting_rerun(actor=officer(), application=application)


def test_a_list_update_rescreens_shippers_and_raises_an_alert(  # type: ignore[no-untyped-def]
    ofac_list, submit, django_capture_on_commit_callbacks
) -> None:
    staff = officer()
    application = submit(legal_name="Novaya Zvezda Shipping Ltd", country="GB")
    assert check_of(application, Kind.SCREENING).status == Status.PASSED
    application.refresh_from_db()
    services.application_approve(actor=staff, application=application, tier=1)
    mail.outbox.clear()

    # Version 2 of the list adds NOVAYA ZVEZDA SHIPPING LIMITED (ent_num 7011).
    with django_capture_on_commit_callbacks(execute=True):
        result = list_import(fmt="ofac", paths=[OFAC / "sdn_v2.csv"])
    version = result.version
    alert = application.vetting_runs.get(reason=VettingRun.Reason.LIST_UPDATE)
    assert alert.list_version == version
    assert alert.needs_attention
    assert alert.acknowledged_at is None
    check = alert.checks.get()
    assert check.kind == Kind.SCREENING
    assert check.status in {Status.FAILED, Status.FLAGGED}
    assert check.evidence["matches"][0]["source_id"] == "7011"
    assert application_events(application, "vetting_alert").exists()
    assert any(application.reference in message.subject for message in mail.outbox)
    application.refresh_from_db()
    assert application.status == S.APPROVED  # an alert; the officer decides

    # The same version again adds no second alert.
    assert vetting.rescreen_after_list_update(version_id=version.pk)["alerts"] == 0

    with pytest.raises(ValidationError):
        vetting.alert_acknowledge(actor=staff, run=alert, note="")
    vetting.alert_acknowledge(actor=staff, run=alert, note="Different company; cleared.")
    alert.refresh_from_db()
    assert alert.acknowledged_by == staff
    event = AuditEvent.objects.for_target(application).get(
        action=AuditAction.APPLICATION_VETTING_ALERT_ACKNOWLEDGED
    )
    assert (event.actor, event.reason, event.detail) == (
        staff,
        "Different company; cleared.",
        {"run": alert.pk},
    )
    with pytest.raises(ValidationError, match="already dealt with"):
        vetting.alert_acknowledge(actor=staff, run=alert, note="Again.")


def test_periodic_revetting_covers_shippers_in_the_program(ofac_list, submit) -> None:  # type: ignore[no-untyped-def]
    application = submit()
    services.application_approve(actor=officer(), application=application, tier=1)
    draft_owner, draft_organisation = owner_with_organisation(legal_name="Not Yet Ltd")
    complete_application(draft_owner, draft_organisation)
    assert vetting.revet_watched_applications() == 1
    run = run_of(application)
    assert run.reason == VettingRun.Reason.PERIODIC
    assert run.checks.count() == len(all_kinds())


def test_the_events_of_vetting_stay_internal(  # type: ignore[no-untyped-def]
    ofac_list, submit, django_capture_on_commit_callbacks
) -> None:
    application = submit()
    with django_capture_on_commit_callbacks(execute=True):
        vetting.vetting_rerun(actor=officer(), application=application)
    internal = application_events(application).filter(
        action__in=["application.vetting_requested", "application.vetting_rerun"]
    )
    assert internal.count() == 2
    assert not internal.filter(internal=False).exists()


def test_a_list_imported_for_the_first_time_screens_shippers_already_approved(  # type: ignore[no-untyped-def]
    ofac_list, submit, django_capture_on_commit_callbacks
) -> None:
    from tests.screening.conftest import FIXTURES

    application = submit(legal_name="Defence Industries Organisation", country="GB")
    assert check_of(application, Kind.SCREENING).status == Status.PASSED  # not on OFAC's
    services.application_approve(actor=officer(), application=application, tier=1)
    # The UN list arrives after the approval; its first version is new in full.
    with django_capture_on_commit_callbacks(execute=True):
        result = list_import(fmt="un", paths=[FIXTURES / "un" / "consolidated.xml"])
    alert = application.vetting_runs.get(reason=VettingRun.Reason.LIST_UPDATE)
    assert alert.list_version == result.version
    assert alert.needs_attention
    match = alert.checks.get().evidence["matches"][0]
    assert match["list"] == "UN"
    assert "DEFENCE INDUSTRIES ORGANISATION" in match["name"]
