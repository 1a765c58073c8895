"""A plan's facts as people read and edit them, and the plan windows date fields belong in.

The 设置 page shows each fact readable (``fact_display``: dates as 2022年10月17日, money with 元,
ratios as 1 : 1, lists joined with 、, contacts as 名字 电话) and lets a derived plan's facts be
edited in their raw form (``fact_text`` / ``parse_fact``: YAML flow style, dates as 2023-11-01).

A date field may name a plan window (``window`` in ``forms/*.yaml``, see ``DATE_WINDOWS``): its
date picker opens there (``calendar_start``) and its placeholder shows a date inside it
(``example_date``). Without a window both use the plan year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import yaml

from zhutui.checks.planrules import latest_completion, patent_rules, project_rules
from zhutui.formdef import DATE_WINDOWS, FormDef, all_forms
from zhutui.plans import Plan, cn_date, fact_def

NOT_GIVEN = "未公布"
_WINDOWS: dict[str, Callable[[Plan], tuple[dt.date, dt.date]]] = {
    "grant": lambda p: (patent_rules(p).grant_from, patent_rules(p).grant_to),  # P004
    "approval": lambda p: (project_rules(p).approval_from, project_rules(p).approval_to),  # J001
    "project": lambda p: (project_rules(p).approval_from, latest_completion(p, project_rules(p).approval_to)),  # J003
    "funding": lambda p: (project_rules(p).approval_from, p.deadline),  # J014
}


def date_window(plan: Plan, window: str | None) -> tuple[dt.date, dt.date]:
    """First and last day of a plan window; ``None`` is the plan year."""
    if window is None:
        return dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31)
    if window not in DATE_WINDOWS:
        raise KeyError(window)
    start, end = _WINDOWS[window](plan)
    return start, max(start, end)


def calendar_start(plan: Plan, window: str | None, today: dt.date) -> dt.date:
    """The day a date picker for an empty field opens at: today, moved into the window."""
    start, end = date_window(plan, window)
    return min(max(today, start), end)


def example_date(plan: Plan, window: str | None) -> dt.date:
    """A date for a placeholder: the middle of the window; the notice's date for the plan year."""
    if window is None:
        return plan.notice_issued or plan.deadline
    start, end = date_window(plan, window)
    return start + dt.timedelta(days=(end - start).days // 2)


# ---------------------------------------------------------------------------- help texts


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# A space YAML's folding put between two lines of Chinese text (next to a CJK character or
# full-width punctuation) is not a space in Chinese.
_FOLDED_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")
# A help text's pieces: each ends with 。 or ；(a closing quote after it kept with it), or with
# a closing quote (通知：“{patent.payment}” quotes a whole sentence of the notice).
_SENTENCE = re.compile(r"[^。；”]*(?:[。；]”?|”)|[^。；”]+$")


def help_text(text: str, plan: Plan | None = None) -> str:
    """A help text with the plan year's facts in its ``{…}`` placeholders, Chinese lines joined.
    A sentence whose placeholder names a fact the plan doesn't give (a 2021 plan has no boost
    cap) is left out: a help text never states a fact the plan lacks."""
    if not text:
        return ""
    text = _FOLDED_SPACE.sub("", " ".join(text.split()))
    if plan is None:
        return text
    values = _Blank(plan.template_values)
    pieces: list[str] = []
    for piece in _SENTENCE.findall(text):
        if pieces and not piece.strip("。；，、 "):
            pieces[-1] += piece  # a full stop after a closing quote goes with its sentence
        else:
            pieces.append(piece)
    kept = []
    for sentence in pieces:
        try:
            filled = sentence.format_map(values)
        except (ValueError, AttributeError, IndexError, KeyError):  # forms/ validates them when read
            filled = sentence
        if NOT_GIVEN in filled and NOT_GIVEN not in sentence:
            continue  # a fact the notice didn't give
        kept.append(filled)
    return "".join(kept).strip()


# ---------------------------------------------------------------------------- facts as text


def fact_text(value: Any) -> str:
    """A plan fact as the user edits it: dates as 2023-11-01, lists and tables in YAML flow style."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    return "" if value is None else str(value)


def parse_fact(text: str) -> Any:
    """The value of an edited fact; raises ``yaml.YAMLError`` when it cannot be read."""
    return yaml.safe_load(text) if text.strip() else None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _ratio(value: Any) -> str:
    if isinstance(value, list) and value and all(_number(v) for v in value):
        return " : ".join(f"{v:g}" for v in value)
    return _plain(value)


def _money(value: Any) -> str:
    return f"{value:,}元" if isinstance(value, int) and not isinstance(value, bool) else _plain(value)


def _contact(value: Any) -> str:
    if isinstance(value, dict) and {"name", "phone"} <= set(value):
        return f"{value['name']} {value['phone']}"
    return _plain(value)


def _level(form: FormDef | None, field: str | None, value: Any) -> str:
    if form is None or field is None or not isinstance(value, str):
        return _plain(value)
    return form.field(field).choice_label(value)


def _tier(value: Any, form: FormDef | None = None, field: str | None = None) -> str:
    if not isinstance(value, dict) or "amount" not in value:
        return _plain(value)
    levels = value.get("levels")
    levels = "、".join(_level(form, field, v) for v in levels) if isinstance(levels, list) else _plain(levels)
    split = value.get("split")
    quota = value.get("quota")
    return (
        f"{_money(value['amount'])}：{levels}；"
        f"市总工会 : 区、局、集团工会 = {_ratio(split) if split is not None else NOT_GIVEN}；"
        f"名额{f'{quota}个' if _number(quota) else _plain(quota)}"
    )


def _plain(value: Any) -> str:
    """Any value readable: dates in Chinese, lists with 、, mappings as 键：值."""
    if value is None:
        return NOT_GIVEN
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value) if value else "无"
    if isinstance(value, dict):
        return "；".join(f"{k}：{_plain(v)}" for k, v in value.items())
    return str(value)


def fact_display(key: str, value: Any) -> str:
    """A plan fact (dotted ``key`` of the plan file) as a person reads it; never raises, so an
    edit the user is still working on shows as typed."""
    if value is None:
        return NOT_GIVEN
    if key == "submission.contacts" and isinstance(value, list):
        return "、".join(_contact(c) for c in value)
    if key == "submission.electronic_only" and isinstance(value, list):
        return "、".join(f"附件{v}" for v in value) if value else "无"
    fact = fact_def(key)
    if fact is None:
        return _plain(value)
    if fact.type == "tiers" and isinstance(value, list | tuple):
        form = next((f for f in all_forms().values() if f.plan is not None and f.plan.fact(fact.key) is fact), None)
        return "\n".join(_tier(t, form, fact.levels) for t in value)
    if fact.type == "ratio" and _number(value):
        return f"{value * 100:g}%"
    if fact.type == "money":
        return _money(value)
    if fact.type == "split":
        return _ratio(value)
    if fact.unit and _number(value):
        return f"{value:g}{fact.unit}"
    return _plain(value)


def edited_display(key: str, text: str) -> str:
    """What the 设置 table shows for a fact edited as ``text``: readable when it can be read,
    else the text as typed."""
    try:
        return fact_display(key, parse_fact(text))
    except yaml.YAMLError:
        return text
