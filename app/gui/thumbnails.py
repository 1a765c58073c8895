"""Thumbnails of scans and PDFs, made in a worker thread (a phone photo takes ~100 ms to decode).

Images are read scaled down by ``QImageReader`` (EXIF orientation applied); a PDF shows its
first page rendered by QtPdf, on white (QtPdf renders with a transparent background).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter

T = TypeVar("T")

SIZE = 150
PAUSE_S = 0.03


def paced(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, then a pause. Qt keeps Python's GIL while it decodes an image or renders a
    page (~25–45 ms a thumbnail), and the window needs the GIL several times to answer a key;
    the pause between thumbnails is when it gets it."""
    try:
        return fn(*args)
    finally:
        time.sleep(PAUSE_S)


def render_thumbnail(path: Path, size: int = SIZE) -> QImage | None:
    """A thumbnail at most ``size`` pixels on its long side, or None if the file can't be shown."""
    if path.suffix.lower() == ".pdf":
        return _pdf_thumbnail(path, size)
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid():
        reader.setScaledSize(full.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def _pdf_thumbnail(path: Path, size: int) -> QImage | None:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_ or document.pageCount() < 1:
            return None
        page = document.pagePointSize(0)
        scaled = QSize(max(1, round(page.width())), max(1, round(page.height()))).scaled(
            size, size, Qt.AspectRatioMode.KeepAspectRatio
        )
        return on_white(document.render(0, scaled))
    finally:
        document.close()


def on_white(image: QImage) -> QImage:
    """A rendered page composed on white paper."""
    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper
