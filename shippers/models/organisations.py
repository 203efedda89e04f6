"""Organisations, the people who act for them, and their profile (identifiers, addresses,
principals, contacts, supply-chain partners)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from core.reference.business_types import BusinessType
from shippers.identifiers import IdentifierType

BUSINESS_TYPE_LABELS = {
    BusinessType.ONLINE_SELLER: "Online seller",
    BusinessType.MARKETPLACE: "Marketplace",
    BusinessType.EXPRESS_CONSIGNOR: "Express consignor",
    BusinessType.FREIGHT_FORWARDER: "Freight forwarder",
    BusinessType.MANUFACTURER: "Manufacturer",
    BusinessType.OTHER: "Other",
}
BUSINESS_TYPE_CHOICES = [(value.value, label) for value, label in BUSINESS_TYPE_LABELS.items()]


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def with_member(self, user: Any) -> OrganisationQuerySet:
        """The organisations `user` acts for (is a member of); none for an anonymous user."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(pk__in=Membership.objects.filter(user=user).values("organisation_id"))


class Organisation(models.Model):
    """A business that applies to, or is a member of, the known-shipper program."""

    class Ownership(models.TextChoices):
        PRIVATE = "private", "Privately held"
        PUBLIC = "public", "Publicly listed"
        SUBSIDIARY = "subsidiary", "Subsidiary of another company"
        STATE = "state", "State-owned"
        SOLE_TRADER = "sole_trader", "Sole trader / sole proprietor"
        PARTNERSHIP = "partnership", "Partnership"

    legal_name = models.CharField(max_length=300)
    trade_names = models.JSONField(
        default=list, blank=True, help_text="Other names the business trades under."
    )
    business_type = models.CharField(
        max_length=20, choices=BUSINESS_TYPE_CHOICES, default=BusinessType.ONLINE_SELLER.value
    )
    country = models.CharField(
        max_length=2, help_text="ISO 3166-1 alpha-2 country of registration."
    )
    ownership = models.CharField(max_length=20, choices=Ownership.choices, blank=True)
    ownership_details = models.TextField(
        blank=True, help_text="Parent company, main shareholders (25% or more)."
    )
    year_founded = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    employees = models.PositiveIntegerField(null=True, blank=True)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ("legal_name",)

    def __str__(self) -> str:
        return self.legal_name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def of(self, user: Any, organisation: Organisation | int) -> MembershipQuerySet:
        """`user`'s membership of `organisation` (empty if none, or for an anonymous user)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        organisation_id = organisation if isinstance(organisation, int) else organisation.pk
        return self.filter(user=user, organisation_id=organisation_id)

    def owners(self) -> MembershipQuerySet:
        return self.filter(role=Membership.Role.OWNER)


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

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("organisation", "user"), name="one_membership_per_user_and_organisation"
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) at {self.organisation}"


def _invitation_expiry() -> date:
    return timezone.localdate() + timedelta(days=14)


class Invitation(models.Model):
    """An owner's invitation for a colleague to join the organisation (by e-mail)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_on >= timezone.localdate()
        )


class Address(models.Model):
    class Kind(models.TextChoices):
        REGISTERED = "registered", "Registered office"
        OPERATING = "operating", "Operating address"
        FACILITY = "facility", "Shipping facility"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="addresses"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    label = models.CharField(max_length=120, blank=True, help_text="e.g. 'Main warehouse'.")
    line1 = models.CharField("Address line 1", max_length=200)
    line2 = models.CharField("Address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=120)
    region = models.CharField("State, province or region", max_length=120, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2.")

    class Meta:
        ordering = ("kind", "pk")
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return self.one_line()

    def one_line(self) -> str:
        parts = [self.line1, self.line2, self.city, self.region, self.postal_code, self.country]
        return ", ".join(part for part in parts if part)


class Identifier(models.Model):
    """A company identifier (EIN, VAT, EORI, BN, ABN, NZBN, IRD), stored in compact form
    after validation by `shippers.identifiers.validate_identifier`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identifiers"
    )
    kind = models.CharField(max_length=10, choices=IdentifierType.choices())
    value = models.CharField(max_length=40)
    issuing_country = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ("kind", "value")
        constraints = (
            models.UniqueConstraint(
                fields=("organisation", "kind", "value"), name="identifier_once_per_organisation"
            ),
        )
        indexes = (models.Index(fields=("kind", "value")),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class Principal(models.Model):
    """An owner, director or officer: screened against the denied-party lists."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner (25% or more)"
        DIRECTOR = "director", "Director"
        OFFICER = "officer", "Company officer"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="principals"
    )
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=Role.choices)
    nationality = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2.")
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class Contact(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=40)
    is_company_officer = models.BooleanField(
        default=False, help_text="An officer of the company (director, secretary, executive)."
    )

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.full_name}, {self.job_title}"


class SupplyChainPartner(models.Model):
    class Role(models.TextChoices):
        MANUFACTURER = "manufacturer", "Manufacturer"
        SUPPLIER = "supplier", "Supplier"
        CARRIER = "carrier", "Carrier"
        FORWARDER = "forwarder", "Freight forwarder"
        WAREHOUSE = "warehouse", "Warehouse / fulfilment"
        BROKER = "broker", "Customs broker"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=15, choices=Role.choices)
    country = models.CharField(max_length=2)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.country})"
