"""Cases at each stage of their path, driven through the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from core.models import AuditEvent
from enforcement import services
from enforcement.models import Case, Deadline, StatutoryFigure
from shippers import services as shipper_services
from shippers.models import Application, Organisation
from tests.accounts.factories import UserFactory
from tests.shippers.factories import PDF_BYTES, complete_application, owner_with_organisation

NEGLIGENCE_FACTS: dict[str, Any] = {
    "loss_of_revenue": Decimal("10000.00"),
    "domestic_value": Decimal("150000.00"),
    "dutiable_value": Decimal("100000.00"),
}


class StatutoryFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatutoryFigure

    key = factory.Sequence(lambda n: f"test.figure.{n}")
    value = Decimal("1")
    unit = "share"
    description = "Test figure"
    citation = "Test citation"
    effective_from = date(2000, 1, 1)


def officer() -> User:
    return UserFactory(roles=["officer"])


def supervisor() -> User:
    return UserFactory(roles=["supervisor"])


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def respondent() -> tuple[User, Organisation]:
    return owner_with_organisation(legal_name="Harbourline Parcels Ltd")


def approved_respondent(officer_user: User) -> tuple[User, Organisation, Application]:
    """A member and its organisation holding approved known-shipper standing."""
    user, organisation = respondent()
    application = complete_application(user, organisation)
    shipper_services.application_submit(actor=user, application=application)
    shipper_services.application_start_vetting(application_id=application.pk)
    shipper_services.application_complete_vetting(
        application_id=application.pk, risk_level="low", summary={}
    )
    application.refresh_from_db()
    shipper_services.application_approve(actor=officer_user, application=application, tier=1)
    application.refresh_from_db()
    return user, organisation, application


def open_case(
    *,
    actor: User,
    organisation: Organisation | None = None,
    violation_type: str = "1592",
    culpability: str = "negligence",
    violation_date: date | None = None,
    facts: dict[str, Any] | None = None,
    **extra: Any,
) -> Case:
    return services.case_open(
        actor=actor,
        organisation=organisation,
        party_name="" if organisation else "Unregistered Exports Co",
        violation_type=violation_type,
        culpability=culpability if violation_type == "1592" else "",
        summary="Invoices understated the transaction value of 40 entries.",
        violation_date=violation_date or timezone.localdate() - timedelta(days=400),
        entry_references=["ABC-1234567-8", "HB 998877"],
        facts=NEGLIGENCE_FACTS if facts is None else facts,
        **extra,
    )


def case_at(stage: str, *, actor: User, organisation: Organisation | None, **kwargs: Any) -> Case:
    """A 1592 negligence case (loss 10,000; domestic value 150,000) driven to `stage`:
    investigating, prepenalty, penalty, decided."""
    case = open_case(actor=actor, organisation=organisation, **kwargs)
    services.case_start_investigation(actor=actor, case=case)
    if stage == "investigating":
        return Case.objects.get(pk=case.pk)
    services.case_issue_prepenalty_notice(actor=actor, case=case, amount=Decimal("15000"))
    if stage == "prepenalty":
        return Case.objects.get(pk=case.pk)
    reply_period_ends(case, actor=actor)
    services.case_issue_penalty_notice(actor=actor, case=case, amount=Decimal("15000"))
    if stage == "penalty":
        return Case.objects.get(pk=case.pk)
    services.case_decide(
        actor=actor, case=case, amount=Decimal("8000"), reasoning="Mitigated: first offence."
    )
    assert stage == "decided", stage
    return Case.objects.get(pk=case.pk)


def reply_period_ends(case: Case, *, actor: User) -> Case:
    """The reply period of the pre-penalty notice ran out without a reply, and the officer
    recorded that a penalty is warranted (19 CFR 162.79)."""
    move_deadline(case, Deadline.Kind.PREPENALTY_RESPONSE, timezone.localdate() - timedelta(days=1))
    return services.case_record_reply_determination(
        actor=actor,
        case=case,
        outcome="penalty_warranted",
        determination="No reply within the period; the facts stand.",
    )


def move_deadline(case: Case, kind: str, due_on: date) -> Deadline:
    """Tests move time by moving the deadline (no clock mocking)."""
    deadline = case.deadlines.open().get(kind=kind)
    Deadline.objects.filter(pk=deadline.pk).update(due_on=due_on)
    deadline.refresh_from_db()
    return deadline


def events(case: Case) -> QuerySet[AuditEvent]:
    """The case's audit events (its timeline), oldest first."""
    return AuditEvent.objects.for_target(case)
