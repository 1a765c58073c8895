"""Where a finding points, in the user's words: ``project.budget[2].amount`` → 经费预算 第3行 金额（元）.

A finding's ``path`` is a key of the application file, with list indices. The editor needs the
field it belongs to (to show the message there and to jump to it) and the check panel needs a
label a union secretary understands; both come from the form definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhutui.formdef import FieldDef, FormDef

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")

ATTACHMENTS = "attachments"


@dataclass(frozen=True)
class Target:
    """The field (or ``attachments``) a path points into, the table row and column if any."""

    key: str  # a field key of the form, "attachments", or "" when the path names no field
    row: int | None = None  # index into a table / list value, or into the attachments
    column: str | None = None  # a table column's key


def target(form: FormDef, path: str) -> Target:
    parts: list[str | int] = [int(m[2]) if m[2] else m[1] for m in _PART.finditer(path or "")]
    if parts[:1] == [ATTACHMENTS]:
        row = parts[1] if len(parts) > 1 and isinstance(parts[1], int) else None
        return Target(ATTACHMENTS, row)
    names: list[str] = []
    for i, part in enumerate(parts):
        if isinstance(part, int):
            key = ".".join(names)
            rest = [p for p in parts[i + 1 :] if isinstance(p, str)]
            return Target(key if _known(form, key) else "", part, rest[0] if rest else None)
        names.append(part)
    key = ".".join(names)
    return Target(key if _known(form, key) else "")


def _known(form: FormDef, key: str) -> bool:
    try:
        form.field(key)
    except KeyError:
        return False
    return True


def describe(form: FormDef, path: str) -> str:
    """The place a path names, as shown in the check panel (empty when it names no field)."""
    where = target(form, path)
    if where.key == ATTACHMENTS:
        return "附件" if where.row is None else f"附件 第{where.row + 1}个"
    if not where.key:
        return ""
    field: FieldDef = form.field(where.key)
    text = field.label
    if where.row is not None:
        text += f" 第{where.row + 1}{'位' if field.type == 'person_list' else '行'}"
    if where.column:
        column = next((c for c in field.columns if c.key == where.column), None)
        if column is not None:
            text += f" {column.label}"
    return text


def section_of(form: FormDef, key: str) -> int | None:
    """Index of the section holding the field ``key``."""
    for i, section in enumerate(form.sections):
        if any(f.key == key for f in section.fields):
            return i
    return None
