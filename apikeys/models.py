"""Organisation API keys, built on djangorestframework-api-key.

The library stores only a SHA-512 hash of the key and the visible prefix (the part before
the dot), so a key is shown once, when created, and can never be read back. A key belongs
to one organisation and carries scopes; everything it does is done for that organisation.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager


class Scope(models.TextChoices):
    SHIPMENTS_WRITE = "shipments:write", "File and cancel shipments"
    SHIPMENTS_READ = "shipments:read", "Read shipments and their decisions"
    VERIFY = "verify", "Verify a known-shipper certificate"
    VERIFY_BULK = "verify:bulk", "Verify many certificates at once"
    NOTIFICATIONS = "notifications", "Receive status notifications"
    FINDINGS = "findings", "Report examination findings"


class OrganisationAPIKeyQuerySet(models.QuerySet["OrganisationAPIKey"]):
    def usable(self) -> OrganisationAPIKeyQuerySet:
        """Not revoked and not expired: the keys that authenticate now."""
        now = timezone.now()
        return self.filter(revoked=False).filter(
            models.Q(expiry_date__isnull=True) | models.Q(expiry_date__gt=now)
        )

    def for_organisation(self, organisation_id: int) -> OrganisationAPIKeyQuerySet:
        return self.filter(organisation_id=organisation_id)


class OrganisationAPIKeyManager(APIKeyManager.from_queryset(OrganisationAPIKeyQuerySet)):  # type: ignore[misc]
    pass


class OrganisationAPIKey(AbstractAPIKey):
    """A hashed key that acts for one organisation within its scopes."""

    organisation = models.ForeignKey(
        "shippers.Organisation", on_delete=models.CASCADE, related_name="api_keys"
    )
    scopes = models.JSONField(default=list, help_text="Scope codes, e.g. shipments:write.")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects: ClassVar[OrganisationAPIKeyManager] = OrganisationAPIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "organisation API key"
        verbose_name_plural = "organisation API keys"
        indexes = (models.Index(fields=("organisation", "revoked")),)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])
