"""A PDF attachment read within bounds, the way printing and packaging read it.

pypdf is lenient: it repairs what it can, reads a broken stream as empty (logging a warning),
and trusts ``/Count``. An attachment is printed page by page (``outputs/appendix.py``), so
here every page is reached through the page tree itself, its visible area, rotation and
contents are read, and its images' sizes checked, before the checks call the file good.

A page that is a scan (an image drawn over most of it) also has a resolution: the image's
pixels over the size it is drawn at, for A004. Only the images' dictionaries (``/Width``,
``/Height``) and the drawing commands are read for it, never the image data.
"""

from __future__ import annotations

import contextlib
import logging
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

# A page is a scan when one image covers at least this share of it (a scanner's page is one
# image over the whole page; a phone photo placed on A4 with margins still covers most of it).
SCAN_SHARE = 0.5
_MAX_FORM_DEPTH = 8


class Locked(Exception):
    """The PDF has an open password."""


class Damaged(Exception):
    """The PDF can't be read as printing would; ``message`` says why when more is known."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class _PypdfErrors(logging.Handler):
    """What pypdf reported as damage while reading: it reads a broken stream as empty instead
    of failing (the page would print blank), logging an error, or a warning from its filters
    (decompression). Its other warnings are repairs it made (a wrong xref offset), not damage."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.name.startswith("pypdf.filters"):
            self.messages.append(record.getMessage())


@contextlib.contextmanager
def quiet_pypdf() -> Iterator[_PypdfErrors]:
    """pypdf silent for the duration (its repairs are no news to the user); what it reports as
    damage (errors, and its filters' warnings) is collected instead. Each logger keeps the
    records to itself, so nothing reaches the screen or another handler."""
    loggers = [(logging.getLogger("pypdf"), logging.ERROR), (logging.getLogger("pypdf.filters"), logging.WARNING)]
    saved = [(lg, lg.level, lg.propagate) for lg, _ in loggers]
    errors = _PypdfErrors()
    for lg, level in loggers:
        lg.setLevel(level)
        lg.propagate = False
        lg.addHandler(errors)
    try:
        with warnings.catch_warnings(action="ignore"):
            yield errors
    finally:
        for lg, level, propagate in saved:
            lg.removeHandler(errors)
            lg.setLevel(level)
            lg.propagate = propagate


@dataclass(frozen=True)
class ScannedPage:
    """A page that is essentially one image, and how finely that image is drawn on it."""

    number: int  # 1-based
    dpi: float  # the image's pixels per inch as drawn on the page, at the page's own size
    width: float  # the page's visible area (its crop box), in points
    height: float


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    scans: tuple[ScannedPage, ...] = ()  # the pages that are scans, in order


def read_pdf(fh: BinaryIO, max_pages: int, max_image_pixels: int) -> PdfFacts:
    """Read the PDF the way printing and packaging will (the same pages, boxes, contents and
    images), so that a PDF that passes here also prints; within bounds (pages, image pixels,
    decompressed data). Its number of pages and its scanned pages; ``Locked`` or ``Damaged``
    otherwise."""
    from pypdf import PasswordType, PdfReader  # imported lazily: only needed for PDFs
    from pypdf.errors import LimitReachedError

    with quiet_pypdf() as errors:
        reader = PdfReader(fh, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
            except Exception:  # e.g. AES without a crypto backend: cannot be read either
                opened = False
            if not opened:
                raise Locked()
        scans = []
        try:
            pages = _page_count(reader, max_pages)
            for number, page in enumerate(reader.pages, 1):
                operations = _check_page(page, max_image_pixels)
                reported = len(errors.messages)
                scanned = _scanned_page(page, number, operations)
                del errors.messages[reported:]  # what measuring met is no damage printing would meet
                if scanned is not None:
                    scans.append(scanned)
        except LimitReachedError:
            raise Damaged(
                "PDF 文件中有解压后异常巨大的内容（可能已损坏或是恶意文件），请重新扫描或重新导出为 PDF 后再选择"
            ) from None
        except (Locked, Damaged):
            raise
        except Exception:  # noqa: BLE001 - any parser failure on this content means it is damaged
            raise Damaged() from None
        if errors.messages:
            raise Damaged()
    return PdfFacts(pages, tuple(scans))


def _page_count(reader, max_pages: int) -> int:
    """The pages the page tree really holds, walked without trusting ``/Count``: a loop, a node
    reached twice, an entry that is not a page, or more than ``MAX_PAGES`` pages refuse the
    file. pypdf's own list must then agree (printing takes its pages from it)."""
    from pypdf.generic import DictionaryObject

    stack = [reader.trailer["/Root"]["/Pages"]]
    seen: set[int] = set()
    pages = 0
    while stack:
        ref = stack.pop()
        node = ref.get_object() if hasattr(ref, "get_object") else ref
        if id(node) in seen or not isinstance(node, DictionaryObject):
            raise Damaged()
        seen.add(id(node))
        kids = node.get("/Kids")
        if node.get("/Type") != "/Page" and kids is not None:
            stack.extend(reversed(list(kids.get_object())))
            continue
        pages += 1
        if pages > max_pages:
            raise Damaged(f"PDF 页数过多（超过 {max_pages} 页）。请只保留需要的页面，另存后重新选择")
    if len(reader.pages) != pages:
        raise Damaged()
    return pages


def _check_page(page, max_image_pixels: int) -> list[tuple[Any, bytes]]:
    """What printing reads of a page: its visible area, rotation, contents and images. The
    page's drawing commands, parsed as printing parses them when merging the page."""
    box = page.cropbox
    left, bottom, right, top = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    if not (right - left > 1 and top - bottom > 1):
        raise Damaged()
    int(page.rotation or 0)
    contents = page.get_contents()
    operations: list[tuple[Any, bytes]] = []
    if contents is not None:
        from pypdf.generic import ContentStream

        contents.get_data()
        operations = ContentStream(contents, page.pdf).operations
    _check_images(page.get("/Resources"), max_image_pixels, depth=0, seen=set())
    return operations


def _check_images(resources, max_pixels: int, depth: int, seen: set[int]) -> None:
    """Every image of the page (forms within forms too) within ``max_pixels``,
    read from its dictionary, never decoded."""
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is None or depth > 8:
        return
    for ref in xobjects.get_object().values():
        xobj = ref.get_object()
        if id(xobj) in seen or not hasattr(xobj, "get"):
            continue
        seen.add(id(xobj))
        if xobj.get("/Subtype") == "/Image":
            width, height = int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))
            if width * height > max_pixels:
                raise Damaged(
                    f"PDF 中有一张图片像素过多（{width} × {height}），打印时会占用过多内存。"
                    "请用 300 dpi 重新扫描，或在 PDF 软件中压缩后另存再选择"
                )
        elif xobj.get("/Subtype") == "/Form":
            _check_images(xobj.get("/Resources"), max_pixels, depth + 1, seen)


# --------------------------------------------------------------------------- scanned pages

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF's row vectors: ``cm`` makes the CTM ``m × CTM``)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _matrix(values: Any) -> Matrix | None:
    try:
        a, b, c, d, e, f = (float(v) for v in values)
    except (TypeError, ValueError):
        return None
    m = (a, b, c, d, e, f)
    return m if all(map(math.isfinite, m)) else None


def _scanned_page(page, number: int, operations: list[tuple[Any, bytes]]) -> ScannedPage | None:
    """The page as a scan: an image drawn over at least ``SCAN_SHARE`` of it; its resolution
    is the sharpest such image's (a scanner's compact PDF lays a coarse colour image under a
    sharp black-and-white one). None when no image covers most of the page, or when what is
    drawn can't be followed (no damage: printing doesn't need to know)."""
    box = page.cropbox
    width, height = abs(float(box.right) - float(box.left)), abs(float(box.top) - float(box.bottom))
    images: list[tuple[float, float]] = []  # (share of the page covered, dpi)
    try:
        _drawn_images(operations, page.get("/Resources"), _IDENTITY, width * height, images, page.pdf, 0, set())
    except Exception:  # noqa: BLE001 - an odd drawing command leaves the page's resolution unknown
        return None
    dpis = [dpi for share, dpi in images if share >= SCAN_SHARE]
    return ScannedPage(number, max(dpis), width, height) if dpis else None


def _drawn_images(
    operations: list[tuple[Any, bytes]],
    resources: Any,
    ctm: Matrix,
    page_area: float,
    out: list[tuple[float, float]],
    pdf: Any,
    depth: int,
    seen: set[int],
) -> None:
    """Follow the drawing commands' transformations (``q``, ``Q``, ``cm``) to every image they
    draw (``Do`` of an image, an inline image, and the same within forms): (share, dpi) each."""
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    xobjects = xobjects.get_object() if xobjects is not None else {}
    stack: list[Matrix] = []
    for operands, operator in operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop() if stack else ctm
        elif operator == b"cm":
            ctm = _times(_matrix(operands) or _IDENTITY, ctm)
        elif operator == b"INLINE IMAGE":
            settings = operands.get("settings", {})
            pixels = (settings.get("/W", settings.get("/Width")), settings.get("/H", settings.get("/Height")))
            _add_image(out, ctm, page_area, pixels)
        elif operator == b"Do" and operands and operands[0] in xobjects:
            xobj = xobjects[operands[0]].get_object()
            if not hasattr(xobj, "get"):
                continue
            if xobj.get("/Subtype") == "/Image":
                _add_image(out, ctm, page_area, _image_pixels(xobj))
            elif xobj.get("/Subtype") == "/Form" and depth < _MAX_FORM_DEPTH and id(xobj) not in seen:
                inner = _times(_matrix(xobj.get("/Matrix", _IDENTITY)) or _IDENTITY, ctm)
                if _box_share(xobj.get("/BBox"), inner, page_area) < SCAN_SHARE:
                    continue  # a form is clipped to its box: what it draws can't cover most of the page
                from pypdf.generic import ContentStream

                seen.add(id(xobj))
                inner_ops = ContentStream(xobj, pdf).operations
                _drawn_images(inner_ops, xobj.get("/Resources", resources), inner, page_area, out, pdf, depth + 1, seen)


def _image_pixels(xobj: Any) -> tuple[int, int]:
    """An image's pixels, or its mask's (``/SMask``, or ``/Mask`` as an image) when the mask is
    sharper: a scanner's compact PDF keeps the text's sharpness there."""
    w, h = int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))
    for key in ("/SMask", "/Mask"):
        ref = xobj.get(key)
        mask: Any = ref.get_object() if ref is not None else None
        if hasattr(mask, "get") and mask.get("/Subtype") == "/Image":
            mw, mh = int(mask.get("/Width", 0)), int(mask.get("/Height", 0))
            if mw * mh > w * h:
                w, h = mw, mh
    return w, h


def _add_image(out: list[tuple[float, float]], ctm: Matrix, page_area: float, pixels: tuple[Any, Any]) -> None:
    """An image drawn by ``ctm`` (which maps the unit square onto the page): the share of the
    page it covers and its pixels per inch, the coarser of across and up."""
    width_px, height_px = int(pixels[0] or 0), int(pixels[1] or 0)
    a, b, c, d, _, _ = ctm
    across, up = math.hypot(a, b), math.hypot(c, d)  # the drawn width and height, in points
    if width_px <= 0 or height_px <= 0 or across <= 0 or up <= 0 or page_area <= 0:
        return
    dpi = min(width_px / (across / 72), height_px / (up / 72))
    out.append((abs(a * d - b * c) / page_area, dpi))


def _box_share(bbox: Any, ctm: Matrix, page_area: float) -> float:
    """The share of the page a form's box covers once drawn (1 when it has no usable box)."""
    try:
        x0, y0, x1, y1 = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return 1.0
    a, b, c, d, _, _ = ctm
    return abs((x1 - x0) * (y1 - y0) * (a * d - b * c)) / page_area if page_area > 0 else 0.0
