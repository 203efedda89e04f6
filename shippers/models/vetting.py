"""Vetting runs and their checks (run by `shippers.vetting`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from shippers.models.applications import Application
from shippers.vetting.registry import kind_choices


class VettingRun(models.Model):
    """One pass of the background checks over an application: on submission, when an
    officer asks, after a screening-list update, or on the periodic re-vetting of shippers
    in the program. Each check is a `VettingCheck` run by its own Celery task."""

    class Reason(models.TextChoices):
        SUBMISSION = "submission", "Application submitted"
        OFFICER = "officer", "Requested by an officer"
        LIST_UPDATE = "list_update", "Screening list updated"
        PERIODIC = "periodic", "Periodic re-vetting"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="vetting_runs"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    risk_level = models.CharField(max_length=6, choices=Application.Risk.choices, blank=True)
    recommendation = models.TextField(blank=True)
    risk_reasons = models.JSONField(default=list, blank=True)
    screening_versions = models.JSONField(
        default=list, blank=True, help_text="The screening list versions the run used."
    )
    list_version = models.ForeignKey(
        "screening.ListVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a re-screening after a list update: the new version.",
    )
    needs_attention = models.BooleanField(
        default=False, help_text="A re-screening or re-vetting found something for an officer."
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledgement_note = models.TextField(blank=True)

    class Meta:
        ordering = ("-started_at", "-pk")
        indexes = (models.Index(fields=("needs_attention", "acknowledged_at")),)
        permissions = (("manage_vetting", "Can re-run vetting and clear screening matches"),)

    def __str__(self) -> str:
        return f"Vetting of {self.application.reference} ({self.get_reason_display().lower()})"

    @property
    def is_complete(self) -> bool:
        return self.finished_at is not None


class VettingCheck(models.Model):
    """One background check of a run, with its result and evidence. Final statuses never
    change again; a task that finds its check final does nothing (idempotent)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        PASSED = "passed", "Passed"
        FLAGGED = "flagged", "Flagged for review"
        FAILED = "failed", "Failed"
        ERROR = "error", "Error: manual check needed"

    FINAL_STATUSES = frozenset({Status.PASSED, Status.FLAGGED, Status.FAILED, Status.ERROR})

    run = models.ForeignKey(VettingRun, on_delete=models.CASCADE, related_name="checks")
    # The registered checks (shippers.vetting.registry), read when needed: apps register
    # theirs at start-up.
    kind = models.CharField(max_length=24, choices=kind_choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    score = models.FloatField(
        null=True, blank=True, help_text="The check's own measure (e.g. best screening score)."
    )
    summary = models.CharField(max_length=300, blank=True)
    explanation = models.TextField(blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("run", "pk")
        constraints = (
            models.UniqueConstraint(fields=("run", "kind"), name="one_check_of_a_kind_per_run"),
        )
        indexes = (models.Index(fields=("status", "queued_at")),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds(), 3)
        return None
