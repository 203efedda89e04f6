"""Organisations and the people who act for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    """A business that applies to, or is a member of, the known-shipper program."""

    legal_name = models.CharField(max_length=300)
    country = models.CharField(
        max_length=2, help_text="ISO 3166-1 alpha-2 country of registration."
    )
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
