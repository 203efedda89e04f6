"""The daily sweeps: idempotent reminders, overdue flags and limitations warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from enforcement.models import Case, Deadline
from enforcement.tasks import deadline_sweep
from tests.enforcement.factories import case_at, events, move_deadline, officer, respondent

pytestmark = pytest.mark.django_db


def test_reminders_overdue_flags_and_limitations_warnings_are_sent_once(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    staff = officer()
    member, organisation = respondent()
    today = timezone.localdate()
    soon = case_at("penalty", actor=staff, organisation=organisation)
    move_deadline(soon, Deadline.Kind.PETITION, today + timedelta(days=5))
    late = case_at("prepenalty", actor=staff, organisation=organisation)
    move_deadline(late, Deadline.Kind.PREPENALTY_RESPONSE, today - timedelta(days=1))
    near = case_at("investigating", actor=staff, organisation=None)
    Case.objects.filter(pk=near.pk).update(limitations_date=today + timedelta(days=90))
    far = case_at("penalty", actor=staff, organisation=organisation)  # due in 60 days

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = deadline_sweep()
    assert counts == {"reminded": 1, "overdue": 1, "limitations": 1}
    subjects = [(m.subject, m.to) for m in mail.outbox]
    assert any("due" in s and to == [member.email] for s, to in subjects)
    # 19 CFR 162.78(a): a reply is optional, so its period "ended"; it is not "overdue".
    assert any("reply period ended" in s and to == [staff.email] for s, to in subjects)
    assert any("reply period ended" in s and to == [member.email] for s, to in subjects)
    assert not any("overdue" in s for s, _ in subjects)
    assert any("statute of limitations" in s and to == [staff.email] for s, to in subjects)
    assert events(soon).filter(action="case.deadline_reminder").count() == 1
    assert events(late).filter(action="case.deadline_overdue").count() == 1
    assert not events(far).filter(action="case.deadline_reminder").exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_sweep() == {"reminded": 0, "overdue": 0, "limitations": 0}
    assert mail.outbox == []
