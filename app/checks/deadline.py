"""Deadline checks (D codes): they depend on "today", which the CLI takes as ``--today``."""

from __future__ import annotations

from app.checks.context import Context
from app.workdays import Calendar

WARN_WORKDAYS = 5


def check_deadline(ctx: Context) -> None:
    plan, today = ctx.plan, ctx.today
    deadline = plan.deadline
    values = {"deadline": deadline.isoformat()}
    if not plan.confirmed:
        ctx.emit("D004", "plan_year")
    if today > deadline:
        ctx.emit("D001", "plan_year", **values)
        return
    cal = Calendar()
    days = cal.workdays_until(today, deadline)
    if days <= WARN_WORKDAYS:
        ctx.emit("D002", "plan_year", days=days, **values)
    if not cal.is_workday(deadline):
        kind = "法定节假日" if cal.is_holiday(deadline) else "周末"
        ctx.emit("D003", "plan_year", day_kind=kind,
                 previous=cal.previous_workday(deadline).isoformat(), **values)
    if cal.guessed_years:
        ctx.emit("D005", "plan_year", years="、".join(str(y) for y in sorted(cal.guessed_years)))
