"""Audit actions of shipments (targeting and officer actions add their own values in their
modules, e.g. "shipment.decide")."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    FILE_BATCH = "shipment_batch.file"
    AMEND = "shipment.amend"
    CANCEL = "shipment.cancel"
    REGISTER_FILER = "filer.register"


TITLES: dict[str, str] = {
    AuditAction.FILE_BATCH: "Shipments filed",
    AuditAction.AMEND: "Shipment amended",
    AuditAction.CANCEL: "Shipment cancelled",
    AuditAction.REGISTER_FILER: "Registered as a filer",
}
