"""材料清单: the cover sheet of the paper submission and its checklist.

Who sends it, what is enclosed (each form with its page count and 校验码), what goes by e-mail
only, and where and by when the paper copy must arrive: the receiver, address, contacts and
deadline all come from the plan year, never from code.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from zhutui import naming
from zhutui.fonts import PdfFonts
from zhutui.formdef import all_forms
from zhutui.outputs import values
from zhutui.outputs.cjk import Paragraph
from zhutui.outputs.formpdf import section_number
from zhutui.outputs.pdfdoc import FRAME_W, Document, PageDecor, heading, make_styles, ruled_table
from zhutui.plans import Plan, cn_date

if TYPE_CHECKING:
    from zhutui.outputs.rendered import RenderedForm


def checklist_title(plan: Plan) -> str:
    return f"{plan.year}年职工创新助推申报材料清单"


def checklist_pdf(
    forms: Sequence[RenderedForm], today: dt.date, *, draft: bool, fonts: PdfFonts, sender: values.Sender
) -> bytes:
    apps = [f.app for f in forms]
    plan = apps[0].plan if apps else None
    if plan is None:
        raise ValueError("a checklist needs at least one application")
    st = make_styles(fonts)
    who = sender

    def p(text: str, style=st.cell) -> Paragraph:
        return Paragraph(fonts.markup(text, style.fontName).replace("\n", "<br/>"), style)

    def section(i: int, title: str) -> list:
        return heading(fonts, st, section_number(i) + title, title)

    def grid(rows: list[tuple[str, str]], label_w: float = 42 * mm):
        return ruled_table([[p(k, st.label), p(v)] for k, v in rows], [label_w, FRAME_W - label_w], fonts)

    title = checklist_title(plan)
    buffer = io.BytesIO()
    doc = Document(buffer, fonts, PageDecor(header=f"{title}　{who.name}", draft=draft), title=title)
    story = [p(title, st.title), p(f"报送日期：{cn_date(today)}", st.subtitle)]
    story += section(0, "报送单位")
    rows: list[Any] = [("报送单位", who.name), ("联系人", who.contact), ("联系电话", who.phone)]
    if who.superior and who.superior != who.name:
        rows.append(("区、局、集团（公司）工会", who.superior))
    story.append(grid(rows))

    story += section(1, "纸质材料（经两级工会盖章）")
    header = [p(t, st.label) for t in ("序号", "材料", "申报对象", "页数", "校验码")]
    rows = [header]
    for i, form in enumerate(forms, 1):
        pages = f"{form.pages}" + (
            f"（表{form.form_pages}页，附件{form.attachment_pages}页）" if form.attachment_pages else ""
        )
        definition, data = form.app.form, form.app.data
        about = naming.headline(definition, data)  # two applications of one person or studio told apart
        rows.append(
            [
                p(str(i), st.cell_center),
                p(f"附件{definition.attachment_no} {definition.file_label}"),
                p(naming.subject(definition, data) + (f"（{naming.shortened(about, 30)}）" if about else "")),
                p(pages),
                p(form.app.check_code),
            ]
        )
    counts = Counter(f.app.form.form for f in forms)
    total_pages = sum(f.pages for f in forms)
    rows.append([p("合计", st.label), p(_count_text(counts), st.label), "", p(f"{total_pages}", st.label), ""])
    story.append(
        ruled_table(
            rows,
            [11 * mm, 27 * mm, FRAME_W - 103 * mm, 43 * mm, 22 * mm],
            fonts,
            extra=[("SPAN", (1, len(rows) - 1), (2, len(rows) - 1))],
            header_rows=1,
        )
    )
    story += [
        Spacer(1, 1.5 * mm),
        p("每份申报表（书）后附其附件；各页页脚的校验码与汇总表中该项的校验码一致，便于核对纸质版与电子版。", st.note),
    ]

    story += section(2, "电子版材料")
    stamped = Counter(f.app.form.form for f in forms if _has_stamped_scan(f))
    story.append(grid(_electronic_rows(plan, counts, stamped)))

    story += section(3, "报送要求")
    contacts = "；".join(f"{c.name} {c.phone}" for c in plan.contacts) if plan.contacts else values.NOT_GIVEN
    story.append(
        grid(
            [
                ("截止日期", f"{cn_date(plan.deadline)}前完成材料报送"),
                ("纸质版报送至", plan.paper_receiver or values.NOT_GIVEN),
                ("地址", plan.paper_address or values.NOT_GIVEN),
                ("联系人", contacts),
                ("电子版邮箱", plan.email or values.NOT_GIVEN),
            ]
        )
    )
    story.append(p(f"依据：{plan.source}", st.note))
    doc.build_pages(story)
    return buffer.getvalue()


def _count_text(counts: Counter) -> str:
    forms = all_forms()
    parts = [f"{forms[name].title}{n}份" for name, n in counts.items()]
    return "，".join(parts)


def _has_stamped_scan(form: RenderedForm) -> bool:
    return any(e.get("kind") == "stamped_form" for e in form.app.data.get("attachments", []))


def _electronic_rows(plan: Plan, counts: Counter, stamped: Counter) -> list[tuple[str, str]]:
    """What the mail package carries: each form as its stamped scan once one is added, else as
    the unstamped PDF (the mail package's own rule), and the summary tables."""
    items: list[tuple[int, str]] = []
    for name, form in all_forms().items():
        if counts.get(name):
            done = stamped.get(name, 0)
            if done == counts[name]:
                how = "盖章后的扫描件，PDF"
            elif done:
                how = f"{done}份为盖章后的扫描件，{counts[name] - done}份为未盖章的PDF"
            else:
                how = "未盖章的PDF"
            items.append((form.attachment_no, f"{form.title}（{how}）及其附件"))
            summary = form.summary
            if summary is None:
                continue
            only = plan.electronic_only is not None and summary.attachment_no in plan.electronic_only
            items.append(
                (
                    summary.attachment_no,
                    f"{plan.year}年{summary.title}（Excel表格）" + ("，只报送电子版" if only else ""),
                )
            )
    rows = [(f"附件{no}", text) for no, text in sorted(items)]
    rows.append(("发送至", plan.email or values.NOT_GIVEN))
    return rows
