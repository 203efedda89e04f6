"""Organisations, the people who act for them, and their known-shipper applications.

An organisation's standing in the program is the status of its current application
(`Application.status`, the state machine `shippers.workflow.APPLICATION`); statuses change
only through `shippers.services`, which records a `core.AuditEvent` with every change.
"""

from shippers.models.applications import (
    Application,
    ApplicationQuerySet,
    ApprovalProposal,
    Attestation,
    Document,
    InternalNote,
    RequestForInformation,
    SecurityAnswer,
)
from shippers.models.certificates import Certificate
from shippers.models.organisations import (
    BUSINESS_TYPE_CHOICES,
    BUSINESS_TYPE_LABELS,
    Address,
    Contact,
    Identifier,
    Invitation,
    Membership,
    Organisation,
    Principal,
    SupplyChainPartner,
    _invitation_expiry,
)
from shippers.models.questionnaire import SecurityQuestion, SecurityQuestionnaire
from shippers.models.vetting import VettingCheck, VettingRun

__all__ = [
    "BUSINESS_TYPE_CHOICES",
    "BUSINESS_TYPE_LABELS",
    "Address",
    "Application",
    "ApplicationQuerySet",
    "ApprovalProposal",
    "Attestation",
    "Certificate",
    "Contact",
    "Document",
    "Identifier",
    "InternalNote",
    "Invitation",
    "Membership",
    "Organisation",
    "Principal",
    "RequestForInformation",
    "SecurityAnswer",
    "SecurityQuestion",
    "SecurityQuestionnaire",
    "SupplyChainPartner",
    "VettingCheck",
    "VettingRun",
    "_invitation_expiry",
]
