"""The printed page shared by every PDF: A4 portrait, margins, running header, footer, watermark.

Nothing is drawn within ``MARGIN`` (20 mm) of the paper's edge. A band below the top margin
carries the document's title and, when a section flows over from the previous page, that
section's heading with （续）; a band above the bottom margin carries ``第 N 页 共 M 页`` and the
校验码. Totals are known only at the end, so the canvas keeps each page until ``save`` and then
draws the footer (and a draft's 草稿 watermark, on top of scans too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Frame, PageBreak, PageTemplate, Table, TableStyle
from reportlab.platypus.doctemplate import ActionFlowable, BaseDocTemplate

from zhutui import __version__
from zhutui.fonts import PdfFonts
from zhutui.naming import DRAFT
from zhutui.outputs.cjk import Paragraph
from zhutui.paths import APP_TITLE

# Binary streams: reportlab's default ASCII85 makes every image a quarter bigger and is encoded
# in pure Python (slow for scans).
rl_config.useA85 = 0

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm  # no ink closer to the paper's edge than this
SIDE = 22 * mm
BAND = 11 * mm  # header and footer bands inside the margin
FRAME_X, FRAME_Y = SIDE, MARGIN + BAND
FRAME_W, FRAME_H = PAGE_W - 2 * SIDE, PAGE_H - 2 * (MARGIN + BAND)
HEADER_BASELINE = PAGE_H - MARGIN - 4.5 * mm
FOOTER_BASELINE = MARGIN + 1.5 * mm
RULE_GREY = Color(0.55, 0.55, 0.55)
WATERMARK = Color(0.5, 0.5, 0.5, alpha=0.22)
HEADING_ROOM = 40 * mm  # a heading starts a new page unless this much room is left under it
SUBHEADING_ROOM = 30 * mm


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    label_right: ParagraphStyle
    prose: ParagraphStyle
    note: ParagraphStyle
    stamp: ParagraphStyle


def make_styles(fonts: PdfFonts) -> Styles:
    # GB/T 9704's faces where the machine has them: 仿宋 for what is written, 黑体 for labels and
    # headings, 宋体 (小标宋's stand-in) for the title; the free fonts on Linux look alike.
    base = {"fontName": fonts.fang, "fontSize": 10.5, "leading": 15, "wordWrap": "CJK", "textColor": black}
    return Styles(
        title=ParagraphStyle(
            "title",
            **{
                **base,
                "fontName": fonts.song,
                "fontSize": 18,
                "leading": 26,
                "alignment": TA_CENTER,
                "spaceAfter": 2 * mm,
            },
        ),
        subtitle=ParagraphStyle("subtitle", **{**base, "alignment": TA_CENTER, "spaceAfter": 5 * mm}),
        heading=ParagraphStyle(
            "heading",
            **{
                **base,
                "fontName": fonts.hei,
                "fontSize": 13,
                "leading": 18,
                "spaceBefore": 5 * mm,
                "spaceAfter": 2.5 * mm,
            },
        ),
        subheading=ParagraphStyle(
            "subheading",
            **{**base, "fontName": fonts.hei, "fontSize": 11, "spaceBefore": 3 * mm, "spaceAfter": 1.5 * mm},
        ),
        label=ParagraphStyle("label", **{**base, "fontName": fonts.hei}),
        cell=ParagraphStyle("cell", **base),
        cell_center=ParagraphStyle("cell_center", **{**base, "alignment": TA_CENTER}),
        cell_right=ParagraphStyle("cell_right", **{**base, "alignment": TA_RIGHT}),
        label_right=ParagraphStyle("label_right", **{**base, "fontName": fonts.hei, "alignment": TA_RIGHT}),
        prose=ParagraphStyle(
            "prose",
            **{
                **base,
                "fontName": fonts.fang,
                "fontSize": 12,
                "leading": 21,
                "firstLineIndent": 24,
                "alignment": TA_JUSTIFY,
                "spaceAfter": 1.5 * mm,
            },
        ),
        note=ParagraphStyle("note", **{**base, "fontSize": 9.5, "leading": 14}),
        stamp=ParagraphStyle("stamp", **{**base, "fontName": fonts.hei, "alignment": TA_CENTER}),
    )


class SectionHeading(Paragraph):
    """A section's heading; the page header repeats it when the section flows onto a new page."""

    def __init__(self, text: str, style: ParagraphStyle, section: str):
        super().__init__(text, style)
        self.section = section


_RULED = [
    ("GRID", (0, 0), (-1, -1), 0.6, black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 3.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
]


def ruled_table(
    rows: list[list[Any]], widths: list[float], fonts: PdfFonts, *, extra: Sequence[tuple] = (), header_rows: int = 0
) -> Table:
    """A table ruled like a printed form; the header rows repeat on every page, rows never split.
    (Plain-string cells are set in the Chinese font too: the default would be Helvetica.)"""
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle([*_RULED, ("FONTNAME", (0, 0), (-1, -1), fonts.song), *extra]))
    return table


def heading(fonts: PdfFonts, styles: Styles, text: str, section: str) -> list[Flowable]:
    """A section heading that never ends a page: it moves on when too little room is left below."""
    return [
        CondPageBreak(HEADING_ROOM),
        SectionHeading(fonts.markup(text, styles.heading.fontName), styles.heading, section),
    ]


def subheading(fonts: PdfFonts, styles: Styles, text: str) -> list[Flowable]:
    return [
        CondPageBreak(SUBHEADING_ROOM),
        Paragraph(fonts.markup(text, styles.subheading.fontName), styles.subheading),
    ]


class SectionEnd(Paragraph):
    """Marks where running sections stop (before the appended scans)."""

    def __init__(self, style: ParagraphStyle):
        super().__init__("", style)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


@dataclass
class PageDecor:
    """What every page of one PDF carries besides its content."""

    header: str
    check_code: str | None = None
    draft: bool = False
    first_page_header: bool = True  # a form's first page has its title and 附件N: no running header
    cover_pages: int = 0  # pages before page 1 (a cover): no header, no number; numbering after them
    # Per page (0-based): the running header's right-hand text, filled while building.
    continued: dict[int, str] = field(default_factory=dict)


class Document(BaseDocTemplate):
    """A4 document with the running section header; ``on_page`` hooks see every new page."""

    def __init__(self, target: Any, fonts: PdfFonts, decor: PageDecor, *, title: str, subject: str = ""):
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=SIDE,
            rightMargin=SIDE,
            topMargin=MARGIN + BAND,
            bottomMargin=MARGIN + BAND,
            title=title,
            author=APP_TITLE,
            subject=subject,
            creator=f"{APP_TITLE} {__version__}",
            initialFontName=fonts.song,
            initialFontSize=10.5,
            lang="zh-CN",
        )
        self.fonts = fonts
        self.decor = decor
        frame = Frame(
            FRAME_X, FRAME_Y, FRAME_W, FRAME_H, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
        )
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._page_begins)])
        self._section: str | None = None
        self._section_at_start: str | None = None
        self._first_on_page = True
        self.page_hooks: list[Callable[[Document, Canvas], None]] = []

    def _page_begins(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._section_at_start = self._section
        self._first_on_page = True

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 - reportlab's hook name
        page = self.page - 1
        if isinstance(flowable, ActionFlowable | PageBreak | CondPageBreak):
            return  # page and frame actions: not content
        if self._first_on_page:
            self._first_on_page = False
            if self._section_at_start and not isinstance(flowable, SectionHeading | SectionEnd):
                self.decor.continued[page] = f"{self._section}（续）"
        if isinstance(flowable, SectionHeading):
            self._section = flowable.section
        elif isinstance(flowable, SectionEnd):
            self._section = None

    def build_pages(self, flowables: list) -> None:
        self.build(flowables, canvasmaker=_canvas_maker(self.fonts, self.decor))


def _canvas_maker(fonts: PdfFonts, decor: PageDecor) -> type[Canvas]:
    class DecoratedCanvas(Canvas):
        """Keeps every page until ``save`` so the footer can say 共 M 页."""

        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, 1):
                self.__dict__.update(state)
                draw_decor(self, fonts, decor, number, total)
                super().showPage()
            super().save()

    return DecoratedCanvas


def draw_decor(canv: Canvas, fonts: PdfFonts, decor: PageDecor, number: int, total: int) -> None:
    canv.saveState()
    canv.setFillColor(black)
    cover = number <= decor.cover_pages
    if not cover and (number > 1 or decor.first_page_header):
        right = decor.continued.get(number - 1) or ""
        room = FRAME_W - (stringWidth(right, fonts.hei, 9) + 6 * mm if right else 0)
        canv.setFont(fonts.song, 9)
        canv.drawString(SIDE, HEADER_BASELINE, shortened(decor.header, fonts.song, 9, room))
        if right:
            canv.setFont(fonts.hei, 9)
            canv.drawRightString(PAGE_W - SIDE, HEADER_BASELINE, right)
    canv.setStrokeColor(RULE_GREY)
    canv.setLineWidth(0.5)
    canv.line(SIDE, HEADER_BASELINE - 2 * mm, PAGE_W - SIDE, HEADER_BASELINE - 2 * mm)
    canv.line(SIDE, FOOTER_BASELINE + 4 * mm, PAGE_W - SIDE, FOOTER_BASELINE + 4 * mm)
    canv.setFont(fonts.song, 9.5)
    if not cover:
        shown, pages = number - decor.cover_pages, total - decor.cover_pages
        canv.drawCentredString(PAGE_W / 2, FOOTER_BASELINE, f"第 {shown} 页 共 {pages} 页")
    if decor.check_code:
        canv.drawRightString(PAGE_W - SIDE, FOOTER_BASELINE, f"校验码 {decor.check_code}")
    if decor.draft:
        canv.drawString(SIDE, FOOTER_BASELINE, "草稿，仅供核对，不能报送")
        draw_watermark(canv, fonts)
    canv.restoreState()


def shortened(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with “…” to fit ``width`` (a running header beside its （续）)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def draw_watermark(canv: Canvas, fonts: PdfFonts) -> None:
    canv.saveState()
    canv.setFillColor(WATERMARK)
    canv.setFont(fonts.hei, 130)
    canv.translate(PAGE_W / 2, PAGE_H / 2)
    canv.rotate(45)
    canv.drawCentredString(0, -45, DRAFT)
    canv.restoreState()
