"""Working days by China's official calendar (holidays and 调休), via ``chinese-calendar``.

Outside the years that ``chinese-calendar`` covers, a day counts as a working day when it is
Monday to Friday, and the caller is told which years were guessed so (rule D005).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar


@dataclass
class Calendar:
    """Answers "is this a working day?" and remembers the years it had to guess."""

    guessed_years: set[int] = field(default_factory=set)

    def is_workday(self, day: dt.date) -> bool:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self.guessed_years.add(day.year)
            return day.weekday() < 5

    def is_holiday(self, day: dt.date) -> bool:
        """A public holiday (not just a weekend), where known."""
        try:
            return chinese_calendar.is_holiday(day) and chinese_calendar.get_holiday_detail(day)[1] is not None
        except NotImplementedError:
            self.guessed_years.add(day.year)
            return False

    def workdays_until(self, today: dt.date, deadline: dt.date) -> int:
        """Working days after ``today`` up to and including ``deadline`` (0 on the day itself)."""
        count, day = 0, today + dt.timedelta(days=1)
        while day <= deadline:
            count += self.is_workday(day)
            day += dt.timedelta(days=1)
        return count

    def previous_workday(self, day: dt.date) -> dt.date:
        day -= dt.timedelta(days=1)
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return day
