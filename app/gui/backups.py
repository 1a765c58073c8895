"""备份与恢复 (in 设置), and the automatic daily backup when the app starts.

A backup is a bundle of the whole workspace with its settings (never a secret). Restoring
verifies the chosen backup or bundle and rebuilds the workspace beside the current one; only
then is the current one backed up and replaced (``zhutui.bundle.backup.restore``). The window is
then rebuilt on the restored workspace (``restored`` carries the message to show); a failed
restore leaves everything as it was and the window reopens the same workspace.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zhutui.bundle.archive import SUFFIX
from zhutui.bundle.backup import KEEP, backups_folder, daily_backup, list_backups, make_backup, restore
from zhutui.gui.jobrow import JobRow, with_details
from zhutui.gui.session import Session
from zhutui.gui.widgets import hint
from zhutui.gui.worker import Job
from zhutui.workspace.store import Workspace

PATH_ROLE = Qt.ItemDataRole.UserRole + 41


def start_daily_backup(session: Session, report) -> Job:
    """Make today's backup in a worker (its own connection); ``report(text)`` says what happened."""
    folder = session.ws.folder

    def work(progress, cancelled):
        with Workspace(folder) as ws:
            return daily_backup(ws)

    job = Job(work)
    job.signals.finished.connect(lambda r: r and report(f"已自动备份工作区：{r.path.name}"))
    job.signals.failed.connect(lambda message, details: report(f"自动备份未完成：{message}"))
    job.start()
    return job


class BackupBox(QGroupBox):
    restored = Signal(str)  # the workspace was replaced (or a restore failed): rebuild the window

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__("备份与恢复", parent)
        self.session = session
        self.restore_job: Job | None = None
        self.list = QListWidget()
        self.list.setMaximumHeight(160)
        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("用所选备份恢复…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button = QPushButton("从文件恢复…")
        self.file_button.clicked.connect(self.restore_from_file)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.run = JobRow(self.backup_button, self.status, lambda: self._update())
        row = QHBoxLayout()
        for button in (self.backup_button, self.run.cancel_button, self.restore_button, self.file_button):
            row.addWidget(button)
        row.addWidget(self.run.progress, 1)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                f"每天第一次打开本软件时自动备份全部申报、附件和设置（不含授权码），保留最近 {KEEP} 份，"
                f"存放在 {backups_folder()}。恢复时当前工作区会先备份，恢复成功后才替换。"
            )
        )
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.list.currentItemChanged.connect(lambda *_: self._update())
        self.show_backups()

    def show_backups(self) -> None:
        self.list.clear()
        for path in list_backups():
            try:
                size = path.stat().st_size / 1024 / 1024
            except OSError:
                continue
            stamp = path.stem.removeprefix("备份_")
            text = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}　{size:.1f} MB"
            item = QListWidgetItem(text)
            item.setData(PATH_ROLE, str(path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.list.addItem(QListWidgetItem("（还没有备份）"))
        self._update()

    def _update(self) -> None:
        current = self.list.currentItem()
        idle = self.run.job is None and self.restore_job is None
        self.restore_button.setEnabled(idle and current is not None and bool(current.data(PATH_ROLE)))
        self.backup_button.setEnabled(idle)
        self.file_button.setEnabled(idle)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.show_backups()
        super().showEvent(event)

    # ------------------------------------------------------------------ backing up

    def backup_now(self) -> None:
        folder = self.session.ws.folder

        def work(progress, cancelled):
            with Workspace(folder) as ws:
                return make_backup(ws, progress=progress, cancelled=cancelled)

        self.run.start(
            work,
            "正在备份…",
            finished=self._backed_up,
            failed=lambda m, d: self.status.setText("未能备份：" + with_details(m, d)),
            cancelled=lambda: self.status.setText("已取消，没有生成备份。"),
        )

    def _backed_up(self, result) -> None:
        self.status.setText(
            f"已备份 {result.applications} 份申报、{result.attachments} 个附件和设置：{result.path.name}"
        )
        self.show_backups()

    # ------------------------------------------------------------------ restoring

    def restore_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(PATH_ROLE):
            self.confirm_restore(Path(item.data(PATH_ROLE)))

    def restore_from_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择备份或交接包", str(backups_folder()), f"备份或交接包 (*{SUFFIX})"
        )
        if path:
            self.confirm_restore(Path(path))

    def confirm_restore(self, path: Path) -> None:
        answer = QMessageBox.question(
            self,
            "恢复工作区",
            f"用“{path.name}”中的申报、附件和设置替换当前工作区的全部内容？\n\n"
            "当前工作区会先自动备份；恢复失败时保持原样。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(path)

    def restore(self, path: Path) -> None:
        """Close the workspace, restore in a worker behind a modal progress dialog, then ask for
        the window to be rebuilt (on the restored workspace, or the same one after a failure)."""
        folder = self.session.ws.folder
        self.session.close()
        dialog = QProgressDialog("正在恢复工作区…", "", 0, 0, self.window())
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        self.restore_job = job = Job(lambda progress, cancelled: restore(path, folder))

        def finished(result) -> None:
            dialog.close()
            note = f"已从“{path.name}”恢复 {result.applications} 份申报、{result.attachments} 个附件"
            note += "和设置。" if result.settings else "。"
            if result.safety_backup:
                note += f"恢复前的工作区已备份为“{result.safety_backup.name}”。"
            note += result.dropped_note()
            self.restored.emit(note)

        def failed(message: str, details: str) -> None:
            dialog.close()
            self.restored.emit("未能恢复，工作区保持原样：" + with_details(message, details))

        job.signals.finished.connect(finished)
        job.signals.failed.connect(failed)
        job.start()
