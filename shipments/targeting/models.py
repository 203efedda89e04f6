"""Targeting's tables: rules as versioned data, the address watch list, the unit-value
statistics, the party-screening cache, the rule hits, and the counter that tells every
process to recompile its snapshot.

Imported at the end of ``shipments.models`` so that Django registers them with the app."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shipments.targeting.engine.rules import RuleKind


class TargetingState(models.Model):
    """One row: ``version`` goes up in the transaction of every change to a rule, the watch
    list or the statistics; a process whose snapshot is older recompiles it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "targeting state"

    def __str__(self) -> str:
        return f"Targeting rules version {self.version}"


class TargetingRule(models.Model):
    """A rule's identity and owner; its content is in its versions (never edited)."""

    code = models.SlugField(max_length=64, unique=True, help_text="Stable name in reasons.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The supervisor answerable for the rule.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return self.code


class RuleVersionQuerySet(models.QuerySet["TargetingRuleVersion"]):
    def current(self) -> RuleVersionQuerySet:
        """The latest version of each rule."""
        return self.filter(is_current=True)

    def in_use(self) -> RuleVersionQuerySet:
        """Current versions that are switched on (shadow ones included: they are evaluated)."""
        return self.current().filter(enabled=True)


class TargetingRuleVersion(models.Model):
    """One version of a rule. A change is a new version; earlier ones stay as they were, so
    a reason on a shipment always names the version that produced it."""

    class Outcome(models.TextChoices):
        WEIGHT = "", "Weight (adds to the score)"
        HOLD = "hold", "Hold (hard outcome)"

    rule = models.ForeignKey(TargetingRule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True, editable=False)
    enabled = models.BooleanField(default=True, help_text="Off: kept, not evaluated.")
    kind = models.CharField(max_length=24, choices=[(kind.value, kind.value) for kind in RuleKind])
    name = models.CharField(max_length=200)
    reason = models.CharField(max_length=300, help_text="Shown to officers on each hit.")
    weight = models.FloatField(default=0.0, help_text="Points added to the score.")
    outcome = models.CharField(max_length=4, choices=Outcome.choices, blank=True, default="")
    shadow = models.BooleanField(
        default=False, help_text="Evaluated and counted, with no effect on decisions."
    )
    effective_from = models.DateField(null=True, blank=True, help_text="Arrival date, inclusive.")
    effective_to = models.DateField(null=True, blank=True, help_text="Arrival date, inclusive.")
    conditions = models.JSONField(default=dict, blank=True)
    citation = models.CharField(max_length=500, blank=True)
    change_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = RuleVersionQuerySet.as_manager()

    class Meta:
        ordering = ("rule__code", "-number")
        constraints = (
            models.UniqueConstraint(fields=("rule", "number"), name="rule_version_number"),
            models.UniqueConstraint(
                fields=("rule",),
                condition=models.Q(is_current=True),
                name="rule_one_current_version",
            ),
        )

    def __str__(self) -> str:
        return f"{self.rule.code} v{self.number}"


class WatchedAddress(models.Model):
    """An address whose parcels deserve a look, e.g. a reshipper's warehouse: a party at the
    same country and postcode whose street lines contain every word of ``street``."""

    class Category(models.TextChoices):
        RESHIPPER = "reshipper", "Reshipper or freight-forwarding warehouse"
        DROP = "drop", "Drop address used by several unrelated consignees"
        SEIZURE = "seizure", "Address of earlier seizures"
        OTHER = "other", "Other"

    label = models.CharField(max_length=200)
    category = models.CharField(max_length=10, choices=Category.choices)
    street = models.CharField(max_length=200, help_text="Street and number, without the suite.")
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2)
    source = models.CharField(max_length=300, blank=True, help_text="Why it is watched.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("country", "postal_code", "label")
        verbose_name_plural = "watched addresses"

    def __str__(self) -> str:
        return f"{self.label} ({self.street}, {self.postal_code} {self.country})"


class HsValueStatistic(models.Model):
    """The median unit value (US dollars) of the items seen for an HS heading over the
    statistics window, refreshed periodically (``refresh_value_statistics``)."""

    heading = models.CharField(max_length=4, primary_key=True)
    median_unit_value_usd = models.FloatField()
    samples = models.PositiveIntegerField()
    window_days = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ("heading",)

    def __str__(self) -> str:
        return f"{self.heading}: median {self.median_unit_value_usd:.2f} ({self.samples})"


class PartyScreeningResult(models.Model):
    """One party name screened against one set of active list versions: repeated parties
    (the same seller on thousands of parcels) are screened once per list change."""

    key = models.CharField(max_length=64, help_text="Hash of the folded name and country.")
    lists_key = models.CharField(max_length=64, help_text="The active list versions.")
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True)
    score = models.FloatField()
    matches = models.JSONField(default=list)
    screened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("key", "lists_key"), name="screening_result_key"),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.score:.2f})"


class RuleHit(models.Model):
    """A rule version that fired on a shipment's final evaluation (shadow ones too): the
    counts of the rules page, the back-test's baseline and the officers' statistics."""

    shipment = models.ForeignKey(
        "shipments.Shipment",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="rule_hits",
    )
    rule_version = models.ForeignKey(
        TargetingRuleVersion, on_delete=models.PROTECT, related_name="hits"
    )
    shadow = models.BooleanField(default=False)
    outcome = models.CharField(max_length=4, blank=True)
    weight = models.FloatField(null=True)
    estimated_arrival = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = (models.Index(fields=("rule_version", "recorded_at"), name="rulehit_version"),)

    def __str__(self) -> str:
        return f"{self.rule_version} on {self.shipment_id}"
