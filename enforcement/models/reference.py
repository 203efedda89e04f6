"""Statutory figures and mitigation guidelines: data with citations and effective dates,
kept as immutable versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from enforcement.models._base import Culpability, ViolationType


class StatutoryFigure(models.Model):
    """A number the law (or the program's published rules) sets: a multiple, a share, a cap,
    a fixed penalty amount, an interest rate or a deadline period, valid from a date.

    The figure that applies to a case is the version in force on the violation date
    (deadline periods: on the day the deadline starts): the latest `effective_from` on or
    before that day. Rows are immutable versions: a change in the law is a new row with a new
    `effective_from` (`services.statutory_figure_add_version`, audited with the old value),
    never an edit or deletion of the old one, so past calculations can be re-read.
    """

    class Unit(models.TextChoices):
        USD = "USD", "US dollars"
        MULTIPLE = "multiple", "Multiple of a base amount"
        SHARE = "share", "Share of a base amount (0.20 = 20%)"
        ANNUAL_RATE = "annual_rate", "Annual interest rate (0.07 = 7%)"
        DAYS = "days", "Days"
        YEARS = "years", "Years"

    key = models.CharField(max_length=80, db_index=True)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    unit = models.CharField(max_length=12, choices=Unit.choices)
    description = models.CharField(max_length=300)
    citation = models.CharField(max_length=300)
    effective_from = models.DateField()
    effective_to = models.DateField(
        null=True, blank=True, help_text="Last day in force; empty while current."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ("key", "-effective_from")
        constraints = (
            models.UniqueConstraint(
                fields=("key", "effective_from"), name="statutory_figure_once_per_date"
            ),
        )

    def __str__(self) -> str:
        return f"{self.key} = {self.value} {self.unit} from {self.effective_from}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Integrity: a version once recorded is history; a change is a new version.
        if self.pk is not None:
            raise ValueError("A statutory figure is never changed; record a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("A statutory figure is never deleted; record a new version.")


class MitigationGuideline(models.Model):
    """A mitigation range (19 CFR 171 app. B and CBP's mitigation guidelines): for a kind of
    violation in a situation, the penalty an officer normally settles on, as shares of a
    base amount. Supervisors maintain these rows as data: immutable versions, like the
    statutory figures (`services.mitigation_guideline_add_version`); the calculator takes the
    latest version in force for the kind of violation and situation."""

    class Basis(models.TextChoices):
        LOSS = "loss", "Loss of duties, taxes and fees"
        DUTIABLE_VALUE = "dutiable_value", "Dutiable value"
        DOMESTIC_VALUE = "domestic_value", "Domestic value"
        MSRP = "msrp", "MSRP of the genuine goods"
        STATUTORY_MAXIMUM = "statutory_maximum", "Statutory maximum"

    class Situation(models.TextChoices):
        ANY = "any", "Any"
        LOSS = "loss", "With a loss of revenue"
        NO_LOSS = "no_loss", "Without a loss of revenue"
        FIRST = "first", "First violation or seizure"
        LATER = "later", "Later violation or seizure"

    violation_type = models.CharField(max_length=20, choices=ViolationType.choices)
    culpability = models.CharField(
        max_length=20, choices=Culpability.choices, blank=True, help_text="For 19 USC 1592."
    )
    situation = models.CharField(max_length=10, choices=Situation.choices, default=Situation.ANY)
    basis = models.CharField(max_length=20, choices=Basis.choices)
    low_share = models.DecimalField(max_digits=8, decimal_places=4)
    high_share = models.DecimalField(max_digits=8, decimal_places=4)
    citation = models.CharField(max_length=300)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ("violation_type", "culpability", "situation", "-effective_from")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(low_share__lte=models.F("high_share")),
                name="mitigation_low_not_above_high",
            ),
        )

    def __str__(self) -> str:
        parts = [self.get_violation_type_display().split(":")[0]]
        if self.culpability:
            parts.append(self.get_culpability_display())
        parts.append(self.get_situation_display())
        return " / ".join(parts) + f" ({self.low_share}-{self.high_share} x {self.basis})"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A mitigation guideline is never changed; record a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("A mitigation guideline is never deleted; record a new version.")
