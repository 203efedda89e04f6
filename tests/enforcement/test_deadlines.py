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


def test_19_cfr_162_78_a_prepenalty_reply_is_30_days() -> None:
    due = prepenalty_response_due(issued_on=ISSUED, limitations_on=date(2029, 1, 1), **RULES)
    assert due.due_on == date(2026, 4, 1)
    assert "30 days" in due.rule
    assert "19 CFR 162.78(a)" in due.rule
    assert "162.78(b)" not in due.rule


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


def _limitations(violation_type: str, *, is_fraud: bool = False, discovery: date | None = None):  # type: ignore[no-untyped-def]
    return limitations_date(
        violation_type=violation_type,
        violation_date=date(2021, 5, 10),
        discovery_date=discovery,
        is_fraud=is_fraud,
        years=5,
        bond_years=6,
    )


def test_19_usc_1621_1592_five_years_from_the_violation_fraud_from_discovery() -> None:
    discovery = date(2023, 1, 15)
    negligence = _limitations("1592", discovery=discovery)
    assert negligence.due_on == date(2026, 5, 10)
    assert "19 USC 1621(1)" in negligence.rule
    fraud = _limitations("1592", is_fraud=True, discovery=discovery)
    assert fraud.due_on == date(2028, 1, 15)
    assert "fraud" in fraud.rule
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)


@pytest.mark.parametrize("violation_type", ["1526f", "1595a_b", "de_minimis"])
def test_19_usc_1621_other_penalties_run_five_years_from_discovery(violation_type: str) -> None:
    computed = _limitations(violation_type, discovery=date(2023, 1, 15))
    assert computed.due_on == date(2028, 1, 15)
    assert "from the discovery on 15 January 2023 (19 USC 1621)" in computed.rule
    # Without a discovery date it runs from the violation (never later than the law's date).
    unknown = _limitations(violation_type)
    assert unknown.due_on == date(2026, 5, 10)
    assert "record the discovery date" in unknown.rule


def test_28_usc_2415_a_bond_claims_six_years_from_the_breach() -> None:
    computed = _limitations("liquidated_damages", discovery=date(2023, 1, 15))
    assert computed.due_on == date(2027, 5, 10)
    assert "28 USC 2415(a)" in computed.rule


def test_19_cfr_171_2_e_petition_shortened_not_under_7_working_days() -> None:
    # Issued Monday 2 March 2026 with 100 days of limitations left: 7 working days end on
    # Wednesday 11 March, so 9 calendar days are the least the notice may give.
    limitations = date(2026, 6, 10)
    due = petition_due(
        issued_on=ISSUED, days=60, seizure=False, limitations_on=limitations, requested_days=9
    )
    assert due.due_on == date(2026, 3, 11)
    assert "19 CFR 171.2(e)" in due.rule
    with pytest.raises(DeadlineError, match="7 working days"):
        petition_due(
            issued_on=ISSUED, days=60, seizure=False, limitations_on=limitations, requested_days=8
        )
    with pytest.raises(DeadlineError, match="less than 180 days"):
        petition_due(
            issued_on=ISSUED,
            days=60,
            seizure=False,
            limitations_on=date(2027, 3, 2),
            requested_days=30,
        )


def test_19_cfr_171_2_c_petition_period_longer_in_a_complex_case_up_to_90_days() -> None:
    due = petition_due(issued_on=ISSUED, days=60, seizure=False, requested_days=90, longest_days=90)
    assert due.due_on == date(2026, 5, 31)
    assert "19 CFR 171.2(c)" in due.rule
    with pytest.raises(DeadlineError, match="longer than 90"):
        petition_due(issued_on=ISSUED, days=60, seizure=False, requested_days=91, longest_days=90)


def test_extensions_move_forward_only() -> None:
    today = date(2026, 3, 2)
    assert extension_problems(current_due_on=today, new_due_on=date(2026, 3, 1), today=today)
    assert not extension_problems(current_due_on=today, new_due_on=date(2026, 4, 1), today=today)


def test_19_cfr_171_2_e_working_days_leave_out_5_usc_6103_holidays() -> None:
    # Issued Monday 23 November 2026, 100 days of limitations left: Thanksgiving (Thursday
    # 26 November) is not a working day, so the 7th working day is Thursday 3 December
    # (10 calendar days), not Wednesday 2 December.
    issued = date(2026, 11, 23)
    limitations = date(2027, 3, 3)
    due = petition_due(
        issued_on=issued, days=60, seizure=False, limitations_on=limitations, requested_days=10
    )
    assert due.due_on == date(2026, 12, 3)
    with pytest.raises(DeadlineError, match=r"no earlier than 3 December 2026"):
        petition_due(
            issued_on=issued, days=60, seizure=False, limitations_on=limitations, requested_days=9
        )
