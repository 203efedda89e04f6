"""Running and recording vetting: runs, their checks, the aggregate, and the officer's
actions on the results (re-run, clear a screening match, acknowledge an alert).

Every check is its own Celery task (`shippers.tasks.run_vetting_check`) that takes the
check's id. `check_execute` is idempotent: a check already final is left alone, so a task
delivered twice (acks_late, a worker lost) does no harm. The last check to finish
aggregates the run; for a submission run that moves the application to an officer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.outbox import publish_on_commit
from screening.engine import ScreeningIndex
from screening.engine.validity import in_force
from screening.models import EntryChange, FalsePositive, ListedParty, ListVersion
from screening.selectors import active_index
from screening.serialization import entry_from_json
from screening.services import false_positive_mark
from shippers import services as shipper_services
from shippers.events import AuditAction, record
from shippers.models import Application, VettingCheck, VettingRun
from shippers.vetting.checks import screening as screening_check
from shippers.vetting.outcome import CheckCannotRun
from shippers.vetting.registry import check_spec, registered_checks
from shippers.vetting.risk import assess
from shippers.workflow import ACTIVE_STATUSES

Status = VettingCheck.Status
S = Application.Status

MANAGE_PERMISSION = "shippers.manage_vetting"
# After this many attempts a check is given up and reported as "error: manual check needed".
MAX_ATTEMPTS = 4
# A check queued or running for longer than this is re-queued by the sweeper.
STUCK_AFTER = timedelta(minutes=15)
# Statuses re-screened after a list update and re-vetted periodically: in the program, or
# with an officer.
WATCHED_STATUSES = frozenset(
    {*ACTIVE_STATUSES, S.SUSPENDED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED}
)


def _enqueue(check_ids: Iterable[int]) -> None:
    """Each check's task, recorded in the outbox with the caller's change and published
    after commit: a broker outage delays a check, never loses it."""
    for check_id in check_ids:
        publish_on_commit("shippers.tasks.run_vetting_check", args=[check_id])


def run_begin(
    *,
    application: Application,
    reason: str,
    requested_by: User | None = None,
    kinds: Iterable[str] | None = None,
) -> VettingRun:
    """Create a run with a pending check of each registered kind (or of `kinds`); their
    tasks start after commit."""
    with transaction.atomic():
        run = VettingRun.objects.create(
            application=application, reason=reason, requested_by=requested_by
        )
        created = VettingCheck.objects.bulk_create(
            VettingCheck(run=run, kind=kind)
            for kind in (kinds or [spec.kind for spec in registered_checks()])
        )
        _enqueue(check.pk for check in created)
    return run


def vetting_start(*, application_id: int) -> str:
    """On submission: move the application to vetting and start the checks. Idempotent: a
    second delivery finds the application in vetting and only re-queues unfinished checks."""
    with transaction.atomic():
        application = shipper_services.application_start_vetting(application_id=application_id)
        if application is not None:
            run = run_begin(application=application, reason=VettingRun.Reason.SUBMISSION)
            return f"vetting started: run {run.pk}"
    unfinished = (
        VettingRun.objects.filter(
            application_id=application_id,
            reason=VettingRun.Reason.SUBMISSION,
            finished_at__isnull=True,
        )
        .order_by("-pk")
        .first()
    )
    if unfinished is None:
        return "skipped: not awaiting vetting"
    pending = list(
        unfinished.checks.filter(status__in=[Status.PENDING, Status.RUNNING]).values_list(
            "pk", flat=True
        )
    )
    _enqueue(pending)
    return f"re-queued {len(pending)} checks of run {unfinished.pk}"


def check_execute(*, check_id: int) -> str:
    """Run one check and store its outcome. Exceptions other than a known "cannot run"
    propagate so that the task retries; `check_give_up` ends it after the last attempt."""
    with transaction.atomic():
        check = VettingCheck.objects.select_for_update().select_related("run").get(pk=check_id)
        if check.is_final:
            return f"already {check.status}"
        check.status = Status.RUNNING
        check.attempts += 1
        check.started_at = timezone.now()
        check.save(update_fields=["status", "attempts", "started_at"])
    application = Application.objects.select_related("organisation", "questionnaire").get(
        pk=check.run.application_id
    )
    spec = check_spec(check.kind)
    if spec is None:
        return check_give_up(
            check_id=check_id, error=f"No vetting check of kind {check.kind!r} is registered."
        )
    try:
        outcome = spec.run(application)
    except CheckCannotRun as error:
        return check_give_up(check_id=check_id, error=str(error))
    with transaction.atomic():
        check = VettingCheck.objects.select_for_update().get(pk=check_id)
        if check.is_final:
            return f"already {check.status}"
        check.status = outcome.status
        check.score = outcome.score
        check.summary = outcome.summary[:300]
        check.explanation = outcome.explanation
        check.evidence = outcome.evidence
        check.error = ""
        check.finished_at = timezone.now()
        if check.kind == screening_check.KIND:
            versions = outcome.evidence.get("list_versions", [])
            VettingRun.objects.filter(pk=check.run_id).update(screening_versions=versions)
        check.save()
        run_id = check.run_id
    run_finish_if_complete(run_id=run_id)
    return outcome.status


def check_give_up(*, check_id: int, error: str) -> str:
    """The check could not run: it is reported as an error that an officer checks by hand."""
    with transaction.atomic():
        check = VettingCheck.objects.select_for_update().get(pk=check_id)
        if check.is_final:
            return f"already {check.status}"
        check.status = Status.ERROR
        check.summary = "Could not be checked automatically: manual check needed."
        check.error = error[:4000]
        check.explanation = (
            f"The check stopped after {check.attempts} attempt(s). {error[:1000]}"
        ).strip()
        check.finished_at = timezone.now()
        check.save()
        run_id = check.run_id
    run_finish_if_complete(run_id=run_id)
    return "error"


def run_finish_if_complete(*, run_id: int) -> bool:
    """When every check of the run is final: aggregate, record, and (for a submission)
    send the application to an officer. Only the first caller does it."""
    with transaction.atomic():
        run = VettingRun.objects.select_for_update().get(pk=run_id)
        if run.finished_at is not None:
            return False
        checks = list(run.checks.all())
        if any(not check.is_final for check in checks):
            return False
        assessment = assess(checks)
        run.risk_level = assessment.risk_level
        run.recommendation = assessment.recommendation
        run.risk_reasons = assessment.reasons
        run.finished_at = timezone.now()
        summary = _run_summary(run, checks)
        if run.reason == VettingRun.Reason.SUBMISSION:
            run.save()
            shipper_services.application_complete_vetting(
                application_id=run.application_id,
                risk_level=assessment.risk_level,
                summary=summary,
            )
            return True
        # An officer's own re-run is read on the review page; what a list update or the
        # periodic re-vetting finds is raised as an alert.
        run.needs_attention = (
            run.reason != VettingRun.Reason.OFFICER
            and assessment.risk_level != Application.Risk.LOW
        )
        run.save()
        application = Application.objects.select_for_update().get(pk=run.application_id)
        if application.status in {S.UNDER_REVIEW, S.INFORMATION_REQUESTED}:
            # Not yet decided: the latest findings set the risk the decision rules read.
            application.risk_level = assessment.risk_level
            application.save(update_fields=["risk_level"])
        record(
            AuditAction.APPLICATION_VETTING_ALERT
            if run.needs_attention
            else AuditAction.APPLICATION_VETTING_RERUN,
            target=application,
            organisation_id=application.organisation_id,
            detail=summary,
            internal=True,
        )
        if run.needs_attention:
            transaction.on_commit(lambda: _notify_alert(run_id=run_id))
    return True


def _run_summary(run: VettingRun, checks: list[VettingCheck]) -> dict[str, Any]:
    return {
        "run": run.pk,
        "reason": run.get_reason_display(),
        "risk_level": run.risk_level,
        "recommendation": run.recommendation,
        "checks": [
            f"{check.get_kind_display()}: {check.get_status_display()}. {check.summary}"
            for check in checks
        ],
    }


def _notify_alert(*, run_id: int) -> None:
    from shippers import notifications

    notifications.vetting_alert(run_id=run_id)


# -- officers' actions ---------------------------------------------------------------------


def _require_manager(actor: User) -> None:
    if not actor.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied("Only officers and supervisors can work vetting results.")


def vetting_rerun(*, actor: User, application: Application) -> VettingRun:
    """An officer asks for fresh checks (e.g. after the applicant answered a request).
    The application's status does not change; the new run is shown beside the first."""
    _require_manager(actor)
    if application.status in {S.DRAFT, S.WITHDRAWN}:
        raise ValidationError("A draft or withdrawn application is not vetted.")
    if application.vetting_runs.filter(finished_at__isnull=True).exists():
        raise ValidationError("Vetting is already running for this application; wait for it.")
    with transaction.atomic():
        run = run_begin(
            application=application, reason=VettingRun.Reason.OFFICER, requested_by=actor
        )
        record(
            AuditAction.APPLICATION_VETTING_REQUESTED,
            target=application,
            organisation_id=application.organisation_id,
            actor=actor,
            detail={"run": run.pk},
            internal=True,
        )
    return run


def vetting_mark_false_positive(
    *,
    actor: User,
    application: Application,
    list_code: str,
    source_id: str,
    note: str,
    matched_query: str = "",
) -> FalsePositive:
    """Record that a listed party is not this organisation (or its principal). The pair is
    not raised again for the organisation unless the listed entry changes."""
    _require_manager(actor)
    with transaction.atomic():
        cleared = false_positive_mark(
            actor=actor,
            organisation_id=application.organisation_id,
            list_code=list_code,
            source_id=source_id,
            note=note,
            matched_query=matched_query,
        )
        record(
            AuditAction.APPLICATION_SCREENING_MATCH_CLEARED,
            target=application,
            organisation_id=application.organisation_id,
            actor=actor,
            reason=cleared.note,
            detail={
                "false_positive": cleared.pk,
                "list": list_code,
                "source_id": source_id,
                "query": matched_query,
                "entry_fingerprint": cleared.entry_fingerprint,
            },
            internal=True,
        )
    return cleared


def alert_acknowledge(*, actor: User, run: VettingRun, note: str) -> VettingRun:
    """An officer has dealt with what a re-screening or re-vetting found."""
    _require_manager(actor)
    if not note.strip():
        raise ValidationError({"note": "Say what you found and did."})
    with transaction.atomic():
        run = VettingRun.objects.select_for_update().get(pk=run.pk)
        if not run.needs_attention:
            raise ValidationError("This vetting run raised no alert.")
        if run.acknowledged_at is not None:
            raise ValidationError(
                f"{run.acknowledged_by} already dealt with this alert on "
                f"{run.acknowledged_at:%-d %B %Y %H:%M}."
            )
        run.acknowledged_at = timezone.now()
        run.acknowledged_by = actor
        run.acknowledgement_note = note.strip()
        run.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
        record(
            AuditAction.APPLICATION_VETTING_ALERT_ACKNOWLEDGED,
            target=run.application,
            organisation_id=run.application.organisation_id,
            actor=actor,
            reason=run.acknowledgement_note,
            detail={"run": run.pk},
            internal=True,
        )
    return run


# -- scheduled work ------------------------------------------------------------------------


def rescreen_after_list_update(*, version_id: int) -> dict[str, int]:
    """After a list update, screen every watched organisation against the entries the new
    version added or changed (a small index weighted like the full one), and raise an alert
    for each organisation that now matches. Idempotent per version and application."""
    version = ListVersion.objects.get(pk=version_id)
    source_ids = set(
        EntryChange.objects.filter(
            version=version, kind__in=[EntryChange.Kind.ADDED, EntryChange.Kind.CHANGED]
        ).values_list("source_id", flat=True)
    )
    counts = {"entries": len(source_ids), "screened": 0, "alerts": 0}
    if not source_ids:
        return counts
    today = timezone.localdate()
    entries = [
        entry
        for entry in (
            entry_from_json(data)
            for data in ListedParty.objects.filter(
                version=version, source_id__in=source_ids
            ).values_list("data", flat=True)
        )
        if in_force(entry, today)  # an expired denial order raises no alert
    ]
    index = ScreeningIndex.build(entries, reference=active_index())
    applications = (
        Application.objects.filter(status__in=WATCHED_STATUSES)
        .select_related("organisation")
        .prefetch_related(
            "organisation__addresses",
            "organisation__identifiers",
            "organisation__principals",
            "organisation__partners",
        )
        .exclude(vetting_runs__list_version=version)
    )
    # Cleared matches of every organisation in one query, not one per organisation.
    cleared: dict[int, set[tuple[str, str, str]]] = {}
    for (
        organisation_id,
        list_code,
        source_id,
        entry_fingerprint,
    ) in FalsePositive.objects.values_list(
        "organisation_id", "list_code", "source_id", "entry_fingerprint"
    ):
        cleared.setdefault(organisation_id, set()).add((list_code, source_id, entry_fingerprint))
    for application in applications.iterator(chunk_size=500):
        counts["screened"] += 1
        outcome = screening_check.screen_subjects(
            application.organisation,
            index=index,
            versions=[version.pk],
            suppressed=cleared.get(application.organisation_id, set()),
        )
        if outcome.status == Status.PASSED:
            continue
        now = timezone.now()
        with transaction.atomic():
            run = VettingRun.objects.create(
                application=application,
                reason=VettingRun.Reason.LIST_UPDATE,
                list_version=version,
                screening_versions=[version.pk],
            )
            VettingCheck.objects.create(
                run=run,
                kind=screening_check.KIND,
                status=outcome.status,
                score=outcome.score,
                summary=outcome.summary[:300],
                explanation=f"Re-screening after the update to {version}. {outcome.explanation}",
                evidence=outcome.evidence,
                attempts=1,
                started_at=now,
                finished_at=now,
            )
            # Finished in the same transaction: nobody sees an alert run half made.
            run_finish_if_complete(run_id=run.pk)
        counts["alerts"] += 1
    return counts


def revet_watched_applications() -> int:
    """Periodic re-vetting of shippers in the program (and applications with officers):
    every check again, so an expired identifier, a new penalty case or a new link shows."""
    started = 0
    for application in Application.objects.active():
        if application.vetting_runs.filter(finished_at__isnull=True).exists():
            continue
        run_begin(application=application, reason=VettingRun.Reason.PERIODIC)
        started += 1
    return started


def sweep_stuck_checks(*, now: datetime | None = None) -> dict[str, int]:
    """Re-queue checks whose task was lost (queued or running too long); give up on checks
    that used all their attempts; finish runs whose checks are all final."""
    now = now or timezone.now()
    counts = {"requeued": 0, "given_up": 0, "finished": 0}
    stuck = VettingCheck.objects.filter(
        status__in=[Status.PENDING, Status.RUNNING], queued_at__lt=now - STUCK_AFTER
    )
    for check in stuck:
        if (
            check.status == Status.RUNNING
            and check.started_at
            and check.started_at > now - STUCK_AFTER
        ):
            continue
        if check.attempts >= MAX_ATTEMPTS:
            check_give_up(check_id=check.pk, error=f"No result after {check.attempts} attempts.")
            counts["given_up"] += 1
            continue
        VettingCheck.objects.filter(pk=check.pk).update(status=Status.PENDING, queued_at=now)
        _enqueue([check.pk])
        counts["requeued"] += 1
    for run_id in VettingRun.objects.filter(finished_at__isnull=True).values_list("pk", flat=True):
        if run_finish_if_complete(run_id=run_id):
            counts["finished"] += 1
    return counts
