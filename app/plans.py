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
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

from zhutui.errors import DefinitionError, InputError
from zhutui.formdef import FactDef, FormDef, all_forms
from zhutui.normalize import cn_date
from zhutui.paths import forms_dir, user_plans_dir
from zhutui.yamlio import Reader, dump_yaml, load_yaml

CONFIRMED = "confirmed"
UNCHECKED = "待核对"
# Keys of a plan file that describe the plan itself rather than a fact of the notice.
META_KEYS = ("year", "status", "unconfirmed", "source", "notice_sources")


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


@dataclass(frozen=True)
class Tier:
    """One entry of a ``tiers`` fact: an amount, the levels that may ask for it, its split."""

    amount: int
    levels: tuple[str, ...]
    split: tuple[int, int] | None  # city union : superior union
    quota: int | None


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
    # Each form's section (``plan.section`` of its definition): fact key → value (None: 未公布).
    sections: dict[str, dict[str, Any]]
    origin: str  # "shipped" | "user"
    path: Path
    raw: dict[str, Any]
    # For a plan read from its notice: each fact's sentence in the notice (设置 shows it).
    notice_sources: dict[str, str] = field(default_factory=dict)

    @property
    def confirmed(self) -> bool:
        return self.status == CONFIRMED

    def section(self, name: str) -> dict[str, Any]:
        """A form's facts (``{}`` when no form has that section)."""
        return self.sections.get(name, {})

    def fact(self, key: str) -> Any:
        """The fact at the dotted ``key`` of a form's section (``patent.amount``), or None."""
        section, _, name = key.partition(".")
        return self.section(section).get(name)

    @property
    def deadline_words(self) -> str:
        """How the notice words the deadline: the clause of its sentence that names the day
        (各单位需于2022年11月1日前完成材料报送), or 于2022年11月1日前完成材料报送 when the plan
        keeps no sentence. Whether 前 includes that day the notice does not say."""
        day = cn_date(self.deadline)
        sentence = self.notice_sources.get("deadline", "")
        found = re.search(rf"[^，。；,;]*{re.escape(day)}[^，。；,;]*", sentence)
        return found.group(0) if found else f"于{day}前完成材料报送"

    @functools.cached_property
    def template_values(self) -> dict[str, Any]:
        """Values for the ``{…}`` placeholders of help texts and messages: ``{plan_year}``,
        ``{deadline}``, ``{focus_areas}``, each form's facts as ``{<section>.<key>}``, and what
        the registered rule sets add (``{grant_from}``…)."""
        from zhutui.rulesets import RULE_SETS

        values: dict[str, Any] = {
            "plan_year": str(self.year),
            "deadline": cn_date(self.deadline),
            "deadline_words": self.deadline_words,
            "focus_areas": "、".join(self.focus_areas),
        }
        for rule_set in RULE_SETS.values():
            values.update(rule_set.placeholders(self.section(rule_set.section)))
        for name, facts in self.sections.items():
            values.setdefault(name, _Facts({k: _placeholder(v, fact_def(f"{name}.{k}")) for k, v in facts.items()}))
        return values


class _Facts(dict):
    """A section's facts for ``str.format``: ``{mentor.amount}`` reads ``mentor``'s ``amount``."""

    def __getattr__(self, name: str) -> str:
        return self.get(name, "未公布")


def _placeholder(value: Any, fact: FactDef | None = None) -> str:
    if value is None:
        return "未公布"
    if fact is not None and fact.type == "ratio" and isinstance(value, int | float):
        return f"{value * 100:g}%"  # 0.5 as the notice writes it: 50%
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return "、".join(_placeholder(v) for v in value)
    return str(value)


@overload
def _date(r: Reader, name: str, *, required: Literal[True] = ...) -> dt.date: ...
@overload
def _date(r: Reader, name: str, *, required: bool) -> dt.date | None: ...


def _date(r: Reader, name: str, *, required: bool = True) -> dt.date | None:
    value = r.take(name, dt.date, required=required, nullable=not required)
    if isinstance(value, dt.datetime):
        raise r.error(name, "应为日期（YYYY-MM-DD），不含时间")
    return value


def _split(r: Reader, name: str, *, required: bool = False) -> tuple[int, int] | None:
    value = r.take(name, list, required=required, nullable=not required)
    if value is None:
        return None
    if len(value) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value):
        raise r.error(name, "应为两个正整数，如 [1, 1]（市总工会 : 区、局、集团（公司）工会）")
    return (value[0], value[1])


def _tiers(r: Reader, fact: FactDef, form: FormDef) -> tuple[Tier, ...] | None:
    raw = r.take(fact.key, list, required=fact.required, nullable=not fact.required)
    if raw is None:
        return None
    known = tuple(str(c.value) for c in form.field(fact.levels or "").choices)
    tiers = []
    for i, item in enumerate(raw):
        tr = r.sub(f"{fact.key}[{i}]", item)
        levels = tuple(tr.take("levels", list, required=True))
        if not levels or any(level not in known for level in levels):
            raise tr.error("levels", f"只能是 {', '.join(known)}（见 {form.source.name} 的 {fact.levels}）")
        tiers.append(
            Tier(
                tr.take("amount", int, required=True), levels, _split(tr, "split"), tr.take("quota", int, nullable=True)
            )
        )
        tr.done()
    return tuple(tiers)


def _fact(r: Reader, fact: FactDef, form: FormDef) -> Any:
    """One fact of a form's section, by its type (``FACT_TYPES``); None when not given."""
    required, nullable = fact.required, not fact.required
    if fact.type == "date":
        return _date(r, fact.key, required=required)
    if fact.type == "split":
        return _split(r, fact.key, required=required)
    if fact.type == "tiers":
        return _tiers(r, fact, form)
    if fact.type == "ratio":
        value = r.take(fact.key, (float, int), required=required, nullable=nullable)
        return float(value) if value is not None else None
    if fact.type == "texts":
        value = r.take(fact.key, list, required=required, nullable=nullable)
        if value is not None and not all(isinstance(v, str) for v in value):
            raise r.error(fact.key, "应为文字的列表，如 [甲, 乙]")
        return tuple(value) if value is not None else None
    types = {"money": int, "int": int, "text": str, "bool": bool}[fact.type]
    return r.take(fact.key, types, required=required, nullable=nullable)


def _sections(r: Reader) -> dict[str, dict[str, Any]]:
    """Each form's section, read by the types its definition gives its facts. A section no fact
    of which is required may be left out (a plan written before the form existed): its facts
    are then None, shown as 未公布."""
    sections = {}
    for form in all_forms().values():
        if form.plan is None:
            continue
        required = any(f.required for f in form.plan.facts)
        raw = r.take(form.plan.section, dict, required=required)
        sr = r.sub(form.plan.section, raw if raw is not None else {})
        sections[form.plan.section] = {fact.key: _fact(sr, fact, form) for fact in form.plan.facts}
        sr.done()
    return sections


def _sources(r: Reader) -> dict[str, str]:
    sources = r.take("notice_sources", dict, default={})
    if any(not isinstance(k, str) or not isinstance(v, str) for k, v in sources.items()):
        raise r.error("notice_sources", "应为 信息键: 通知原句 的映射")
    return dict(sources)


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
    sections = _sections(r)
    plan = Plan(
        year=r.take("year", int, required=True),
        status=status,
        unconfirmed=tuple(r.take("unconfirmed", list, default=[])),
        source=r.take("source", str, required=True),
        notice_sources=_sources(r),
        notice_issued=_date(r, "notice_issued", required=False),
        deadline=_date(r, "deadline"),
        focus_areas=tuple(r.take("focus_areas", list, required=True)),
        sections=sections,
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
}


def fact_def(key: str) -> FactDef | None:
    """The definition of a form's plan fact by its dotted key (``patent.amount``)."""
    section, _, name = key.partition(".")
    for form in all_forms().values():
        if form.plan is not None and form.plan.section == section:
            return form.plan.fact(name)
    return None


def fact_label(key: str) -> str:
    """What a fact of a plan file is, in the words of the notice (设置 shows it beside the value)."""
    fact = fact_def(key)
    return fact.label if fact is not None else FACT_LABELS.get(key, key)


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
