"""A scan as a compact PDF for the mail package: one A4 page per scanned page.

Images (phone photos, scanner output) are prepared like the print PDFs' attachments (upright,
at most ``MAIL_DPI`` as printed) and cleaned for mail (``images.MAIL``: white paper, greyscale unless
a red seal or other colour is on the page), each on an A4 page turned the way the scan is.
A PDF keeps its pages and text; only its scanned images are re-encoded the same way, and the
original is kept when that would not make it smaller (a PDF made by Word has nothing to gain).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from zhutui.errors import InputError
from zhutui.outputs import pdfdoc  # noqa: F401 - sets reportlab up (binary streams, no ASCII85)
from zhutui.outputs.images import MAIL, MAIL_DPI, POINTS_PER_INCH, Encoding, ImageProblem, jpeg_reader, prepare_image
from zhutui.scans import inspect_file

MARGIN = 10 * mm


@dataclass(frozen=True)
class ConvertedScan:
    data: bytes
    pages: int
    scanned_pages: int  # pages that are images (bytes per scanned page are reported)
    scan_bytes: int  # bytes of those images
    no_edge: bool = False  # a photo whose sheet's edge wasn't found: only whitened (the user is told)


def scan_pdf(path: Path, title: str, encoding: Encoding = MAIL, max_dpi: int = MAIL_DPI) -> ConvertedScan:
    """``path`` (an image or a PDF) as a mail-ready PDF titled ``title``. A file that can't be
    read raises InputError naming it (the checks report such files as errors first)."""
    info = inspect_file(path)
    if info.problem:
        raise InputError(path, None, info.detail)
    if info.kind == "pdf":
        return _pdf(path, encoding, max_dpi)
    try:  # the box turned for a landscape page (turned upright by its text, cleaned and cropped)
        images = prepare_image(
            path, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN, max_dpi=max_dpi, encoding=encoding, turnable_box=True
        )
    except ImageProblem as exc:
        raise InputError(path, None, str(exc)) from None
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("职工创新助推申报助手")
    for im in images:
        page_w, page_h = landscape(A4) if im.draw_width > im.draw_height else A4
        canvas.setPageSize((page_w, page_h))
        canvas.drawImage(
            jpeg_reader(im.data),
            (page_w - im.draw_width) / 2,
            (page_h - im.draw_height) / 2,
            im.draw_width,
            im.draw_height,
        )
        canvas.showPage()
    canvas.save()
    return ConvertedScan(
        out.getvalue(), len(images), len(images), sum(len(im.data) for im in images), any(im.no_edge for im in images)
    )


def _pdf(path: Path, encoding: Encoding, max_dpi: int) -> ConvertedScan:
    from pypdf import PdfReader, PdfWriter

    from zhutui.outputs.appendix import reencode_images
    from zhutui.scanpdf import quiet_pypdf

    original = path.read_bytes()
    with quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(original), strict=False)
            if reader.is_encrypted:
                reader.decrypt("")  # only owner-password PDFs get here (the checks refuse others)
            writer = PdfWriter(clone_from=reader)
            done: set[int] = set()
            scanned = 0
            for page in writer.pages:
                box = page.cropbox
                longest = max(abs(float(box.width)), abs(float(box.height)))
                before = len(done)
                reencode_images(page, round(longest / POINTS_PER_INCH * max_dpi), done, encoding)
                scanned += len(done) > before
            writer.compress_identical_objects()
            buffer = io.BytesIO()
            writer.write(buffer)
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds for damaged files
            raise InputError(path, None, f"PDF 文件无法读取（{exc}），请重新导出或扫描后再添加") from None
    data = buffer.getvalue()
    pages = len(writer.pages)
    if len(data) >= len(original):
        data = original
    return ConvertedScan(data, pages, scanned, len(data) if scanned else 0)
