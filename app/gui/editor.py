"""The guided editor of one application: the form's sections as steps, then its attachments.

Every change is saved at once (``Session.set_field``) and the application is checked again on
the spot (about a millisecond, see ``bench/bench_gui.py``): each finding's message appears at its
field and disappears when the field is put right. Enter in a one-line field goes to the next
field, and from the last field of a step to the next step.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.appfile import Application, get_path
from app.checks import Finding
from app.errors import InputError
from app.fieldpaths import ATTACHMENTS, target
from app.formdef import all_forms
from app.gui.attachments import AttachmentsPanel
from app.gui.models import SEVERITY_COLOURS, SEVERITY_LABELS
from app.gui.sectionpage import FieldRow, SectionPage, messages_html, severity_of
from app.gui.session import Session
from app.gui.tablefield import TableInput
from app.status import required_counts

STEP_MARKS = {"error": "  ●", "warning": "  ▲", "info": "", "": ""}


class ApplicationEditor(QWidget):
    back_requested = Signal()

    def __init__(self, session: Session, form: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.form = all_forms()[form]
        self.app_id: int | None = None
        self._saved_at: dt.datetime | None = None
        self.findings: list[Finding] = []
        plan = session.plan

        top = QHBoxLayout()
        self.back_button = QPushButton("← 返回列表")
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel()
        self.title.setObjectName("editorTitle")
        self.summary = QLabel()
        self.summary.setObjectName("editorSummary")
        self.prev_button = QPushButton("上一步")
        self.next_button = QPushButton("下一步")
        self.prev_button.clicked.connect(lambda: self.go_step(self.steps.currentRow() - 1))
        self.next_button.clicked.connect(lambda: self.go_step(self.steps.currentRow() + 1))
        for widget in (self.back_button, self.title):
            top.addWidget(widget)
        top.addStretch(1)
        for widget in (self.summary, self.prev_button, self.next_button):
            top.addWidget(widget)

        self.banner = QLabel()
        self.banner.setObjectName("editorBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.hide()

        self.steps = QListWidget()
        self.steps.setObjectName("steps")
        self.steps.setFixedWidth(230)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.pages: list[SectionPage] = []
        self.rows: dict[str, FieldRow] = {}
        for section in self.form.sections:
            page = SectionPage(section, plan)
            page.submitted.connect(self._advance)
            for row in page.rows:
                row.input.edited.connect(lambda r=row: self._edited(r))
                self.rows[row.field.key] = row
            self.pages.append(page)
            self.stack.addWidget(page)
            self.steps.addItem(QListWidgetItem(section.title))
        self.attachments = AttachmentsPanel(session, self.form)
        self.attachments.changed.connect(self._attachments_changed)
        self.stack.addWidget(self.attachments)
        self.steps.addItem(QListWidgetItem("附件"))
        self.steps.currentRowChanged.connect(self._show_step)

        body = QHBoxLayout()
        body.addWidget(self.steps)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        session.settings_changed.connect(lambda: self.app_id is not None and self.refresh())

    # ------------------------------------------------------------------ open and navigate

    def open(self, app_id: int) -> None:
        self.app_id = app_id
        data = self.session.ws.record(app_id).data
        for key, row in self.rows.items():
            row.input.set_value(get_path(data, key))
        self.attachments.open(app_id)
        self.steps.setCurrentRow(0)
        self._saved_at: dt.datetime | None = None
        self.refresh()

    def go_step(self, index: int) -> None:
        if 0 <= index < self.steps.count():
            self.steps.setCurrentRow(index)

    def _show_step(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.steps.count() - 1)

    def focus_first(self) -> None:
        self.go_step(0)
        self.pages[0].rows[0].input.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_path(self, path: str) -> None:
        """Show the step of the field a finding points at and put the cursor there."""
        where = target(self.form, path)
        if where.key == ATTACHMENTS:
            self.go_step(len(self.pages))
            self.attachments.select(where.row)
            return
        row = self.rows.get(where.key)
        if row is None:
            return
        page_index = next(i for i, p in enumerate(self.pages) if row in p.rows)
        self.go_step(page_index)
        self.pages[page_index].reveal(row)
        if isinstance(row.input, TableInput):
            row.input.focus_cell(where.row, where.column)
        else:
            row.input.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    def _advance(self, row: FieldRow) -> None:
        page = self.pages[self.stack.currentIndex()]
        index = page.rows.index(row)
        if index + 1 < len(page.rows):
            following = page.rows[index + 1]
            page.reveal(following)
            following.input.focus_widget().setFocus(Qt.FocusReason.TabFocusReason)
            return
        self.go_step(self.steps.currentRow() + 1)
        if self.stack.currentIndex() < len(self.pages):
            first = self.pages[self.stack.currentIndex()].rows[0]
            first.input.focus_widget().setFocus(Qt.FocusReason.TabFocusReason)

    # ------------------------------------------------------------------ edits and checks

    def _edited(self, row: FieldRow) -> None:
        if self.app_id is None:
            return
        try:
            self.session.set_field(self.app_id, row.field.key, row.input.value())
        except InputError as exc:
            QMessageBox.critical(self, "无法保存", f"{exc}\n\n刚才输入的内容仍在窗口中，请处理后再改一下该项以保存。")
            return
        self._saved_at = dt.datetime.now()
        self.refresh()

    def _attachments_changed(self) -> None:
        if self.app_id is not None:
            self.session.attachments_changed(self.app_id)
            self.refresh()

    def refresh(self) -> None:
        """Check the application again and show each finding at its field."""
        if self.app_id is None:
            return
        app, self.findings = self.session.live_check(self.app_id)
        by_key: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            by_key[target(self.form, f.path).key].append(f)
        for key, row in self.rows.items():
            row.set_findings(by_key.get(key, []))
        self.attachments.set_findings(by_key.get(ATTACHMENTS, []))
        general = by_key.get("", [])
        self.banner.setText(messages_html(general))
        self.banner.setVisible(bool(general))
        for i, page in enumerate(self.pages):
            self._mark_step(i, page.section.title, [f for r in page.rows for f in r.findings])
        self._mark_step(len(self.pages), "附件", by_key.get(ATTACHMENTS, []))
        for row in self.rows.values():
            if isinstance(row.input, TableInput):
                rows = app.get(row.field.key) if app is not None else None
                row.input.show_totals(rows if isinstance(rows, list) else [])
        self._update_summary(app)

    def _mark_step(self, index: int, title: str, findings: list[Finding]) -> None:
        severity = severity_of(findings)
        item = self.steps.item(index)
        item.setText(title + STEP_MARKS[severity])
        item.setToolTip(f"本步有{SEVERITY_LABELS[severity]}，请查看" if severity in ("error", "warning") else "")
        item.setForeground(QBrush(QColor(SEVERITY_COLOURS[severity])) if severity in ("error", "warning")
                           else QBrush())

    def _update_summary(self, app: Application | None) -> None:
        record = self.session.ws.record(self.app_id)
        subject = get_path(record.data, self.form.subject) or "（未填写）"
        self.title.setText(f"{self.form.short_title}｜{subject}")
        filled, total = required_counts(app) if app is not None else (0, 0)
        counts = {s: sum(f.severity == s for f in self.findings) for s in SEVERITY_LABELS}
        parts = [f"必填项 {filled}/{total}", f"错误 {counts['error']}", f"警告 {counts['warning']}"]
        saved = self._saved_at
        parts.append(f"已自动保存 {saved:%H:%M:%S}" if saved else "修改会自动保存")
        self.summary.setText("　·　".join(parts))
