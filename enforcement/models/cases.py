"""A penalty case and what hangs on it: deadlines, documents, notes, notices, petitions,
decisions, payments, approvals and the reply to a pre-penalty notice."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from enforcement.models._base import ZERO, Culpability, ViolationType, _money


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        """Cases still running: not paid, closed, withdrawn or cancelled."""
        return self.exclude(status__in=FINAL_CASE_STATUSES)

    def finished(self) -> CaseQuerySet:
        return self.filter(status__in=FINAL_CASE_STATUSES)

    def with_next_due(self) -> CaseQuerySet:
        """Annotate `next_due_on`: the earliest running deadline (None when none runs)."""
        running = Deadline.objects.open().filter(case=models.OuterRef("pk")).order_by("due_on")
        return self.annotate(next_due_on=models.Subquery(running.values("due_on")[:1]))


class ReplyOutcome(models.TextChoices):
    """The officer's determination after the pre-penalty reply period (19 CFR 162.79)."""

    PENALTY_WARRANTED = "penalty_warranted", "A violation occurred: a penalty notice follows"
    NO_VIOLATION = "no_violation", "No violation: the case is to be withdrawn"


class PrepenaltyException(models.TextChoices):
    """Where 19 USC 1592(b)(1)(B) excuses the pre-penalty notice of 1592(b)(1)(A) (also 19 CFR
    162.77(b)): the officer's explicit, reasoned choice, checked by the service."""

    NONCOMMERCIAL = (
        "noncommercial",
        "The importation is noncommercial in nature (19 USC 1592(b)(1)(B)(i))",
    )
    CLAIM_1000_OR_LESS = (
        "claim_1000_or_less",
        "The penalty claim is USD 1,000 or less (19 USC 1592(b)(1)(B)(ii))",
    )


class Case(models.Model):
    """A penalty case against a registered organisation or an unregistered party."""

    class Status(models.TextChoices):
        OPENED = "opened", "Opened"
        INVESTIGATING = "investigating", "Investigating"
        PREPENALTY_NOTICE = "prepenalty_notice", "Pre-penalty notice issued"
        PENALTY_NOTICE = "penalty_notice", "Penalty notice issued"
        PETITION_FILED = "petition_filed", "Petition filed"
        DECIDED = "decided", "Decided"
        SUPPLEMENTAL_PETITION = "supplemental_petition", "Supplemental petition filed"
        PAID = "paid", "Paid"
        CLOSED = "closed", "Closed"
        REFERRED_FOR_COLLECTION = "referred_for_collection", "Referred for collection"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CANCELLED = "cancelled", "Cancelled"

    number = models.CharField(max_length=24, unique=True, editable=False)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.OPENED, editable=False
    )
    # Subject: a registered organisation, or an unregistered party described here.
    organisation = models.ForeignKey(
        "shippers.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penalty_cases",
    )
    party_name = models.CharField(max_length=300, blank=True)
    party_identifiers = models.JSONField(
        default=list, blank=True, help_text="Identifiers of an unregistered party (EIN, EORI...)."
    )
    party_address = models.TextField(blank=True)
    party_country = models.CharField(max_length=2, blank=True)
    # The violation.
    violation_type = models.CharField(max_length=20, choices=ViolationType.choices)
    culpability = models.CharField(
        max_length=20,
        choices=Culpability.choices,
        blank=True,
        help_text="19 USC 1592 only: alleged at first, the finding after a decision.",
    )
    summary = models.TextField(help_text="What happened, as the respondent will read it.")
    entry_references = models.JSONField(
        default=list, blank=True, help_text="Entry numbers, bills of lading, tracking numbers."
    )
    violation_date = models.DateField()
    discovery_date = models.DateField(
        null=True,
        blank=True,
        help_text="When customs discovered the violation: the limitations period runs from it "
        "for 1592 fraud, 1526(f), 1595a(b) and de minimis misuse (19 USC 1621).",
    )
    # Facts the penalty is computed from (in `currency`).
    currency = models.CharField(max_length=3, default="USD")
    loss_of_revenue = _money(
        default=ZERO, help_text="Loss of duties, taxes and fees (0 when none)."
    )
    loss_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the revenue was lost (for prior-disclosure interest).",
    )
    dutiable_value = _money(null=True, blank=True)
    domestic_value = _money(null=True, blank=True)
    msrp_genuine = _money(
        null=True, blank=True, verbose_name="MSRP of the genuine goods", help_text="19 USC 1526(f)."
    )
    liquidated_damages_claim = _money(
        null=True,
        blank=True,
        help_text="The claim under the breached bond condition (19 CFR 113, 172).",
    )
    bond_amount = _money(null=True, blank=True, help_text="The bond's limit of liability.")
    prior_violations = models.PositiveSmallIntegerField(
        default=0, help_text="Earlier violations (or seizures) of the same kind by this party."
    )
    prior_disclosure = models.BooleanField(default=False)
    prior_disclosure_date = models.DateField(null=True, blank=True)
    involves_seizure = models.BooleanField(
        default=False, help_text="Petitions against a seizure are due sooner."
    )
    limitations_date = models.DateField(
        editable=False, help_text="Statute of limitations (19 USC 1621; 28 USC 2415(a))."
    )
    limitations_rule = models.CharField(
        max_length=300, blank=True, editable=False, help_text="How the date was computed."
    )
    # The officer's consideration of the reply period (19 CFR 162.79): after the period ends,
    # or once a reply is received, and before any penalty notice.
    reply_outcome = models.CharField(
        max_length=20, choices=ReplyOutcome.choices, blank=True, editable=False
    )
    reply_determination = models.TextField(blank=True, editable=False)
    prepenalty_exception = models.CharField(
        max_length=20,
        choices=PrepenaltyException.choices,
        blank=True,
        editable=False,
        help_text="The exception of 19 USC 1592(b)(1)(B) under which a 1592 penalty notice was "
        "issued without a pre-penalty notice.",
    )
    prepenalty_waiver_reason = models.TextField(
        blank=True,
        editable=False,
        help_text="Why a 19 USC 1592 penalty notice was issued without a pre-penalty notice.",
    )
    reply_considered_at = models.DateTimeField(null=True, blank=True, editable=False)
    reply_considered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Work.
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        limit_choices_to={"is_staff": True},
    )
    related_cases = models.ManyToManyField("self", blank=True, symmetrical=True)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # Amounts along the way (in `currency`).
    proposed_amount = _money(null=True, blank=True, editable=False)
    departure_reason = models.TextField(blank=True, editable=False)
    assessed_amount = _money(null=True, blank=True, editable=False)
    mitigated_amount = _money(null=True, blank=True, editable=False)
    collected_amount = _money(default=ZERO, editable=False)
    first_notice_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="The respondent sees the case from then."
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Consequences for the organisation's known-shipper standing.
    suspension_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    suspension_outcome = models.CharField(max_length=300, blank=True, editable=False)
    suspended_application = models.ForeignKey(
        "shippers.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    limitations_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ("-opened_at",)
        indexes = (
            models.Index(fields=("status", "opened_at")),
            models.Index(fields=("organisation", "opened_at")),
        )
        constraints = (
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | ~models.Q(party_name=""),
                name="case_has_a_subject",
            ),
        )
        permissions = (
            ("work_cases", "Can work penalty cases (officer)"),
            ("approve_large_penalty", "Can approve penalty notices above the approval amount"),
            ("edit_mitigation_guidelines", "Can edit mitigation guidelines and statutory figures"),
        )

    def __str__(self) -> str:
        return f"{self.number} ({self.respondent_name})"

    @property
    def respondent_name(self) -> str:
        return self.organisation.legal_name if self.organisation is not None else self.party_name

    @property
    def amount_due(self) -> Decimal | None:
        """What the respondent owes now: the decision's amount, else the assessed amount."""
        amount = self.mitigated_amount if self.decided_at else self.assessed_amount
        if amount is None:
            return None
        return max(amount - self.collected_amount, ZERO)


# Where a case's path ends (see `enforcement.workflow`).
FINAL_CASE_STATUSES = frozenset(
    {Case.Status.PAID, Case.Status.CLOSED, Case.Status.WITHDRAWN, Case.Status.CANCELLED}
)


class DeadlineQuerySet(models.QuerySet["Deadline"]):
    def open(self) -> DeadlineQuerySet:
        """Running deadlines: neither met nor closed (the case moved on, was withdrawn...)."""
        return self.filter(met_at__isnull=True, closed_at__isnull=True)

    def overdue(self, *, on: date) -> DeadlineQuerySet:
        """Running deadlines that fell due before `on`."""
        return self.open().filter(due_on__lt=on)

    def on_open_cases(self) -> DeadlineQuerySet:
        return self.exclude(case__status__in=FINAL_CASE_STATUSES)


class Deadline(models.Model):
    """A period started by a transition (reply to a pre-penalty notice, petition, supplemental
    petition, payment). Extensions move `due_on` and are recorded; `original_due_on` stays."""

    class Kind(models.TextChoices):
        PREPENALTY_RESPONSE = "prepenalty_response", "Reply to the pre-penalty notice"
        PETITION = "petition", "Petition for relief"
        SUPPLEMENTAL_PETITION = "supplemental_petition", "Supplemental petition"
        PAYMENT = "payment", "Payment"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    starts_on = models.DateField()
    original_due_on = models.DateField()
    due_on = models.DateField()
    rule = models.CharField(max_length=300, help_text="How the date was computed, with citation.")
    met_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="No longer running (case moved on, withdrawn...)."
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ("due_on", "pk")
        indexes = (models.Index(fields=("closed_at", "due_on")),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days


class DeadlineExtension(models.Model):
    """An extension granted by the fines, penalties and forfeitures officer."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    previous_due_on = models.DateField()
    new_due_on = models.DateField()
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("granted_at",)

    def __str__(self) -> str:
        return f"{self.deadline}: {self.previous_due_on} -> {self.new_due_on}"


class CaseDocument(models.Model):
    """Evidence, petition documents and other files, stored under a server-generated name in
    private storage and served only by a view that checks access. Internal evidence is seen by
    officers only; respondent-visible files by the respondent's members too."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "Evidence"
        PETITION = "petition", "Petition document"
        SUPPLEMENTAL_PETITION = "supplemental_petition", "Supplemental petition document"
        PAYMENT = "payment", "Proof of payment"
        OFFICER_DOCUMENT = "officer_document", "Document from the officer"
        PREPENALTY_REPLY = "prepenalty_reply", "Reply to the pre-penalty notice"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    visible_to_respondent = models.BooleanField(default=False)
    description = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to="enforcement/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-uploaded_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class CaseNote(models.Model):
    """An officer's internal note; never shown to the respondent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.case.number}"


class Notice(models.Model):
    """A notice as issued: its HTML is rendered once from the template with the case's figures
    and stored with its SHA-256; it is never re-rendered or changed."""

    class Kind(models.TextChoices):
        PREPENALTY = "prepenalty", "Pre-penalty notice"
        PENALTY = "penalty", "Penalty notice"
        DECISION = "decision", "Decision"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reference = models.CharField(max_length=40, unique=True)
    amount = _money(null=True, blank=True)
    html = models.TextField()
    sha256 = models.CharField(max_length=64)
    calculation = models.JSONField(default=dict, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("issued_at", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Integrity, not business: an issued notice is a legal record and never changes.
        if self.pk is not None:
            raise ValueError("An issued notice cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def is_intact(self) -> bool:
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest() == self.sha256


class Petition(models.Model):
    """A petition for relief (19 CFR 171.11) or a supplemental petition (19 CFR 171.61)."""

    class Kind(models.TextChoices):
        PETITION = "petition", "Petition"
        SUPPLEMENTAL = "supplemental", "Supplemental petition"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="petitions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField()
    documents = models.ManyToManyField(CaseDocument, blank=True, related_name="petitions")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("filed_at", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case.number}"


class Decision(models.Model):
    """The officer's decision on a case (after a petition, a supplemental petition, or none)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    amount = _money()
    culpability = models.CharField(max_length=20, choices=Culpability.choices, blank=True)
    reasoning = models.TextField()
    departure_reason = models.TextField(blank=True)
    payment_due_on = models.DateField(null=True, blank=True)
    is_supplemental = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    notice = models.OneToOneField(
        Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )

    class Meta:
        ordering = ("decided_at", "pk")

    def __str__(self) -> str:
        return f"Decision on {self.case.number}: {self.amount}"


class Payment(models.Model):
    """A payment: reported by the respondent (awaiting an officer's confirmation) or recorded
    by an officer (confirmed). Only confirmed payments count as collected."""

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported, awaiting confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Not received"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments")
    amount = _money()
    currency = models.CharField(max_length=3, default="USD")
    reference = models.CharField(max_length=120)
    paid_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REPORTED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("recorded_at", "pk")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.reference})"


class PenaltyNoticeApproval(models.Model):
    """An officer's request that a supervisor approve a penalty notice above the approval
    amount (`ENFORCEMENT_SUPERVISOR_APPROVAL_ABOVE`). The notice is issued on approval."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting a supervisor"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approval_requests")
    amount = _money()
    departure_reason = models.TextField(blank=True)
    petition_days = models.PositiveSmallIntegerField(null=True, blank=True)
    petition_period_reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("-requested_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("case",),
                condition=models.Q(status="pending"),
                name="one_pending_approval_per_case",
            ),
        )

    def __str__(self) -> str:
        return f"Approval of {self.amount} on {self.case.number} ({self.status})"


class PrepenaltyReply(models.Model):
    """The respondent's written representations on a pre-penalty notice (19 USC
    1592(b)(1)(A)(vii); 19 CFR 162.78), filed in the portal before the reply deadline. The
    officer reads them before recording the determination (`Case.reply_outcome`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="prepenalty_replies")
    text = models.TextField()
    documents = models.ManyToManyField(CaseDocument, blank=True, related_name="prepenalty_replies")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("filed_at", "pk")
        verbose_name_plural = "prepenalty replies"

    def __str__(self) -> str:
        return f"Reply on {self.case.number} of {self.filed_at:%Y-%m-%d}"
