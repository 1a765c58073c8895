"""How applications and the files made of them are named: one derivation each, at the bottom.

Whom an application is for (its form's ``subject``: 第一发明人, 工作室) and what it is about
(``headline``: 专利名称, 项目名称) name it in the app's lists, the check panel, messages, the
交接 page, the printed forms, the mail package and every file written; the same words
everywhere, from these functions. Output files are named here too (``附件1_…_王建国``), safe on
Windows, macOS and Linux, and so is a draft (``_草稿``), with the one decision of when an output
is one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from zhutui.appfile import get_path, is_empty
from zhutui.formdef import FieldDef, FormDef
from zhutui.winpath import safe_component

DRAFT = "草稿"
DRAFT_SUFFIX = f"_{DRAFT}"
MAX_NAME_CHARS = 40  # a name part of a file: a realistic subject is far shorter
# What a field without a length limit of its own prints at most: a valid value is far shorter; a
# draft's runaway paste must not outgrow its table cell or its file name.
PRINT_CAP = 60


class _Finding(Protocol):
    @property
    def severity(self) -> str: ...


def is_draft(findings: Iterable[_Finding], asked: bool = False) -> bool:
    """Whether an output of a batch is a draft (marked 草稿, never submitted): when asked for, or
    when the checks found an error."""
    return asked or any(f.severity == "error" for f in findings)


def capped(text: str, limit: int | None) -> str:
    """``text`` as printed: cut at ``limit`` characters (a draft's over-long value), saying so."""
    limit = limit or PRINT_CAP
    if len(text) <= limit:
        return text
    return text[:limit] + f"……（共{len(text)}字，超出{limit}字的部分未打印）"


def _text(f: FieldDef, value: Any) -> str:
    if is_empty(value):
        return ""
    if f.type == "choice":
        return f.choice_label(value)
    return capped(str(value), f.max_length)


def subject(form: FormDef, data: Mapping[str, Any]) -> str:
    """Whom the application is for (王建国, 王建国创新工作室), or 未填姓名 when it says nobody yet."""
    f = form.field(form.subject)
    return _text(f, get_path(data, f.key)) or f"未填{f.label}"


def headline(form: FormDef, data: Mapping[str, Any], *, say_missing: bool = False) -> str:
    """What it is about (一种……装置); ``""`` when not given yet (未填专利名称 with ``say_missing``:
    a list's column)."""
    f = form.field(form.headline)
    text = _text(f, get_path(data, f.key))
    return text or (f"未填{f.label}" if say_missing else "")


UNION = "unit_union.name"  # the sender's field (forms/README.md: the sender's fields)
SUPERIOR = "superior_union.name"


def union(data: Mapping[str, Any]) -> str:
    """The enterprise union an application is submitted by (``""``: none given, or a form
    without the sender's fields)."""
    value = get_path(data, UNION)
    return value.strip() if isinstance(value, str) else ""


def main_union(datas: Iterable[Mapping[str, Any]]) -> str:
    """The union most of the applications are submitted by (a batch's, a workspace's, a
    bundle's created_by); ``""`` when none names one."""
    counts = Counter(name for name in map(union, datas) if name)
    return counts.most_common(1)[0][0] if counts else ""


def shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(form: FormDef, data: Mapping[str, Any], limit: int = 24) -> str:
    """How messages, dialogs and the 交接 page name an application: 发明专利助推“王建国”（一种数控…）."""
    about = headline(form, data)
    return f"{form.short_title}“{subject(form, data)}”" + (f"（{shortened(about, limit)}）" if about else "")


# --------------------------------------------------------------------------- file names


def safe_name(text: str, fallback: str = "未命名") -> str:
    """A file-name part usable on Windows, macOS and Linux (``winpath.safe_component``)."""
    return safe_component(text, fallback, MAX_NAME_CHARS)


def form_file_stem(form: FormDef, data: Mapping[str, Any]) -> str:
    """附件1_职工创新发明专利助推申报表_王建国: a printed form's file (without suffix or number)."""
    return f"附件{form.attachment_no}_{safe_name(form.title)}_{safe_name(subject(form, data))}"


def export_stem(form: FormDef, data: Mapping[str, Any]) -> str:
    """附件1_王建国: an exported application file."""
    return f"附件{form.attachment_no}_{safe_name(subject(form, data))}"


def draft_name(stem: str, draft: bool) -> str:
    return stem + (DRAFT_SUFFIX if draft else "")


def unique_stems(stems: Sequence[str]) -> list[str]:
    """The stems made unique within a batch by numbering repeats: 王建国, 王建国_2, …"""
    used: set[str] = set()
    out = []
    for stem in stems:
        candidate, n = stem, 1
        while candidate in used:
            n += 1
            candidate = f"{stem}_{n}"
        used.add(candidate)
        out.append(candidate)
    return out
