"""Plan years as data: ``forms/plans/<year>.yaml`` (shipped) and the user's own plans.

A plan holds every fact of a year's notice that the checks and outputs need. Unknown facts are
``None`` (shown as 未公布). A plan created for a new year from an existing one has its dates
shifted by whole years and is marked 待核对 until the user confirms every fact against the new
notice (see ``derive_plan`` and ``confirm_fact``).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

from zhutui.errors import DefinitionError, InputError
from zhutui.formdef import load_form
from zhutui.paths import forms_dir, user_plans_dir
from zhutui.yamlio import Reader, dump_yaml, load_yaml

CONFIRMED = "confirmed"
UNCHECKED = "待核对"
# Keys of a plan file that describe the plan itself rather than a fact of the notice.
META_KEYS = ("year", "status", "unconfirmed", "source")


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


@dataclass(frozen=True)
class Tier:
    amount: int
    levels: tuple[str, ...]
    split: tuple[int, int] | None  # city union : superior union
    quota: int | None


@dataclass(frozen=True)
class PatentRules:
    grant_from: dt.date
    grant_to: dt.date
    amount: int
    split: tuple[int, int] | None
    per_person_per_year: int | None
    payment: str | None


@dataclass(frozen=True)
class ProjectRules:
    approval_from: dt.date
    approval_to: dt.date
    completion_years: int
    latest_completion: dt.date | None
    boost_cap: float | None
    per_studio_applications: int | None
    per_studio_funded: int | None
    exclude_unfinished: bool
    disbursement: str | None
    tiers: tuple[Tier, ...]

    def tiers_for(self, level: str) -> tuple[int, ...]:
        return tuple(t.amount for t in self.tiers if level in t.levels)

    def tier(self, amount: int) -> Tier | None:
        return next((t for t in self.tiers if t.amount == amount), None)


@dataclass(frozen=True)
class Plan:
    year: int
    status: str
    unconfirmed: tuple[str, ...]
    source: str
    notice_issued: dt.date | None
    deadline: dt.date
    email: str | None
    paper_receiver: str | None
    paper_address: str | None
    contacts: tuple[Contact, ...] | None
    electronic_only: tuple[int, ...] | None
    focus_areas: tuple[str, ...]
    patent: PatentRules
    project: ProjectRules
    origin: str  # "shipped" | "user"
    path: Path
    raw: dict[str, Any]

    @property
    def confirmed(self) -> bool:
        return self.status == CONFIRMED

    @functools.cached_property
    def template_values(self) -> dict[str, str]:
        """Values for the ``{…}`` placeholders of help texts and messages."""
        latest = self.project.latest_completion
        return {
            "plan_year": str(self.year),
            "deadline": cn_date(self.deadline),
            "grant_from": cn_date(self.patent.grant_from),
            "grant_to": cn_date(self.patent.grant_to),
            "approval_from": cn_date(self.project.approval_from),
            "approval_to": cn_date(self.project.approval_to),
            "latest_completion_clause": f"，最晚结题时间不超过{cn_date(latest)}" if latest else "",
            "focus_areas": "、".join(self.focus_areas),
        }


def cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "未公布"


@overload
def _date(r: Reader, name: str, *, required: Literal[True] = ...) -> dt.date: ...
@overload
def _date(r: Reader, name: str, *, required: bool) -> dt.date | None: ...


def _date(r: Reader, name: str, *, required: bool = True) -> dt.date | None:
    value = r.take(name, dt.date, required=required, nullable=not required)
    if isinstance(value, dt.datetime):
        raise r.error(name, "应为日期（YYYY-MM-DD），不含时间")
    return value


def _split(r: Reader, name: str) -> tuple[int, int] | None:
    value = r.take(name, list, nullable=True)
    if value is None:
        return None
    if len(value) != 2 or not all(isinstance(v, int) and v > 0 for v in value):
        raise r.error(name, "应为两个正整数，如 [1, 1]（市总工会 : 区、局、集团（公司）工会）")
    return (value[0], value[1])


def studio_levels() -> tuple[str, ...]:
    """The studio levels a tier may name: the choices of ``studio.level`` in the project form."""
    return tuple(str(c.value) for c in load_form("project").field("studio.level").choices)


def parse_plan(path: Path, data: object, origin: str) -> Plan:
    r = Reader(path, "", data)
    status = r.take("status", str, required=True)
    if status not in (CONFIRMED, UNCHECKED):
        raise r.error("status", f"应为 {CONFIRMED} 或 {UNCHECKED}")
    sub = r.sub("submission", r.take("submission", dict, required=True))
    contacts = sub.take("contacts", list, nullable=True)
    if contacts is not None:
        parsed = []
        for i, c in enumerate(contacts):
            cr = sub.sub(f"contacts[{i}]", c)
            name, phone = cr.take("name", str, required=True), cr.take("phone", (str, int), required=True)
            parsed.append(Contact(name, str(phone)))
            cr.done()
        contacts = tuple(parsed)
    electronic_only = sub.take("electronic_only", list, nullable=True)
    submission = dict(
        email=sub.take("email", str, nullable=True),
        paper_receiver=sub.take("paper_receiver", str, nullable=True),
        paper_address=sub.take("paper_address", str, nullable=True),
        contacts=contacts,
        electronic_only=tuple(electronic_only) if electronic_only is not None else None,
    )
    sub.done()
    pr = r.sub("patent", r.take("patent", dict, required=True))
    patent = PatentRules(
        grant_from=_date(pr, "grant_from"),
        grant_to=_date(pr, "grant_to"),
        amount=pr.take("amount", int, required=True),
        split=_split(pr, "split"),
        per_person_per_year=pr.take("per_person_per_year", int, nullable=True),
        payment=pr.take("payment", str, nullable=True),
    )
    pr.done()
    jr = r.sub("project", r.take("project", dict, required=True))
    tiers = []
    for i, raw in enumerate(jr.take("tiers", list, required=True)):
        tr = jr.sub(f"tiers[{i}]", raw)
        levels = tuple(tr.take("levels", list, required=True))
        known = studio_levels()
        if not levels or any(level not in known for level in levels):
            raise tr.error("levels", f"工作室级别只能是 {', '.join(known)}（见 forms/project.yaml 的 studio.level）")
        tiers.append(
            Tier(
                tr.take("amount", int, required=True), levels, _split(tr, "split"), tr.take("quota", int, nullable=True)
            )
        )
        tr.done()
    cap = jr.take("boost_cap", (float, int), nullable=True)
    project = ProjectRules(
        approval_from=_date(jr, "approval_from"),
        approval_to=_date(jr, "approval_to"),
        completion_years=jr.take("completion_years", int, required=True),
        latest_completion=_date(jr, "latest_completion", required=False),
        boost_cap=float(cap) if cap is not None else None,
        per_studio_applications=jr.take("per_studio_applications", int, nullable=True),
        per_studio_funded=jr.take("per_studio_funded", int, nullable=True),
        exclude_unfinished=jr.take("exclude_unfinished", bool, required=True),
        disbursement=jr.take("disbursement", str, nullable=True),
        tiers=tuple(tiers),
    )
    jr.done()
    plan = Plan(
        year=r.take("year", int, required=True),
        status=status,
        unconfirmed=tuple(r.take("unconfirmed", list, default=[])),
        source=r.take("source", str, required=True),
        notice_issued=_date(r, "notice_issued", required=False),
        deadline=_date(r, "deadline"),
        focus_areas=tuple(r.take("focus_areas", list, required=True)),
        patent=patent,
        project=project,
        origin=origin,
        path=path,
        raw=data,  # type: ignore[arg-type]
        **submission,
    )
    r.done()
    unknown = [k for k in plan.unconfirmed if k not in fact_keys(plan.raw)]
    if unknown:
        raise DefinitionError(path, "unconfirmed", f"没有名为“{unknown[0]}”的计划信息")
    if path.stem != str(plan.year):
        raise DefinitionError(path, "year", f"文件名应为 {plan.year}.yaml")
    return plan


# What each fact of a plan file is, in the words of the notice (the app's 设置 page shows these
# next to the values a user checks against the new notice).
FACT_LABELS = {
    "notice_issued": "通知印发日期",
    "deadline": "报送截止日期",
    "submission.email": "电子版报送邮箱",
    "submission.paper_receiver": "纸质材料接收单位",
    "submission.paper_address": "纸质材料寄送地址",
    "submission.contacts": "联系人及电话",
    "submission.electronic_only": "只报电子版的附件（编号）",
    "focus_areas": "重点关注领域",
    "patent.grant_from": "发明专利授权公告日：起",
    "patent.grant_to": "发明专利授权公告日：止",
    "patent.amount": "每项发明专利助推金额（元）",
    "patent.split": "专利助推资金分担比例（市总工会 : 区、局、集团工会）",
    "patent.per_person_per_year": "每人每年最多助推次数",
    "patent.payment": "专利助推资金发放方式",
    "project.approval_from": "创新项目立项日期：起",
    "project.approval_to": "创新项目立项日期：止",
    "project.completion_years": "项目完成期限（立项后年数）",
    "project.latest_completion": "最晚结题日期",
    "project.boost_cap": "助推资金占项目总经费上限（比例）",
    "project.per_studio_applications": "每个工作室最多申报项数",
    "project.per_studio_funded": "每个工作室最多获助推项数",
    "project.exclude_unfinished": "有未结题往年项目的工作室不能申报",
    "project.disbursement": "项目助推资金拨付方式",
    "project.tiers": "助推等级（金额、工作室级别、分担比例、名额）",
}


def fact_keys(raw: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted keys of every fact of a plan (leaves and lists), in file order."""
    keys = []
    for key, value in raw.items():
        if not prefix and key in META_KEYS:
            continue
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            keys.extend(fact_keys(value, full + "."))
        else:
            keys.append(full)
    return keys


def _plan_files() -> list[tuple[Path, str]]:
    files = [(p, "shipped") for p in _listing(forms_dir() / "plans")]
    files += [(p, "user") for p in _listing(user_plans_dir())]
    return files


def _listing(folder: Path) -> tuple[Path, ...]:
    try:
        mtime = folder.stat().st_mtime_ns  # changes when a plan file is added, removed or replaced
    except OSError:
        return ()
    return _listing_at(folder, mtime)


@functools.lru_cache(maxsize=16)
def _listing_at(folder: Path, mtime_ns: int) -> tuple[Path, ...]:
    return tuple(sorted(folder.glob("*.yaml")))


@functools.cache
def _load(path: Path, origin: str, mtime_ns: int) -> Plan:
    return parse_plan(path, load_yaml(path), origin)


def load_plans() -> dict[int, Plan]:
    """All plans by year; a shipped plan wins over a user plan of the same year."""
    plans: dict[int, Plan] = {}
    for path, origin in _plan_files():
        plan = _load(path, origin, path.stat().st_mtime_ns)
        if plan.year in plans and plans[plan.year].origin == "shipped":
            continue
        plans[plan.year] = plan
    return dict(sorted(plans.items()))


def get_plan(year: int) -> Plan | None:
    return load_plans().get(year)


def latest_plan() -> Plan:
    return list(load_plans().values())[-1]


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February becomes 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _shift(value: Any, years: int) -> Any:
    if isinstance(value, dt.date):
        return add_years(value, years)
    if isinstance(value, dict):
        return {k: _shift(v, years) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, years) for v in value]
    return value


def derive_plan(base: Plan, year: int) -> dict[str, Any]:
    """A new plan for ``year`` from ``base``: dates shifted by whole years, every fact 待核对."""
    if year in load_plans():
        raise InputError(None, f"plan_year {year}", f"{year}年度计划已存在")
    raw = _shift({k: v for k, v in base.raw.items() if k not in META_KEYS}, year - base.year)
    derived = {
        "year": year,
        "status": UNCHECKED,
        "unconfirmed": fact_keys(raw),
        "source": f"由{base.year}年度计划推算（日期顺延{year - base.year}年），待与{year}年通知逐项核对",
    }
    derived.update(raw)
    return derived


def confirm_fact(raw: dict[str, Any], key: str, value: Any = ...) -> dict[str, Any]:
    """``raw`` with fact ``key`` confirmed (and set to ``value`` when given).

    When no fact is left unconfirmed the plan's status becomes confirmed.
    """
    if key not in fact_keys(raw):
        raise KeyError(key)
    new = _shift(raw, 0)  # deep copy
    if value is not ...:
        target = new
        *parents, leaf = key.split(".")
        for part in parents:
            target = target[part]
        target[leaf] = value
    new["unconfirmed"] = [k for k in new.get("unconfirmed", []) if k != key]
    if not new["unconfirmed"]:
        new["status"] = CONFIRMED
    return new


def save_user_plan(raw: dict[str, Any]) -> Plan:
    """Validate and write a user plan atomically; returns it as loaded back."""
    folder = user_plans_dir()
    path = folder / f"{raw['year']}.yaml"
    plan = parse_plan(path, raw, "user")  # validate before touching the disk
    folder.mkdir(parents=True, exist_ok=True)
    text = "# 用户创建的计划年度，由职工创新助推申报助手写入。\n" + dump_yaml(raw)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".plan-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return plan
