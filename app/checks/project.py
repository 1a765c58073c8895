"""The rule set ``project`` (``rules: [project]``): the J checks of one application and the batch
rule J008 (at most N applications of one studio)."""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction

from zhutui import identity
from zhutui.appfile import Application
from zhutui.checks.batch import groups, others
from zhutui.checks.context import Context
from zhutui.checks.fields import parse_date
from zhutui.checks.planrules import latest_completion, project_rules

__all__ = ["check", "check_batch", "latest_completion"]


def check(ctx: Context) -> None:
    app, rules = ctx.app, project_rules(ctx.plan)
    approved = parse_date(app.get("project.approved_on"))
    planned = parse_date(app.get("project.planned_completion"))
    if approved and not rules.approval_from <= approved <= rules.approval_to:
        ctx.emit("J001", "project.approved_on", value=approved.isoformat())

    funds = app.get("project.startup_funds")
    if funds is not None and funds <= 0:
        ctx.emit("J002", "project.startup_funds", detail=f"启动资金为{funds}元。")

    if approved and planned:
        if planned <= approved:
            ctx.emit("J004", "project.planned_completion", value=planned.isoformat(), approved_on=approved.isoformat())
        elif planned > (limit := latest_completion(ctx.plan, approved)):
            ctx.emit("J003", "project.planned_completion", value=planned.isoformat(), limit=limit.isoformat())

    _check_tier(ctx)
    _check_budget(ctx)

    if rules.exclude_unfinished and app.get("studio.has_unfinished_funded_project") is True:
        ctx.emit("J009", "studio.has_unfinished_funded_project")

    _check_milestones(ctx, approved, planned)

    paid = parse_date(app.get("project.startup_funds_date"))
    future = _check_not_after_today(ctx, approved, paid)
    # J014 compares dates that have happened. A date after today (J015, an error) is the one to
    # correct first: a payment "before" an approval dated in the future would send the user to
    # the wrong field, and a future payment is not also "after the deadline".
    paid_known = paid if "project.startup_funds_date" not in future else None
    if paid_known and approved and paid_known < approved and "project.approved_on" not in future:
        ctx.emit(
            "J014",
            "project.startup_funds_date",
            value=paid_known.isoformat(),
            detail=f"早于企业立项日期{approved.isoformat()}",
        )
    elif paid_known and paid_known > ctx.plan.deadline:
        ctx.emit(
            "J014",
            "project.startup_funds_date",
            value=paid_known.isoformat(),
            detail=f"晚于材料报送截止日期{ctx.plan.deadline.isoformat()}",
        )

    field = app.get("project.field")
    if field and field not in ctx.plan.focus_areas:
        ctx.emit("J021", "project.field", value=field)


def _check_not_after_today(ctx: Context, approved: dt.date | None, paid: dt.date | None) -> set[str]:
    """J015: the notice asks for a project already approved and already funded, so neither date
    can lie after today. Each date is its own finding at its own field; the paths reported."""
    found = set()
    for path, day in (("project.approved_on", approved), ("project.startup_funds_date", paid)):
        if day and day > ctx.today:
            ctx.emit("J015", path, label=ctx.app.form.field(path).label, value=day.isoformat())
            found.add(path)
    return found


def _check_tier(ctx: Context) -> None:
    app, rules = ctx.app, project_rules(ctx.plan)
    tier, level = app.get("project.requested_tier"), app.get("studio.level")
    if not isinstance(tier, int) or rules.tier(tier) is None:
        return  # absent or not a tier at all: F001 / F004
    allowed = rules.tiers_for(level) if level else ()
    if level and allowed and tier not in allowed:
        level_label = app.form.field("studio.level").choice_label(level)
        ctx.emit(
            "J005",
            "project.requested_tier",
            level=level_label,
            value=f"{tier}元",
            allowed="或".join(f"{a}元" for a in allowed),
        )
    total = app.get("project.total_budget")
    if rules.boost_cap is not None and total and tier > Fraction(str(rules.boost_cap)) * total:
        cap = Fraction(str(rules.boost_cap))
        ctx.emit(
            "J006",
            "project.requested_tier",
            value=tier,
            total=total,
            cap_percent=f"{float(cap * 100):g}",
            max_amount=int(cap * total),
        )


def _check_budget(ctx: Context) -> None:
    app = ctx.app
    lines = app.get("project.budget") or []
    total, tier = app.get("project.total_budget"), app.get("project.requested_tier")
    if not lines:
        return
    amounts = [line.get("amount") or 0 for line in lines]
    if total is not None and sum(amounts) != total:
        ctx.emit("J007", "project.budget", sum=sum(amounts), total=total, diff=abs(sum(amounts) - total))
    boost = sum(a for a, line in zip(amounts, lines, strict=True) if line.get("source") == "boost")
    if isinstance(tier, int) and boost != tier:
        ctx.emit("J013", "project.budget", sum=boost, value=tier)


def _check_milestones(ctx: Context, approved: dt.date | None, planned: dt.date | None) -> None:
    spans = []
    for i, row in enumerate(ctx.app.get("project.milestones") or []):
        start, end = parse_date(row.get("start")), parse_date(row.get("end"))
        base = f"project.milestones[{i}]"
        if start and approved and start < approved:
            ctx.emit(
                "J012",
                f"{base}.start",
                row=i + 1,
                detail=f"开始日期{start.isoformat()}早于企业立项日期{approved.isoformat()}，",
            )
        if end and planned and end > planned:
            ctx.emit(
                "J012",
                f"{base}.end",
                row=i + 1,
                detail=f"结束日期{end.isoformat()}晚于计划完成日期{planned.isoformat()}，",
            )
        if start and end and end < start:
            ctx.emit(
                "J012", f"{base}.end", row=i + 1, detail=f"结束日期{end.isoformat()}早于开始日期{start.isoformat()}，"
            )
        elif start and end:
            spans.append((start, end, i))
    # "Overlap badly": two consecutive stages share more than half of the shorter one.
    spans.sort()
    for (s1, e1, i1), (s2, e2, i2) in itertools.pairwise(spans):
        shared = (min(e1, e2) - s2).days + 1
        shorter = min((e1 - s1).days, (e2 - s2).days) + 1
        if shared > 0 and shared * 2 > shorter:
            ctx.emit(
                "J012",
                f"project.milestones[{i2}].start",
                row=i2 + 1,
                detail=f"与第{i1 + 1}阶段的时间大部分重叠（重叠{shared}天），",
            )


def _studio(app: Application) -> tuple[int, str, str] | None:
    """One studio: its name and enterprise compared as a form's identity compares names
    (（集团） = (集团), full-width letters and digits as half-width, no white space)."""
    name = identity.comparable(app.form, "studio.name", app.get("studio.name"))
    if not name:
        return None
    enterprise = identity.comparable(app.form, "studio.enterprise", app.get("studio.enterprise"))
    return (app.plan.year, name, enterprise or "")


def check_batch(ctxs: list[Context]) -> None:
    """J008: more applications of one studio (name + enterprise) in a plan year than allowed."""
    for group in groups(ctxs, _studio):
        limit = project_rules(group[0].plan).per_studio_applications
        if limit is not None and len(group) > limit:
            for ctx in group:
                ctx.emit(
                    "J008", "studio.name", value=ctx.app.get("studio.name"), count=len(group), others=others(ctx, group)
                )
