"""Deadline arithmetic: pure functions over dates, with the periods passed in (they are
statutory figures, read from the database by the services).

* Reply to a pre-penalty notice: 30 days (19 USC 1592(b); 19 CFR 162.78(b)); the notice may
  give less, but not less than 7 days, only when under a year remains before the statute of
  limitations.
* Petition: 60 days from the penalty notice (19 CFR 171.2(b)(2)); against a seizure 30 days
  (19 CFR 171.2(b)(1)). Supplemental petition: 60 days from the decision (19 CFR 171.61).
* Payment: as the decision says (usually up to 60 days).
* Statute of limitations: 5 years from the violation, or from its discovery for fraud
  (19 USC 1621).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


class DeadlineError(ValueError):
    """The requested period breaks a rule; the message says which."""


@dataclass(frozen=True)
class ComputedDeadline:
    due_on: date
    rule: str


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def limitations_date(
    *, violation_date: date, discovery_date: date | None, is_fraud: bool, years: int
) -> date:
    """The last day to act before the statute of limitations (19 USC 1621)."""
    start = discovery_date if is_fraud and discovery_date else violation_date
    return add_years(start, years)


def prepenalty_response_due(
    *,
    issued_on: date,
    limitations_on: date,
    standard_days: int,
    minimum_days: int,
    shortening_window_days: int,
    requested_days: int | None = None,
) -> ComputedDeadline:
    """When the reply to a pre-penalty notice is due. A period shorter than the standard is
    allowed only when less than `shortening_window_days` remain before the limitations date,
    and never below `minimum_days`."""
    remaining = (limitations_on - issued_on).days
    days = standard_days if requested_days is None else requested_days
    if days < standard_days:
        if remaining >= shortening_window_days:
            raise DeadlineError(
                f"The reply period can be shorter than {standard_days} days only when less than "
                f"a year remains before the statute of limitations ({limitations_on:%-d %B %Y})."
            )
        if days < minimum_days:
            raise DeadlineError(f"The reply period cannot be shorter than {minimum_days} days.")
        return ComputedDeadline(
            issued_on + timedelta(days=days),
            f"{days} days from {issued_on:%-d %B %Y}, shortened from {standard_days} because "
            f"{remaining} days remain before the statute of limitations "
            "(19 CFR 162.78(b); not less than "
            f"{minimum_days} days)",
        )
    return ComputedDeadline(
        issued_on + timedelta(days=days),
        f"{days} days from {issued_on:%-d %B %Y} (19 USC 1592(b)(1); 19 CFR 162.78(b))",
    )


def petition_due(*, issued_on: date, days: int, seizure: bool) -> ComputedDeadline:
    citation = "19 CFR 171.2(b)(1), seizure" if seizure else "19 CFR 171.2(b)(2)"
    return ComputedDeadline(
        issued_on + timedelta(days=days),
        f"{days} days from the penalty notice of {issued_on:%-d %B %Y} ({citation})",
    )


def supplemental_petition_due(*, decided_on: date, days: int) -> ComputedDeadline:
    return ComputedDeadline(
        decided_on + timedelta(days=days),
        f"{days} days from the decision of {decided_on:%-d %B %Y} (19 CFR 171.61)",
    )


def payment_due(*, decided_on: date, days: int, maximum_days: int) -> ComputedDeadline:
    if days < 1 or days > maximum_days:
        raise DeadlineError(f"Give between 1 and {maximum_days} days to pay.")
    return ComputedDeadline(
        decided_on + timedelta(days=days),
        f"{days} days from the decision of {decided_on:%-d %B %Y}, as the decision states",
    )


def extension_problems(*, current_due_on: date, new_due_on: date, today: date) -> list[str]:
    problems = []
    if new_due_on <= current_due_on:
        problems.append(f"An extension must move the date after {current_due_on:%-d %B %Y}.")
    if new_due_on < today:
        problems.append("The new date cannot be in the past.")
    return problems
