"""Advance shipment data: what filers send before a parcel arrives, and its risk decision.

Storage (PostgreSQL): `Shipment` and `ShipmentVersion` are partitioned by estimated arrival
month (declarative range partitioning, set up by migration 0002 and extended by
`manage.py shipment_partitions`). PostgreSQL requires a partitioned table's primary key to
include the partition key, so the database key is (id, estimated_arrival) while Django
sees `id` alone: ids are UUIDs made by the application and never repeat, the admin and the
ORM work on single rows, and other models may point at a shipment with
`ForeignKey("shipments.Shipment", db_constraint=False, ...)` (the database cannot enforce
a foreign key to a partitioned table's `id` alone). On SQLite the tables are plain.

(organisation, reference) uniqueness lives in `FiledReference`, an unpartitioned table,
because a unique constraint on a partitioned table would have to include the arrival.
"""

from __future__ import annotations

from typing import Any

import msgspec
from django.conf import settings
from django.db import models

from shipments.ids import uuid7


class ExactJSONField(models.JSONField):
    """JSON kept as its exact text on PostgreSQL (`json`, not `jsonb`): a version's content
    is stored byte for byte as it was hashed (canonical, keys sorted), and writing it costs
    a third of `jsonb` at filing volume. Read back as Python values, like any JSONField."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, str) and self.decoder is None:
            try:  # the decision worker reads thousands a second: msgspec, then the stdlib
                return msgspec.json.decode(value)
            except msgspec.DecodeError:
                pass
        if value is None or isinstance(value, str):
            return super().from_db_value(value, expression, connection)
        return value  # psycopg already decoded the json column


class Mode(models.TextChoices):
    AIR = "air", "Air"
    TRUCK = "truck", "Truck"
    RAIL = "rail", "Rail"
    SEA = "sea", "Sea"
    POSTAL = "postal", "Postal"


class RiskLevel(models.TextChoices):
    PENDING = "pending", "Pending"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Decision(models.TextChoices):
    PENDING = "pending", "Pending"
    RELEASE = "release", "Release"
    REVIEW = "review", "Review"
    HOLD = "hold", "Hold"


class ScreeningState(models.TextChoices):
    """Where the party screening of a shipment stands (written by the targeting side)."""

    PENDING = "pending", "Pending"
    CLEAR = "clear", "Clear"
    POSSIBLE_MATCH = "possible_match", "Possible match"
    HIT = "hit", "Likely hit"
    ERROR = "error", "Error: manual check needed"


class ShipmentStatus(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    AMENDED = "amended", "Amended"
    CANCELLED = "cancelled", "Cancelled"
    DECIDED = "decided", "Decided"
    ARRIVED = "arrived", "Arrived"
    RELEASED = "released", "Released"
    EXAMINED = "examined", "Examined"
    SEIZED = "seized", "Seized"


class FilerKind(models.TextChoices):
    CARRIER = "carrier", "Carrier"
    BROKER = "broker", "Customs broker"
    MARKETPLACE = "marketplace", "Marketplace"
    POST = "post", "Postal operator"


class FilerRegistration(models.Model):
    """An organisation registered to file shipment data without known-shipper standing
    (carriers, brokers, marketplaces, posts). Suspended: it may not file."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    organisation = models.OneToOneField(
        "shippers.Organisation", on_delete=models.CASCADE, related_name="filer_registration"
    )
    kind = models.CharField(max_length=12, choices=FilerKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()} filer)"


class Batch(models.Model):
    """One call of the batch API (or one CSV upload): what came in and what became of it."""

    class Source(models.TextChoices):
        API = "api", "API"
        CSV = "csv", "CSV upload"

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    organisation = models.ForeignKey(
        "shippers.Organisation", on_delete=models.PROTECT, related_name="shipment_batches"
    )
    api_key = models.ForeignKey(
        "apikeys.OrganisationAPIKey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=4, choices=Source.choices, default=Source.API)
    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0, help_text="New shipments stored.")
    amended = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    body_bytes = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    timings = models.JSONField(
        default=dict, blank=True, help_text="Milliseconds spent parsing, validating, storing."
    )

    class Meta:
        ordering = ("-received_at",)
        verbose_name_plural = "batches"
        indexes = (models.Index(fields=("organisation", "-received_at")),)

    def __str__(self) -> str:
        return f"Batch {self.id} ({self.received} shipments)"


class ShipmentQuerySet(models.QuerySet["Shipment"]):
    def for_organisation(self, organisation_id: int) -> ShipmentQuerySet:
        return self.filter(organisation_id=organisation_id)

    def open(self) -> ShipmentQuerySet:
        """Not cancelled and not finished by customs: still subject to targeting."""
        return self.filter(
            status__in=(
                ShipmentStatus.ACCEPTED,
                ShipmentStatus.AMENDED,
                ShipmentStatus.DECIDED,
            )
        )

    def arriving_between(self, start: object, end: object) -> ShipmentQuerySet:
        """Filtering on the partition key lets PostgreSQL read only those months."""
        return self.filter(estimated_arrival__gte=start, estimated_arrival__lt=end)

    def needing_officer(self) -> ShipmentQuerySet:
        return self.open().filter(decision__in=(Decision.REVIEW, Decision.HOLD))


class Shipment(models.Model):
    """The current state of one filed shipment: its latest content's facts (denormalised
    for targeting and queues), its status and its risk decision. The full content of every
    version is in `ShipmentVersion`."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    organisation = models.ForeignKey(
        "shippers.Organisation",
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,
        related_name="shipments",
    )
    reference = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical content.")
    status = models.CharField(
        max_length=10,
        choices=ShipmentStatus.choices,
        default=ShipmentStatus.ACCEPTED,
        editable=False,
    )
    batch = models.ForeignKey(
        Batch,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        help_text="The batch that filed the current version.",
    )
    # Transport.
    mode = models.CharField(max_length=6, choices=Mode.choices)
    carrier = models.CharField(max_length=200, blank=True)
    house_bill = models.CharField(max_length=64, blank=True)
    master_bill = models.CharField(max_length=64, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True)
    port_of_arrival = models.CharField(max_length=5)
    estimated_arrival = models.DateTimeField(help_text="The partition key on PostgreSQL.")
    # Facts for targeting, denormalised from the content.
    currency = models.CharField(max_length=3)
    total_value = models.DecimalField(max_digits=16, decimal_places=2)
    gross_weight_kg = models.DecimalField(max_digits=12, decimal_places=3)
    packages = models.PositiveIntegerField()
    item_count = models.PositiveIntegerField()
    origin_countries = models.JSONField(default=list)
    hs_codes = models.JSONField(default=list)
    seller_name = models.CharField(max_length=200)
    seller_country = models.CharField(max_length=2)
    shipper_name = models.CharField(max_length=200)
    shipper_country = models.CharField(max_length=2)
    consignee_name = models.CharField(max_length=200)
    consignee_country = models.CharField(max_length=2)
    consignee_key = models.CharField(
        max_length=64,
        help_text="Hash of the consignee's folded name and address (split-shipment checks).",
    )
    marketplace_name = models.CharField(max_length=200, blank=True)
    # Risk (written by targeting and by officers through services).
    risk_level = models.CharField(
        max_length=7, choices=RiskLevel.choices, default=RiskLevel.PENDING, editable=False
    )
    decision = models.CharField(
        max_length=7, choices=Decision.choices, default=Decision.PENDING, editable=False
    )
    risk_score = models.FloatField(default=0.0, editable=False)
    risk_reasons = models.JSONField(default=list, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    screening_state = models.CharField(
        max_length=14,
        choices=ScreeningState.choices,
        default=ScreeningState.PENDING,
        editable=False,
    )
    filed_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ShipmentQuerySet.as_manager()

    class Meta:
        ordering = ("-filed_at",)
        indexes = (
            models.Index(fields=("organisation", "-filed_at"), name="shipment_org_filed"),
            # The officers' queue: only shipments to review or held, by arrival. Partial, so
            # the mass of released shipments costs no index work when filed.
            models.Index(
                fields=("estimated_arrival",),
                condition=models.Q(decision__in=("review", "hold")),
                name="shipment_queue",
            ),
            models.Index(fields=("consignee_key", "filed_at"), name="shipment_consignee_filed"),
        )
        permissions = (("decide_shipment", "Can release, examine and seize shipments"),)

    def __str__(self) -> str:
        return f"Shipment {self.reference}"

    @property
    def is_open(self) -> bool:
        return self.status in (
            ShipmentStatus.ACCEPTED,
            ShipmentStatus.AMENDED,
            ShipmentStatus.DECIDED,
        )


class ShipmentVersion(models.Model):
    """One filed version of a shipment's content, exactly as accepted (normalised JSON) with
    its hash: version 1 when accepted, 2... for each amendment."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    shipment = models.ForeignKey(
        Shipment,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="versions",
    )
    number = models.PositiveIntegerField()
    content = ExactJSONField()
    content_hash = models.CharField(max_length=64)
    estimated_arrival = models.DateTimeField(help_text="The partition key on PostgreSQL.")
    batch = models.ForeignKey(
        Batch,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    filed_at = models.DateTimeField()

    class Meta:
        ordering = ("shipment", "number")
        indexes = (models.Index(fields=("shipment", "number"), name="shipmentversion_number"),)

    def __str__(self) -> str:
        return f"Version {self.number} of shipment {self.shipment_id}"


class FiledReference(models.Model):
    """The filer's reference, unique per organisation across every partition: the row that
    makes filing idempotent."""

    pk = models.CompositePrimaryKey("organisation", "reference")
    organisation = models.ForeignKey(
        "shippers.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=64)
    shipment_id = models.UUIDField()

    def __str__(self) -> str:
        return self.reference


class QueuedShipment(Shipment):
    """The officer queue: shipments sent to officers (review or hold), by arrival time."""

    class Meta:
        proxy = True
        verbose_name = "shipment to review"
        verbose_name_plural = "officer queue"
