"""An organisation's known-shipper application and what belongs to it: answers, documents,
the attestation, internal notes, requests for information and approval proposals.

`Application.status` is the state machine `shippers.workflow.APPLICATION`; it changes only
through `shippers.services`, which records a `core.AuditEvent` with every change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from shippers.models.organisations import Organisation
from shippers.models.questionnaire import SecurityQuestion, SecurityQuestionnaire
from shippers.workflow import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    STANDING_STATUSES,
    ApplicationStatus,
    ProposalStatus,
    RequestStatus,
)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def active(self) -> ApplicationQuerySet:
        """Applications that give their organisation known-shipper standing now."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def standing(self) -> ApplicationQuerySet:
        """Active or suspended: what carries an organisation's standing in the program."""
        return self.filter(status__in=STANDING_STATUSES)

    def open(self) -> ApplicationQuerySet:
        """Still being worked on (at most one per organisation)."""
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_supervisor(self) -> ApplicationQuerySet:
        """Under review with an officer's approval waiting for a supervisor."""
        return self.filter(
            status=ApplicationStatus.UNDER_REVIEW,
            pk__in=ApprovalProposal.objects.pending().values("application_id"),
        )

    def with_awaiting_supervisor(self) -> ApplicationQuerySet:
        """Annotate `is_awaiting_supervisor` (for lists: no query per row)."""
        pending = ApprovalProposal.objects.pending().filter(application=models.OuterRef("pk"))
        return self.annotate(is_awaiting_supervisor=models.Exists(pending))


class Application(models.Model):
    """An organisation's application to the program, from draft to decision and after:
    an approved application is the organisation's known-shipper standing."""

    Status = ApplicationStatus

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Tier(models.IntegerChoices):
        TIER_1 = 1, "Tier 1 (certified)"
        TIER_2 = 2, "Tier 2 (validated)"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    questionnaire = models.ForeignKey(
        SecurityQuestionnaire, on_delete=models.PROTECT, related_name="applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        limit_choices_to={"is_staff": True},
    )
    risk_level = models.CharField(max_length=6, choices=Risk.choices, blank=True, editable=False)
    # Trade profile.
    annual_shipments = models.PositiveIntegerField(null=True, blank=True)
    origin_countries = models.JSONField(default=list, blank=True)
    hs_chapters = models.JSONField(default=list, blank=True)
    marketplaces = models.JSONField(default=list, blank=True)
    carriers = models.JSONField(default=list, blank=True)
    # Decision.
    decision_reason = models.TextField(blank=True, editable=False)
    reapply_after = models.DateField(null=True, blank=True, editable=False)
    corrective_action_due = models.DateField(null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        indexes = (models.Index(fields=("status", "submitted_at")),)
        permissions = (
            ("decide_application", "Can decide applications (approve, reject, suspend...)"),
            ("confirm_high_risk_approval", "Can confirm the approval of a high-risk application"),
        )

    def __str__(self) -> str:
        return f"{self.reference} ({self.organisation})"

    @property
    def reference(self) -> str:
        return f"KSA-{self.pk:06d}" if self.pk else "KSA-new"


class SecurityAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_APPLICABLE = "na", "Not applicable"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="security_answers"
    )
    question = models.ForeignKey(SecurityQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=3, choices=Answer.choices)
    explanation = models.TextField(blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("application", "question"), name="one_answer_per_question"
            ),
        )

    def __str__(self) -> str:
        return f"{self.question.code}: {self.answer}"


class Document(models.Model):
    """An uploaded document, stored under a server-generated name in private storage and
    only ever served by a view that checks membership."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documents"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", null=True, blank=True
    )
    doc_type = models.CharField(max_length=40)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-uploaded_at",)

    def __str__(self) -> str:
        return f"{self.doc_type}: {self.original_name}"


class Attestation(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="attestation"
    )
    signer_name = models.CharField(max_length=200)
    signer_title = models.CharField(max_length=120)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.signer_name}, {self.signer_title}, {self.signed_at:%Y-%m-%d %H:%M}"


class InternalNote(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.application.reference}"


class RequestForInformation(models.Model):
    Status = RequestStatus

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="information_requests"
    )
    question = models.TextField()
    documents_requested = models.JSONField(default=list, blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_documents = models.ManyToManyField(Document, blank=True, related_name="+")
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-asked_at",)
        verbose_name = "request for information"
        verbose_name_plural = "requests for information"

    def __str__(self) -> str:
        return f"Request on {self.application.reference} due {self.due_date}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()


class ApprovalProposalQuerySet(models.QuerySet["ApprovalProposal"]):
    def pending(self) -> ApprovalProposalQuerySet:
        return self.filter(status=ProposalStatus.PROPOSED)


class ApprovalProposal(models.Model):
    """Four eyes: an officer's approval of a high-risk application, waiting for a
    supervisor (another person) to confirm it. At most one waits per application; a
    decision on the application withdraws it."""

    Status = ProposalStatus

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="approval_proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    tier = models.PositiveSmallIntegerField(choices=Application.Tier.choices)
    valid_to = models.DateField()
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Approving over failed or errored vetting checks: the officer's reason and the checks,
    # for the supervisor who confirms.
    override_reason = models.TextField(blank=True, default="")
    overridden_checks = models.JSONField(default=list, blank=True)

    objects = ApprovalProposalQuerySet.as_manager()

    class Meta:
        ordering = ("-proposed_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=("application",),
                condition=models.Q(status="proposed"),
                name="one_waiting_approval_per_application",
            ),
        )

    def __str__(self) -> str:
        return f"Approval of {self.application.reference} proposed by {self.proposed_by}"
