"""Attachments appended to a printed form: one page per scanned page, titled with its kind.

Images are prepared by ``images.prepare_image`` (upright, ≤ 200 dpi, JPEG) and drawn by
reportlab. A PDF attachment's pages can't be drawn by reportlab: the page gets its title, header
and footer, and records a placeholder; ``merge_pdf_pages`` then lays the source page, scaled to
fit, underneath with pypdf (so the footer and a draft's watermark stay on top). An attachment
that can't be read gets a page saying so, which only a draft can contain: the checks report it
as an error (A001–A003).
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image
from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from zhutui.appfile import Application
from zhutui.checks.attachments import OUTSIDE
from zhutui.errors import InputError
from zhutui.fonts import PdfFonts
from zhutui.outputs.cjk import Paragraph
from zhutui.outputs.images import (
    AS_TAKEN,
    MAX_DPI,
    POINTS_PER_INCH,
    PRINT,
    Encoding,
    ImageProblem,
    PreparedImage,
    clean_document,
    fit,
    jpeg_reader,
    prepare_image,
)
from zhutui.outputs.pdfdoc import FRAME_H, FRAME_W, FRAME_X, FRAME_Y, SectionEnd, Styles
from zhutui.scanpdf import quiet_pypdf
from zhutui.scans import inspect_file

TITLE_H = 10 * mm
BOX_W, BOX_H = FRAME_W, FRAME_H - TITLE_H
PLACEHOLDER_GREY = Color(0.4, 0.4, 0.4)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfPlaceholder:
    """Page ``page_index`` of the output gets page ``source_page`` of ``source`` in its box."""

    page_index: int
    source: Path
    source_page: int


@dataclass(frozen=True)
class SourcePage:
    """One page to append: an image, a page of a PDF, or a note that the file can't be read."""

    title: str
    image: PreparedImage | None = None
    pdf: Path | None = None
    pdf_page: int = 0
    problem: str = ""


def attachment_title(app: Application, entry: dict[str, str]) -> str:
    kind = app.form.attachment_kind(entry.get("kind", ""))
    label = kind.label if kind else entry.get("kind", "附件")
    title = entry.get("title")
    return (
        f"{label}：{title}" if title and kind and kind.kind == "other" else (f"{label}（{title}）" if title else label)
    )


def source_pages(app: Application) -> list[SourcePage]:
    """Every page to append to ``app``'s form, in the order of its attachments."""
    pages: list[SourcePage] = []
    numbers: Counter[str] = Counter()
    for entry in app.data.get("attachments", []):
        kind = app.form.attachment_kind(entry.get("kind", ""))
        if (kind is not None and not kind.printed) or not entry.get("file"):
            continue
        title = attachment_title(app, entry)
        path = app.attachment_file(entry)
        for page in _pages_of(path, entry["file"], title, AS_TAKEN if entry.get("as_taken") else PRINT):
            numbers[title] += 1
            pages.append(
                SourcePage(f"附：{title}（第{numbers[title]}页）", page.image, page.pdf, page.pdf_page, page.problem)
            )
    return pages


def _pages_of(path: Path | None, file: str, title: str, encoding: Encoding = PRINT) -> list[SourcePage]:
    if path is None:
        return [SourcePage(title, problem=f"{file}：{OUTSIDE}")]
    info = inspect_file(path)
    if info.problem:
        return [SourcePage(title, problem=f"{path.name}：{info.detail}")]
    if info.kind == "pdf":
        return [SourcePage(title, pdf=path, pdf_page=i) for i in range(info.pages or 1)]
    try:
        return [SourcePage(title, image=im) for im in prepare_image(path, BOX_W, BOX_H, encoding=encoding)]
    except ImageProblem as exc:
        return [SourcePage(title, problem=f"{path.name}：{exc}")]


class ScanPage(Flowable):
    """A whole frame: the title line, then the scan fitted below it."""

    def __init__(self, page: SourcePage, fonts: PdfFonts, styles: Styles, placeholders: list[PdfPlaceholder]):
        super().__init__()
        self.page = page
        self.fonts = fonts
        self.styles = styles
        self.placeholders = placeholders

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return FRAME_W, min(ah, FRAME_H)

    def draw(self) -> None:
        c = self.canv
        title = Paragraph(self.fonts.markup(self.page.title, self.styles.label.fontName), self.styles.label)
        _, h = title.wrap(FRAME_W, TITLE_H)
        title.drawOn(c, 0, FRAME_H - h)
        if self.page.image is not None:
            im = self.page.image
            x = (BOX_W - im.draw_width) / 2
            y = (BOX_H - im.draw_height) / 2
            c.drawImage(jpeg_reader(im.data), x, y, im.draw_width, im.draw_height)
        elif self.page.pdf is not None:
            self.placeholders.append(PdfPlaceholder(c.getPageNumber() - 1, self.page.pdf, self.page.pdf_page))
        else:
            self._draw_problem()

    def _draw_problem(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(PLACEHOLDER_GREY)
        c.setDash(4, 3)
        c.rect(0, 0, BOX_W, BOX_H)
        text = Paragraph(
            self.fonts.markup(
                f"此附件无法打印：{self.page.problem}。请在申报中更换为可以打开的文件。", self.styles.cell.fontName
            ),
            self.styles.cell,
        )
        _, h = text.wrap(BOX_W - 20 * mm, BOX_H)
        text.drawOn(c, 10 * mm, BOX_H / 2 - h / 2)
        c.setStrokeColor(black)
        c.restoreState()


def appendix_flowables(
    pages: list[SourcePage], fonts: PdfFonts, styles: Styles, placeholders: list[PdfPlaceholder]
) -> list[Flowable]:
    out: list[Flowable] = [SectionEnd(styles.note)] if pages else []
    for page in pages:
        out += [PageBreak(), ScanPage(page, fonts, styles, placeholders)]
    return out


def merge_pdf_pages(pdf_bytes: bytes, placeholders: list[PdfPlaceholder]) -> bytes:
    """Lay each placeholder's source page, scaled into the scan box, under the rendered page."""
    if not placeholders:
        return pdf_bytes
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    readers: dict[Path, Any] = {}
    done: set[int] = set()
    with quiet_pypdf():
        for ph in placeholders:
            try:
                if ph.source not in readers:
                    reader = PdfReader(ph.source, strict=False)
                    if reader.is_encrypted:
                        reader.decrypt("")  # only owner-password PDFs get here (the checks refuse others)
                    readers[ph.source] = reader
                src = readers[ph.source].pages[ph.source_page]
                transformation, max_px = _fitting(src)
                page = writer.pages[ph.page_index]
                page.merge_transformed_page(src, transformation, over=False)
            except Exception:  # noqa: BLE001 - the checks read it the same way; changed since?
                raise InputError(
                    ph.source, None, "PDF 附件无法读取（检查之后被修改或损坏了？），请重新选择这个附件后再生成"
                ) from None
            reencode_images(page, max_px, done)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fitting(src: Any) -> tuple[Any, int]:
    """The transformation that turns a source page upright (its /Rotate) and fits its visible
    area (crop box) centred into the scan box; and the most pixels an image as wide as the page
    needs across at ``MAX_DPI``."""
    from pypdf import Transformation

    box = src.cropbox
    left, bottom, right, top = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    turn = Transformation().rotate(-(src.rotation or 0) % 360)
    corners = [turn.apply_on((x, y)) for x in (left, right) for y in (bottom, top)]
    min_x, min_y = min(c[0] for c in corners), min(c[1] for c in corners)
    width = max(c[0] for c in corners) - min_x
    height = max(c[1] for c in corners) - min_y
    scale = fit(width, height, BOX_W, BOX_H)
    x = FRAME_X + (BOX_W - width * scale) / 2
    y = FRAME_Y + (BOX_H - height * scale) / 2
    max_px = round(max(width, height) * scale / POINTS_PER_INCH * MAX_DPI)
    return turn.translate(-min_x, -min_y).scale(scale, scale).translate(x, y), max_px


def reencode_images(page: Any, max_px: int, done: set[int], encoding: Encoding = PRINT) -> None:
    """Scanned images inside a PDF page, re-encoded at no more than ``MAX_DPI`` as printed
    (``max_px``: the most pixels an image as wide as the page needs). For print only larger
    images are touched; for mail (``encoding.clean``) every scan is also cleaned. An image that
    can't be decoded or has transparency is left as it is."""
    try:  # pypdf decodes each image as it is fetched: a damaged one raises there, of any type
        images = page.images
        count = len(images)
    except Exception as exc:  # noqa: BLE001 - resources that can't be listed: the page prints as it is
        log.info("images of a PDF attachment page kept as they are: %s", exc)
        return
    for index in range(count):
        ref = None
        try:
            image = images[index]
            ref = image.indirect_reference
            if ref is None or ref.idnum in done:
                continue
            done.add(ref.idnum)
            xobj = ref.get_object()
            if "/SMask" in xobj or "/Mask" in xobj:
                continue
            im = image.image
            longest = max(im.size)
            if im.mode not in ("RGB", "L", "CMYK") or (longest <= max_px * 1.05 and not encoding.clean):
                continue
            im = im.convert("RGB") if im.mode == "CMYK" else im
            if longest > max_px * 1.05:
                factor = max_px / longest
                # Bicubic: as sharp as Lanczos for these modest reductions, and twice as fast.
                im = im.resize(
                    (max(1, round(im.width * factor)), max(1, round(im.height * factor))), Image.Resampling.BICUBIC
                )
            if encoding.clean:
                im = clean_document(im) or im
            image.replace(im, quality=encoding.quality)
        except Exception as exc:  # noqa: BLE001 - an odd image stays as it was; the page still prints
            log.info("image %s of a PDF attachment kept as it is: %s", getattr(ref, "idnum", index), exc)
