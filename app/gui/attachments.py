"""The attachments step of the editor: what the form needs, what is there, and the scans themselves.

Files or whole folders are dropped on the list (or chosen with 添加文件…) and copied into the
workspace in a worker thread, so the original scan may be moved or deleted afterwards. Each
attachment shows a thumbnail, its kind and its file name; it can be opened, turned a quarter,
moved, re-typed and removed. Above the list, the checklist of the kinds the form requires.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from zhutui.attachkinds import guess_kind, kinds_from_content
from zhutui.background import run_in_process
from zhutui.checks import Finding
from zhutui.errors import InputError
from zhutui.formdef import FormDef
from zhutui.gui.droplist import DropList, files_in
from zhutui.gui.kinddialog import ask_kinds
from zhutui.gui.scanview import ScanView
from zhutui.gui.sectionpage import messages_html
from zhutui.gui.session import Session
from zhutui.gui.thumbnails import paced, render_thumbnail
from zhutui.gui.viewer import ViewerDialog, open_attachment, open_externally
from zhutui.gui.widgets import hint
from zhutui.gui.worker import Job, guarded, small_jobs
from zhutui.ocr import reading_on
from zhutui.planfacts import help_text
from zhutui.rotate import rotate_file
from zhutui.workspace.store import AttachmentRecord

ATT_ROLE = Qt.ItemDataRole.UserRole + 10
SHA_ROLE = Qt.ItemDataRole.UserRole + 11
FILE_FILTER = "扫描件和PDF (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.pdf);;所有文件 (*)"


class AttachmentsPanel(QWidget):
    changed = Signal()  # attachments added, removed, moved, turned or re-typed
    confirm_requested = Signal(object, bool)  # a warning's 确认无误 / 撤销确认 (finding, confirmed)

    def __init__(self, session: Session, form: FormDef, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.form = form
        self.app_id: int | None = None
        self._thumbs: dict[str, QPixmap] = {}
        self.pending = 0  # jobs under way (copying, thumbnails, turning)

        title = QLabel("附件")
        title.setObjectName("sectionTitle")
        self.checklist = QLabel()
        self.checklist.setObjectName("checklist")
        self.checklist.setWordWrap(True)
        self.checklist.setTextFormat(Qt.TextFormat.RichText)

        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("添加为"))
        self.add_kind = QComboBox()
        for kind in form.attachments:
            self.add_kind.addItem(kind.label, kind.kind)
        self.add_button = QPushButton("添加文件…")
        self.add_button.clicked.connect(self.choose_files)
        drop_hint = hint("也可以把扫描件、照片或整个文件夹拖到下面的框里。支持 JPEG、PNG、TIFF、BMP、PDF。")
        add_row.addWidget(self.add_kind)
        add_row.addWidget(self.add_button)
        add_row.addWidget(drop_hint, 1)

        self.list = DropList()
        self.list.files_dropped.connect(self.add_paths)
        self.list.order_changed.connect(self._save_order)
        self.list.itemDoubleClicked.connect(lambda item: self.open_file())
        self.list.currentItemChanged.connect(lambda *_: self._update_actions())
        self.scan_view = ScanView()
        self.scan_view.as_taken_changed.connect(self._set_as_taken)
        self.busy = hint()
        self.busy.hide()
        self.reading = hint()  # reading the certificate's scan: what it does, what it filled in
        self.reading.setWordWrap(True)
        self.reading.hide()

        actions = QHBoxLayout()
        actions.addWidget(QLabel("所选附件的类型"))
        self.kind = QComboBox()
        for kind in form.attachments:
            self.kind.addItem(kind.label, kind.kind)
        self.kind.activated.connect(self._retype)
        actions.addWidget(self.kind)
        self.buttons = {}
        for name, text, slot in (
            ("open", "打开", self.open_file),
            ("left", "向左转", lambda: self.rotate(-1)),
            ("right", "向右转", lambda: self.rotate(1)),
            ("up", "前移", lambda: self.move(-1)),
            ("down", "后移", lambda: self.move(1)),
            ("remove", "删除", self.remove),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            actions.addWidget(button)
            self.buttons[name] = button
        actions.addStretch(1)

        self.message = QLabel()
        self.message.setObjectName("fieldMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.linkActivated.connect(self._link)
        self.message.hide()
        self.findings: list[Finding] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        for widget in (title, self.checklist):
            layout.addWidget(widget)
        layout.addLayout(add_row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.reading)
        layout.addLayout(actions)
        layout.addWidget(self.scan_view)
        layout.addWidget(self.message)
        self._update_actions()

    # ------------------------------------------------------------------ contents

    def open(self, app_id: int) -> None:
        self.app_id = app_id
        self.reload()

    def records(self) -> list[AttachmentRecord]:
        return self.session.ws.attachments(self.app_id) if self.app_id is not None else []

    def reload(self, select: int | None = None) -> None:
        self.list.clear()
        for att in self.records():
            kind = self.form.attachment_kind(att.kind)
            item = QListWidgetItem(f"{kind.label if kind else att.kind}\n{att.original_name}")
            item.setData(ATT_ROLE, att.id)
            item.setData(SHA_ROLE, att.sha256 or "")
            item.setToolTip(f"{att.original_name}\n双击打开")
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            self._set_icon(item, att)
            self.list.addItem(item)
            if att.id == select:
                self.list.setCurrentItem(item)
        self._update_checklist()
        self._update_actions()
        self._default_kind()

    def _set_icon(self, item: QListWidgetItem, att: AttachmentRecord) -> None:
        key = att.sha256 or ""
        if key in self._thumbs:
            item.setIcon(QIcon(self._thumbs[key]))
            return
        path = self.session.ws.attachment_file(att)
        if path is None or not path.exists():  # imported without its file: A001 says so below
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setToolTip(f"{att.original_name}\n文件缺失，请删除此项后重新添加扫描件")
            return
        job = Job(lambda progress, cancelled: paced(render_thumbnail, path))
        job.signals.finished.connect(guarded(self, lambda image, k=key: self._thumb_ready(k, image)))
        self._start(job, small_jobs())

    def _thumb_ready(self, key: str, image) -> None:
        if image is None:
            return
        self._thumbs[key] = QPixmap.fromImage(image)
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(SHA_ROLE) == key:
                item.setIcon(QIcon(self._thumbs[key]))

    def _update_checklist(self) -> None:
        present = {a.kind for a in self.records() if a.sha256}
        lines = []
        for kind in self.form.attachments:
            if kind.required:
                mark = (
                    '<span style="color:#1e7b34">✔</span>'
                    if kind.kind in present
                    else '<span style="color:#b3261e">✘</span>'
                )
                state = "已添加" if kind.kind in present else "必备，尚未添加"
            else:
                mark, state = "○", ("已添加" if kind.kind in present else "可选")
            lines.append(
                f'{mark} <b>{kind.label}</b>（{state}）　<span style="color:#5b6673">{help_text(kind.help)}</span>'
            )
        self.checklist.setText("<br>".join(lines))

    def _default_kind(self) -> None:
        present = {a.kind for a in self.records()}
        missing = next((k.kind for k in self.form.attachments if k.required and k.kind not in present), None)
        index = self.add_kind.findData(missing or "other")
        if index >= 0:
            self.add_kind.setCurrentIndex(index)

    def set_findings(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        self.message.setText(messages_html(findings, links=True))  # 确认无误 for a low resolution
        self.message.setVisible(bool(findings))

    def _link(self, href: str) -> None:
        action, _, index = href.partition(":")
        if index.isdigit() and int(index) < len(self.findings):
            self.confirm_requested.emit(self.findings[int(index)], action == "confirm")

    def select(self, index: int | None) -> None:
        if index is not None and 0 <= index < self.list.count():
            self.list.setCurrentRow(index)
        self.list.setFocus()

    def current(self) -> AttachmentRecord | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return next((a for a in self.records() if a.id == item.data(ATT_ROLE)), None)

    def _update_actions(self) -> None:
        att = self.current()
        for button in self.buttons.values():
            button.setEnabled(att is not None)
        self.kind.setEnabled(att is not None)
        if att is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(att.kind)))
        self.scan_view.show_attachment(att, self.session.ws.attachment_file(att) if att is not None else None)

    def _set_as_taken(self, att_id: int, as_taken: bool) -> None:
        """使用原图: this attachment printed and mailed as taken (or cleaned again)."""
        try:
            self.session.ws.set_as_taken(att_id, as_taken)
        except InputError as exc:
            QMessageBox.critical(self, "无法保存", str(exc))
            return
        self.changed.emit()

    # ------------------------------------------------------------------ adding

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "选择附件", str(Path.home()), FILE_FILTER)
        if names:
            self.add_paths([Path(n) for n in names])

    def add_paths(self, paths: list[Path]) -> None:
        """Copy files (and the scans in dropped folders) into the workspace, off the GUI thread.

        One file takes the kind 添加为 shows when the user chose it there; while it shows only
        the automatic choice (the first required kind still missing), the file's name (or its
        first page) decides, and 添加为 when it says nothing. Several files each take the kind
        their name or first page says (``guess_kind``); when one says nothing, ``KindDialog``
        asks for all of them at once."""
        if self.app_id is None:
            return
        files = files_in(paths)
        if not files:
            QMessageBox.information(
                self, "没有可添加的文件", "拖入的内容里没有扫描件或PDF。请拖入 JPEG、PNG、TIFF、BMP 或 PDF 文件。"
            )
            return
        app_id, ws, form = self.app_id, self.session.ws, self.form
        shown_kind = self.add_kind.currentData()
        present = {a.kind for a in self.records()}
        automatic = next((k.kind for k in form.attachments if k.required and k.kind not in present), "other")
        single = len(files) == 1
        chosen = shown_kind if single and shown_kind != automatic else None

        def copy(progress, cancelled):
            stored, failed = [], []
            for i, path in enumerate(files):
                if cancelled():
                    break
                progress(i, len(files), path.name)
                try:
                    content = ws.store_file(path)
                except InputError as exc:
                    failed.append(str(exc))
                    continue
                kind = chosen or guess_kind(form, path) or (shown_kind if single else None)
                stored.append((path, content, kind))
            unknown = [i for i, (_, _, kind) in enumerate(stored) if kind is None]
            if unknown and reading_on() and not cancelled():  # read what their names don't say
                progress(0, len(unknown), "正在识别文件内容")
                paths = [str(stored[i][0]) for i in unknown]
                kinds = run_in_process(kinds_from_content, (form.form, paths), progress, cancelled)
                for i, kind in zip(unknown, kinds, strict=False):
                    stored[i] = (*stored[i][:2], kind)
            return stored, failed

        job = Job(copy)
        shown = guarded(
            self,
            lambda done, total, name: self._show_busy(
                name if name.startswith("正在") else f"正在复制 {done + 1}/{total}：{name}"
            ),
        )
        job.signals.progress.connect(shown)
        job.signals.finished.connect(guarded(self, lambda result: self._attach(app_id, *result)))
        job.signals.failed.connect(guarded(self, lambda message, details: self._failed(message)))
        self._show_busy(f"正在复制 {len(files)} 个文件…")
        self._start(job)

    def _attach(self, app_id: int, stored: list, failed: list[str]) -> None:
        """Attach the copied files, each as its kind; ask first when a kind is not known."""
        self._show_busy("")
        if any(kind is None for _, _, kind in stored):
            self._ask_kinds(app_id, stored, failed)
            return
        last = None
        try:
            for path, content, kind in stored:
                last = self.session.ws.attach_stored(app_id, content, path.name, kind)
        except InputError as exc:
            failed.append(str(exc))
        if app_id == self.app_id:
            self.reload(select=last)
        self.changed.emit()
        if failed:
            QMessageBox.warning(self, "有文件未能添加", "\n".join(failed))

    def _ask_kinds(self, app_id: int, stored: list, failed: list[str]) -> None:
        """``KindDialog`` (counted in ``pending`` while open): 确定 attaches each file as chosen."""
        self.pending += 1

        def answered(kinds: list[str] | None) -> None:
            self.pending -= 1
            if kinds is not None:
                self._attach(app_id, [(p, c, k) for (p, c, _), k in zip(stored, kinds, strict=True)], failed)
                return
            self._show_busy("已取消，没有添加这些文件。")
            if failed:
                QMessageBox.warning(self, "有文件未能添加", "\n".join(failed))

        ask_kinds(self, self.form, [(path, kind) for path, _, kind in stored], guarded(self, answered))

    def show_reading(self, text: str) -> None:
        """What reading the certificate's scan is doing or found ("" hides it)."""
        self.reading.setText(text)
        self.reading.setVisible(bool(text))

    def _show_busy(self, text: str) -> None:
        self.busy.setText(text)
        self.busy.setVisible(bool(text))

    def _failed(self, message: str, title: str = "未能添加附件") -> None:
        self._show_busy("")
        QMessageBox.warning(self, title, message)

    def _start(self, job: Job, pool: QThreadPool | None = None) -> None:
        """Run a job, counted in ``pending`` until it has reported (tests wait on it)."""
        self.pending += 1

        def done(*_: object) -> None:
            self.pending -= 1

        for signal in (job.signals.finished, job.signals.failed, job.signals.cancelled):
            signal.connect(done)
        job.start(pool)

    # ------------------------------------------------------------------ actions

    open_externally = staticmethod(open_externally)  # the system's viewer; tests replace it

    def open_file(self) -> ViewerDialog | None:
        """Open a copy of the selected attachment named as the user's own file, in the system's
        viewer; without one, in the app's own viewer (returned)."""
        att = self.current()
        path = self.session.ws.attachment_file(att) if att else None
        if att is None or path is None or not path.exists():
            return None
        return open_attachment(self, path, att.original_name, self.open_externally)

    def rotate(self, quarters: int) -> None:
        """Turn the selected scan (decoding a photo takes a while: done in a worker)."""
        att = self.current()
        path = self.session.ws.attachment_file(att) if att else None
        if att is None or path is None:
            return
        job = Job(lambda progress, cancelled: rotate_file(path, quarters))
        job.signals.finished.connect(guarded(self, lambda result: self._rotated(att.id, *result)))
        job.signals.failed.connect(guarded(self, lambda message, details: self._failed(message, "无法旋转")))
        self._show_busy("正在旋转…")
        self._start(job)

    def _rotated(self, att_id: int, data: bytes, suffix: str) -> None:
        self._show_busy("")
        try:
            self.session.ws.replace_attachment_content(att_id, data, suffix)
        except (InputError, KeyError) as exc:
            QMessageBox.warning(self, "无法旋转", str(exc))
            return
        self.reload(select=att_id)
        self.changed.emit()

    # Shadows QWidget.move() (a point) with another signature: nothing calls that on this panel.
    def move(self, step: int) -> None:  # type: ignore[override]
        att = self.current()
        if att is None:
            return
        row = self.list.currentRow()
        self.session.ws.move_attachment(att.id, max(0, row + step))
        self.reload(select=att.id)
        self.changed.emit()

    def _save_order(self) -> None:
        for position in range(self.list.count()):
            self.session.ws.move_attachment(self.list.item(position).data(ATT_ROLE), position)
        self.changed.emit()

    def _retype(self) -> None:
        att = self.current()
        if att is not None:
            self.session.ws.update_attachment(att.id, kind=self.kind.currentData())
            self.reload(select=att.id)
            self.changed.emit()

    def remove(self) -> None:
        att = self.current()
        if att is None:
            return
        answer = QMessageBox.question(
            self, "删除附件", f"从本申报中删除附件“{att.original_name}”？\n（您电脑上的原文件不受影响。）"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.session.ws.remove_attachment(att.id)
            self.reload()
            self.changed.emit()
