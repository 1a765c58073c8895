"""Warnings the user has confirmed (确认无误): the optional ``confirmed`` key of an application.

A warning (a card number failing the bank check, a patentee other than the employer, …) may be
right as it is; the user says so once and the app stops asking. A confirmation names the
warning's code, its path and the value at that path when it was confirmed::

    "confirmed": [{"code": "F014", "path": "inventor.union_card_no", "value": "6217000010001234567"}]

It holds only while the value at its path is still that value (as the application file stores
it, i.e. normalised): change the field and the warning is back, unconfirmed. Only warnings can be
confirmed; errors must be put right. Qt-free; the checks mark their findings with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from zhutui.errors import InputError

KEY = "confirmed"
ENTRY_KEYS = ("code", "path", "value")
MAX_ENTRIES = 200  # a form has about 40 fields; more is not a real file
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def value_at(data: dict[str, Any], path: str) -> Any:
    """The value at a finding's path (``project.milestones[1].start``), or None."""
    node: Any = data
    for m in _PART.finditer(path or ""):
        if m[2] is not None:
            index = int(m[2])
            if not isinstance(node, list) or index >= len(node):
                return None
            node = node[index]
        else:
            if not isinstance(node, dict) or m[1] not in node:
                return None
            node = node[m[1]]
    return node


def load(file: Any, value: Any, warning_codes: Iterable[str]) -> list[dict[str, Any]]:
    """The ``confirmed`` list of an application file, validated (``InputError`` naming the key)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(file, KEY, '类型错误：应为列表 [ {"code": …, "path": …, "value": …}, … ]')
    if len(value) > MAX_ENTRIES:
        raise InputError(file, KEY, f"确认过的警告超过 {MAX_ENTRIES} 条，不是申报文件")
    codes = set(warning_codes)
    out: list[dict[str, Any]] = []
    for i, item in enumerate(value):
        where = f"{KEY}[{i}]"
        if not isinstance(item, dict):
            raise InputError(file, where, '类型错误：应为对象 {"code": …, "path": …, "value": …}')
        for key in item:
            if key not in ENTRY_KEYS:
                raise InputError(file, f"{where}.{key}", f"未知的键“{key}”（此处可用：{', '.join(ENTRY_KEYS)}）")
        for key in ("code", "path"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise InputError(file, f"{where}.{key}", "缺少或类型错误：应为文字")
        if item["code"] not in codes:
            raise InputError(file, f"{where}.code", f"“{item['code']}”不是警告的代码，只有警告可以确认（错误须改正）")
        if len(item["path"]) > 200:
            raise InputError(file, f"{where}.path", "路径过长")
        entry = {"code": item["code"], "path": item["path"], "value": item.get("value")}
        if entry not in out:
            out.append(entry)
    return out


def entry_for(data: dict[str, Any], code: str, path: str) -> dict[str, Any]:
    """The confirmation of warning ``code`` at ``path`` for the value ``data`` holds now."""
    return {"code": code, "path": path, "value": value_at(data, path)}


def holds(data: dict[str, Any], entry: dict[str, Any]) -> bool:
    return value_at(data, entry["path"]) == entry.get("value")


def mark(data: dict[str, Any], findings: list) -> list:
    """The findings with ``confirmed=True`` on each warning a confirmation in ``data`` covers."""
    entries = data.get(KEY) or []
    if not entries:
        return findings
    held = {(e["code"], e["path"]) for e in entries if isinstance(e, dict) and holds(data, e)}
    return [replace(f, confirmed=True) if f.severity == "warning" and (f.code, f.path) in held else f for f in findings]


def under(path: str, key: str) -> bool:
    """Whether a finding's ``path`` lies in the field ``key`` (the field itself or a cell of it)."""
    return path == key or path.startswith(key + ".") or path.startswith(key + "[")


def without_changed(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The confirmations that stay when the field ``key`` is edited: those about it are cleared."""
    return [e for e in entries if not (isinstance(e, dict) and under(str(e.get("path", "")), key))]
