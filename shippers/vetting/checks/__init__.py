"""Shippers' own vetting checks, one module per check; `ShippersConfig.ready()` registers
them (see `shippers.vetting.registry`). Checks of apps above shippers (the compliance record,
the required training) live in those apps and register themselves."""

from __future__ import annotations

from shippers.vetting.checks import (
    documents,
    identifiers,
    linked_identities,
    sanctioned_places,
    screening,
    security_profile,
)
from shippers.vetting.registry import CheckSpec

SHIPPERS_CHECKS: tuple[CheckSpec, ...] = (
    identifiers.SPEC,
    screening.SPEC,
    sanctioned_places.SPEC,
    linked_identities.SPEC,
    security_profile.SPEC,
    documents.SPEC,
)

__all__ = ["SHIPPERS_CHECKS"]
