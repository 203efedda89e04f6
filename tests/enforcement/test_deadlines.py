"""Deadline arithmetic (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from enforcement.deadlines import (
    DeadlineError,
    add_years,
    extension_problems,
    limitations_date,
    payment_due,
    petition_due,
    prepenalty_response_due,
    supplemental_petition_due,
)

ISSUED = date(2026, 3, 2)
RULES = {"standard_days": 30, "minimum_days": 7, "shortening_window_days": 365}


def test_prepenalty_reply_is_30_days() -> None:
    due = prepenalty_response_due(issued_on=ISSUED, limitations_on=date(2029, 1, 1), **RULES)
    assert due.due_on == date(2026, 4, 1)
    assert "30 days" in due.rule


def test_prepenalty_reply_cannot_be_shortened_with_more_than_a_year_left() -> None:
    with pytest.raises(DeadlineError, match="less than a year remains"):
        prepenalty_response_due(
            issued_on=ISSUED, limitations_on=date(2027, 3, 3), requested_days=10, **RULES
        )


def test_prepenalty_reply_shortened_to_7_days_when_under_a_year_remains() -> None:
    due = prepenalty_response_due(
        issued_on=ISSUED, limitations_on=date(2026, 9, 1), requested_days=7, **RULES
    )
    assert due.due_on == date(2026, 3, 9)
    assert "shortened from 30" in due.rule


def test_prepenalty_reply_never_under_7_days() -> None:
    with pytest.raises(DeadlineError, match="shorter than 7 days"):
        prepenalty_response_due(
            issued_on=ISSUED, limitations_on=date(2026, 4, 1), requested_days=6, **RULES
        )


def test_petition_60_days_and_seizure_30_days() -> None:
    assert petition_due(issued_on=ISSUED, days=60, seizure=False).due_on == date(2026, 5, 1)
    seizure = petition_due(issued_on=ISSUED, days=30, seizure=True)
    assert seizure.due_on == date(2026, 4, 1)
    assert "171.2(b)(1)" in seizure.rule


def test_supplemental_petition_and_payment() -> None:
    assert supplemental_petition_due(decided_on=ISSUED, days=60).due_on == date(2026, 5, 1)
    assert payment_due(decided_on=ISSUED, days=45, maximum_days=60).due_on == date(2026, 4, 16)
    with pytest.raises(DeadlineError):
        payment_due(decided_on=ISSUED, days=61, maximum_days=60)


def test_limitations_five_years_from_violation_or_discovery_for_fraud() -> None:
    violation, discovery = date(2021, 5, 10), date(2023, 1, 15)
    assert limitations_date(
        violation_date=violation, discovery_date=discovery, is_fraud=False, years=5
    ) == date(2026, 5, 10)
    assert limitations_date(
        violation_date=violation, discovery_date=discovery, is_fraud=True, years=5
    ) == date(2028, 1, 15)
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)


def test_extensions_move_forward_only() -> None:
    today = date(2026, 3, 2)
    assert extension_problems(current_due_on=today, new_due_on=date(2026, 3, 1), today=today)
    assert not extension_problems(current_due_on=today, new_due_on=date(2026, 4, 1), today=today)
