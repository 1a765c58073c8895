"""A PDF preview (QtPdf) and printing of a PDF through the system print dialog.

The dialog runs on the GUI thread (``ask_printer``); the pages are rendered and painted on the
printer in a worker (``print_pages``), so a long document never freezes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from zhutui.errors import Cancelled, InputError
from zhutui.gui.thumbnails import on_white

PRINT_DPI = 200
PRINT_STRIPS = 12


class PdfPreview(QPdfView):
    """Pages one under the other, fitted to the width; a white page on a grey desk."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # Not a child of the view: a child document is deleted after the view's scroll area and
        # signals it mid-destruction (a crash). Owned by this Python object instead.
        self.document = QPdfDocument()
        self.setDocument(self.document)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.path: Path | None = None

    def show_file(self, path: Path | None) -> bool:
        self.document.close()
        self.path = path
        if path is None:
            return False
        return self.document.load(str(path)) == QPdfDocument.Error.None_

    def page_count(self) -> int:
        return self.document.pageCount()


def ask_printer(path: Path, parent: QWidget) -> tuple[QPrinter, range] | str | None:
    """The system print dialog for ``path``: the chosen printer and the pages (0-based) to print,
    a message when the file can't be printed, or None when the user closed the dialog."""
    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_ or document.pageCount() == 0:
            return f"无法打开 {path.name}，请重新生成后再打印。"
        count = document.pageCount()
    finally:
        document.close()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.stem)
    printer.setFromTo(1, count)
    dialog = QPrintDialog(printer, parent)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    first, last = printer.fromPage() or 1, printer.toPage() or count
    return printer, range(first - 1, min(last, count))


def print_pages(path: Path, printer: QPrinter, pages: range,
                progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]) -> int:
    """Paint ``pages`` of ``path`` on ``printer`` at 200 dpi (run in a worker: Qt paints on a
    QPrinter from any thread); returns the number of pages sent."""
    document = QPdfDocument()
    painter = QPainter()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_:
            raise InputError(path, None, "无法打开这个文件，请重新生成后再打印。")
        if not painter.begin(printer):
            raise InputError(None, None, "无法开始打印，请检查打印机是否已连接并开机。")
        for n, index in enumerate(pages):
            if cancelled():
                printer.abort()
                raise Cancelled
            progress(n, len(pages), f"正在送往打印机：第 {index + 1} 页")
            if n:
                printer.newPage()
            size = document.pagePointSize(index)
            pixels = QSize(round(size.width() / 72 * PRINT_DPI), round(size.height() / 72 * PRINT_DPI))
            target = painter.viewport()
            scaled = pixels.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(0, 0, pixels.width(), pixels.height())
            # In strips, each rendered and painted on its own: Qt holds Python's GIL while it
            # renders, paints and compresses an image, and a whole scanned page at once would
            # keep the window from answering for a few hundred milliseconds.
            step = -(-pixels.height() // PRINT_STRIPS)
            for top in range(0, pixels.height(), step):
                strip = QRect(0, top, pixels.width(), min(step, pixels.height() - top))
                options = QPdfDocumentRenderOptions()
                options.setScaledSize(pixels)
                options.setScaledClipRect(strip)
                painter.drawImage(0, top, on_white(document.render(index, strip.size(), options)))
            painter.setViewport(target)
        return len(pages)
    finally:
        if painter.isActive():
            painter.end()
        document.close()
