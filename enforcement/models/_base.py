"""Shared by the enforcement models: money fields and the kinds of violation and culpability."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

ZERO = Decimal("0.00")


def _money(**options: object) -> models.DecimalField:
    return models.DecimalField(
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        **options,  # type: ignore[arg-type]
    )


class ViolationType(models.TextChoices):
    SECTION_1592 = "1592", "19 USC 1592: false statement or omission (fraud or negligence)"
    COUNTERFEIT_1526F = "1526f", "19 USC 1526(f): counterfeit trademark goods"
    AIDING_1595A_B = "1595a_b", "19 USC 1595a(b): aiding unlawful importation"
    LIQUIDATED_DAMAGES = "liquidated_damages", "Liquidated damages (19 CFR 172, bond breach)"
    DE_MINIMIS_MISUSE = "de_minimis", "De minimis misuse"
    # No "prohibited goods" money penalty: 19 USC 1595a(c) provides seizure and forfeiture,
    # and mitigated release is a petition outcome (19 USC 1618); the money penalty for
    # unlawful importation is 1595a(b). Migration 0007 moved the old cases with a note.


class Culpability(models.TextChoices):
    NEGLIGENCE = "negligence", "Negligence"
    GROSS_NEGLIGENCE = "gross_negligence", "Gross negligence"
    FRAUD = "fraud", "Fraud"
