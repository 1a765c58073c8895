"""设置 → 从通知读取: next year's plan read from its notice (a file, or the text pasted).

The notice is read as ``zhutui plans read-notice`` reads it (``zhutui.notice``). The dialog says
what was read (the year, the deadline, how many facts, how many differ from the previous plan,
how many the notice doesn't state) and makes the plan; 设置 then shows every fact beside the
previous plan's, changed ones marked, each with its sentence of the notice, to confirm or
correct one by one (facts not stated stay 待核对, as the previous year's).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zhutui import plans
from zhutui.errors import InputError
from zhutui.gui.widgets import hint
from zhutui.notice import NewPlan, NotANotice, NoticeReading, plan_from_notice, read_notice, require_notice
from zhutui.noticefile import notice_text

FILE_FILTER = "通知 (*.txt *.docx *.pdf);;所有文件 (*)"


class NoticeDialog(QDialog):
    """Reads a notice and makes its year's plan (``made``: the plan, after ``accept``)."""

    def __init__(self, base: plans.Plan, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("从通知读取新年度计划")
        self.base = base
        self.reading: NoticeReading | None = None
        self.new_plan: NewPlan | None = None  # what the notice read makes of the base plan
        self.made: plans.Plan | None = None
        self.resize(720, 520)

        intro = hint(
            "打开当年的《职工创新助推计划实施方案》通知（.txt、.docx 或有文字的 .pdf），或把通知全文复制粘贴到下面，"
            "再点“读取”。读到的每项信息会和上一年度的并排显示，请在“设置”中逐项核对确认。"
        )
        self.open_button = QPushButton("打开通知文件…")
        self.open_button.clicked.connect(self.choose_file)
        self.read_button = QPushButton("读取粘贴的文字")
        self.read_button.clicked.connect(self.read_pasted)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.read_button)
        row.addStretch(1)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("在这里粘贴通知全文（从“关于印发……的通知”到联系人、地址）")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 3 + 6)  # three lines
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("建立计划")
        self.ok_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.make_plan)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    # ------------------------------------------------------------------ reading

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择实施方案通知", "", FILE_FILTER)
        if name:
            self.read_file(Path(name))

    def read_file(self, path: Path) -> None:
        try:
            text = notice_text(path)
        except InputError as exc:
            self._failed(exc.message if exc.file is None else f"{path.name}：{exc.message}")
            return
        self.text.setPlainText(text)
        self._read(text, path)

    def read_pasted(self) -> None:
        self._read(self.text.toPlainText(), None)

    def _read(self, text: str, path: Path | None) -> None:
        if not text.strip():
            self._failed("还没有通知的文字：请打开通知文件，或把通知全文粘贴到上面。")
            return
        try:
            reading = require_notice(read_notice(text), path)
        except NotANotice as exc:
            self._failed(f"{path.name}：{exc.message}" if path is not None else exc.message)
            return
        self.reading = reading
        year = reading.plan["year"]
        if year in plans.load_plans():
            self._failed(f"读到的是{year}年度的通知，{year}年度计划已经有了（可在上方“当前年度”中选择）。")
            return
        self.new_plan = plan_from_notice(reading, year, self.base)
        rows = self.new_plan.rows
        found = sum(r.found for r in rows)
        changed = sum(r.changed for r in rows)
        self.summary.setStyleSheet("")
        self.summary.setText(
            f"读到{year}年度的通知：报送截止日期 {plans.cn_date(reading.plan['deadline'])}。共读到 {found} 项信息，"
            f"其中 {changed} 项与{self.base.year}年度不同；{len(rows) - found} 项通知中未写明，"
            f"将沿用{self.base.year}年度的（日期顺延），都需要核对。点“建立计划”后在“设置”中逐项核对确认。"
        )
        self.ok_button.setEnabled(True)

    def _failed(self, message: str) -> None:
        self.reading = self.new_plan = None
        self.ok_button.setEnabled(False)
        self.summary.setStyleSheet("color: #b3261e;")
        self.summary.setText(message)

    # ------------------------------------------------------------------ the plan

    def make_plan(self) -> None:
        if self.reading is None or self.new_plan is None:
            return
        try:
            self.made = plans.save_user_plan(self.new_plan.raw)
        except (InputError, OSError) as exc:
            self._failed(f"未能建立计划：{getattr(exc, 'message', None) or exc}")
            return
        self.accept()
