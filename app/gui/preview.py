"""A PDF preview (QtPdf) to proofread in, and printing of a PDF through the system print dialog.

``PreviewPane`` is the preview with its toolbar: previous / next page, the page number to type
(第 2 / 5 页), zoom out / in (also Ctrl+滚轮, Ctrl+= and Ctrl+-), fit width (the default: a page
of A4 readable in the window on a 1366×768 screen) and fit page.

The print dialog runs on the GUI thread (``ask_printer``); the pages are rendered and painted on
the printer in a worker (``print_pages``), so a long document never freezes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut, QWheelEvent
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QToolButton, QVBoxLayout, QWidget

from zhutui.errors import Cancelled, InputError
from zhutui.gui.thumbnails import on_white

PRINT_DPI = 200
PRINT_STRIPS = 12
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.2, 8.0


class PdfPreview(QPdfView):
    """Pages one under the other, fitted to the width; a white page on a grey desk."""

    resized = Signal()  # the viewport changed size: a fitted page's zoom with it
    # Shadows QPdfView.document(), which returns the same document; this attribute keeps it alive.
    document: QPdfDocument  # type: ignore[assignment]

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)  # type: ignore[arg-type]  # PySide6's stub: the parent may be None, as at runtime
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

    # ------------------------------------------------------------------ zoom and pages

    def effective_zoom(self) -> float:
        """The zoom the pages are shown at (1.0 = real size), also while fitted: QPdfView keeps
        ``zoomFactor`` at its last custom value then."""
        mode = self.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or self.page_count() == 0:
            return self.zoomFactor()
        page = self.document.pagePointSize(max(0, self.current_page()))
        dpi = self.logicalDpiX() / 72
        margins = self.documentMargins()
        width = (self.viewport().width() - margins.left() - margins.right()) / max(1.0, page.width() * dpi)
        if mode == QPdfView.ZoomMode.FitToWidth:
            return width
        height = (self.viewport().height() - margins.top() - margins.bottom()) / max(1.0, page.height() * dpi)
        return min(width, height)

    def zoom_by(self, step: float) -> None:
        """Zoom in (``step`` > 1) or out from what is shown, keeping the place in the document."""
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, self.effective_zoom() * step))
        self._keeping_place(QPdfView.ZoomMode.Custom, zoom)

    def fit_width(self) -> None:
        self._keeping_place(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self._keeping_place(QPdfView.ZoomMode.FitInView)

    def _keeping_place(self, mode: QPdfView.ZoomMode, zoom: float | None = None) -> None:
        """Change the zoom; the part of the document in view stays in view (the layout is
        recomputed at once, so the same share of the scroll range is the same place)."""
        bar = self.verticalScrollBar()
        place = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self.setZoomMode(mode)
        if zoom is not None:
            self.setZoomFactor(zoom)
        bar.setValue(round(place * bar.maximum()))

    def current_page(self) -> int:
        return self.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        """Show ``page`` (0-based, kept within the document) from its top."""
        if self.page_count():
            self.pageNavigator().jump(min(max(0, page), self.page_count() - 1), QPointF(), 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name; also the viewport's resizes
        super().resizeEvent(event)
        self.resized.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.angleDelta().y():
            self.zoom_by(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            event.accept()
            return
        super().wheelEvent(event)


class PreviewPane(QWidget):
    """A ``PdfPreview`` (``view``) under a toolbar to page and zoom through it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = PdfPreview()
        view = self.view
        self.previous = self._button("‹ 上一页", "上一页", lambda: view.go_to(view.current_page() - 1))
        self.page = QSpinBox()
        self.page.setPrefix("第 ")
        self.page.setKeyboardTracking(False)  # typing 12 goes to page 12, not to 1 first
        self.page.setToolTip("输入页码后按回车跳到该页")
        self.page.valueChanged.connect(lambda number: view.go_to(number - 1))
        self.next = self._button("下一页 ›", "下一页", lambda: view.go_to(view.current_page() + 1))
        self.zoom_out = self._button(
            "缩小", "缩小（Ctrl+-，或按住 Ctrl 滚动滚轮）", lambda: view.zoom_by(1 / ZOOM_STEP)
        )
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("8888%"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setToolTip("当前缩放比例（100% 为实际大小）")
        self.zoom_in = self._button("放大", "放大（Ctrl+=，或按住 Ctrl 滚动滚轮）", lambda: view.zoom_by(ZOOM_STEP))
        self.fit_width = self._button("适合宽度", "页面宽度与窗口一样宽（Ctrl+0），适合逐字核对", view.fit_width)
        self.fit_page = self._button("适合页面", "整页显示在窗口中，适合看版面", view.fit_page)
        for button in (self.fit_width, self.fit_page):
            button.setCheckable(True)
            button.setAutoExclusive(False)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        widget: QWidget
        for widget in (self.previous, self.page, self.next):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.zoom_out, self.zoom_label, self.zoom_in, self.fit_width, self.fit_page):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(view, 1)

        # each key once: a key bound twice (Ctrl+- and StandardKey.ZoomOut) is ambiguous and does nothing
        for keys, slot in (
            (("Ctrl+=", "Ctrl++"), lambda: view.zoom_by(ZOOM_STEP)),
            (("Ctrl+-",), lambda: view.zoom_by(1 / ZOOM_STEP)),
            (("Ctrl+0",), view.fit_width),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        view.document.pageCountChanged.connect(lambda *_: self._update())
        view.document.statusChanged.connect(lambda *_: self._update())
        view.pageNavigator().currentPageChanged.connect(lambda *_: self._update())
        view.zoomFactorChanged.connect(lambda *_: self._update())
        view.zoomModeChanged.connect(lambda *_: self._update())
        view.resized.connect(self._update)
        self._update()

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda *_: slot())
        return button

    def show_file(self, path: Path | None) -> bool:
        return self.view.show_file(path)

    def page_text(self) -> str:
        """What the page field shows: 第 2 / 5 页."""
        return self.page.text()

    def _update(self) -> None:
        if not (shiboken6.isValid(self) and shiboken6.isValid(self.view.document)):
            return  # the document signals while it is being destroyed
        view, count = self.view, self.view.page_count()
        current = max(0, view.current_page())
        self.page.blockSignals(True)
        self.page.setRange(1 if count else 0, max(count, 0))
        self.page.setSuffix(f" / {count} 页")
        self.page.setValue(current + 1 if count else 0)
        self.page.blockSignals(False)
        for widget in (self.page, self.zoom_out, self.zoom_in, self.fit_width, self.fit_page):
            widget.setEnabled(count > 0)
        self.previous.setEnabled(count > 0 and current > 0)
        self.next.setEnabled(count > 0 and current < count - 1)
        mode = view.zoomMode()
        self.fit_width.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page.setChecked(mode == QPdfView.ZoomMode.FitInView)
        self.zoom_label.setText(f"{round(view.effective_zoom() * 100)}%" if count else "")


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


def print_pages(
    path: Path,
    printer: QPrinter,
    pages: range,
    progress: Callable[[int, int, str], None],
    cancelled: Callable[[], bool],
) -> int:
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
