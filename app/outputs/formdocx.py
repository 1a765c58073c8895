"""Each printed form also as a Word document (``.docx``, python-docx), laid out as its PDF.

Offices ask for the Word version too, and the union's own templates are Word files. The
document is built from the same definition and the same decisions as the PDF (``formpdf``):
the rows of the grid (``field_rows``), which fields take a row to themselves, the label
columns as wide as the longest label, labels broken only between phrases, the columns of a
table field sized to their content, the 合计 rows, the 助推资金 rows and the opinion-and-stamp
cells (at least 45 × 45 mm). A ``layout: grid`` form is one ruled table; a ``sections`` form
has numbered sections, and a cover page when its definition has ``cover`` (page numbers
start after it). Widths are fixed, rows never split across pages, table headers repeat, and
the faces are the ones GB/T 9704 names (仿宋, 黑体, 宋体), which Word and WPS find on every
Chinese Windows PC and LibreOffice replaces by the fonts it has. Line breaking (避头尾) is
left to the word processor, which does it for Chinese text by default. A draft carries the
草稿 watermark in its header and the same words in its footer.

The scans appended to the PDF are not part of the Word document: it is the form to edit or
send as a file, the PDF is what gets printed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell

from zhutui import __version__, naming
from zhutui.appfile import Application
from zhutui.fonts import PdfFonts, pdf_fonts
from zhutui.formdef import FieldDef
from zhutui.naming import DRAFT
from zhutui.outputs import values
from zhutui.outputs.formgrid import STAMP_H as GRID_STAMP_H
from zhutui.outputs.formgrid import GridLayout
from zhutui.outputs.formpdf import (
    BLOCK_TYPES,
    CELL_PAD,
    COVER_SIZE,
    DATE_LINE,
    STAMP_GAP,
    STAMP_H,
    FormLayout,
    field_rows,
    section_number,
)
from zhutui.outputs.pdfdoc import BAND, FRAME_W, MARGIN, SIDE, make_styles, shortened
from zhutui.paths import APP_TITLE
from zhutui.plans import cn_date

SONG, HEI, FANG = "宋体", "黑体", "仿宋"  # GB/T 9704's faces as Chinese Windows names them
# Digits and Latin letters, as Chinese Word documents set them: half an em wide like the PDF's.
# (LibreOffice on Linux lays it out alike with Liberation Serif, its metric twin.)
LATIN = "Times New Roman"
FILL = 0.9  # a value sharing its row leaves a tenth of its cell free for other fonts' widths
# LibreOffice and WPS put a fifth of an em between Chinese and Latin letters or digits whatever
# the file says (Word honours autoSpaceDE off): columns of dates are measured with it.
LATIN_GAP = 0.25
PAD = 3  # points of cell padding each side: a point less than the PDF's, slack for other fonts
BAND_FILL = "EDEDED"  # a step's title band in the grid (formgrid's BAND)
_W = qn("w:val")
# Characters XML 1.0 can't hold (a control character pasted into a draft): shown as �, not a crash.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Where each property goes among its siblings (the order WordprocessingML's schema requires).
_TC_AFTER = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
_TR_AFTER = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
_TBL_AFTER = ("w:tblLook", "w:tblCaption", "w:tblDescription")
_WATERMARK = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    "<w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/>'
    "</v:shapetype>"
    '<v:shape id="ZhutuiDraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136"'
    ' style="position:absolute;margin-left:0;margin-top:0;width:380pt;height:130pt;rotation:315;'
    "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#c8c8c8" stroked="f">'
    '<v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;黑体&quot;;font-size:1pt" string="{text}"/>'
    "</v:shape></w:pict></w:r>"
)


def form_docx(app: Application, today: dt.date, *, draft: bool, fonts: PdfFonts | None = None) -> bytes:
    """One application's form as the bytes of a ``.docx`` file."""
    return WordForm(app, today, draft, fonts or pdf_fonts()).build()


class WordForm:
    """Builds one form's Word document from the PDF layout's decisions."""

    def __init__(self, app: Application, today: dt.date, draft: bool, fonts: PdfFonts):
        self.app, self.today, self.draft, self.fonts = app, today, draft, fonts
        kind = GridLayout if app.form.layout == "grid" else FormLayout
        self.layout: FormLayout = kind(app, fonts, make_styles(fonts), fill=FILL, latin_gap=LATIN_GAP)
        self.doc = new_document()
        self._setup()

    def build(self) -> bytes:
        form = self.app.form
        first = self.doc.sections[0]
        if form.cover:
            self._cover()
            self._decorate(first, numbered=False)
            body = self.doc.add_section(WD_SECTION.NEW_PAGE)
            body.header.is_linked_to_previous = False
            body.footer.is_linked_to_previous = False
            body.different_first_page_header_footer = False
            start = OxmlElement("w:pgNumType")
            start.set(qn("w:start"), "1")  # the cover has no number: the form's first page is 1
            body._sectPr.insert_element_before(start, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg")
            self._decorate(body, numbered=True, total=False)
        else:
            self._title_block()
            first.different_first_page_header_footer = True  # 附件N and the title on page 1: no running header
            self._decorate(first, numbered=True, total=True)
        if form.layout == "grid":
            self._grid()
        else:
            self._sections()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    # ------------------------------------------------------------------ document set-up

    def _setup(self) -> None:
        app, doc = self.app, self.doc
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Pt(SIDE)
        section.top_margin = section.bottom_margin = Pt(MARGIN + BAND)
        section.header_distance = section.footer_distance = Pt(MARGIN - 3)
        normal = doc.styles["Normal"]
        normal.font.size = Pt(10.5)
        self._faces(normal.element.get_or_add_rPr(), FANG)
        lang = OxmlElement("w:lang")
        lang.set(_W, "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(lang)
        # No extra space between Chinese and Latin letters or digits (Word's default adds a
        # quarter em at each change, and 2022年1月13日 would no longer fit its cell).
        ppr = normal.element.get_or_add_pPr()
        for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
            off = OxmlElement(name)
            off.set(_W, "0")
            ppr.insert_element_before(
                off,
                "w:bidi",
                "w:adjustRightInd",
                "w:snapToGrid",
                "w:spacing",
                "w:ind",
                "w:contextualSpacing",
                "w:mirrorIndents",
                "w:suppressOverlap",
                "w:jc",
                "w:textDirection",
                "w:textAlignment",
                "w:textboxTightWrap",
                "w:outlineLvl",
                "w:divId",
                "w:cnfStyle",
                "w:rPr",
                "w:sectPr",
                "w:pPrChange",
            )
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.space_before = Pt(0)
        props = doc.core_properties
        props.title = f"{app.form.title}（{naming.subject(app.form, app.data)}）"
        props.subject = f"校验码 {app.check_code}"
        props.author = APP_TITLE
        props.comments = f"{APP_TITLE} {__version__}"
        props.language = "zh-CN"

    @staticmethod
    def _faces(rpr: Any, face: str) -> None:
        fonts = rpr.get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi"):
            fonts.set(qn(attr), LATIN)
        fonts.set(qn("w:eastAsia"), face)

    def _decorate(self, section: Any, *, numbered: bool, total: bool = False) -> None:
        """Running header (not on a form's first page, nor on a cover), and the footer: page
        number, 校验码 and, on a draft, that it is one; a draft's watermark in the header."""
        form, app = self.app.form, self.app
        text = f"附件{form.attachment_no}　{form.printed_title(app.plan.year)}　{naming.subject(form, app.data)}"
        header_text = shortened(text, self.fonts.song, 9, FRAME_W)
        headers = [(section.header, header_text if numbered else "")]
        footers = [section.footer]
        if section.different_first_page_header_footer:
            headers.append((section.first_page_header, ""))
            footers.append(section.first_page_footer)
        for header, shown in headers:
            p = header.paragraphs[0]
            p.text = ""
            if shown:
                self._run(p, shown, SONG, 9)
                self._rule(p, "bottom")
            if self.draft:
                p._p.append(parse_xml(_WATERMARK.format(text=DRAFT)))
        for footer in footers:
            p = footer.paragraphs[0]
            p.text = ""
            stops = p.paragraph_format.tab_stops
            stops.add_tab_stop(Pt(FRAME_W / 2), WD_TAB_ALIGNMENT.CENTER)
            stops.add_tab_stop(Pt(FRAME_W), WD_TAB_ALIGNMENT.RIGHT)
            self._rule(p, "top")
            self._run(p, "草稿，仅供核对，不能报送" if self.draft else "", SONG, 9.5)
            self._run(p, "\t", SONG, 9.5)
            if numbered:
                self._run(p, "第 ", SONG, 9.5)
                self._field(p, "PAGE")
                self._run(p, " 页", SONG, 9.5)
                if total:
                    self._run(p, " 共 ", SONG, 9.5)
                    self._field(p, "NUMPAGES")
                    self._run(p, " 页", SONG, 9.5)
            self._run(p, f"\t校验码 {app.check_code}", SONG, 9.5)

    # ------------------------------------------------------------------ paragraphs and runs

    def _run(self, p: Any, text: str, face: str, size: float, *, bold: bool = False) -> Any:
        run = p.add_run()
        for i, line in enumerate(_XML_UNSAFE.sub("\ufffd", text).split("\n")):
            if i:
                run.add_break()
            if line:
                run.add_text(line)
        run.font.size = Pt(size)
        run.bold = bold or None
        self._faces(run._element.get_or_add_rPr(), face)
        return run

    def _field(self, p: Any, instruction: str) -> None:
        """A field the word processor fills in (PAGE, NUMPAGES)."""

        def run_with(element: Any) -> None:
            self._run(p, "", SONG, 9.5)._element.append(element)

        def char(kind: str) -> Any:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            return element

        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = f" {instruction} "
        run_with(char("begin"))
        run_with(code)
        run_with(char("separate"))
        self._run(p, "1", SONG, 9.5)
        run_with(char("end"))

    @staticmethod
    def _rule(p: Any, side: str) -> None:
        """A thin grey rule above or below a paragraph (the header's and footer's)."""
        borders = p._p.get_or_add_pPr().find(qn("w:pBdr"))
        if borders is None:
            borders = OxmlElement("w:pBdr")
            p._p.get_or_add_pPr().insert_element_before(
                borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:spacing", "w:ind", "w:jc"
            )
        line = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "2"), ("color", "8C8C8C")):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)

    def _para(
        self,
        container: Any,
        text: str,
        face: str,
        size: float,
        *,
        align: Any = None,
        leading: float | None = None,
        indent: float = 0,
        before: float = 0,
        after: float = 0,
        bold: bool = False,
        keep_next: bool = False,
    ) -> Any:
        """A paragraph at the end of ``container`` (the document or a cell; a cell's first,
        still empty paragraph is used)."""
        if isinstance(container, _Cell) and len(container.paragraphs) == 1 and not container.paragraphs[0].text:
            p = container.paragraphs[0]
        else:
            p = container.add_paragraph()
        fmt = p.paragraph_format
        fmt.alignment = align
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.line_spacing = Pt(leading or size * 1.45)
        if indent:
            fmt.first_line_indent = Pt(indent)
        if keep_next:
            fmt.keep_with_next = True
        self._run(p, text, face, size, bold=bold)
        return p

    # ------------------------------------------------------------------ tables

    def _table(self, container: Any, rows: int, widths: list[float], *, ruled: bool = True) -> Table:
        """A table of fixed column widths (points), ruled, rows never split, cell padding as the PDF's."""
        table = container.add_table(rows=rows, cols=len(widths))
        if ruled:
            table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, width in enumerate(widths):
            table.columns[i].width = Pt(width)
            for cell in table.columns[i].cells:
                cell.width = Pt(width)
        margins = OxmlElement("w:tblCellMar")
        for side, value in (("top", 2.5), ("left", PAD), ("bottom", 3), ("right", PAD)):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), str(round(value * 20)))
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        table._tbl.tblPr.insert_element_before(margins, *_TBL_AFTER)
        for row in table.rows:
            row._tr.get_or_add_trPr().insert_element_before(OxmlElement("w:cantSplit"), *_TR_AFTER)
            for cell in row.cells:
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        return table

    @staticmethod
    def _repeat_header(table: Table) -> None:
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        tr_pr.insert_element_before(OxmlElement("w:tblHeader"), "w:tblCellSpacing", "w:jc", "w:hidden")

    @staticmethod
    def _shade(cell: _Cell, fill: str) -> None:
        shd = OxmlElement("w:shd")
        shd.set(_W, "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().insert_element_before(shd, *_TC_AFTER[1:])

    @staticmethod
    def _underline_cell(cell: _Cell) -> None:
        borders = OxmlElement("w:tcBorders")
        bottom = OxmlElement("w:bottom")
        for key, value in (("val", "single"), ("sz", "8"), ("space", "0"), ("color", "000000")):
            bottom.set(qn(f"w:{key}"), value)
        borders.append(bottom)
        cell._tc.get_or_add_tcPr().insert_element_before(borders, *_TC_AFTER)

    def _label(self, cell: _Cell, text: str, width: float | None = None) -> None:
        lines = self.layout.lines_in(text, width or self.layout.label_w)
        self._para(cell, "\n".join(lines), HEI, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER)

    def _value(self, cell: _Cell, text: str, *, align: Any = None) -> None:
        self._para(cell, text, FANG, 10.5, align=align)

    # ------------------------------------------------------------------ the form's parts

    def _title_block(self) -> None:
        form, app = self.app.form, self.app
        self._para(self.doc, f"附件{form.attachment_no}", HEI, 12, after=4)
        self._para(self.doc, form.printed_title(app.plan.year), SONG, 18, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
        self._para(
            self.doc,
            f"填报日期：{cn_date(self.today)}　　校验码：{app.check_code}",
            FANG,
            10.5,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            after=12,
        )

    def _cover(self) -> None:
        """The cover page: 附件N, the title, each line's label and its value on a rule, 填报日期 last."""
        form = self.app.form
        self._para(self.doc, f"附件{form.attachment_no}", HEI, 12)
        self._para(
            self.doc,
            form.printed_title(self.app.plan.year),
            SONG,
            22,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            before=Mm(38).pt,
            after=Mm(30).pt,
        )
        label_w, lines = self.layout.cover_lines(self.today)
        table = self._table(self.doc, len(lines), [label_w, FRAME_W - label_w - Mm(8).pt], ruled=False)
        for row, (label, value) in zip(table.rows, lines, strict=True):
            row.height = Mm(16)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            label_cell, value_cell = row.cells
            for cell in row.cells:
                cell.vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
            self._para(label_cell, label, HEI, COVER_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
            self._para(value_cell, value, FANG, COVER_SIZE)
            self._underline_cell(value_cell)

    def _grid(self) -> None:
        """A ``layout: grid`` form: one ruled table of the steps' bands, the fields, the
        助推资金 and the opinion-and-stamp cells."""
        layout, form = self.layout, self.app.form
        assert isinstance(layout, GridLayout)
        plan: list[tuple[str, Any]] = []
        for section in form.sections:
            plan.append(("band", section.title))
            plan += [("fields", row) for row in field_rows(list(section.fields), layout.whole_row)]
        boost = values.boost_rows(self.app)
        if boost:
            plan.append(("band", "助推资金"))
            plan += [("boost", row) for row in boost]
        plan += [("stamp", stamp) for stamp in form.stamps]
        widths = [layout.label_w, layout.value_w, layout.label_w, layout.value_w]
        table = self._table(self.doc, len(plan), widths)
        whole_w = 2 * layout.value_w + layout.label_w
        for row, (kind, what) in zip(table.rows, plan, strict=True):
            cells = row.cells
            if kind == "band":
                band = cells[0].merge(cells[3])
                self._shade(band, BAND_FILL)
                self._para(band, what, HEI, 11, align=WD_ALIGN_PARAGRAPH.CENTER)
                continue
            if kind == "fields" and len(what) == 2:
                for (label, value), f in zip(((cells[0], cells[1]), (cells[2], cells[3])), what, strict=True):
                    self._label(label, f.label)
                    self._value(value, layout.value_text(f))
                continue
            value = cells[1].merge(cells[3])
            if kind == "boost":
                self._label(cells[0], what[0])
                self._value(value, what[1])
            elif kind == "stamp":
                self._label(cells[0], f"{what}意见")
                self._stamp_cell(row, value, GRID_STAMP_H)
            else:
                self._label(cells[0], what[0].label)
                self._whole(value, what[0], whole_w - 2 * CELL_PAD)

    def _whole(self, cell: _Cell, f: FieldDef, width: float) -> None:
        """The value of a field taking a whole row of the grid."""
        if f.type == "longtext" and not self.app.get(f.key):  # 无 (or blank): no paragraph indent
            self._value(cell, "" if f.required else values.EMPTY_OPTIONAL)
        elif f.type == "longtext":
            for text in values.paragraphs(self.app.get(f.key), f.required):
                self._para(cell, text, FANG, 10.5, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=21, leading=17)
        elif f.type == "person_list":
            shown = values.display(f, self.app.get(f.key))
            self._value(cell, shown or ("" if f.required else values.EMPTY_OPTIONAL))
        elif f.type == "table":
            cell._tc.remove(cell.paragraphs[0]._p)
            self._table_field(cell, f, width)
        else:
            self._value(cell, self.layout.value_text(f))

    def _stamp_cell(self, row: Any, cell: _Cell, height: float) -> None:
        """Room to write an opinion and stamp, with （盖章） and 年　月　日 at its lower right."""
        row.height = Pt(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cell.vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
        stamp = self._para(cell, "（盖章）", SONG, 10.5, align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)
        stamp.paragraph_format.right_indent = Mm(4)
        self._para(cell, DATE_LINE, SONG, 12, align=WD_ALIGN_PARAGRAPH.RIGHT, after=4)

    def _table_field(self, container: Any, f: FieldDef, width: float) -> None:
        """A table field's table: header (repeated on every page), rows, the 合计 row."""
        rows_data = self.app.get(f.key) or []
        widths = self.layout.column_widths(f.columns, rows_data, width)
        body, totals = values.table_texts(f, rows_data)
        if not body:
            body = [[""] + ["" if f.required else values.EMPTY_OPTIONAL for _ in f.columns]]
        all_rows = [["序号", *(c.label for c in f.columns)], *body, *([totals] if totals else [])]
        table = self._table(container, len(all_rows), widths)
        self._repeat_header(table)
        money = [False] + [c.type == "money" for c in f.columns]
        for i, (row, texts) in enumerate(zip(table.rows, all_rows, strict=True)):
            for j, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
                if i == 0:
                    self._label(cell, text, widths[j])
                elif totals and i == len(all_rows) - 1:
                    right = WD_ALIGN_PARAGRAPH.RIGHT if j else WD_ALIGN_PARAGRAPH.CENTER
                    self._para(cell, text, HEI, 10.5, align=right)
                else:
                    align = (
                        WD_ALIGN_PARAGRAPH.CENTER
                        if j == 0
                        else WD_ALIGN_PARAGRAPH.RIGHT
                        if money[j]
                        else WD_ALIGN_PARAGRAPH.LEFT
                    )
                    self._value(cell, text, align=align)

    def _sections(self) -> None:
        """A ``sections`` form: numbered sections of grids, long texts and tables, then the
        助推资金 and the stamp boxes."""
        form = self.app.form
        for i, section in enumerate(form.sections):
            self._heading(section_number(i) + section.title)
            short: list[FieldDef] = []
            for f in [*section.fields, None]:
                if f is not None and f.type not in BLOCK_TYPES:
                    short.append(f)
                    continue
                if short:
                    self._field_grid(short)
                    short = []
                if f is None:
                    break
                if f.type == "longtext":
                    self._para(self.doc, f.label, HEI, 11, before=8, after=4, keep_next=True)
                    for text in values.paragraphs(self.app.get(f.key), f.required):
                        self._para(
                            self.doc, text, FANG, 12, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=24, leading=21, after=4
                        )
                elif f.type == "person_list":
                    names = self.app.get(f.key) or []
                    table = self._table(self.doc, max(2, len(names) + 1), [Mm(16).pt, FRAME_W - Mm(16).pt])
                    self._repeat_header(table)
                    self._label(table.cell(0, 0), "序号")
                    self._label(table.cell(0, 1), f.label)
                    for n, name in enumerate(names, 1):
                        self._value(table.cell(n, 0), str(n), align=WD_ALIGN_PARAGRAPH.CENTER)
                        self._value(table.cell(n, 1), naming.capped(name, f.item_max_length))
                    if not names:
                        self._value(table.cell(1, 1), "" if f.required else values.EMPTY_OPTIONAL)
                else:
                    self._table_field(self.doc, f, FRAME_W)
        n = len(form.sections)
        boost = values.boost_rows(self.app)
        if boost:
            self._heading(section_number(n) + "助推资金")
            table = self._table(self.doc, len(boost), [Mm(50).pt, FRAME_W - Mm(50).pt])
            for row, (label, shown) in zip(table.rows, boost, strict=True):
                self._label(row.cells[0], label, Mm(50).pt)
                self._value(row.cells[1], shown)
                for cell in row.cells:  # on the page of the stamp boxes: they never stand alone
                    for p in cell.paragraphs:
                        p.paragraph_format.keep_with_next = True
        if form.stamps:
            self._heading(section_number(n + 1 if boost else n) + "审核盖章")
            self._stamp_boxes(form.stamps)

    def _heading(self, text: str) -> None:
        self._para(self.doc, text, HEI, 13, before=14, after=7, keep_next=True)

    def _field_grid(self, fields: list[FieldDef]) -> None:
        layout = self.layout
        rows = field_rows(fields, layout.wide)
        table = self._table(self.doc, len(rows), [layout.label_w, layout.value_w, layout.label_w, layout.value_w])
        for row, pair in zip(table.rows, rows, strict=True):
            cells = row.cells
            if len(pair) == 1:
                cells = [cells[0], cells[1].merge(cells[3])]
            for k, f in enumerate(pair):
                self._label(cells[2 * k], f.label)
                self._value(cells[2 * k + 1], layout.value_text(f))

    def _stamp_boxes(self, titles: tuple[str, ...]) -> None:
        """A box for each union's opinion and stamp, side by side, at least 45 × 45 mm."""
        n = len(titles)
        gap = STAMP_GAP / 2
        width = (FRAME_W - gap * (n - 1)) / n
        table = self._table(self.doc, 1, [width] * n)
        row = table.rows[0]
        row.height = Pt(STAMP_H)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell, title in zip(row.cells, titles, strict=True):
            cell.vertical_alignment = WD_ALIGN_VERTICAL.TOP
            self._para(cell, title, HEI, 11, before=4, after=2)
            self._para(cell, "审核意见：", SONG, 10.5)
            stamp = self._para(cell, "（盖章）", SONG, 10.5, align=WD_ALIGN_PARAGRAPH.RIGHT, before=Mm(20).pt)
            stamp.paragraph_format.right_indent = Mm(2)
            self._para(cell, DATE_LINE, SONG, 12, align=WD_ALIGN_PARAGRAPH.RIGHT, before=6, after=4)
