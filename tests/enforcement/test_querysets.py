"""Rules written once: which deadlines are running or overdue, and which cases are open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from enforcement import services
from enforcement.models import Case, Deadline
from enforcement.workflow import FINAL_STATUSES, OPEN_STATUSES
from tests.enforcement.factories import case_at, move_deadline, officer, open_case

pytestmark = pytest.mark.django_db
D = Deadline.Kind
S = Case.Status


def today():  # type: ignore[no-untyped-def]
    return timezone.localdate()


def test_open_deadlines_are_neither_met_nor_closed_and_agree_with_is_open() -> None:
    staff = officer()
    case = case_at("penalty", actor=staff, organisation=None)
    # The reply to the pre-penalty notice was closed by the penalty notice; the petition runs.
    reply = case.deadlines.get(kind=D.PREPENALTY_RESPONSE)
    petition = case.deadlines.get(kind=D.PETITION)
    assert reply.closed_at is not None
    assert list(Deadline.objects.open()) == [petition]
    assert list(case.deadlines.open()) == [petition]
    Deadline.objects.filter(pk=petition.pk).update(met_at=timezone.now())
    assert not Deadline.objects.open().exists()
    assert [d.is_open for d in Deadline.objects.all()] == [False, False]


def test_overdue_deadlines_fell_due_before_the_day_and_still_run() -> None:
    staff = officer()
    case = case_at("penalty", actor=staff, organisation=None)
    petition = move_deadline(case, D.PETITION, today() - timedelta(days=1))
    assert list(Deadline.objects.overdue(on=today())) == [petition]
    assert not Deadline.objects.overdue(on=today() - timedelta(days=1)).exists()
    # A closed deadline is never overdue, however old.
    old_reply = case.deadlines.get(kind=D.PREPENALTY_RESPONSE)
    Deadline.objects.filter(pk=old_reply.pk).update(due_on=today() - timedelta(days=90))
    assert list(Deadline.objects.overdue(on=today())) == [petition]


def test_open_cases_exclude_every_final_status_and_deadlines_follow_them() -> None:
    staff = officer()
    running = case_at("penalty", actor=staff, organisation=None)
    withdrawn = open_case(actor=staff)
    services.case_withdraw(actor=staff, case=withdrawn, reason="Duplicate.")
    assert set(Case.objects.open()) == {running}
    assert set(Case.objects.finished()) == {Case.objects.get(pk=withdrawn.pk)}
    assert set(S.values) == OPEN_STATUSES | FINAL_STATUSES
    assert not OPEN_STATUSES & FINAL_STATUSES
    assert {d.case_id for d in Deadline.objects.on_open_cases()} == {running.pk}


def test_the_next_due_date_is_the_earliest_running_deadline() -> None:
    staff = officer()
    decided = case_at("decided", actor=staff, organisation=None)
    fresh = open_case(actor=staff)
    payment = decided.deadlines.open().get(kind=D.PAYMENT)
    supplemental = decided.deadlines.open().get(kind=D.SUPPLEMENTAL_PETITION)
    annotated = {case.pk: case.next_due_on for case in Case.objects.with_next_due()}
    assert annotated == {
        decided.pk: min(payment.due_on, supplemental.due_on),
        fresh.pk: None,
    }
