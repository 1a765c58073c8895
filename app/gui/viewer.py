"""Opening an attachment: a copy named as the user's own file, in the system's viewer or ours.

The workspace stores each scan under its content's hash (``3f9a….jpg``); a viewer would show
that name in its title bar and a 另存为 would offer it. So the file opened is a copy named as the
user's original (made safe for Windows), in a private folder of the user's data folder, where
copies older than a week are cleared. When the system has no program for the file, the app's
own viewer shows it and says so.
"""

from __future__ import annotations

import contextlib
import filecmp
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImageReader, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget

from zhutui.gui.preview import PreviewPane
from zhutui.gui.widgets import hint
from zhutui.paths import user_data_dir
from zhutui.private import private_dir, private_file
from zhutui.winpath import fit_name, safe_component

KEEP_DAYS = 7
STEM_LIMIT = 80  # characters of the original name's stem kept


def copies_dir() -> Path:
    return user_data_dir() / "cache" / "opened"


def copy_name(original_name: str, suffix: str) -> tuple[str, str]:
    """The stem and suffix to name a copy by: the original's last path part, without what
    Windows refuses in a name; the stored file's suffix when the original's is another."""
    last = re.split(r"[\\/]", original_name)[-1]
    stem, dot, ext = last.rpartition(".")
    if not dot:
        stem, ext = last, ""
    wanted = suffix.lower()
    keep = f".{ext}" if f".{ext}".lower() == wanted else wanted
    return safe_component(stem, "附件", STEM_LIMIT), keep


def viewing_copy(source: Path, original_name: str, root: Path | None = None) -> Path:
    """A copy of ``source`` named as ``original_name``, in a private folder (one per stored file,
    so two scans both named 扫描.jpg never meet); the same copy again when it is unchanged, a
    fresh folder when a viewer still holds a changed one. Raises ``OSError``."""
    root = copies_dir() if root is None else root
    private_dir(root)
    _clear_old(root, keep={source.stem[:16]})
    stem, suffix = copy_name(original_name, source.suffix)
    for n in range(100):
        folder = root / (source.stem[:16] + (f"-{n}" if n else ""))
        private_dir(folder)
        target = folder / fit_name(folder, stem, suffix)
        if target.is_file() and filecmp.cmp(source, target, shallow=False):
            return target
        try:
            shutil.copyfile(source, target)
        except PermissionError:  # Windows: the old copy is open in a viewer
            continue
        private_file(target)
        return target
    raise OSError(f"too many copies of {source.name} are open")


def _clear_old(root: Path, keep: set[str]) -> None:
    """Remove copies last opened more than ``KEEP_DAYS`` ago (best effort: one still open stays)."""
    limit = time.time() - KEEP_DAYS * 86_400
    for folder in root.iterdir():
        with contextlib.suppress(OSError):
            if folder.is_dir() and folder.name.split("-")[0] not in keep and folder.stat().st_mtime < limit:
                shutil.rmtree(folder)


def open_externally(path: Path) -> bool:
    """Open ``path`` in the program the system has for it; False when it has none."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


NO_VIEWER = (
    "这台电脑上没有能打开此类文件的程序（如 PDF 阅读器或看图软件），已在本程序中显示。"
    "需要用其他程序查看或打印时，请先安装相应软件。"
)


def open_attachment(
    parent: QWidget, stored: Path, original_name: str, opener: Callable[[Path], bool] = open_externally
) -> ViewerDialog | None:
    """Open a copy of ``stored`` named ``original_name`` with ``opener`` (the system's viewer);
    when that fails, show it in a ``ViewerDialog`` (returned), which says why."""
    try:
        copy = viewing_copy(stored, original_name)
    except OSError as exc:
        QMessageBox.warning(
            parent,
            "无法打开",
            f"无法为“{original_name}”准备查看用的副本"
            f"（{getattr(exc, 'strerror', None) or exc}）。请检查磁盘空间后再试。",
        )
        return None
    if opener(copy):
        return None
    viewer = ViewerDialog(copy, NO_VIEWER, parent)
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    viewer.show()
    return viewer


class ImageView(QScrollArea):
    """A scan shown whole, scaled to the window (never above its real size)."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)  # a phone photo stands as it was taken
        self.pages = max(1, reader.imageCount())
        self.pixmap = QPixmap.fromImage(reader.read())
        self.label = QLabel()
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("background: #5b6673;")
        self._scale()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._scale()

    def _scale(self) -> None:
        if self.pixmap.isNull():
            return
        room = self.viewport().size()
        if self.pixmap.width() <= room.width() and self.pixmap.height() <= room.height():
            self.label.setPixmap(self.pixmap)
        else:
            self.label.setPixmap(
                self.pixmap.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )


class ViewerDialog(QDialog):
    """The app's own viewer for one attachment: a PDF in the preview, an image scaled to fit."""

    def __init__(self, path: Path, note: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(path.name)
        self.path = path
        self.note = hint(note)
        self.note.setVisible(bool(note))
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        if path.suffix.lower() == ".pdf":
            self.pane: PreviewPane | ImageView = PreviewPane()
            layout.addWidget(self.pane, 1)
            loaded = self.pane.show_file(path)
            self.pane.view.setFocus()  # the keys scroll and zoom the page, not the page field
        else:
            self.pane = ImageView(path)
            layout.addWidget(self.pane, 1)
            loaded = not self.pane.pixmap.isNull()
            if loaded and self.pane.pages > 1:
                self._add_note(f"此文件共 {self.pane.pages} 页，这里只显示第 1 页。")
        if not loaded:
            self._add_note("无法显示此文件，它可能已损坏。请删除此附件后重新添加扫描件。")
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen else None
        self.resize(min(900, room.width() - 80) if room else 900, room.height() - 80 if room else 700)

    def _add_note(self, text: str) -> None:
        self.note.setText("\n".join(t for t in (self.note.text(), text) if t))
        self.note.show()
