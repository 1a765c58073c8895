"""The 输出 page's 电子版 part: build the mail package, see each message's size against the
budget, open the folder or a message in the mail program, send it, attach stamped scans.

``package_workspace`` (the same pipeline as ``zhutui package``) runs in a child process like the
print run, with progress and 取消. Sending is in ``senddialog``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zhutui import naming
from zhutui.background import run_in_process
from zhutui.formdef import all_forms
from zhutui.gui.jobrow import JobRow, with_details
from zhutui.gui.session import Session
from zhutui.gui.unconfirmed import go_on_despite_warnings
from zhutui.gui.worker import Job
from zhutui.mailpack.body import size_text
from zhutui.mailpack.result import DEFAULT_BUDGET_MB, MB
from zhutui.pipeline import package_workspace
from zhutui.scans import SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from zhutui.mailpack.result import PackageResult

EML_ROLE = Qt.ItemDataRole.UserRole + 30
BUDGET_SETTING = "mail_budget_mb"


class MailPanel(QGroupBox):
    """Builds and sends the mail package; ``output_dir`` says where (the 输出 page's folder)."""

    finished = Signal(object)  # the PackageResult of a completed run

    def __init__(self, session: Session, output_dir: Callable[[], Path], parent: QWidget | None = None):
        super().__init__("电子版（发送至报送邮箱）", parent)
        self.session = session
        self.output_dir = output_dir
        self.result: PackageResult | None = None

        self.build_button = QPushButton("生成电子邮件包")
        self.build_button.setObjectName("primary")
        self.build_button.clicked.connect(self.build)
        self.draft = QCheckBox("草稿")
        self.draft.setToolTip("有错误时也生成，文件名和邮件主题标明“草稿”，只供核对，不能报送")
        self.budget = QDoubleSpinBox()
        self.budget.setRange(1, 200)
        self.budget.setDecimals(0)
        self.budget.setSuffix(" MB")
        self.budget.setPrefix("每封上限 ")
        self.budget.setToolTip(
            "每封邮件附件的容量上限。163 邮箱每封约 50 MB，附件编码后增大约三分之一，默认 35 MB；"
            "超过时分成几封邮件（1/2、2/2……）"
        )
        self.budget.setValue(float(session.ws.setting(BUDGET_SETTING) or DEFAULT_BUDGET_MB))
        self.budget.valueChanged.connect(lambda v: session.ws.set_setting(BUDGET_SETTING, v))
        self.stamped_button = QPushButton("添加盖章扫描件…")
        self.stamped_button.setToolTip(
            "申报表（书）打印、盖章后扫描，添加到对应的申报：电子版将用扫描件代替未盖章的PDF"
        )
        self.stamped_button.clicked.connect(self.add_stamped_scan)
        self.status = QLabel("生成报送电子版用的文件夹、同样内容的 .zip 和可直接发送的邮件（.eml）。")
        self.status.setWordWrap(True)
        self.run = JobRow(self.build_button, self.status, lambda: self._update_buttons())
        self.cancel_button, self.progress = self.run.cancel_button, self.run.progress

        self.messages = QListWidget()
        self.messages.setMaximumHeight(88)
        self.messages.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.messages.itemDoubleClicked.connect(lambda *_: self.open_message())
        self.open_message_button = QPushButton("在邮件程序中打开")
        self.open_message_button.clicked.connect(self.open_message)
        self.open_folder_button = QPushButton("打开邮件包文件夹")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.send_button = QPushButton("发送…")
        self.send_button.clicked.connect(self.send)

        top = QHBoxLayout()
        for widget in (self.build_button, self.cancel_button, self.draft, self.budget, self.stamped_button):
            top.addWidget(widget, 0)
        top.addWidget(self.progress, 1)
        top.addStretch(0)
        bottom = QHBoxLayout()
        for widget in (self.open_message_button, self.open_folder_button, self.send_button):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.messages)
        layout.addLayout(bottom)
        self._update_buttons()

    # ------------------------------------------------------------------ building

    def build(self) -> None:
        if self.job is not None:
            return
        ids = self.session.output_ids()
        if not ids:
            QMessageBox.information(
                self, "没有申报", "还没有申报（示例申报不计在内，需要时在上面勾选“包括示例申报”）。请先新建或导入申报。"
            )
            return
        if not self.draft.isChecked() and not go_on_despite_warnings(self, self.session, ids, "电子邮件包"):
            return
        args = (
            self.session.ws.folder,
            ids,
            self.output_dir(),
            self.session.today,
            self.draft.isChecked(),
            self.budget.value(),
        )

        def work(progress, cancelled):
            return run_in_process(package_workspace, args, progress, cancelled)

        self.run.start(
            work, "正在生成电子邮件包…", finished=self._built, failed=self._failed, cancelled=self._cancelled
        )

    @property
    def job(self) -> Job | None:
        return self.run.job

    def _built(self, result: PackageResult) -> None:
        errors = len(result.errors)
        if result.folder is None:
            self.status.setText(
                f"检查发现 {errors} 个错误，有错误的申报不能报送，没有生成邮件包。"
                "请到“检查”页逐项改正；如需核对，可勾选“草稿”后生成。"
            )
            return
        self.show_result(result)
        self.finished.emit(result)

    def show_result(self, result: PackageResult) -> None:
        assert result.folder is not None  # a package was made
        self.result = result
        self.messages.clear()
        budget = result.budget
        for m in result.messages:
            over = "，超过上限" if m.files_bytes > budget else ""
            size = f"{size_text(m.files_bytes)} / 上限 {budget / MB:.0f} MB{over}"
            item = QListWidgetItem(f"{m.eml}　附件{len(m.files)}个，{size}　　{m.subject}")
            item.setData(EML_ROLE, str(result.folder / m.eml))
            item.setToolTip(f"邮件文件 {size_text(m.size)}（附件编码后）\n" + "\n".join(m.files))
            self.messages.addItem(item)
        self.messages.setCurrentRow(0)
        count = f"，分 {len(result.messages)} 封邮件" if len(result.messages) > 1 else "，一封邮件即可发出"
        pages = ""
        if result.scanned_pages:
            average = size_text(result.scan_bytes // result.scanned_pages)
            pages = f"扫描件 {result.scanned_pages} 页已压缩（平均每页 {average}）。"
        if result.draft:
            why = f"检查发现 {len(result.errors)} 个错误，" if result.errors else ""
            text = f"{why}已生成草稿邮件包（标明“草稿”，只供核对，不能报送）：{result.folder.name}{count}。"
        else:
            text = (
                f"已生成邮件包 {result.folder.name}：{len(result.files)} 个文件{count}，收件人 {result.to}。{pages}"
                "可直接“发送…”，或在邮件程序中打开邮件后发送。"
            )
        self.status.setText(text + "".join(f"\n注意：{note}" for note in result.notes))
        self._update_buttons()

    def _failed(self, message: str, details: str) -> None:
        self.status.setText("未能生成电子邮件包。")
        QMessageBox.warning(self, "未能生成电子邮件包", with_details(message, details))

    def _cancelled(self) -> None:
        self.status.setText("已取消，没有留下生成了一半的文件。")

    # ------------------------------------------------------------------ the package

    def _update_buttons(self) -> None:
        has = self.result is not None and self.result.folder is not None and self.job is None
        self.messages.setVisible(self.messages.count() > 0)  # until a package exists the preview has the room
        self.open_message_button.setEnabled(has and self.messages.currentItem() is not None)
        self.open_folder_button.setEnabled(has)
        self.send_button.setEnabled(has and not (self.result and self.result.draft))
        self.stamped_button.setEnabled(self.job is None)

    def open_message(self) -> None:
        item = self.messages.currentItem()
        if item is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(item.data(EML_ROLE)))

    def open_folder(self) -> None:
        if self.result is not None and self.result.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.folder)))

    def send(self) -> None:
        from zhutui.gui.senddialog import SendDialog

        if self.result is None or self.result.folder is None or self.result.draft:
            return
        dialog = SendDialog(self.session, self.result.folder, self)
        dialog.exec()
        if dialog.sent:
            self.status.setText(dialog.summary)

    # ------------------------------------------------------------------ stamped scans

    def add_stamped_scan(self) -> None:
        """Attach the scan of a printed and stamped form to its application (kind stamped_form)."""
        records = self.session.records()
        if not records:
            QMessageBox.information(self, "没有申报", "还没有申报。")
            return
        forms = all_forms()
        labels, names = [], []
        for record in records:
            form = forms[record.form]
            names.append(naming.subject(form, record.data))
            stamped = any(a.kind == "stamped_form" for a in self.session.ws.attachments(record.id))
            labels.append(f"附件{form.attachment_no} {form.title}：{names[-1]}" + ("（已有盖章扫描件）" * stamped))
        label, ok = QInputDialog.getItem(
            self, "添加盖章扫描件", "这份扫描件是哪一份申报表（书）盖章后的扫描件？", labels, 0, False
        )
        if not ok:
            return
        index = labels.index(label)
        record = records[index]
        patterns = " ".join(f"*{s}" for s in sorted(SUPPORTED_SUFFIXES))
        files, _ = QFileDialog.getOpenFileNames(
            self, "选择盖章后的扫描件（可多选，按页序）", "", f"扫描件 ({patterns})"
        )
        if not files:
            return
        try:
            for name in files:
                self.session.ws.add_attachment(record.id, Path(name), "stamped_form")
        except OSError as exc:
            QMessageBox.warning(self, "未能添加", f"无法读取 {name}（{exc.strerror or exc}），请换一个文件。")
            return
        self.session.attachments_changed(record.id)
        self.status.setText(
            f"已为“{names[index]}”添加 {len(files)} 个盖章扫描件。重新生成电子邮件包后，电子版将使用扫描件。"
        )
