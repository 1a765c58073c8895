"""Field checks (F codes), driven only by the form definition: required, lengths, dates, choices,
ranges and identifier formats. Also used by the editor to check one field as the user types.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhutui import formats
from zhutui import identifiers as ids
from zhutui import normalize as norm
from zhutui.appfile import Application, is_empty
from zhutui.checks.context import Context
from zhutui.formdef import FieldDef


def check_fields(ctx: Context) -> None:
    for f in ctx.app.form.fields:
        check_field(ctx, f, f.key, ctx.app.get(f.key))


def check_field(ctx: Context | _RowContext, f: FieldDef, path: str, value: Any, row: str = "") -> None:
    """Check one value of field ``f`` found at ``path`` (a table cell has its own path; ``row``
    names its row first in every message: 团队成员第3行：…)."""
    if row:
        ctx = _RowContext(ctx, row)
    if is_empty(value):
        if f.required:
            ctx.emit(f.missing_code, path, label=f.label, detail=f"请{fill_verb(f)}“{f.label}”。", verb=fill_verb(f))
        return
    t = f.type
    if t in ("text", "longtext"):
        _check_text(ctx, f, path, value)
    elif t == "date":
        if norm.parse_date(value) is None:
            ctx.emit("F003", path, label=f.label, value=value)
    elif t == "choice":
        if value not in [c.value for c in f.choices]:
            ctx.emit("F004", path, label=f.label, value=value, choices="、".join(c.label for c in f.choices))
    elif t in ("year", "money"):
        _check_range(ctx, f, path, value)
    elif t == "person_list":
        for i, name in enumerate(value):
            item_path = f"{path}[{i}]"
            if not name:
                ctx.emit("F001", item_path, label=f"{f.label}第{i + 1}位")
            elif f.item_max_length and len(name) > f.item_max_length:
                ctx.emit("F002", item_path, label=f"{f.label}第{i + 1}位", limit=f.item_max_length, actual=len(name))
        _check_count(ctx, f, path, value)
    elif t == "table":
        for i, line in enumerate(value):
            for col in f.columns:
                check_field(ctx, col, f"{path}[{i}].{col.key}", line.get(col.key), f"{f.label}第{i + 1}行：")
        _check_count(ctx, f, path, value)


def fill_verb(f: FieldDef) -> str:
    """选择 for a drop-down (choice, yes/no), 填写 for what is typed."""
    return "选择" if f.type in ("choice", "bool") else "填写"


class _RowContext:
    """A context whose findings name a table row first."""

    app: Application
    today: dt.date

    def __init__(self, ctx: Context | _RowContext, row: str):
        self._ctx, self._row = ctx, row
        self.app, self.today = ctx.app, ctx.today

    @property
    def plan(self):
        return self._ctx.plan

    def emit(self, code: str, path: str, **params: Any) -> None:
        self._ctx.emit(code, path, prefix=self._row, **params)


def _check_text(ctx: Context | _RowContext, f: FieldDef, path: str, value: str) -> None:
    if f.max_length and len(value) > f.max_length:
        ctx.emit("F002", path, label=f.label, limit=f.max_length, actual=len(value))
    fmt = formats.get(f.format)
    if fmt is None or fmt.validate is None:
        return
    reason = fmt.validate(value, ctx.today)
    if reason:
        assert fmt.code is not None  # formats.register pairs a validator with its code
        ctx.emit(fmt.code, path, label=f.label, detail=reason)
    elif fmt.name == "id_number":
        _check_gender(ctx, path, value)


def _check_gender(ctx: Context | _RowContext, id_path: str, id_number: str) -> None:
    """F011: the ``gender`` field next to an ID number must match its 17th digit."""
    parent = id_path.rsplit(".", 1)[0]
    gender = ctx.app.get(f"{parent}.gender")
    expected = ids.gender_from_id(id_number)
    if gender in ("男", "女") and expected and gender != expected:
        ctx.emit("F011", f"{parent}.gender", value=gender, expected=expected)


def _bound(f: FieldDef, which: str, ctx: Context | _RowContext) -> int | None:
    value = getattr(f, which)
    return ctx.plan.year if value == "plan_year" else value


def _check_range(ctx: Context | _RowContext, f: FieldDef, path: str, value: int) -> None:
    low, high = _bound(f, "min", ctx), _bound(f, "max", ctx)
    if (low is not None and value < low) or (high is not None and value > high):
        ctx.emit(
            "F005",
            path,
            label=f.label,
            value=value,
            min=low if low is not None else "—",
            max=high if high is not None else "—",
        )


def _check_count(ctx: Context | _RowContext, f: FieldDef, path: str, items: list) -> None:
    if f.max_items and len(items) > f.max_items:
        ctx.emit("F005", path, label=f"{f.label}的条数", value=f"{len(items)}条", min=1, max=f.max_items)


def parse_date(value: Any) -> dt.date | None:
    """A field value as a date, or None when absent or invalid (F003 reports those)."""
    return norm.parse_date(value) if isinstance(value, str) else None
