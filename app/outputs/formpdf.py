"""The printed 附件1 / 附件3, laid out from the form definition (``forms/*.yaml``).

Sections print in definition order (the order a reviewer checks them). Short fields share a
grid of label/value cells, two pairs to a row; long texts flow as paragraphs under their label;
table fields become ruled tables whose header repeats and whose rows never split across pages,
money columns summed in a 合计 row. After the fields come the boost amount and its split by the
plan's ratio, then the stamp boxes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from zhutui import formats, naming
from zhutui.appfile import Application
from zhutui.fonts import PdfFonts
from zhutui.formdef import FieldDef, SectionDef
from zhutui.outputs import values
from zhutui.outputs.cjk import Paragraph
from zhutui.outputs.pdfdoc import FRAME_W, Styles, heading, ruled_table, subheading
from zhutui.plans import cn_date

CN_NUMERALS = "一二三四五六七八九"
LABEL_W = 31 * mm
WIDE_TEXT = 24  # a text field allowing more characters than this gets a whole row
STAMP_MIN = 45 * mm
STAMP_H = 48 * mm
STAMP_GAP = 6 * mm
EMPTY_OPTIONAL = "无"
TABLE_SPACE = 2 * mm
DATE_LINE = "年　月　日"


def section_number(index: int) -> str:
    """一、 二、 … 十、 十一、 … 九十九、 for the 0-based ``index``."""
    n = index + 1
    if not 0 < n < 100:
        return f"{n}."
    tens, ones = divmod(n, 10)
    text = ("" if tens < 2 else CN_NUMERALS[tens - 1]) + ("十" if tens else "")
    return text + (CN_NUMERALS[ones - 1] if ones else "") + "、"


class FormLayout:
    """Flowables of one application's form."""

    def __init__(self, app: Application, fonts: PdfFonts, styles: Styles):
        self.app = app
        self.fonts = fonts
        self.st = styles

    def _p(self, text: str, style: Any) -> Paragraph:
        return Paragraph(self.fonts.markup(text, style.fontName).replace("\n", "<br/>"), style)

    # ----------------------------------------------------------------- whole form

    def flowables(self, today: dt.date) -> list[Flowable]:
        app, form = self.app, self.app.form
        out: list[Flowable] = [
            self._p(f"附件{form.attachment_no}", self.st.note),
            self._p(form.printed_title(app.plan.year), self.st.title),
            self._p(f"填报日期：{cn_date(today)}　　校验码：{app.check_code}", self.st.subtitle),
        ]
        for i, section in enumerate(form.sections):
            out += self.section(section, section_number(i))
        n = len(form.sections)
        boost = self.boost_block(section_number(n))
        out += boost
        out += self.stamp_block(section_number(n + 1 if boost else n))
        return out

    def section(self, section: SectionDef, number: str) -> list[Flowable]:
        out: list[Flowable] = heading(self.fonts, self.st, number + section.title, section.title)
        grid: list[FieldDef] = []
        for f in section.fields:
            if f.type in ("longtext", "table", "person_list"):
                if grid:
                    out.append(self.grid(grid))
                    grid = []
                out += {"longtext": self.longtext, "table": self.table, "person_list": self.person_list}[f.type](f)
            else:
                grid.append(f)
        if grid:
            out.append(self.grid(grid))
        return out

    # ----------------------------------------------------------------- fields

    def value_text(self, f: FieldDef) -> str:
        value = self.app.get(f.key)
        if f.type == "choice" and isinstance(value, int) and f.choices and isinstance(f.choices[0].value, int):
            return values.money_with_capitals(value)  # a boost tier: the amount, in capitals too
        text = values.display(f, value, capitals=True)
        return text or ("" if f.required else EMPTY_OPTIONAL)

    def _wide(self, f: FieldDef) -> bool:
        return (
            f.type == "money"
            or (f.type == "choice" and max(len(c.label) for c in f.choices) > 10)
            or (f.type == "text" and (f.max_length or 0) > WIDE_TEXT)
            or (f.type == "choice" and isinstance(f.choices[0].value, int))
        )

    def grid(self, fields: list[FieldDef]) -> Table:
        """Label/value pairs, two to a row; a wide field takes a row to itself."""
        value_w = (FRAME_W - 2 * LABEL_W) / 2
        rows: list[list[Any]] = []
        spans: list[tuple] = []
        pending: list[Any] | None = None
        for f in fields:
            pair = [self._p(f.label, self.st.label), self._p(self.value_text(f), self.st.cell)]
            if self._wide(f):
                if pending:
                    rows.append(pending + ["", ""])
                    spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
                    pending = None
                rows.append(pair + ["", ""])
                spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
            elif pending:
                rows.append(pending + pair)
                pending = None
            else:
                pending = pair
        if pending:
            rows.append(pending + ["", ""])
            spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
        return ruled_table(rows, [LABEL_W, value_w, LABEL_W, value_w], self.fonts, extra=spans)

    def longtext(self, f: FieldDef) -> list[Flowable]:
        text = self.app.get(f.key) or ("" if f.required else EMPTY_OPTIONAL)
        paragraphs = [p.strip() for p in str(text).split("\n") if p.strip()] or [""]
        return [*subheading(self.fonts, self.st, f.label), *(self._p(p, self.st.prose) for p in paragraphs)]

    def person_list(self, f: FieldDef) -> list[Flowable]:
        names = self.app.get(f.key) or []
        header = [self._p("序号", self.st.label), self._p(f.label, self.st.label)]
        rows: list[list[Any]] = [header] + [
            [self._p(str(i), self.st.cell_center), self._p(naming.capped(n, f.item_max_length), self.st.cell)]
            for i, n in enumerate(names, 1)
        ]
        if not names:
            rows.append(["", self._p("" if f.required else EMPTY_OPTIONAL, self.st.cell)])
        table = ruled_table(rows, [16 * mm, FRAME_W - 16 * mm], self.fonts, header_rows=1)
        table.spaceBefore = TABLE_SPACE
        return [table]

    def table(self, f: FieldDef) -> list[Flowable]:
        """A table field: header, rows, and a 合计 row when it has money columns."""
        columns = f.columns
        rows_data = self.app.get(f.key) or []
        header = [self._p("序号", self.st.label)] + [self._p(c.label, self.st.label) for c in columns]
        body: list[list[Any]] = []
        for i, row in enumerate(rows_data, 1):
            cells = [self._p(str(i), self.st.cell_center)]
            for c in columns:
                cells.append(self._p(values.display(c, row.get(c.key)), self.st.cell))
            body.append(cells)
        if not body:
            body.append([""] + [self._p("", self.st.cell) for _ in columns])
        money_cols = [j for j, c in enumerate(columns) if c.type == "money"]
        if money_cols and rows_data:
            totals: list[Any] = [self._p("合计", self.st.label)] + ["" for _ in columns]
            for j in money_cols:
                totals[j + 1] = self._p(
                    f"{values.money(values.column_sum(rows_data, columns[j].key))}元", self.st.label
                )
            body.append(totals)
        table = ruled_table([header] + body, self._column_widths(columns), self.fonts, header_rows=1)
        table.spaceBefore = TABLE_SPACE
        if not (money_cols and rows_data):
            return [table]
        return [table, *self._subtotals(f, columns[money_cols[0]].key, rows_data)]

    def _column_widths(self, columns: tuple[FieldDef, ...]) -> list[float]:
        index_w = 12 * mm
        weights = [self._column_weight(c) for c in columns]
        if len(columns) == 1:
            weights = [1]
        scale = (FRAME_W - index_w) / sum(weights)
        return [index_w] + [w * scale for w in weights]

    @staticmethod
    def _column_weight(c: FieldDef) -> float:
        """Relative width of a table column, from its type and how long its values can be."""
        if c.type == "choice":
            return 0.8 + 0.5 * max(len(choice.label) for choice in c.choices)
        fixed = {"date": 2.4, "money": 2.6, "year": 1.6}
        if c.type in fixed:
            return fixed[c.type]
        fmt = formats.get(c.format)
        if fmt is not None and fmt.column_weight is not None:
            return fmt.column_weight
        return 2.2 if (c.max_length or 0) <= 30 else 6

    def _subtotals(self, f: FieldDef, money_key: str, rows: list[dict]) -> list[Flowable]:
        """For each choice column: the money total per choice (e.g. 企业自筹 / 工会助推资金)."""
        return [self._p(line + "。", self.st.note) for line in values.choice_subtotals(f, money_key, rows)]

    # ----------------------------------------------------------------- boost and stamps

    def boost_block(self, number: str) -> list[Flowable]:
        """The 助推资金 block of a form with a ``boost``: the amount and each union's share, in
        figures and capitals (nothing the app computes beyond them: the form, not a comment)."""
        boost = values.boost(self.app)
        if boost is None:
            return []
        rows = [
            ("申请助推金额", values.money_with_capitals(boost.amount) if boost.amount is not None else ""),
            ("市总工会承担", values.money_with_capitals(boost.city) if boost.city is not None else values.NOT_GIVEN),
            (
                "区、局、集团（公司）工会承担",
                values.money_with_capitals(boost.superior) if boost.superior is not None else values.NOT_GIVEN,
            ),
        ]
        table = ruled_table(
            [[self._p(k, self.st.label), self._p(v, self.st.cell)] for k, v in rows],
            [50 * mm, FRAME_W - 50 * mm],
            self.fonts,
        )
        return [*heading(self.fonts, self.st, number + "助推资金", "助推资金"), table]

    def stamp_block(self, number: str) -> list[Flowable]:
        stamps = self.app.form.stamps
        if not stamps:
            return []
        title = "审核盖章"
        return [
            KeepTogether(
                [
                    *heading(self.fonts, self.st, number + title, title),
                    Spacer(1, 2 * mm),
                    StampBoxes(stamps, self.fonts),
                ]
            )
        ]


class StampBoxes(Flowable):
    """Ruled boxes, each at least 45 mm × 45 mm, for the unions' stamps and dates."""

    def __init__(self, titles: tuple[str, ...], fonts: PdfFonts):
        super().__init__()
        self.titles = titles
        self.fonts = fonts
        n = len(titles)
        self.box_w = (FRAME_W - STAMP_GAP * (n - 1)) / n
        if self.box_w < STAMP_MIN:
            raise ValueError("too many stamp boxes for one row")

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return FRAME_W, STAMP_H

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(black)
        c.setLineWidth(0.8)
        for i, title in enumerate(self.titles):
            x = i * (self.box_w + STAMP_GAP)
            c.rect(x, 0, self.box_w, STAMP_H)
            c.setFont(self.fonts.hei, 11)
            c.drawString(x + 3 * mm, STAMP_H - 7 * mm, title)
            c.setFont(self.fonts.song, 10.5)
            c.drawString(x + 3 * mm, STAMP_H - 13 * mm, "审核意见：")
            c.drawRightString(x + self.box_w - 4 * mm, 14 * mm, "（盖章）")
            c.setFont(self.fonts.song, 12)  # a full em between the characters for the handwritten date
            c.drawRightString(x + self.box_w - 4 * mm, 6 * mm, DATE_LINE)
        c.restoreState()
