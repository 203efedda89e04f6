"""Screening lists as versions: every import is a new version with its difference from the
previous one; exactly one version of a list is active."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ScreeningList(models.Model):
    """A list feed we import (OFAC SDN, the trade.gov CSL, the BIS DPL, the UN list)."""

    class Format(models.TextChoices):
        OFAC = "ofac", "OFAC SDN CSV (sdn.csv, alt.csv, add.csv)"
        CSL = "csl", "trade.gov Consolidated Screening List (CSV or JSON)"
        DPL = "dpl", "BIS Denied Persons List (TSV)"
        UN = "un", "UN Security Council consolidated list (XML)"

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    format = models.CharField(max_length=5, choices=Format.choices)

    class Meta:
        ordering = ("code",)
        permissions = (("use_screening", "Can screen names against the lists"),)

    def __str__(self) -> str:
        return self.name


class ListVersion(models.Model):
    screening_list = models.ForeignKey(
        ScreeningList, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=500, help_text="File names or URL imported.")
    source_sha256 = models.CharField(max_length=64, help_text="Of the imported files' contents.")
    entry_count = models.PositiveIntegerField()
    is_active = models.BooleanField(default=False)
    added = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(
        default=list,
        blank=True,
        help_text="What this import lacked and how it was made up for (e.g. an OFAC release "
        "without alt.csv or add.csv, whose aliases and addresses were carried over).",
    )

    class Meta:
        ordering = ("screening_list", "-number")
        constraints = (
            models.UniqueConstraint(
                fields=("screening_list", "number"), name="version_number_once"
            ),
            models.UniqueConstraint(
                fields=("screening_list",),
                condition=models.Q(is_active=True),
                name="one_active_version",
            ),
        )

    def __str__(self) -> str:
        return f"{self.screening_list.code} version {self.number}"


class ListedParty(models.Model):
    """One entry of one list version, with all it says (names, aliases, addresses,
    countries, identifiers, programs, remarks) as the engine's JSON."""

    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="entries")
    list_code = models.CharField(max_length=20)
    source_id = models.CharField(max_length=100)
    entity_type = models.CharField(max_length=12)
    primary_name = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField()

    class Meta:
        indexes = (models.Index(fields=("version", "list_code", "source_id")),)
        verbose_name_plural = "listed parties"

    def __str__(self) -> str:
        return f"{self.list_code} {self.source_id}: {self.primary_name}"


class EntryChange(models.Model):
    """The stored difference of a version from the previous one."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added"
        REMOVED = "removed", "Removed"
        CHANGED = "changed", "Changed"

    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    list_code = models.CharField(max_length=20)
    source_id = models.CharField(max_length=100)
    name = models.CharField(max_length=500)
    fields = models.JSONField(
        default=list, blank=True, help_text="Changed fields with old and new values."
    )

    class Meta:
        ordering = ("kind", "list_code", "source_id")

    def __str__(self) -> str:
        return f"{self.kind} {self.list_code} {self.source_id}"


class FalsePositive(models.Model):
    """An officer's finding that a listed party is not this organisation (or its principal).

    The pair is not raised again unless the listed entry changes (its fingerprint).
    `organisation_id` names a `shippers.Organisation` without a foreign key (screening sits
    below shippers and knows no organisations), as `core.AuditEvent` does: organisations are
    never deleted in the portal, and if one were, its findings would stay as the officers'
    record (ids are not reused) and match nothing."""

    organisation_id = models.BigIntegerField(db_index=True)
    list_code = models.CharField(max_length=20)
    source_id = models.CharField(max_length=100)
    entry_fingerprint = models.CharField(max_length=64)
    matched_query = models.CharField(max_length=500, blank=True)
    note = models.TextField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-marked_at",)
        indexes = (
            models.Index(
                fields=("organisation_id", "list_code", "source_id"),
                name="screening_f_organis_2cc78d_idx",
            ),
        )

    def __str__(self) -> str:
        return f"organisation {self.organisation_id}: not {self.list_code} {self.source_id}"
