"""Writes for shipments (keyword-only, one transaction each, with their audit event)."""

from shipments.services.filing import BatchOutcome, Unparsable, batch_file
from shipments.services.lifecycle import filer_register, shipment_cancel

__all__ = ["BatchOutcome", "Unparsable", "batch_file", "filer_register", "shipment_cancel"]
