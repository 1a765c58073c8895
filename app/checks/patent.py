"""The rule set ``patent`` (``rules: [patent]``): the P checks of one application and the batch
rule P008 (one patent per person per plan year). P009 (the same patent twice) is the form's
``identity`` with its ``duplicate_code``."""

from __future__ import annotations

import re

from zhutui import identifiers as ids
from zhutui.appfile import Application
from zhutui.checks.batch import groups, others
from zhutui.checks.context import Context
from zhutui.checks.fields import parse_date
from zhutui.checks.planrules import patent_rules

_KIND_NAMES = {"utility_model": "实用新型专利", "design": "外观设计专利", "pct_utility_model": "实用新型专利（PCT）"}


def check(ctx: Context) -> None:
    app, plan = ctx.app, ctx.plan
    rules = patent_rules(plan)
    number = app.get("patent.number")
    if number:
        parsed = ids.parse_patent_number(number)
        if parsed is None:
            ctx.emit("P001", "patent.number", value=number)
        else:
            if not parsed.check_ok:
                ctx.emit("P002", "patent.number", value=number)
            if not parsed.is_invention:
                ctx.emit("P003", "patent.number", value=number, kind=_KIND_NAMES[parsed.kind])

    grant = parse_date(app.get("patent.grant_date"))
    if grant and not rules.grant_from <= grant <= rules.grant_to:
        ctx.emit("P004", "patent.grant_date", value=grant.isoformat())

    if app.get("inventor.frontline") is False:
        ctx.emit("P005", "inventor.frontline")

    inventors = app.get("patent.inventors") or []
    name = app.get("inventor.name")
    if inventors and name and inventors[0] and inventors[0] != name:
        ctx.emit("P007", "patent.inventors[0]", value=inventors[0], expected=name)

    applied = parse_date(app.get("patent.applied_since"))
    if applied and applied > ctx.today:
        ctx.emit(
            "P010",
            "patent.applied_since",
            detail=f"应用起始日期{applied.isoformat()}晚于今天（{ctx.today.isoformat()}），专利须已在生产中应用。",
        )

    patentee, employer = app.get("patent.patentee"), app.get("inventor.employer")
    if patentee and employer and not _holds(patentee, employer):
        ctx.emit("P020", "patent.patentee", value=patentee, expected=employer)

    field = app.get("patent.field")
    if field and field not in plan.focus_areas:
        ctx.emit("P021", "patent.field", value=field)


def _holds(patentee: str, employer: str) -> bool:
    """True when ``employer`` is one of the (possibly several) patentees."""

    def key(s: str) -> str:
        return re.sub(r"[\s()（）]", "", s)

    return any(key(p) == key(employer) for p in re.split(r"[;；、,，/]", patentee))


def _person(app: Application) -> tuple[int, str] | None:
    id_number = app.get("inventor.id_number")
    return (app.plan.year, id_number) if id_number else None


def check_batch(ctxs: list[Context]) -> None:
    """P008: one person (ID number) in more than one patent application of a plan year."""
    for group in groups(ctxs, _person):
        if len(group) > 1:
            for ctx in group:
                ctx.emit(
                    "P008", "inventor.id_number", value=ctx.app.get("inventor.id_number"), others=others(ctx, group)
                )
