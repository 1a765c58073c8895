"""Batch rules across all applications checked together (P008, P009, J008)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable

from zhutui import identifiers as ids
from zhutui.appfile import Application
from zhutui.checks.context import Context


def _groups(ctxs: list[Context], key: Callable[[Application], Hashable | None]) -> list[list[Context]]:
    groups: dict[Hashable, list[Context]] = defaultdict(list)
    for ctx in ctxs:
        k = key(ctx.app)
        if k is not None:
            groups[k].append(ctx)
    return list(groups.values())


def _others(ctx: Context, group: list[Context]) -> str:
    return "、".join(other.app.name for other in group if other is not ctx)


def _person(app: Application) -> Hashable | None:
    id_number = app.get("inventor.id_number")
    if app.form.form != "patent" or not id_number:
        return None
    return (app.plan.year, id_number)


def _patent(app: Application) -> Hashable | None:
    number = app.get("patent.number")
    parsed = ids.parse_patent_number(number) if app.form.form == "patent" and number else None
    return parsed.normalized if parsed else None


def _studio(app: Application) -> Hashable | None:
    name, enterprise = app.get("studio.name"), app.get("studio.enterprise")
    if app.form.form != "project" or not name:
        return None

    def squash(s: str | None) -> str:
        return re.sub(r"\s", "", s or "")

    return (app.plan.year, squash(name), squash(enterprise))


def check_batch_rules(ctxs: list[Context]) -> None:
    for group in _groups(ctxs, _person):
        if len(group) > 1:
            for ctx in group:
                ctx.emit(
                    "P008", "inventor.id_number", value=ctx.app.get("inventor.id_number"), others=_others(ctx, group)
                )
    for group in _groups(ctxs, _patent):
        if len(group) > 1:
            for ctx in group:
                ctx.emit("P009", "patent.number", value=ctx.app.get("patent.number"), others=_others(ctx, group))
    for group in _groups(ctxs, _studio):
        limit = group[0].plan.project.per_studio_applications
        if limit is not None and len(group) > limit:
            for ctx in group:
                ctx.emit(
                    "J008",
                    "studio.name",
                    value=ctx.app.get("studio.name"),
                    count=len(group),
                    others=_others(ctx, group),
                )
