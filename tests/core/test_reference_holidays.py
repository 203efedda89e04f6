"""5 USC 6103: the federal legal public holidays, and working days that leave them out."""

from datetime import date

from core.reference.holidays import add_working_days, federal_holidays, is_working_day


def test_5_usc_6103_a_holidays_of_2026_as_opm_lists_them() -> None:
    # OPM's 2026 list: Independence Day falls on a Saturday and is observed on Friday 3 July.
    assert sorted(federal_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 1, 19),
        date(2026, 2, 16),
        date(2026, 5, 25),
        date(2026, 6, 19),
        date(2026, 7, 3),
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 11),
        date(2026, 11, 26),
        date(2026, 12, 25),
    ]


def test_5_usc_6103_b_saturday_and_sunday_holidays_are_observed_on_friday_and_monday() -> None:
    # Christmas 2022 was a Sunday (observed Monday 26 December); New Year's Day 2022 a
    # Saturday, observed on Friday 31 December 2021, which belongs to 2021's list.
    assert date(2022, 12, 26) in federal_holidays(2022)
    assert date(2021, 12, 31) in federal_holidays(2021)
    assert date(2021, 12, 31) not in federal_holidays(2022)
    assert not is_working_day(date(2021, 12, 31))
    assert is_working_day(date(2022, 1, 3))


def test_juneteenth_is_a_holiday_from_2021_pub_l_117_17() -> None:
    assert date(2020, 6, 19) not in federal_holidays(2020)
    assert date(2021, 6, 18) in federal_holidays(2021)  # 19 June 2021 was a Saturday


def test_working_days_skip_weekends_and_holidays() -> None:
    # From Wednesday 23 December 2026: Thursday 24 (1), Christmas Friday 25 not counted,
    # Monday 28 (2), Tuesday 29 (3).
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 29)
    assert add_working_days(date(2026, 3, 2), 7) == date(2026, 3, 11)
