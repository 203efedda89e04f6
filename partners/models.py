"""Partner administrations, their webhook endpoints and deliveries, and the trusted-trader
lists of the programs this program recognises."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import models
from django.utils import timezone

from core.sealing import seal, unseal
from partners.events import EventType

# Sealing purpose of webhook signing secrets (also used by migration 0002).
SECRET_PURPOSE = "partners.webhook-secret"  # noqa: S105 - a purpose name, not a secret


class PartnerAdministration(models.Model):
    """A foreign customs administration: an organisation of its own kind whose users and
    API keys verify certificates and receive notifications, never read applications."""

    class MraStatus(models.TextChoices):
        NONE = "none", "No arrangement"
        NEGOTIATING = "negotiating", "Under negotiation"
        SIGNED = "signed", "Signed"
        IN_FORCE = "in_force", "In force"
        SUSPENDED = "suspended", "Suspended"

    organisation = models.OneToOneField(
        "shippers.Organisation", on_delete=models.PROTECT, related_name="partner_administration"
    )
    name = models.CharField(max_length=200, help_text="e.g. Canada Border Services Agency.")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2.")
    mra_status = models.CharField(max_length=12, choices=MraStatus.choices, default=MraStatus.NONE)
    mra_date = models.DateField(null=True, blank=True, help_text="When the MRA took effect.")
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    receives_findings = models.BooleanField(
        default=False,
        help_text="Opted in to examination findings and penalty decisions against shippers "
        "established in its country.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class WebhookEndpoint(models.Model):
    """A partner's HTTPS receiver and the events it wants. The secret is kept to sign with
    (Standard Webhooks: `whsec_` + base64), sealed (`core.sealing`, keyed from SECRET_KEY)
    so a database dump does not give it away; after a rotation the previous secret also
    signs until `previous_secret_until`."""

    partner = models.ForeignKey(
        PartnerAdministration, on_delete=models.PROTECT, related_name="endpoints"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="Event types, e.g. certificate.revoked.")
    sealed_secret = models.TextField(editable=False)
    sealed_previous_secret = models.TextField(blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("partner", "pk")

    def __str__(self) -> str:
        return self.url

    def set_secret(self, secret: str) -> None:
        """Seal a new secret; the current one becomes the previous (sealed as it is)."""
        self.sealed_previous_secret = self.sealed_secret
        self.sealed_secret = seal(secret, purpose=SECRET_PURPOSE)

    def signing_secrets(self, *, now: datetime | None = None) -> list[str]:
        """The current secret, and the previous one while the overlap lasts (unsealed)."""
        moment = now or timezone.now()
        secrets = [str(unseal(self.sealed_secret, purpose=SECRET_PURPOSE))]
        if (
            self.sealed_previous_secret
            and self.previous_secret_until
            and self.previous_secret_until > moment
        ):
            secrets.append(str(unseal(self.sealed_previous_secret, purpose=SECRET_PURPOSE)))
        return secrets


class DeliveryQuerySet(models.QuerySet["WebhookDelivery"]):
    def due(self) -> DeliveryQuerySet:
        return self.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        )

    def for_partner(self, partner: PartnerAdministration) -> DeliveryQuerySet:
        return self.filter(endpoint__partner=partner)


class WebhookDelivery(models.Model):
    """One event for one endpoint, written in the transaction of the change it reports and
    retried with exponential backoff until delivered or too old (then failed)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (gave up)"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True, editable=False)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    payload = models.JSONField()
    audit_event_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    give_up_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=("status", "next_attempt_at")),)
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"

    @staticmethod
    def new_message_id() -> str:
        return f"msg_{uuid.uuid4().hex}"


class DeliveryAttempt(models.Model):
    """One POST of a delivery and what the receiver answered."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ("delivery", "attempted_at", "pk")

    def __str__(self) -> str:
        return f"{self.delivery} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"


class RecognisedProgram(models.Model):
    """A partner's trusted-trader program this program recognises (EU AEO, CTPAT, PIP...).
    `covered_areas` are the security questionnaire areas the MRA covers; with
    `skip_covered_areas` an applicant holding the authorisation need not answer them."""

    class ListFormat(models.TextChoices):
        EU_AEO = "eu_aeo", "EU AEO authorisations as published"
        SIMPLE_CSV = "simple_csv", "Simple CSV (identifier, name, program, status, dates)"

    code = models.SlugField(max_length=30, unique=True, help_text="e.g. eu-aeo, ca-pip.")
    name = models.CharField(max_length=200)
    partner = models.ForeignKey(
        PartnerAdministration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
    )
    list_format = models.CharField(max_length=12, choices=ListFormat.choices)
    identifier_kind = models.CharField(
        max_length=10, default="eori", help_text="The identifier type the list uses."
    )
    source_url = models.URLField(blank=True)
    covered_areas = models.JSONField(default=list, blank=True)
    skip_covered_areas = models.BooleanField(default=False)

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name


class TrustedTraderListVersion(models.Model):
    """One imported copy of a program's list, with its differences from the one before."""

    program = models.ForeignKey(
        RecognisedProgram, on_delete=models.PROTECT, related_name="versions"
    )
    published_on = models.DateField()
    imported_at = models.DateTimeField(default=timezone.now)
    source_name = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64)
    entry_count = models.PositiveIntegerField(default=0)
    differences = models.JSONField(default=dict, blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ("program", "-imported_at")
        constraints = (
            models.UniqueConstraint(
                fields=("program",),
                condition=models.Q(is_current=True),
                name="one_current_list_version_per_program",
            ),
        )

    def __str__(self) -> str:
        return f"{self.program.code} {self.published_on}"


class TrustedTraderQuerySet(models.QuerySet["TrustedTrader"]):
    def current(self) -> TrustedTraderQuerySet:
        return self.filter(version__is_current=True, status=TrustedTrader.Status.ACTIVE)


class TrustedTrader(models.Model):
    """One authorisation on a list version, its identifier in the portal's canonical form."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    version = models.ForeignKey(
        TrustedTraderListVersion, on_delete=models.CASCADE, related_name="traders"
    )
    identifier = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    folded_name = models.CharField(max_length=300)
    authorisation_type = models.CharField(max_length=20, blank=True)
    issuing_country = models.CharField(max_length=2, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    objects = TrustedTraderQuerySet.as_manager()

    class Meta:
        ordering = ("version", "identifier")
        indexes = (models.Index(fields=("identifier",)),)

    def __str__(self) -> str:
        return f"{self.identifier} {self.name}"


class RecognitionAlert(models.Model):
    """A recognised authorisation a known shipper held is gone from the partner's list."""

    organisation = models.ForeignKey(
        "shippers.Organisation", on_delete=models.PROTECT, related_name="recognition_alerts"
    )
    version = models.ForeignKey(
        TrustedTraderListVersion, on_delete=models.PROTECT, related_name="alerts"
    )
    identifier = models.CharField(max_length=40)
    authorisation_type = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.organisation} lost {self.identifier}"
