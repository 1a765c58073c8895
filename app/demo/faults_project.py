"""Planted faults of project proposals (J codes) and the F codes planted on projects."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

from zhutui.checks.planrules import latest_completion, project_rules
from zhutui.demo import prose
from zhutui.demo.data import Batch, DemoApp, level_label, max_length
from zhutui.demo.faults import FaultCtx, FaultDef, bad_date, drop_digit, fs, remove_att, spoil_uscc


def _pj(app: DemoApp) -> dict[str, Any]:
    return app.data["project"]


def _studio(app: DemoApp) -> dict[str, Any]:
    return app.data["studio"]


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --------------------------------------------------------------------------- F codes


def f001(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    del _studio(app)["leader"]["post"]
    return "studio.leader.post", "领军人的“职务 / 职称 / 技能等级”没有填写"


def f002(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    p = _pj(app)
    p["background"] = p["background"] + p["content"] + p["innovation"] + p["foundation"]
    limit = max_length("project", "project.background")
    while len(p["background"]) <= limit:
        p["background"] += p["goals"]
    return "project.background", f"“项目背景”粘贴了整篇材料，共{len(p['background'])}字，超过{limit}字"


def f003(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _pj(app)["startup_funds_date"] = bad_date(_pj(app)["startup_funds_date"])
    return "project.startup_funds_date", f"启动资金拨付日期写成了不存在的日期 {_pj(app)['startup_funds_date']}"


def f012(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    leader = _studio(app)["leader"]
    leader["phone"] = drop_digit(leader["phone"], ctx.rng)
    return "studio.leader.phone", f"领军人手机号少输了一位（{leader['phone']}）"


def f013(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _studio(app)["enterprise_uscc"] = spoil_uscc(_studio(app)["enterprise_uscc"], ctx.rng)
    return "studio.enterprise_uscc", "单位统一社会信用代码中有一位输错"


# --------------------------------------------------------------------------- J codes


def _shift_year(text: str, years: int) -> str:
    d = _date(text)
    return d.replace(year=d.year + years, day=min(d.day, 28) if d.month == 2 else d.day).isoformat()


def _j001(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    p = _pj(app)
    for key in ("approved_on", "startup_funds_date", "planned_completion"):
        p[key] = _shift_year(p[key], -1)
    for row in p["milestones"]:
        row["start"], row["end"] = _shift_year(row["start"], -1), _shift_year(row["end"], -1)
    app.doc.update(
        approved=_date(p["approved_on"]), paid=_date(p["startup_funds_date"]), planned=_date(p["planned_completion"])
    )
    return "project.approved_on", f"项目是{p['approved_on'][:4]}年立项的（{p['approved_on']}），不在本年度"


def _j002(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _pj(app)["startup_funds"] = 0
    return "project.startup_funds", "启动资金填为0元（企业尚未拨付启动资金）"


def _j003(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    approved = _date(_pj(app)["approved_on"])
    limit = latest_completion(ctx.batch.plan, approved)
    planned = max(dt.date(2025, 6, 30), limit + dt.timedelta(days=180))
    _pj(app)["planned_completion"] = planned.isoformat()
    app.doc["planned"] = planned
    return "project.planned_completion", f"计划完成日期 {planned.isoformat()} 晚于最晚完成期限 {limit.isoformat()}"


def _j004(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    p = _pj(app)
    approved = _date(p["approved_on"])
    planned = _date(p["planned_completion"])
    p["planned_completion"] = _shift_year(p["planned_completion"], approved.year - 1 - planned.year)
    return "project.planned_completion", (
        f"计划完成日期年份输错（{p['planned_completion']}），早于立项日期；实施计划各阶段因此也会报出J012警告"
    )


def _j005(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _studio(app)["level"] = app.doc["level"] = "district"
    return "project.requested_tier", f"区级工作室申请了{_pj(app)['requested_tier']}元（只能申请3万元）"


def _j006(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    p = _pj(app)
    tier = p["requested_tier"]
    own = tier * 6 // 10 // 5000 * 5000
    lines = [line for line in p["budget"] if line["source"] == "boost"]
    others = [line for line in p["budget"] if line["source"] != "boost"]
    shares = _split_evenly(own, len(others[:3]))
    for line, amount in zip(others[:3], shares, strict=True):
        line["amount"], line["source"] = amount, "enterprise"
    p["budget"] = [*lines, *others[:3]]
    p["total_budget"] = tier + own
    p["startup_funds"] = min(p["startup_funds"], max(10000, own // 10000 * 10000))
    app.doc.update(total=p["total_budget"], startup=p["startup_funds"])
    return "project.requested_tier", f"申请助推{tier}元，超过项目总经费{p['total_budget']}元的50%"


def _split_evenly(total: int, parts: int) -> list[int]:
    base = total // parts // 1000 * 1000
    return [base] * (parts - 1) + [total - base * (parts - 1)]


def _j007(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    line = next(x for x in _pj(app)["budget"] if x["source"] != "boost")
    delta = ctx.rng.choice((5000, 10000, 20000))
    line["amount"] += delta
    return "project.budget", f"经费预算“{line['item']}”多填了{delta}元，各项合计与总经费不符"


def _j008(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    first, second = ctx.partners
    app.data["studio"] = copy.deepcopy(first.data["studio"])
    app.data["unit_union"] = copy.deepcopy(first.data["unit_union"])
    app.ent, app.group = first.ent, first.group
    app.stem = f"{app.stem.split('_', 1)[0]}_{first.group}"
    studio = _studio(app)
    app.doc.update(
        studio=studio["name"],
        level=studio["level"],
        leader=studio["leader"]["name"],
        recognized_year=studio["recognized_year"],
    )
    p = _pj(app)
    p.update(
        prose.project_texts(
            random.Random(app.stem),
            topic=app.doc["topic"],
            ind=app.ent.industry,
            enterprise=app.ent.name,
            studio=studio["name"],
            leader=studio["leader"]["name"],
            level_label=level_label(studio["level"]),
            recognized_year=studio["recognized_year"],
            approved=_date(p["approved_on"]),
            startup_funds=p["startup_funds"],
            team_size=len(p["team"]),
            field=p["field"],
        )
    )
    return "studio.name", (
        f"“{studio['name']}”本批申报了3项（另两份：{first.rel_json}、{second.rel_json}，三份都会报出）"
    )


def _j008_partners(host: DemoApp, mates: list[DemoApp], batch: Batch) -> list[DemoApp] | None:
    plan = project_rules(batch.plan)
    groups: dict[str, list[DemoApp]] = {}
    for a in batch.apps:
        if a.form == "project":
            groups.setdefault(a.group, []).append(a)
    for name, members in groups.items():
        level = _studio(members[0])["level"]
        if (
            len(members) == 2
            and name != host.group
            and all(m in mates for m in members)
            and _pj(host)["requested_tier"] in plan.tiers_for(level)
        ):
            return members
    return None


def _single_municipal(app: DemoApp, batch: Batch) -> bool:
    same = [a for a in batch.apps if a.form == "project" and a.group == app.group]
    return len(same) == 1 and _studio(app)["level"] != "district"


def _j009(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    _studio(app)["has_unfinished_funded_project"] = True
    return "studio.has_unfinished_funded_project", "工作室往年获助推的项目尚未结题验收"


def _j012(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    p = _pj(app)
    last = len(p["milestones"]) - 1
    end = _date(p["planned_completion"]) + dt.timedelta(days=92)
    p["milestones"][last]["end"] = end.isoformat()
    return f"project.milestones[{last}].end", f"最后一个阶段结束于 {end.isoformat()}，晚于计划完成日期（警告）"


def _j013(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    p = _pj(app)
    boost = max((x for x in p["budget"] if x["source"] == "boost"), key=lambda x: x["amount"])
    own = next(x for x in p["budget"] if x["source"] == "enterprise")
    boost["amount"] -= 5000
    own["amount"] += 5000
    return "project.budget", f"经费预算中工会助推资金合计比申请金额少5000元（“{boost['item']}”）（警告）"


def _j014(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    p = _pj(app)
    paid = _date(p["approved_on"]) - dt.timedelta(days=ctx.rng.randint(5, 20))
    p["startup_funds_date"] = paid.isoformat()
    app.doc["paid"] = paid
    return "project.startup_funds_date", f"启动资金拨付日期 {paid.isoformat()} 早于立项日期（警告）"


def _j015(ctx: FaultCtx, app: DemoApp) -> tuple[str, str]:
    p = _pj(app)
    year = str(_date(p["startup_funds_date"]).year)
    typo = int(year[0] + year[2] + year[1] + year[3])  # two digits of the year swapped: 2022 → 2202
    if typo <= int(year):
        typo = int(year) + 100
    p["startup_funds_date"] = _shift_year(p["startup_funds_date"], typo - int(year))
    # The fund proof keeps the real date (app.doc["paid"]): only the form has the typo.
    return (
        "project.startup_funds_date",
        f"启动资金拨付日期年份输错（{p['startup_funds_date']}，应为{year}年），晚于今天",
    )


def _has_enterprise_line(app: DemoApp, batch: Batch) -> bool:
    return any(x["source"] == "enterprise" for x in _pj(app)["budget"])


_DATES, _BUDGET = fs("dates"), fs("budget", "project.startup_funds")
# The faults that change the startup funds' date also hold its own token, so that J015 (which
# changes only that date) shares an application with the other date faults but not with these.
_PAID = fs("project.startup_funds_date")
GROUP_FAULTS = (
    FaultDef(
        "J008",
        "project",
        fs("studio", "unit_union"),
        _j008,
        partner_tokens=fs("studio.identity"),
        partners=_j008_partners,
        applies=lambda app, batch: project_rules(batch.plan).per_studio_applications == 2,
    ),
    FaultDef("J005", "project", fs("studio.level"), _j005, _single_municipal),
)
PROJECT_FAULTS = (
    FaultDef("J001", "project", _DATES | _PAID, _j001),
    FaultDef("J003", "project", _DATES, _j003),
    FaultDef("J004", "project", _DATES, _j004),
    FaultDef("J012", "project", _DATES, _j012),
    FaultDef("J014", "project", _DATES | _PAID, _j014),
    FaultDef("J015", "project", _PAID, _j015),
    FaultDef("J006", "project", _BUDGET, _j006, lambda app, batch: project_rules(batch.plan).boost_cap is not None),
    FaultDef("J007", "project", _BUDGET, _j007, _has_enterprise_line),
    FaultDef("J013", "project", _BUDGET, _j013, _has_enterprise_line),
    FaultDef("J002", "project", fs("project.startup_funds"), _j002),
    FaultDef(
        "J009",
        "project",
        fs("studio.has_unfinished"),
        _j009,
        lambda app, batch: project_rules(batch.plan).exclude_unfinished,
    ),
    FaultDef("J010", "project", fs("att.approval_document"), remove_att("approval_document", "企业立项文件")),
    FaultDef("J011", "project", fs("att.fund_proof"), remove_att("fund_proof", "启动资金拨付凭证")),
)
