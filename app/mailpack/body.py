"""The Chinese texts of a mail package: each message's body and 邮件正文.txt.

The receiver, address, contacts and deadline come from the plan year (a fact the notice does
not give is left out, never guessed); who sends comes from the forms or the app's settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from zhutui.formdef import all_forms
from zhutui.outputs import values
from zhutui.plans import Plan, cn_date

if TYPE_CHECKING:
    from zhutui.mailpack.result import PackageFile, PackageResult


def counts_by_form(files: Sequence[PackageFile]) -> dict[str, int]:
    """{"patent": 3, "project": 1}: the applications among ``files`` by form, in the forms' order
    (forms without one left out)."""
    groups = {f.group: f.form for f in files if f.group}
    counts = {name: sum(1 for form in groups.values() if form == name) for name in all_forms()}
    return {name: n for name, n in counts.items() if n}


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _draft_warning(draft: bool) -> list[str]:
    return ["【草稿】这个邮件包由有错误的申报生成，只供核对：请改正错误后重新生成，不要报送。", ""] if draft else []


def _greeting(plan: Plan, who: values.Sender, counts: dict[str, int]) -> list[str]:
    forms = all_forms()
    what = "、".join(f"{forms[name].body_label}{n}项" for name, n in counts.items() if name in forms)
    # No addressee: the notice names who receives the paper copy, not who reads the mailbox.
    return [f"　　您好！现报送{who.name or '我单位'}{plan.year}年职工创新助推计划申报材料电子版（{what}）。"]


def _paper_reminder(plan: Plan, counts: dict[str, int]) -> list[str]:
    lines = []
    where = plan.paper_receiver or ""
    if plan.paper_address:
        where += f"（地址：{plan.paper_address}）"
    if where:
        lines.append(f"　　经两级工会盖章的纸质版材料将于{cn_date(plan.deadline)}前报送至{where}。")
    forms = all_forms()
    tables = {t.attachment_no for name in counts if name in forms and (t := forms[name].summary) is not None}
    only = [n for n in plan.electronic_only or () if n in tables]  # of the tables this package carries
    if only:
        lines.append(f"　　{'、'.join(f'附件{n}' for n in only)}（汇总表）只报送电子版。")
    if plan.contacts:
        lines.append("　　通知所列联系人：" + "，".join(f"{c.name} {c.phone}" for c in plan.contacts) + "。")
    return lines


def contact_line(who: values.Sender) -> list[str]:
    """Whom the receiver calls about this submission: the sender union's contact and phone
    (none when neither is known: the package's notes ask the user to give them)."""
    given = "，".join(p for p in (who.contact, f"电话 {who.phone}" if who.phone else "") if p)
    return [f"　　如材料有疑问，请与我单位联系人联系：{given}。"] if given else []


def _signature(who: values.Sender, today: dt.date) -> list[str]:
    return [*contact_line(who), "", who.name or "", cn_date(today)]


def _file_lines(files: Sequence[PackageFile]) -> list[str]:
    return [f"{i}. {f.name}　{f.what}，{size_text(f.size)}" for i, f in enumerate(files, 1)]


def body_text(
    plan: Plan,
    who: values.Sender,
    today: dt.date,
    files: Sequence[PackageFile],
    counts: dict[str, int],
    number: int,
    total: int,
    draft: bool,
) -> str:
    """The body of message ``number`` of ``total``: what it carries and the paper-copy reminder.
    ``counts`` are the whole package's applications by form."""
    lines = _draft_warning(draft) + _greeting(plan, who, counts)
    if total > 1:
        lines[-1] = lines[-1].rstrip("。") + f"。材料较多，分{total}封邮件发送，本邮件为第{number}封。"
    size = sum(f.size for f in files)
    lines += ["", f"本邮件附件（共{len(files)}个，合计{size_text(size)}）："] + _file_lines(files)
    lines += [""] + _paper_reminder(plan, counts) + _signature(who, today)
    return "\r\n".join(lines) + "\r\n"


def package_text(plan: Plan, who: values.Sender, today: dt.date, result: PackageResult) -> str:
    """邮件正文.txt: the whole submission, for pasting into a webmail when sending by hand."""
    counts = counts_by_form(result.files)
    lines = _draft_warning(result.draft) + [f"收件人：{plan.email or '（通知未公布邮箱）'}"]
    for m in result.messages:
        lines.append(
            f"主题：{m.subject}"
            + (f"（{m.eml}，附件{len(m.files)}个，{size_text(m.files_bytes)}）" if len(result.messages) > 1 else "")
        )
    lines += [""] + _greeting(plan, who, counts)
    total = sum(f.size for f in result.files)
    lines += ["", f"附件（共{len(result.files)}个，合计{size_text(total)}）："] + _file_lines(result.files)
    lines += [""] + _paper_reminder(plan, counts) + _signature(who, today)
    return "\r\n".join(lines) + "\r\n"
