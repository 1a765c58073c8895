"""The 附件 page's before and after: the selected photo as taken and as the print and the mail
package will use it (sheet found, perspective corrected, upright, white paper), with a switch
back to the photo as taken for this attachment (its ``as_taken`` flag).

The cleaned page is made in the background process (``images.preview_scan``: it may load the OCR
engine to tell which way up the page is), one at a time, and kept by the file's hash for the
session; the photo as taken is a thumbnail. PDFs are used as they are and show no comparison.
``ZHUTUI_READ_SCANS=0`` (a slow PC, the tests) makes no previews.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget

from zhutui.background import run_in_process
from zhutui.gui.thumbnails import paced, render_thumbnail
from zhutui.gui.widgets import hint
from zhutui.gui.worker import Job, guarded, scan_pool, small_jobs
from zhutui.ocr import reading_on
from zhutui.outputs.images import ScanPreview, preview_scan
from zhutui.workspace.store import AttachmentRecord

SIDE = 260  # pixels: each picture's longer side

NO_EDGE = "没有找到纸张的四条边，只做了漂白处理。建议把整张纸放在颜色较深的桌面上，四边都拍进画面，重新拍照后替换。"
NOT_A_DOCUMENT = "这张照片不是文件页面（如现场照片、牌匾），打印和邮件中按原样使用。"
AS_TAKEN = "此附件使用原图（打印和邮件中不做扫描处理，只按拍摄方向转正、缩小）"


class ScanView(QWidget):
    """Before/after of one image attachment and its 使用原图 switch."""

    as_taken_changed = Signal(int, bool)  # attachment id, use the photo as taken

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.before, self.after = QLabel(), QLabel()
        for label in (self.before, self.after):
            label.setFixedSize(SIDE, SIDE)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("background: #e9edf2; border: 1px solid #c8d0da;")
        self.note = hint()
        self.note.setWordWrap(True)
        self.switch = QCheckBox(AS_TAKEN)
        self.switch.toggled.connect(self._toggled)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 8, 0, 0)
        grid.addWidget(QLabel("拍摄的原图"), 0, 0)
        grid.addWidget(QLabel("打印和邮件中使用的效果"), 0, 1)
        grid.addWidget(self.before, 1, 0)
        grid.addWidget(self.after, 1, 1)
        grid.addWidget(self.note, 2, 0, 1, 3)
        grid.addWidget(self.switch, 3, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        self.att: AttachmentRecord | None = None
        self._previews: dict[str, ScanPreview | str] = {}  # by hash: the preview, or why there is none
        self._pending: set[str] = set()
        self.hide()

    def show_attachment(self, att: AttachmentRecord | None, path: Path | None) -> None:
        """Show ``att`` (its stored file at ``path``); hidden for none, a PDF or a missing file."""
        self.att = att
        if att is None or path is None or not att.sha256 or path.suffix.lower() == ".pdf" or not path.exists():
            self.hide()
            return
        self.switch.blockSignals(True)
        self.switch.setChecked(bool(getattr(att, "as_taken", False)))
        self.switch.blockSignals(False)
        self.before.setPixmap(QPixmap())
        self.before.setText("…")
        sha = att.sha256
        job = Job(lambda progress, cancelled: paced(render_thumbnail, path, SIDE))
        job.signals.finished.connect(guarded(self, lambda image: self._before_ready(sha, image)))
        job.start(small_jobs())
        if sha in self._previews:
            self._show_after(sha)
        elif not reading_on():  # ZHUTUI_READ_SCANS=0: no background process for previews either
            self.after.setPixmap(QPixmap())
            self.after.setText("生成PDF后可在预览中查看")
            self.note.setText("")
        elif sha not in self._pending:
            self._pending.add(sha)
            self.after.setPixmap(QPixmap())
            self.after.setText("正在生成处理后的效果…")
            self.note.setText("")
            preview = Job(lambda progress, cancelled: run_in_process(preview_scan, (str(path),), progress, cancelled))
            preview.signals.finished.connect(guarded(self, lambda result: self._after_ready(sha, result)))
            preview.signals.failed.connect(guarded(self, lambda message, _details: self._after_ready(sha, message)))
            preview.start(scan_pool())
        self.show()

    def _before_ready(self, sha: str, image: QImage | None) -> None:
        if self.att is not None and self.att.sha256 == sha:
            self.before.setText("" if image is not None else "无法显示")
            if image is not None:
                self.before.setPixmap(QPixmap.fromImage(image))

    def _after_ready(self, sha: str, result: ScanPreview | str) -> None:
        self._pending.discard(sha)
        self._previews[sha] = result
        if self.att is not None and self.att.sha256 == sha:
            self._show_after(sha)

    def _show_after(self, sha: str) -> None:
        result = self._previews[sha]
        if isinstance(result, str):
            self.after.setPixmap(QPixmap())
            self.after.setText("无法生成")
            self.note.setText(f"未能生成处理后的效果：{result}")
            return
        image = QImage.fromData(result.data)
        self.after.setText("")
        self.after.setPixmap(
            QPixmap.fromImage(image).scaled(
                SIDE, SIDE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )
        self.note.setText(NO_EDGE if result.no_edge else "" if result.cleaned else NOT_A_DOCUMENT)
        self.note.setVisible(bool(self.note.text()))

    def _toggled(self, checked: bool) -> None:
        if self.att is not None:
            self.as_taken_changed.emit(self.att.id, checked)
