"""Shipments in the admin, by feature: the read-only records (``records``), the officer
queue, findings and dashboard (``officers``) and the supervisors' targeting rules, back-tests
and watch list (``shipments.targeting.admin``). Django's autodiscovery imports this package;
importing the modules registers their admin classes."""

from shipments.admin import officers, records
from shipments.targeting import admin as targeting

__all__ = ["officers", "records", "targeting"]
