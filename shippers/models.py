"""Organisations, the people who act for them, and their known-shipper applications.

An organisation's standing in the program is the status of its current application
(`Application.status`, an explicit state machine in `shippers.workflow`); statuses change
only through `shippers.services`, which records an `ApplicationEvent` with every change.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from core.reference.business_types import BusinessType
from shippers.identifiers import IdentifierType
from shippers.vetting.registry import kind_choices

BUSINESS_TYPE_LABELS = {
    BusinessType.ONLINE_SELLER: "Online seller",
    BusinessType.MARKETPLACE: "Marketplace",
    BusinessType.EXPRESS_CONSIGNOR: "Express consignor",
    BusinessType.FREIGHT_FORWARDER: "Freight forwarder",
    BusinessType.MANUFACTURER: "Manufacturer",
    BusinessType.OTHER: "Other",
}
BUSINESS_TYPE_CHOICES = [(value.value, label) for value, label in BUSINESS_TYPE_LABELS.items()]


class Organisation(models.Model):
    """A business that applies to, or is a member of, the known-shipper program."""

    class Ownership(models.TextChoices):
        PRIVATE = "private", "Privately held"
        PUBLIC = "public", "Publicly listed"
        SUBSIDIARY = "subsidiary", "Subsidiary of another company"
        STATE = "state", "State-owned"
        SOLE_TRADER = "sole_trader", "Sole trader / sole proprietor"
        PARTNERSHIP = "partnership", "Partnership"

    legal_name = models.CharField(max_length=300)
    trade_names = models.JSONField(
        default=list, blank=True, help_text="Other names the business trades under."
    )
    business_type = models.CharField(
        max_length=20, choices=BUSINESS_TYPE_CHOICES, default=BusinessType.ONLINE_SELLER.value
    )
    country = models.CharField(
        max_length=2, help_text="ISO 3166-1 alpha-2 country of registration."
    )
    ownership = models.CharField(max_length=20, choices=Ownership.choices, blank=True)
    ownership_details = models.TextField(
        blank=True, help_text="Parent company, main shareholders (25% or more)."
    )
    year_founded = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    employees = models.PositiveIntegerField(null=True, blank=True)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ("legal_name",)

    def __str__(self) -> str:
        return self.legal_name


class Membership(models.Model):
    """A user acting for an organisation. Owners manage members; every member sees its data."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("organisation", "user"), name="one_membership_per_user_and_organisation"
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) at {self.organisation}"


def _invitation_expiry() -> date:
    return timezone.localdate() + timedelta(days=14)


class Invitation(models.Model):
    """An owner's invitation for a colleague to join the organisation (by e-mail)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_on >= timezone.localdate()
        )


class Address(models.Model):
    class Kind(models.TextChoices):
        REGISTERED = "registered", "Registered office"
        OPERATING = "operating", "Operating address"
        FACILITY = "facility", "Shipping facility"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="addresses"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    label = models.CharField(max_length=120, blank=True, help_text="e.g. 'Main warehouse'.")
    line1 = models.CharField("Address line 1", max_length=200)
    line2 = models.CharField("Address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=120)
    region = models.CharField("State, province or region", max_length=120, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2.")

    class Meta:
        ordering = ("kind", "pk")
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return self.one_line()

    def one_line(self) -> str:
        parts = [self.line1, self.line2, self.city, self.region, self.postal_code, self.country]
        return ", ".join(part for part in parts if part)


class Identifier(models.Model):
    """A company identifier (EIN, VAT, EORI, BN, ABN, NZBN, IRD), stored in compact form
    after validation by `shippers.identifiers.validate_identifier`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identifiers"
    )
    kind = models.CharField(max_length=10, choices=IdentifierType.choices())
    value = models.CharField(max_length=40)
    issuing_country = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ("kind", "value")
        constraints = (
            models.UniqueConstraint(
                fields=("organisation", "kind", "value"), name="identifier_once_per_organisation"
            ),
        )
        indexes = (models.Index(fields=("kind", "value")),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class Principal(models.Model):
    """An owner, director or officer: screened against the denied-party lists."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner (25% or more)"
        DIRECTOR = "director", "Director"
        OFFICER = "officer", "Company officer"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="principals"
    )
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=Role.choices)
    nationality = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2.")
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class Contact(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=40)
    is_company_officer = models.BooleanField(
        default=False, help_text="An officer of the company (director, secretary, executive)."
    )

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.full_name}, {self.job_title}"


class SupplyChainPartner(models.Model):
    class Role(models.TextChoices):
        MANUFACTURER = "manufacturer", "Manufacturer"
        SUPPLIER = "supplier", "Supplier"
        CARRIER = "carrier", "Carrier"
        FORWARDER = "forwarder", "Freight forwarder"
        WAREHOUSE = "warehouse", "Warehouse / fulfilment"
        BROKER = "broker", "Customs broker"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=15, choices=Role.choices)
    country = models.CharField(max_length=2)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.country})"


class SecurityQuestionnaire(models.Model):
    """A version of the security-profile questionnaire. Supervisors revise it by making a
    new version; an application keeps the version it answered."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=300, blank=True)
    minimum_must_score = models.PositiveSmallIntegerField(
        default=100, validators=[MaxValueValidator(100)]
    )
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_current_at = models.DateTimeField(null=True, blank=True, editable=False)
    made_current_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ("-version",)
        constraints = (
            models.UniqueConstraint(
                fields=("is_current",),
                condition=models.Q(is_current=True),
                name="one_current_questionnaire",
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class SecurityQuestion(models.Model):
    class Requirement(models.TextChoices):
        MUST = "must", "Must"
        SHOULD = "should", "Should"

    questionnaire = models.ForeignKey(
        SecurityQuestionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    area_code = models.CharField(max_length=40)
    area_name = models.CharField(max_length=120)
    code = models.CharField(max_length=12)
    text = models.TextField()
    help = models.TextField(blank=True)
    requirement = models.CharField(max_length=6, choices=Requirement.choices)
    weight = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    allow_not_applicable = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("questionnaire", "order")
        constraints = (
            models.UniqueConstraint(
                fields=("questionnaire", "code"), name="question_code_once_per_version"
            ),
        )

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"


class Application(models.Model):
    """An organisation's application to the program, from draft to decision and after:
    an approved application is the organisation's known-shipper standing."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        VETTING = "vetting", "Vetting"
        UNDER_REVIEW = "under_review", "Under review"
        INFORMATION_REQUESTED = "information_requested", "Information requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SUSPENDED = "suspended", "Suspended"
        REINSTATED = "reinstated", "Reinstated"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

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
    pending_approval = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="An officer's approval of a high-risk application awaiting a supervisor.",
    )
    corrective_action_due = models.DateField(null=True, blank=True, editable=False)

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


class ApplicationEvent(models.Model):
    """Append-only timeline of an application: every transition and notable action."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    visible_to_shipper = models.BooleanField(default=True)

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.application.reference} {self.kind} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def title(self) -> str:
        """What happened, in words a shipper understands."""
        if self.to_status and self.kind != "created":
            return str(Application.Status(self.to_status).label)
        return EVENT_TITLES.get(self.kind, self.kind.replace("_", " ").capitalize())


EVENT_TITLES = {
    "created": "Application started",
    "profile_changed": "Profile changed",
    "document_added": "Document added",
    "information_provided": "Information provided",
    "information_overdue": "Request for information overdue",
    "expiry_reminder": "Certificate expiry reminder sent",
    "assigned": "Assigned to an officer",
    "approval_proposed": "Approval proposed, awaiting a supervisor",
}


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
    class Status(models.TextChoices):
        OPEN = "open", "Awaiting answer"
        ANSWERED = "answered", "Answered"
        WITHDRAWN = "withdrawn", "Withdrawn"

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


class Certificate(models.Model):
    """The known-shipper certificate of an approved application; what partners verify."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(max_length=20, unique=True)
    tier = models.PositiveSmallIntegerField(choices=Application.Tier.choices)
    valid_from = models.DateField()
    valid_to = models.DateField()
    issued_at = models.DateTimeField(auto_now_add=True)
    reminded_90_at = models.DateTimeField(null=True, blank=True)
    reminded_30_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-issued_at",)

    def __str__(self) -> str:
        return self.number

    @property
    def status(self) -> str:
        return self.application.status


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
