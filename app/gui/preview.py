"""A PDF preview (QtPdf) and printing of a PDF through the system print dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from app.gui.thumbnails import on_white

PRINT_DPI = 200


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


def print_pdf(path: Path, parent: QWidget) -> str | None:
    """Show the print dialog and print ``path``; returns a message when it could not be printed."""
    document = QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_ or document.pageCount() == 0:
        return f"无法打开 {path.name}，请重新生成后再打印。"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.stem)
    printer.setFromTo(1, document.pageCount())
    dialog = QPrintDialog(printer, parent)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    first, last = printer.fromPage() or 1, printer.toPage() or document.pageCount()
    pages = range(first - 1, min(last, document.pageCount()))
    progress = QProgressDialog("正在送往打印机…", "取消", 0, len(pages), parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    painter = QPainter()
    if not painter.begin(printer):
        return "无法开始打印，请检查打印机是否已连接并开机。"
    try:
        for n, index in enumerate(pages):
            if progress.wasCanceled():
                printer.abort()
                return "已取消打印。"
            if n:
                printer.newPage()
            size = document.pagePointSize(index)
            pixels = QSize(round(size.width() / 72 * PRINT_DPI), round(size.height() / 72 * PRINT_DPI))
            image = on_white(document.render(index, pixels))
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
            progress.setValue(n + 1)
            QApplication.processEvents()
    finally:
        painter.end()
        document.close()
    return None
