"""Audit actions of the partners app, and the notification events partners can choose."""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class AuditAction(StrEnum):
    PARTNER_REGISTER = "partner.register"
    PARTNER_UPDATE = "partner.update"
    PARTNER_ADD_USER = "partner.add_user"
    ENDPOINT_REGISTER = "partner.endpoint_register"
    ENDPOINT_UPDATE = "partner.endpoint_update"
    ENDPOINT_ROTATE_SECRET = "partner.endpoint_rotate_secret"  # noqa: S105 - an action name
    ENDPOINT_DISABLE = "partner.endpoint_disable"
    DELIVERY_REPLAY = "partner.delivery_replay"
    LIST_IMPORT = "partner.trusted_list_import"
    RECOGNITION_WITHDRAWN = "application.recognition_withdrawn"


TITLES: dict[str, str] = {
    AuditAction.PARTNER_REGISTER: "Partner administration registered",
    AuditAction.PARTNER_UPDATE: "Partner administration updated",
    AuditAction.PARTNER_ADD_USER: "User added to a partner administration",
    AuditAction.ENDPOINT_REGISTER: "Webhook endpoint registered",
    AuditAction.ENDPOINT_UPDATE: "Webhook endpoint changed",
    AuditAction.ENDPOINT_ROTATE_SECRET: "Webhook signing secret rotated",
    AuditAction.ENDPOINT_DISABLE: "Webhook endpoint disabled",
    AuditAction.DELIVERY_REPLAY: "Webhook delivery replayed",
    AuditAction.LIST_IMPORT: "Trusted-trader list imported",
    AuditAction.RECOGNITION_WITHDRAWN: "Recognised authorisation withdrawn by the partner",
}


class EventType(models.TextChoices):
    """What a partner's endpoint can subscribe to. Findings and penalty decisions go only to
    partners that opted in, and only for shippers established in the partner's country."""

    CERTIFICATE_ISSUED = "certificate.issued", "Certificate issued"
    CERTIFICATE_SUSPENDED = "certificate.suspended", "Certificate suspended"
    CERTIFICATE_REINSTATED = "certificate.reinstated", "Certificate reinstated"
    CERTIFICATE_REVOKED = "certificate.revoked", "Certificate revoked"
    CERTIFICATE_EXPIRED = "certificate.expired", "Certificate expired"
    EXAMINATION_FINDING = "examination.finding", "Examination finding (opt-in)"
    PENALTY_DECISION = "penalty.decision", "Penalty decision (opt-in)"


OPT_IN_EVENTS = frozenset({EventType.EXAMINATION_FINDING, EventType.PENALTY_DECISION})

# Audit actions (written by shippers, shipments and enforcement) -> the event they are.
EVENT_FOR_ACTION: dict[str, str] = {
    "application.approve": EventType.CERTIFICATE_ISSUED,
    "application.suspend": EventType.CERTIFICATE_SUSPENDED,
    "application.reinstate": EventType.CERTIFICATE_REINSTATED,
    "application.revoke": EventType.CERTIFICATE_REVOKED,
    "application.expire": EventType.CERTIFICATE_EXPIRED,
    "shipment.record_finding": EventType.EXAMINATION_FINDING,
    "case.issue_penalty_notice": EventType.PENALTY_DECISION,
    "case.decide": EventType.PENALTY_DECISION,
}
