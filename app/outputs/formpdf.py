"""The printed 附件1 / 附件3, laid out from the form definition (``forms/*.yaml``).

Sections print in definition order (the order a reviewer checks them). Short fields share a
grid of label/value cells, two pairs to a row; long texts flow as paragraphs under their label;
table fields become ruled tables whose header repeats and whose rows never split across pages,
money columns summed in a 合计 row. After the fields come the boost amount and its split by the
plan's ratio, then the stamp boxes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from zhutui import formats, naming
from zhutui.appfile import Application
from zhutui.fonts import PdfFonts
from zhutui.formdef import FieldDef, SectionDef
from zhutui.outputs import values
from zhutui.outputs.cjk import Paragraph, label_pieces, script_changes
from zhutui.outputs.pdfdoc import FRAME_W, Styles, heading, ruled_table, subheading
from zhutui.outputs.values import EMPTY_OPTIONAL
from zhutui.plans import cn_date

CN_NUMERALS = "一二三四五六七八九"
LABEL_SIZE = 10.5  # points, the labels' size (pdfdoc's label style)
WIDE_TEXT = 24  # a text field allowing more characters than this gets a whole row
STAMP_MIN = 45 * mm
STAMP_H = 48 * mm
STAMP_GAP = 6 * mm
TABLE_SPACE = 2 * mm
CELL_PAD = 4  # points of padding each side of a table cell (pdfdoc's ruled tables)
DATE_LINE = "年　月　日"
COVER_SIZE = 13  # points, the cover page's lines


BLOCK_TYPES = ("longtext", "table", "person_list")  # fields printed as a block of their own


def field_rows(fields: list[FieldDef], wide: Callable[[FieldDef], bool]) -> list[tuple[FieldDef, ...]]:
    """The fields in the rows of a label/value grid, in order: two short ones to a row, a
    ``wide`` one (and a short one left over before it) a row to itself. Every printed form, PDF
    or Word, lays its grid out from this."""
    rows: list[tuple[FieldDef, ...]] = []
    pending: FieldDef | None = None
    for f in fields:
        if wide(f):
            if pending:
                rows.append((pending,))
                pending = None
            rows.append((f,))
        elif pending:
            rows.append((pending, f))
            pending = None
        else:
            pending = f
    if pending:
        rows.append((pending,))
    return rows


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

    def __init__(
        self,
        app: Application,
        fonts: PdfFonts,
        styles: Styles,
        labels: tuple[str, ...] = (),
        *,
        fill: float = 1.0,
        latin_gap: float = 0.0,
    ):
        """``fill``: how much of a value cell a value may fill and still share its row;
        ``latin_gap``: the space (in ems) a word processor may put at each change between
        Chinese and Latin letters or digits. The Word copy leaves room with both for another
        program's fonts and spacing."""
        self.app = app
        self.fonts = fonts
        self.st = styles
        self.fill = fill
        self.latin_gap = latin_gap
        # The label columns: as wide as the widest label needs when broken between phrases.
        every = [f.label for f in app.form.fields if f.type not in BLOCK_TYPES]
        self.label_w = max(self.label_width(label) for label in [*every, *labels]) + 2 * CELL_PAD
        self.value_w = (FRAME_W - 2 * self.label_w) / 2

    def text_width(self, text: str, font: str, size: float) -> float:
        """How wide ``text`` is, set in ``font`` at ``size``, with ``latin_gap``."""
        width = stringWidth(text, font, size)
        return width + self.latin_gap * size * script_changes(text) if self.latin_gap else width

    def label_width(self, label: str) -> float:
        return max(self.text_width(p, self.fonts.hei, LABEL_SIZE) for p in label_pieces(label, self.fonts.hei))

    def lines_in(self, text: str, width: float, size: float = LABEL_SIZE) -> list[str]:
        """A label or column header in a cell ``width`` wide: on one line when it fits, else
        broken between phrases (never inside a word)."""
        if self.text_width(text, self.fonts.hei, size) <= width - 2 * CELL_PAD:
            return [text]
        return label_pieces(text, self.fonts.hei, size)

    def header_cell(self, text: str, width: float, style: Any) -> Paragraph:
        """A table's column header."""
        return self._p("\n".join(self.lines_in(text, width, style.fontSize)), style)

    def label(self, text: str, style: Any = None) -> Paragraph:
        """A label cell."""
        return self._p("\n".join(self.lines_in(text, self.label_w)), style or self.st.label)

    def _p(self, text: str, style: Any) -> Paragraph:
        return Paragraph(self.fonts.markup(text, style.fontName).replace("\n", "<br/>"), style)

    # ----------------------------------------------------------------- whole form

    def flowables(self, today: dt.date) -> list[Flowable]:
        app, form = self.app, self.app.form
        if form.cover:
            out = self.cover(today)
        else:
            out = [
                self._p(f"附件{form.attachment_no}", self.st.note),
                self._p(form.printed_title(app.plan.year), self.st.title),
                self._p(f"填报日期：{cn_date(today)}　　校验码：{app.check_code}", self.st.subtitle),
            ]
        for i, section in enumerate(form.sections):
            out += self.section(section, section_number(i))
        n = len(form.sections)
        boost = self.boost_block(section_number(n))
        # The 助推资金 and the stamp boxes stay on one page: the boxes never stand alone on the last.
        out.append(KeepTogether([*boost, *self.stamp_block(section_number(n + 1 if boost else n))]))
        return out

    def cover(self, today: dt.date) -> list[Flowable]:
        """The cover page (``cover`` in the definition): 附件N, the title, then each line's label
        and its value on a rule, 填报日期 last; the form begins on the next page."""
        form = self.app.form
        label_style = ParagraphStyle(
            "cover_label", parent=self.st.label, fontSize=COVER_SIZE, leading=19, alignment=TA_RIGHT
        )
        value_style = ParagraphStyle("cover_value", parent=self.st.cell, fontSize=COVER_SIZE, leading=19)
        title_style = ParagraphStyle("cover_title", parent=self.st.title, fontSize=22, leading=32)
        label_w, lines = self.cover_lines(today)
        rows = [[self._p(label, label_style), self._p(value, value_style)] for label, value in lines]
        table = Table(rows, colWidths=[label_w, FRAME_W - label_w - 8 * mm], hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.fonts.song),  # reportlab's default is Helvetica
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LINEBELOW", (1, 0), (1, -1), 0.8, black),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                    ("TOPPADDING", (0, 0), (-1, -1), 9 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
                ]
            )
        )
        return [
            self._p(f"附件{form.attachment_no}", self.st.note),
            Spacer(1, 38 * mm),
            self._p(form.printed_title(self.app.plan.year), title_style),
            Spacer(1, 30 * mm),
            table,
            PageBreak(),
        ]

    def cover_lines(self, today: dt.date) -> tuple[float, list[tuple[str, str]]]:
        """The cover's label column width and its lines: each label with its colon (broken
        between phrases when longer than the column) and the value of its field, 填报日期 last."""
        form = self.app.form
        lines = [(line.label, self.value_text(form.field(line.field)) if line.field else "") for line in form.cover]
        lines.append(("填报日期", cn_date(today)))
        label_w = max(
            self.text_width(p, self.fonts.hei, COVER_SIZE)
            for label, _ in lines
            for p in label_pieces(label + "：", self.fonts.hei, COVER_SIZE)
        )
        label_w += 2 * CELL_PAD
        return label_w, [("\n".join(self.lines_in(label + "：", label_w, COVER_SIZE)), value) for label, value in lines]

    def section(self, section: SectionDef, number: str) -> list[Flowable]:
        out: list[Flowable] = heading(self.fonts, self.st, number + section.title, section.title)
        grid: list[FieldDef] = []
        for f in section.fields:
            if f.type in BLOCK_TYPES:
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

    def wide(self, f: FieldDef) -> bool:
        """Whether a field takes a row to itself: long texts and amounts in capitals, and any
        value that would not fit its cell on one line (an 18-character code is never broken)."""
        return (
            f.type == "money"
            or (f.type == "choice" and max(len(c.label) for c in f.choices) > 10)
            or (f.type == "text" and (f.max_length or 0) > WIDE_TEXT)
            or (f.type == "choice" and isinstance(f.choices[0].value, int))
            or self.text_width(self.value_text(f), self.st.cell.fontName, 10.5)
            > self.fill * (self.value_w - 2 * CELL_PAD)
        )

    def grid(self, fields: list[FieldDef]) -> Table:
        """Label/value pairs, two to a row; a wide field takes a row to itself."""
        rows: list[list[Any]] = []
        spans: list[tuple] = []
        for row in field_rows(fields, self.wide):
            cells: list[Any] = [
                c for f in row for c in (self.label(f.label), self._p(self.value_text(f), self.st.cell))
            ]
            if len(row) == 1:
                cells += ["", ""]
                spans.append(("SPAN", (1, len(rows)), (3, len(rows))))
            rows.append(cells)
        return ruled_table(rows, [self.label_w, self.value_w, self.label_w, self.value_w], self.fonts, extra=spans)

    def longtext(self, f: FieldDef) -> list[Flowable]:
        shown = values.paragraphs(self.app.get(f.key), f.required)
        return [*subheading(self.fonts, self.st, f.label), *(self._p(p, self.st.prose) for p in shown)]

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
        table = self.table_field(f, FRAME_W, self.st.label, self.fonts.song)
        table.spaceBefore = TABLE_SPACE
        return [table]

    def table_field(self, f: FieldDef, width: float, header_style: Any, font: str, *, inner: bool = False) -> Table:
        """The ruled table of a table field ``width`` wide (``inner``: inside a cell of a grid):
        its header repeated on every page, rows never split, amounts right-aligned."""
        rows_data = self.app.get(f.key) or []
        widths = self.column_widths(f.columns, rows_data, width)
        header = [self._p("序号", header_style)] + [
            self.header_cell(c.label, w, header_style) for c, w in zip(f.columns, widths[1:], strict=True)
        ]
        body, totals = values.table_texts(f, rows_data)
        money = [False] + [c.type == "money" for c in f.columns]
        rows: list[list[Any]] = [header]
        for texts in body:
            rows.append(
                [self._p(texts[0], self.st.cell_center)]
                + [
                    self._p(t, self.st.cell_right if m else self.st.cell)
                    for t, m in zip(texts[1:], money[1:], strict=True)
                ]
            )
        if not body:
            rows.append([""] + [self._p("" if f.required else EMPTY_OPTIONAL, self.st.cell) for _ in f.columns])
        if totals:
            rows.append(
                [self._p(totals[0], self.st.label)] + [self._p(t, self.st.label_right) if t else "" for t in totals[1:]]
            )
        if not inner:
            return ruled_table(rows, widths, self.fonts, header_rows=1)
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def column_widths(self, columns: tuple[FieldDef, ...], rows: list[dict], width: float = FRAME_W) -> list[float]:
        """A table's column widths sized to its content: a column of names, dates, amounts or
        choices as wide as its widest value and header piece (a name is never split: 欧阳一明),
        the columns of free text sharing what is left by their formats' weights (a milestone's
        task wider than its dates); the 序号 column first."""
        index_w = self.text_width("序号", self.fonts.hei, 10.5) + 2 * CELL_PAD
        mins, wants, flexible = [], [], []
        for c in columns:
            header = max(self.text_width(p, self.fonts.hei, 10.5) for p in label_pieces(c.label, self.fonts.hei))
            texts = [values.display(c, row.get(c.key)) for row in rows]
            widest = max([self.text_width(t, self.st.cell.fontName, 10.5) for t in texts], default=0)
            free = c.type in ("text", "longtext") and formats.get(c.format) is None
            mins.append(max(header, 4 * 10.5 if free else widest) + 2 * CELL_PAD)  # free text: 4 characters a line
            wants.append(max(header, widest) + 2 * CELL_PAD)
            flexible.append(free)
        room = width - index_w
        if sum(wants) <= room:  # all on one line: the free columns take the rest
            widths = wants
            spare = room - sum(wants)
            share = [self._column_weight(c) if flexible[i] else 0 for i, c in enumerate(columns)]
            if not any(share):
                share = wants
        else:  # the fixed ones whole, the free ones share what is left by how much they hold
            widths = mins
            spare = room - sum(mins)
            share = [wants[i] - mins[i] if flexible[i] else 0 for i in range(len(columns))]
            if spare < 0 or not any(share):  # more columns than paper: all in proportion
                return [index_w] + [w * room / sum(mins) for w in mins]
        total = sum(share)
        return [index_w] + [w + spare * s / total for w, s in zip(widths, share, strict=True)]

    @staticmethod
    def _column_weight(c: FieldDef) -> float:
        """How much of a table's spare width a free-text column takes: its format's weight
        (``app/formats.py``), else by how long its values may be."""
        fmt = formats.get(c.format)
        if fmt is not None and fmt.column_weight is not None:
            return fmt.column_weight
        return 2.2 if (c.max_length or 0) <= 30 else 6

    # ----------------------------------------------------------------- boost and stamps

    def boost_block(self, number: str) -> list[Flowable]:
        """The 助推资金 block of a form with a ``boost``: the amount and each union's share, in
        figures and capitals (nothing the app computes beyond them: the form, not a comment)."""
        rows = values.boost_rows(self.app)
        if not rows:
            return []
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
