"""What officers record about shipments: the outcome of an examination (a finding), and the
officer queue as a view of the shipments table.

Imported at the end of ``shipments.models`` so that Django registers them with the app."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models


class FindingKind(models.TextChoices):
    NO_DISCREPANCY = "no_discrepancy", "No discrepancy"
    MINOR_DISCREPANCY = "minor_discrepancy", "Minor discrepancy"
    MISDESCRIBED = "misdescribed", "Misdescribed goods"
    UNDERVALUED = "undervalued", "Undervalued"
    WRONG_ORIGIN = "wrong_origin", "Wrong country of origin"
    COUNTERFEIT = "counterfeit", "Counterfeit goods"
    PROHIBITED = "prohibited", "Prohibited goods"
    SEIZED = "seized", "Seized (other grounds)"


# Everything but "no discrepancy" is a discrepancy: it counts for a rule's precision and
# against the filer's compliance rate.
DISCREPANCY_KINDS = frozenset(FindingKind.values) - {FindingKind.NO_DISCREPANCY}
# The goods are kept: the shipment is seized.
SEIZURE_KINDS = frozenset({FindingKind.COUNTERFEIT, FindingKind.PROHIBITED, FindingKind.SEIZED})
# The goods may go once the finding is recorded.
RELEASE_KINDS = frozenset({FindingKind.NO_DISCREPANCY, FindingKind.MINOR_DISCREPANCY})


class FindingQuerySet(models.QuerySet["ExaminationFinding"]):
    def with_discrepancy(self) -> FindingQuerySet:
        return self.filter(kind__in=DISCREPANCY_KINDS)

    def for_organisation(self, organisation_id: int) -> FindingQuerySet:
        return self.filter(organisation_id=organisation_id)

    def examined_between(self, start: datetime, end: datetime) -> FindingQuerySet:
        return self.filter(examined_at__gte=start, examined_at__lt=end)


class ExaminationFinding(models.Model):
    """The outcome of one examination of a shipment, recorded by the officer who examined
    it. One per shipment; it never changes afterwards (a penalty case may be linked)."""

    shipment = models.ForeignKey(
        "shipments.Shipment",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="findings",
    )
    shipment_version = models.PositiveIntegerField(help_text="The version examined.")
    organisation = models.ForeignKey(
        "shippers.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The filer (denormalised for compliance rates).",
    )
    kind = models.CharField(max_length=18, choices=FindingKind.choices)
    notes = models.TextField(help_text="What was found, as an officer would write it.")
    currency = models.CharField(max_length=3)
    declared_value = models.DecimalField(max_digits=16, decimal_places=2)
    found_value = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The value the officer established (undervaluation).",
    )
    msrp_genuine = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        verbose_name="MSRP of the genuine goods",
        help_text="Counterfeits: 19 USC 1526(f) penalties are based on it.",
    )
    rule_codes = models.JSONField(
        default=list, blank=True, help_text="The rules that sent the shipment to officers."
    )
    decision = models.CharField(max_length=7, help_text="The decision when examined.")
    port_of_arrival = models.CharField(max_length=5)
    examined_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    penalty_case = models.ForeignKey(
        "enforcement.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The penalty case opened from this finding.",
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ("-examined_at",)
        constraints = (
            models.UniqueConstraint(fields=("shipment",), name="finding_one_per_shipment"),
        )
        indexes = (
            models.Index(fields=("organisation", "examined_at"), name="finding_org_examined"),
            models.Index(fields=("kind", "examined_at"), name="finding_kind_examined"),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.shipment_id})"

    @property
    def has_discrepancy(self) -> bool:
        return self.kind in DISCREPANCY_KINDS
