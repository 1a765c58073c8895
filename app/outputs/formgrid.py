"""A form printed as one ruled grid (``layout: grid`` in ``forms/``), as Chinese 申报表 are laid out.

Under the title, one table of label and value cells: each step of the form a band with its
title, short fields two to a row, a wide one (a long name, an amount in capitals) a row to
itself, long texts and lists in cells of the grid, a table field as a table inside its cell;
then the 助推资金 (when the form has a boost) and at the end an opinion-and-stamp cell for each
of the form's ``stamps`` (room to write an opinion, （盖章） and 年　月　日, at least 45 × 45 mm).
The label columns are as wide as the longest label needs, a label broken only where a phrase
ends (after 、 ， 的 ）), never inside a word. Rows never split across pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from zhutui.appfile import Application
from zhutui.fonts import PdfFonts
from zhutui.formdef import FieldDef
from zhutui.outputs import values
from zhutui.outputs.cjk import Paragraph
from zhutui.outputs.formpdf import BLOCK_TYPES, CELL_PAD, DATE_LINE, EMPTY_OPTIONAL, LABEL_SIZE, FormLayout, field_rows
from zhutui.outputs.pdfdoc import Styles
from zhutui.plans import cn_date

BAND = Color(0.93, 0.93, 0.93)  # the title band of a step
STAMP_H = 47 * mm  # an opinion-and-stamp cell: the stamp's 45 mm and the date line's margin


class StampCell(Flowable):
    """The opinion-and-stamp area of a grid cell: blank for the opinion and the stamp, with
    （盖章） and 年　月　日 at its lower right."""

    def __init__(self, width: float, fonts: PdfFonts):
        super().__init__()
        self.width, self.height = width, STAMP_H
        self.fonts = fonts

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(black)
        c.setFont(self.fonts.song, 10.5)
        c.drawRightString(self.width - 8 * mm, 13 * mm, "（盖章）")
        c.setFont(self.fonts.song, 12)  # a full em between the characters for the handwritten date
        c.drawRightString(self.width - 4 * mm, 4 * mm, DATE_LINE)


class GridLayout(FormLayout):
    """Flowables of one application's form as one ruled grid."""

    def __init__(self, app: Application, fonts: PdfFonts, styles: Styles, **room: float):
        labels = tuple(f"{s}意见" for s in app.form.stamps) + values.BOOST_LABELS
        super().__init__(app, fonts, styles, labels, **room)
        self.label_style = ParagraphStyle("grid_label", parent=styles.label, fontSize=LABEL_SIZE, leading=14)
        self.band_style = ParagraphStyle("grid_band", parent=styles.label, fontSize=11, alignment=TA_CENTER)
        self.text_style = ParagraphStyle(
            "grid_text", parent=styles.cell, alignment=TA_JUSTIFY, firstLineIndent=21, leading=17
        )
        self.right_style = styles.cell_right
        self.rows: list[list[Any]] = []
        self.commands: list[tuple] = []

    # ----------------------------------------------------------------- the grid

    def flowables(self, today: dt.date) -> list[Flowable]:
        app, form = self.app, self.app.form
        out: list[Flowable] = [
            self._p(f"附件{form.attachment_no}", self.st.note),
            self._p(form.printed_title(app.plan.year), self.st.title),
            self._p(f"填报日期：{cn_date(today)}　　校验码：{app.check_code}", self.st.subtitle),
        ]
        for section in form.sections:
            self._band(section.title)
            self._fields(list(section.fields))
        self._boost()
        for stamp in form.stamps:
            self._stamp(stamp)
        table = Table(self.rows, colWidths=[self.label_w, self.value_w, self.label_w, self.value_w], hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                    ("FONTNAME", (0, 0), (-1, -1), self.fonts.song),
                    *self.commands,
                ]
            )
        )
        out.append(table)
        return out

    def _label(self, text: str) -> Paragraph:
        return self.label(text, self.label_style)

    def _row(self, cells: list[Any], *, span_value: bool = False) -> None:
        """A row of four cells; ``span_value``: the value of the first pair takes the row."""
        self.rows.append(cells)
        if span_value:
            n = len(self.rows) - 1
            self.commands.append(("SPAN", (1, n), (3, n)))

    def _band(self, title: str) -> None:
        n = len(self.rows)
        self.rows.append([self._p(title, self.band_style), "", "", ""])
        self.commands += [("SPAN", (0, n), (3, n)), ("BACKGROUND", (0, n), (3, n), BAND)]

    def _fields(self, fields: list[FieldDef]) -> None:
        for row in field_rows(fields, self.whole_row):
            if len(row) == 2:
                self._row([c for f in row for c in (self._label(f.label), self._p(self.value_text(f), self.st.cell))])
            else:
                self._row([self._label(row[0].label), self._whole(row[0]), "", ""], span_value=True)

    def whole_row(self, f: FieldDef) -> bool:
        """Whether a field takes a row of the grid to itself: a long text, a list or a table, or
        a value too wide for half a row."""
        return f.type in BLOCK_TYPES or self.wide(f)

    def _whole(self, f: FieldDef) -> Any:
        """The value of a field that takes a whole row."""
        width = 2 * self.value_w + self.label_w - 2 * CELL_PAD
        if f.type == "longtext":
            if not self.app.get(f.key):  # 无 (or blank): no paragraph indent
                return self._p("" if f.required else values.EMPTY_OPTIONAL, self.st.cell)
            return [self._p(p, self.text_style) for p in values.paragraphs(self.app.get(f.key), f.required)]
        if f.type == "person_list":
            shown = values.display(f, self.app.get(f.key))
            return self._p(shown or ("" if f.required else EMPTY_OPTIONAL), self.st.cell)
        if f.type == "table":
            return self.table_field(f, width, self.band_style, self.fonts.song, inner=True)
        return self._p(self.value_text(f), self.st.cell)

    # ----------------------------------------------------------------- boost and stamps

    def _boost(self) -> None:
        rows = values.boost_rows(self.app)
        if rows:
            self._band("助推资金")
        for label, shown in rows:
            self._row([self._label(label), self._p(shown, self.st.cell), "", ""], span_value=True)

    def _stamp(self, stamp: str) -> None:
        width = 2 * self.value_w + self.label_w - 2 * CELL_PAD
        self._row([self._label(f"{stamp}意见"), StampCell(width, self.fonts), "", ""], span_value=True)
        n = len(self.rows) - 1
        self.commands.append(("VALIGN", (1, n), (3, n), "BOTTOM"))
