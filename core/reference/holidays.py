"""US federal legal public holidays (5 USC 6103), for counting working days.

The eleven holidays of 5 USC 6103(a), computed by rule for any year rather than typed as a
list that runs out:

* fixed dates: New Year's Day (1 January), Juneteenth National Independence Day (19 June,
  from 2021: Pub. L. 117-17, enacted 17 June 2021), Independence Day (4 July), Veterans Day
  (11 November), Christmas Day (25 December);
* Monday holidays (Uniform Monday Holiday Act, Pub. L. 90-363, in force from 1971): Birthday
  of Martin Luther King, Jr. (third Monday of January, from 1986: Pub. L. 98-144),
  Washington's Birthday (third Monday of February), Memorial Day (last Monday of May), Labor
  Day (first Monday of September), Columbus Day (second Monday of October);
* Thanksgiving Day (fourth Thursday of November).

A fixed-date holiday on a Saturday is observed on the Friday before, and on a Sunday on the
Monday after (5 USC 6103(b); Executive Order 11582). Inauguration Day (5 USC 6103(c)) is a
holiday only for employees in the Washington, DC area and is not counted here.

This module counts days only; it holds no state and knows nothing of customs.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

SATURDAY, SUNDAY = 5, 6
MONDAY, THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (nth - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == SATURDAY:
        return day - timedelta(days=1)
    if day.weekday() == SUNDAY:
        return day + timedelta(days=1)
    return day


@cache
def federal_holidays(year: int) -> dict[date, str]:
    """The days federal offices are closed in `year` for a legal public holiday, each with its
    name (observed dates; a New Year's Day on a Saturday is observed on 31 December of the
    year before and so appears in that year's mapping)."""
    fixed = [(date(year, 1, 1), "New Year's Day")]
    if year >= 2021:
        fixed.append((date(year, 6, 19), "Juneteenth National Independence Day"))
    fixed += [
        (date(year, 7, 4), "Independence Day"),
        (date(year, 11, 11), "Veterans Day"),
        (date(year, 12, 25), "Christmas Day"),
    ]
    days: dict[date, str] = {}
    for day, name in fixed:
        days[_observed(day)] = name
    next_new_year = date(year + 1, 1, 1)
    if next_new_year.weekday() == SATURDAY:
        days[next_new_year - timedelta(days=1)] = "New Year's Day (observed)"
    days.pop(date(year - 1, 12, 31), None)  # observed in the year before
    if year >= 1986:
        days[_nth_weekday(year, 1, MONDAY, 3)] = "Birthday of Martin Luther King, Jr."
    days[_nth_weekday(year, 2, MONDAY, 3)] = "Washington's Birthday"
    days[_last_weekday(year, 5, MONDAY)] = "Memorial Day"
    days[_nth_weekday(year, 9, MONDAY, 1)] = "Labor Day"
    days[_nth_weekday(year, 10, MONDAY, 2)] = "Columbus Day"
    days[_nth_weekday(year, 11, THURSDAY, 4)] = "Thanksgiving Day"
    return days


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a federal legal public holiday."""
    return day.weekday() < SATURDAY and day not in federal_holidays(day.year)


def add_working_days(day: date, working_days: int) -> date:
    """The day `working_days` working days after `day` (weekends and federal holidays are not
    counted)."""
    current = day
    left = working_days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current
