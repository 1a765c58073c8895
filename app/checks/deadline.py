"""Deadline checks (D codes): they depend on "today", which the CLI takes as ``--today``."""

from __future__ import annotations

import datetime as dt
import functools

from zhutui.checks.context import Context
from zhutui.workdays import Calendar

WARN_WORKDAYS = 5


@functools.lru_cache(maxsize=64)
def deadline_findings(deadline: dt.date, today: dt.date) -> tuple[tuple[str, tuple], ...]:
    """(code, params) of the calendar findings for a deadline seen from ``today``.

    The same for every application of a plan year, so computed once per batch.
    """
    values = (("deadline", deadline.isoformat()),)
    if today > deadline:
        return (("D001", values),)
    found: list[tuple[str, tuple]] = []
    cal = Calendar()
    days = cal.workdays_until(today, deadline)
    if days <= WARN_WORKDAYS:
        left = "今天就是截止日" if today == deadline else f"从明天算到截止日当天只剩{days}个工作日"
        found.append(("D002", (*values, ("days", days), ("left", left))))
    previous = cal.previous_workday(deadline)
    # A deadline on a day off: the app's advice to deliver the paper copy on the working day
    # before, while that day is still ahead (or today).
    if not cal.is_workday(deadline) and today <= previous:
        kind = "法定节假日" if cal.is_holiday(deadline) else "周末"
        found.append(("D003", (*values, ("day_kind", kind), ("previous", previous.isoformat()))))
    if cal.guessed_years:
        found.append(("D005", (("years", "、".join(str(y) for y in sorted(cal.guessed_years))),)))
    return tuple(found)


def check_deadline(ctx: Context) -> None:
    if not ctx.plan.confirmed:
        ctx.emit("D004", "plan_year")
    for code, params in deadline_findings(ctx.plan.deadline, ctx.today):
        ctx.emit(code, "plan_year", **dict(params))
