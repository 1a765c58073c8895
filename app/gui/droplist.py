"""The attachments' thumbnail list: accepts dropped files and whole folders, reorders by dragging."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QWidget

from zhutui.gui.thumbnails import SIZE
from zhutui.scans import SUPPORTED_SUFFIXES


def files_in(paths: Sequence[Path]) -> list[Path]:
    """The files to attach from dropped files and folders (folders: their scans, sorted by name)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                (
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
                ),
                key=lambda p: str(p).lower(),
            )
        elif path.is_file():
            found.append(path)
    return found


def local_paths(mime: QMimeData) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DropList(QListWidget):
    """Thumbnails that accept dropped files and folders and can be reordered by dragging."""

    files_dropped = Signal(list)
    order_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(SIZE, SIZE))
        self.setGridSize(QSize(SIZE + 40, SIZE + 56))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWordWrap(True)
        self.setMovement(QListView.Movement.Snap)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
            self.files_dropped.emit(local_paths(event.mimeData()))
            return
        super().dropEvent(event)
        self.order_changed.emit()
