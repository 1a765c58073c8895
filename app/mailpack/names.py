"""Names in a mail package (files, folder, messages, subjects) and how files split over messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from zhutui import naming
from zhutui.formdef import all_forms
from zhutui.naming import DRAFT

if TYPE_CHECKING:
    from zhutui.mailpack.result import PackageFile

MAX_NAME_CHARS = 20  # Chinese (non-ASCII) characters in a file name: QQ Mail keeps such names whole
STUDIO_ENDINGS = ("劳模创新工作室", "职工创新工作室", "技能大师工作室", "创新工作室", "工作室")


def chinese_chars(name: str) -> int:
    return sum(not c.isascii() for c in name)


def short_name(prefix: str, subject: str, rest: str) -> str:
    """``prefix_subject`` + ``rest``, the subject shortened until the name has at most
    ``MAX_NAME_CHARS`` Chinese characters: a studio first loses its common ending (…创新工作室),
    then characters from its end."""
    name = f"{prefix}_{subject}{rest}"
    if chinese_chars(name) > MAX_NAME_CHARS:
        subject = next(
            (subject[: -len(e)] for e in STUDIO_ENDINGS if subject.endswith(e) and len(subject) > len(e)), subject
        )
    while True:
        name = f"{prefix}_{subject}{rest}"
        if chinese_chars(name) <= MAX_NAME_CHARS or len(subject) <= 1:
            return name
        subject = subject[:-1]


def package_folder_name(plan_year: int, union: str, today: dt.date, draft: bool) -> str:
    stem = f"{plan_year}年职工创新助推_{naming.safe_name(union, '未填单位工会')}_{today:%Y%m%d}"
    return naming.draft_name(stem, draft)


def subject_line(
    plan_year: int, union: str, counts: dict[str, int], draft: bool, number: int = 1, total: int = 1
) -> str:
    """【2022年职工创新助推】北京精工机床有限公司工会 发明专利3项 创新项目1项（1/2）; ``counts``: the
    applications by form name (each counted by its ``count_label``)."""
    forms = all_forms()
    parts = [f"{forms[name].count_label}{n}项" for name, n in counts.items() if n and name in forms]
    subject = f"【{plan_year}年职工创新助推】{union or '未填单位工会'} " + " ".join(parts)
    if total > 1:
        subject += f"（{number}/{total}）"
    return (f"【{DRAFT}】" if draft else "") + subject


def eml_name(number: int, total: int, draft: bool) -> str:
    stem = "邮件" if total == 1 else f"邮件{number}_共{total}封"
    return naming.draft_name(stem, draft) + ".eml"


# --------------------------------------------------------------------------- splitting


def split_messages(files: Sequence[PackageFile], budget: int) -> list[list[PackageFile]]:
    """Files over messages of at most ``budget`` bytes each, in order, never splitting a file,
    keeping an application's files together where they fit in one message."""
    groups: dict[int, list[PackageFile]] = {}
    for f in files:
        groups.setdefault(f.group, []).append(f)
    messages: list[list[PackageFile]] = [[]]
    used = 0
    for group in groups.values():
        size = sum(f.size for f in group)
        if used + size > budget and messages[-1] and size <= budget:
            messages.append([])
            used = 0
        for f in group:
            if used + f.size > budget and messages[-1]:
                messages.append([])
                used = 0
            messages[-1].append(f)
            used += f.size
    return [m for m in messages if m]
