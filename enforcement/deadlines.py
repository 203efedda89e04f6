"""Deadline arithmetic: pure functions over dates, with the periods passed in (they are
statutory figures, read from the database by the services).

* Reply to a pre-penalty notice: 30 days (19 USC 1592(b)(1); 19 CFR 162.78(a)); the notice
  may give less, but not less than 7 days, only when under a year remains before the statute
  of limitations (19 CFR 162.78(a)).
* Petition: 60 days from the penalty notice (19 CFR 171.2(b)(2)); against a seizure 30 days
  (19 CFR 171.2(b)(1)). When under 180 days of the limitations period remain, the notice may
  give a shorter reasonable period, not under 7 working days (19 CFR 171.2(e)); the fines,
  penalties and forfeitures officer may give longer when the circumstances warrant (19 CFR
  171.2(c)), up to the program's limit for complex cases (90 days). Working days are Monday
  to Friday less the federal legal public holidays of 5 USC 6103 (`core.reference.holidays`).
  Supplemental petition: 60 days from the decision (19 CFR 171.61).
* Payment: as the decision says (usually up to 60 days).
* Statute of limitations (19 USC 1621): 19 USC 1592: five years from the violation, or from
  its discovery for fraud (1621(1)); other customs penalties (1526(f), 1595a(b), de minimis
  misuse): five years from discovery (1621); a claim on a bond (liquidated damages): six
  years from the breach (28 USC 2415(a)).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.reference.holidays import add_working_days


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
    *,
    violation_type: str,
    violation_date: date,
    discovery_date: date | None,
    is_fraud: bool,
    years: int,
    bond_years: int,
) -> ComputedDeadline:
    """The last day to act before the statute of limitations, with the rule that gave it.
    Where the rule runs from discovery and no discovery date is recorded, it runs from the
    violation: discovery cannot come earlier, so the date is never later than the law's."""
    if violation_type == "liquidated_damages":
        return ComputedDeadline(
            add_years(violation_date, bond_years),
            f"{bond_years} years from the breach of the bond on {violation_date:%-d %B %Y} "
            "(claim on a bond, 28 USC 2415(a))",
        )
    if violation_type == "1592" and not is_fraud:
        return ComputedDeadline(
            add_years(violation_date, years),
            f"{years} years from the violation on {violation_date:%-d %B %Y} (19 USC 1621(1))",
        )
    citation = "19 USC 1621(1), fraud" if violation_type == "1592" else "19 USC 1621"
    if discovery_date is None:
        return ComputedDeadline(
            add_years(violation_date, years),
            f"{years} years from discovery ({citation}); no discovery date is recorded, so "
            f"counted from the violation on {violation_date:%-d %B %Y}: record the discovery "
            "date",
        )
    return ComputedDeadline(
        add_years(discovery_date, years),
        f"{years} years from the discovery on {discovery_date:%-d %B %Y} ({citation})",
    )


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
            "(19 CFR 162.78(a); not less than "
            f"{minimum_days} days)",
        )
    return ComputedDeadline(
        issued_on + timedelta(days=days),
        f"{days} days from {issued_on:%-d %B %Y} (19 USC 1592(b)(1); 19 CFR 162.78(a))",
    )


def petition_due(
    *,
    issued_on: date,
    days: int,
    seizure: bool,
    limitations_on: date | None = None,
    requested_days: int | None = None,
    minimum_working_days: int = 7,
    shortening_window_days: int = 180,
    longest_days: int | None = None,
) -> ComputedDeadline:
    """When a petition is due: the standard `days`, or the period the officer gives in the
    notice: shorter only when under `shortening_window_days` remain before the limitations
    date and never under `minimum_working_days` working days (19 CFR 171.2(e)); longer up
    to `longest_days` (19 CFR 171.2(c); the service asks for the reason)."""
    citation = "19 CFR 171.2(b)(1), seizure" if seizure else "19 CFR 171.2(b)(2)"
    if requested_days is None or requested_days == days:
        return ComputedDeadline(
            issued_on + timedelta(days=days),
            f"{days} days from the penalty notice of {issued_on:%-d %B %Y} ({citation})",
        )
    due_on = issued_on + timedelta(days=requested_days)
    if requested_days > days:
        if longest_days is not None and requested_days > longest_days:
            raise DeadlineError(f"The petition period cannot be longer than {longest_days} days.")
        return ComputedDeadline(
            due_on,
            f"{requested_days} days from the penalty notice of {issued_on:%-d %B %Y}, longer "
            f"than the {days} of {citation} as the circumstances warrant (19 CFR 171.2(c))",
        )
    remaining = None if limitations_on is None else (limitations_on - issued_on).days
    if remaining is None or remaining >= shortening_window_days:
        raise DeadlineError(
            f"The petition period can be shorter than {days} days only when less than "
            f"{shortening_window_days} days remain before the statute of limitations "
            "(19 CFR 171.2(e))."
        )
    earliest = add_working_days(issued_on, minimum_working_days)
    if due_on < earliest:
        raise DeadlineError(
            f"The petition period cannot be shorter than {minimum_working_days} working days "
            f"(due no earlier than {earliest:%-d %B %Y}; 19 CFR 171.2(e))."
        )
    return ComputedDeadline(
        due_on,
        f"{requested_days} days from the penalty notice of {issued_on:%-d %B %Y}, shortened "
        f"because {remaining} days remain before the statute of limitations (19 CFR 171.2(e); "
        f"not less than {minimum_working_days} working days)",
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
