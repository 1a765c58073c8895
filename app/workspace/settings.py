"""The workspace's settings and what each may hold: one place, checked when read and on import.

A restored backup or an imported bundle brings ``settings.json`` from someone else's machine;
a wrong type there (``union`` a list, ``mail_budget_mb`` a text) once made the app fail on every
start. A value that is not what its key holds is dropped with a message on import, and read as
absent (the default) on load, with the key named, so the app always starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from zhutui import jsonsafe

# The union's own details (设置 → 本单位工会信息): filled into these fields of a new application of
# any form that has them (``forms/README.md``: the sender's fields), named as 设置 shows them.
UNION_LABELS = {
    "unit_union.name": "单位工会名称",
    "unit_union.contact": "单位工会联系人",
    "unit_union.phone": "单位工会联系电话",
    "superior_union.name": "区、局、集团（公司）工会名称",
}
UNION_KEYS = tuple(UNION_LABELS)
# The superior union's contact and phone for a consolidated batch (several enterprise unions).
CONSOLIDATOR = "consolidator"
NAMES = {
    "union": "本单位工会信息",
    "plan_year": "计划年度",
    "mail_budget_mb": "每封邮件的容量上限",
    "output_dir": "输出文件夹",
    "consolidator": "汇总报送联系人",
    "mailbox": "发件邮箱",
    "window_geometry": "窗口位置",
    "sample_offered": "示例提示",
    "sample_apps": "示例申报",
}


def _text(value: Any, limit: int = 200) -> bool:
    return isinstance(value, str) and len(value) <= limit and jsonsafe.text_problem(value) is None


def _texts(keys: tuple[str, ...], limit: int = 200) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return isinstance(value, dict) and set(value) <= set(keys) and all(_text(v, limit) for v in value.values())

    return check


def _number(low: float, high: float) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high

    return check


def _mailbox(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= {"preset", "address", "host", "port", "security", "username"}
        and all(_text(v) for k, v in value.items() if k != "port")
        and ("port" not in value or _number(1, 65535)(value["port"]))
    )


VALIDATORS: dict[str, Callable[[Any], bool]] = {
    "union": _texts(UNION_KEYS),
    "plan_year": lambda v: isinstance(v, int) and not isinstance(v, bool) and 2000 <= v <= 2999,
    "mail_budget_mb": _number(1, 1000),
    "output_dir": lambda v: _text(v, 1000),
    "consolidator": _texts(("contact", "phone")),
    "mailbox": _mailbox,
    "window_geometry": lambda v: _text(v, 20_000) and re.fullmatch(r"[A-Za-z0-9+/=]*", v) is not None,
    "sample_offered": lambda v: isinstance(v, bool),
    "sample_apps": lambda v: (
        isinstance(v, list) and len(v) <= 1000 and all(isinstance(i, int) and not isinstance(i, bool) for i in v)
    ),
}


def valid(key: str, value: Any) -> bool:
    """Whether ``value`` is what ``key`` holds (a key this version doesn't know: left alone)."""
    check = VALIDATORS.get(key)
    return check is None or bool(check(value))


def clean(settings: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``settings`` without the values that are not what their keys hold; the dropped keys."""
    kept = {k: v for k, v in settings.items() if isinstance(k, str) and valid(k, v)}
    return kept, [k for k in settings if k not in kept]


def dropped_message(keys: list[str]) -> str:
    names = "、".join(f"{NAMES.get(k, k)}（{k}）" for k in keys)
    return f"设置中有 {len(keys)} 项内容无效，已不用它们、改用默认值：{names}。请到“设置”中重新填写"
