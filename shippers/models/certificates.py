"""The certificate of an approved application: what partners verify."""

from __future__ import annotations

from django.db import models

from shippers.models.applications import Application
from shippers.models.organisations import Organisation


class Certificate(models.Model):
    """The known-shipper certificate of an approved application; what partners verify."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(max_length=20, unique=True)
    tier = models.PositiveSmallIntegerField(choices=Application.Tier.choices)
    valid_from = models.DateField()
    valid_to = models.DateField()
    issued_at = models.DateTimeField(auto_now_add=True)
    reminded_90_at = models.DateTimeField(null=True, blank=True)
    reminded_30_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-issued_at",)

    def __str__(self) -> str:
        return self.number

    @property
    def status(self) -> str:
        return self.application.status
