"""A PDF attachment read within bounds, the way printing and packaging read it.

pypdf is lenient: it repairs what it can, reads a broken stream as empty (logging a warning),
and trusts ``/Count``. An attachment is printed page by page (``outputs/appendix.py``), so
here every page is reached through the page tree itself, its visible area, rotation and
contents are read, and its images' sizes checked, before the checks call the file good.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from typing import BinaryIO


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


def count_pages(fh: BinaryIO, max_pages: int, max_image_pixels: int) -> int:
    """Read the PDF the way printing and packaging will (the same pages, boxes, contents and
    images), so that a PDF that passes here also prints; within bounds (pages, image pixels,
    decompressed data). The number of pages; ``Locked`` or ``Damaged`` otherwise."""
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
        try:
            pages = _page_count(reader, max_pages)
            for page in reader.pages:
                _check_page(page, max_image_pixels)
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
    return pages


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


def _check_page(page, max_image_pixels: int) -> None:
    """What printing reads of a page: its visible area, rotation, contents and images."""
    box = page.cropbox
    left, bottom, right, top = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    if not (right - left > 1 and top - bottom > 1):
        raise Damaged()
    int(page.rotation or 0)
    contents = page.get_contents()
    if contents is not None:
        from pypdf.generic import ContentStream

        contents.get_data()
        ContentStream(contents, page.pdf).operations  # noqa: B018 - printing parses it when merging the page
    _check_images(page.get("/Resources"), max_image_pixels, depth=0, seen=set())


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
