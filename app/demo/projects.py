"""Project proposals of a demo batch: studios (at most two proposals each, tiers matching
their level), budgets adding up, milestones inside the project period, teams and long texts."""

from __future__ import annotations

import copy
import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

from zhutui.checks.planrules import latest_completion, project_rules
from zhutui.demo import prose
from zhutui.demo.data import (
    PROJECT_DIR,
    Batch,
    DemoApp,
    day_between,
    level_label,
    month_end,
    photo,
    scan_pdf,
    unit_union,
)
from zhutui.demo.people import Enterprise, Person
from zhutui.demo.texts import Industry, Topic
from zhutui.plans import Plan


@dataclass
class _Studio:
    name: str
    level: str
    ent: Enterprise
    leader: Person
    block: dict[str, Any]
    topics: list[Topic]


_LEVEL_CYCLE = ("municipal", "district", "municipal_demo", "district", "municipal", "district")


def _studio_layout(count: int) -> list[tuple[str, int]]:
    """(level, number of projects) per studio: the first studio hands in two when there are
    three or more projects, as do some later ones in larger batches."""
    layout: list[tuple[str, int]] = []
    left = count
    while left > 0:
        i = len(layout)
        level = "municipal_demo" if i == 0 else _LEVEL_CYCLE[(i - 1) % len(_LEVEL_CYCLE)]
        n = 2 if left >= 3 and (i == 0 or i % 4 == 3) else 1
        layout.append((level, n))
        left -= n
    return layout


def _generic_topic(ind: Industry, base: Topic) -> Topic:
    return Topic(
        f"{base.specialty}关键技能传承与技术交流平台建设",
        "技术交流",
        base.product,
        "青年职工占比高，关键岗位的操作技能和故障处理经验不足，技能传承主要依靠口传身授",
        (
            f"梳理{ind.posts[0]}等关键岗位的核心技能和典型故障案例",
            "制作操作视频和数字化培训课件",
            "搭建实训工位和技能比武平台",
            "与兄弟单位开展技术交流和联合攻关",
        ),
        "形成典型案例库和培训课件各一套，关键岗位青年职工技能等级普遍提升一级",
        base.specialty,
    )


def _make_studio(rng: random.Random, batch: Batch, level: str, ent: Enterprise) -> _Studio:
    leader = batch.people.person(born_from=1965, born_to=1985, beijing_share=0.85)
    topics = list(ent.industry.topics)
    rng.shuffle(topics)
    topics.append(_generic_topic(ent.industry, topics[0]))
    short = ent.name.removeprefix("北京")[:2]  # the brand: 精工, 京诚, 华源 …
    name = f"{short}{topics[0].specialty}创新工作室"
    if level == "municipal_demo":
        name = f"{leader.name}劳模创新工作室"
    elif rng.random() < 0.5 or name in batch.studio_names:
        name = f"{leader.name}职工创新工作室"
    batch.studio_names.add(name)
    year = batch.plan.year
    recognized = rng.randint(year - 8, year - 2) if level != "district" else rng.randint(year - 6, year - 1)
    leader_block: dict[str, Any] = {
        "name": leader.name,
        "gender": leader.gender,
        "phone": leader.phone,
        "post": rng.choice(prose.LEADER_POSTS),
    }
    if level == "municipal_demo" or rng.random() < 0.5:
        leader_block["honors"] = rng.choice(prose.HONORS)
    block = {
        "name": name,
        "level": level,
        "recognized_year": recognized,
        "enterprise": ent.name,
        "enterprise_uscc": ent.uscc,
        "leader": leader_block,
        "has_unfinished_funded_project": False,
    }
    return _Studio(name, level, ent, leader, block, topics)


def make_projects(rng: random.Random, batch: Batch, count: int, width: int) -> list[DemoApp]:
    apps: list[DemoApp] = []
    for s_index, (level, n) in enumerate(_studio_layout(count)):
        ent = batch.enterprises[s_index % len(batch.enterprises)]
        studio = _make_studio(rng, batch, level, ent)
        for k in range(n):
            apps.append(_project(rng, batch, studio, studio.topics[k], len(apps) + 1, width))
    return apps


def _tier(rng: random.Random, plan: Plan, level: str) -> int:
    """A tier the plan allows for the level; demonstration studios ask for the top one more often."""
    tiers = sorted(project_rules(plan).tiers_for(level), reverse=True)
    top_share = 0.7 if level == "municipal_demo" else 0.4
    return tiers[0] if len(tiers) == 1 or rng.random() < top_share else rng.choice(tiers[1:])


def _split(rng: random.Random, total: int, weights: list[int], unit: int) -> list[int]:
    """``total`` (a multiple of ``unit``) split by rough ``weights`` into positive multiples of
    ``unit``; the rounding goes to the largest line."""
    units = total // unit
    raw = [w * rng.uniform(0.7, 1.3) for w in weights]
    shares = [max(1, int(units * r / sum(raw))) for r in raw]
    while sum(shares) > units:
        shares[shares.index(max(shares))] -= 1
    shares[shares.index(max(shares))] += units - sum(shares)
    return [s * unit for s in shares]


def _lines(rng: random.Random, items: dict[str, int], count: int, total: int, source: str) -> list[dict[str, Any]]:
    names = rng.sample(sorted(items), count)
    amounts = _split(rng, total, [items[n] for n in names], 5000)
    return [{"item": n, "amount": a, "source": source} for n, a in zip(names, amounts, strict=True)]


def _budget(rng: random.Random, tier: int, total: int) -> list[dict[str, Any]]:
    own = total - tier
    other = 0
    if rng.random() < 0.25:
        other = max(0, min(own - 20000, rng.choice((10000, 20000, 30000))))
    lines = [
        *_lines(rng, prose.BUDGET_BOOST_ITEMS, rng.randint(2, 3), tier, "boost"),
        *_lines(rng, prose.BUDGET_ENTERPRISE_ITEMS, rng.randint(2, 4), own - other, "enterprise"),
    ]
    if other > 0:
        lines.append({"item": "集团公司科技创新配套资金（检测设备租赁）", "amount": other, "source": "other"})
    rng.shuffle(lines)
    return lines


def _milestones(rng: random.Random, topic: Topic, start: dt.date, end: dt.date) -> list[dict[str, str]]:
    n = rng.randint(3, 5)
    days = (end - start).days
    cuts = sorted(rng.sample(range(1, n * 4), n - 1))
    bounds = [start] + [start + dt.timedelta(days=days * c // (n * 4)) for c in cuts]
    rows = []
    for i, task in enumerate(prose.milestone_tasks(topic, n)):
        s = bounds[i]
        e = bounds[i + 1] - dt.timedelta(days=1) if i + 1 < n else end
        rows.append({"start": s.isoformat(), "end": e.isoformat(), "task": task})
    return rows


def _team(rng: random.Random, batch: Batch, ind: Industry) -> list[dict[str, Any]]:
    roles = rng.sample(prose.TEAM_ROLES, rng.randint(3, 6))
    team = []
    for role in roles:
        male = rng.random() < 0.7
        team.append(
            {
                "name": batch.people.name(male),
                "gender": "男" if male else "女",
                "birth_year": rng.randint(1966, 1998),
                "post": rng.choice(ind.posts),
                "title": rng.choice(prose.TEAM_TITLES),
                "role": role,
            }
        )
    return team


def _project(rng: random.Random, batch: Batch, studio: _Studio, topic: Topic, index: int, width: int) -> DemoApp:
    plan, ent = batch.plan, studio.ent
    rules = project_rules(plan)
    approved = day_between(
        rng, rules.approval_from + dt.timedelta(days=9), min(rules.approval_to, plan.deadline) - dt.timedelta(days=75)
    )
    paid = day_between(
        rng,
        approved + dt.timedelta(days=3),
        min(approved + dt.timedelta(days=45), plan.deadline - dt.timedelta(days=10)),
    )
    limit = latest_completion(plan, approved)
    planned = month_end(approved, rng.randint(12, 24))
    while planned > limit:
        planned = month_end(planned, -1)
    tier = _tier(rng, plan, studio.level)
    unit = 5000 if tier < 50000 else 10000
    # The union's boost stays under the plan's cap of the total (50 % in 2022), with a margin.
    least = math.ceil(tier / rules.boost_cap) if rules.boost_cap else tier
    total = max(least + unit, round(tier * rng.uniform(2.1, 4.5) / unit) * unit)
    startup = max(10000, round(total * rng.uniform(0.2, 0.5) / 10000) * 10000)
    field_ = rng.choice(ent.industry.fields)
    team = _team(rng, batch, ent.industry)
    texts = prose.project_texts(
        rng,
        topic=topic,
        ind=ent.industry,
        enterprise=ent.name,
        studio=studio.name,
        leader=studio.leader.name,
        level_label=level_label(studio.level),
        recognized_year=studio.block["recognized_year"],
        approved=approved,
        startup_funds=startup,
        team_size=len(team),
        field=field_,
    )
    project: dict[str, Any] = {
        "name": topic.name,
        "field": field_,
        "kind": topic.kind,
        "approved_on": approved.isoformat(),
        "startup_funds": startup,
        "startup_funds_date": paid.isoformat(),
        "planned_completion": planned.isoformat(),
        "total_budget": total,
        "requested_tier": tier,
        **texts,
        "milestones": _milestones(rng, topic, approved, planned),
        "budget": _budget(rng, tier, total),
        "team": team,
    }
    data = {
        "form": "project",
        "plan_year": plan.year,
        "studio": copy.deepcopy(studio.block),
        "project": project,
        "unit_union": unit_union(ent),
        "superior_union": {"name": batch.superior.name},
    }
    atts = [
        scan_pdf(rng, "approval_document", "立项文件", "approval", pages=2),
        photo(rng, "fund_proof", "启动资金拨付凭证", "fund")
        if rng.random() < 0.6
        else scan_pdf(rng, "fund_proof", "启动资金拨付凭证", "fund"),
    ]
    if rng.random() < 0.6:
        atts.append(photo(rng, "studio_certificate", "工作室认定文件", "studio_cert"))
    doc = {
        "approved": approved,
        "paid": paid,
        "startup": startup,
        "studio": studio.name,
        "level": studio.level,
        "leader": studio.leader.name,
        "project": topic.name,
        "total": total,
        "planned": planned,
        "recognized_year": studio.block["recognized_year"],
        "topic": topic,
    }
    stem_name = f"{index:0{width}d}_{studio.name}"
    return DemoApp("project", PROJECT_DIR, stem_name, data, atts, doc, ent, group=studio.name)
