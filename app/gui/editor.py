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

from zhutui.appfile import Application, get_path
from zhutui.checks import Finding
from zhutui.errors import InputError
from zhutui.fieldpaths import ATTACHMENTS, section_of, target
from zhutui.formdef import all_forms
from zhutui.gui.attachments import AttachmentsPanel
from zhutui.gui.models import SEVERITY_COLOURS, SEVERITY_LABELS
from zhutui.gui.sectionpage import FieldRow, SectionPage, messages_html, severity_of
from zhutui.gui.session import Session
from zhutui.gui.tablefield import TableInput
from zhutui.status import required_counts
from zhutui.workspace.db import WorkspaceReplaced

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
        self._app: Application | None = None  # the open application as last checked
        self._by_key: dict[str, list[Finding]] = {}  # its findings by field key

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
        # A step's page is built when first shown (a form has dozens of fields: building them all
        # at once would hold the window for more than 100 ms); until then a blank stands in.
        self.pages: list[SectionPage | None] = [None] * len(self.form.sections)
        self.rows: dict[str, FieldRow] = {}  # the rows of the pages built so far
        for section in self.form.sections:
            self.stack.addWidget(QWidget())
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

    def page(self, index: int) -> SectionPage:
        """The page of step ``index``, built (and filled with the open application) if need be."""
        page = self.pages[index]
        if page is None:
            page = SectionPage(self.form.sections[index], self.session.plan)
            page.submitted.connect(self._advance)
            data = self.session.ws.record(self.app_id).data if self.app_id is not None else {}
            for row in page.rows:
                row.input.set_value(get_path(data, row.field.key))
                row.input.edited.connect(lambda r=row: self._edited(r))
                row.set_findings(self._by_key.get(row.field.key, []))
                self._show_totals(row)
                self.rows[row.field.key] = row
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.pages[index] = page
        return page

    def row(self, key: str) -> FieldRow:
        """The row of field ``key`` (its page built if need be)."""
        index = section_of(self.form, key)
        if index is None:
            raise KeyError(key)
        self.page(index)
        return self.rows[key]

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
        if index < len(self.pages):
            self.page(index)
        self.stack.setCurrentIndex(index)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.steps.count() - 1)

    def focus_first(self) -> None:
        self.go_step(0)
        self.page(0).rows[0].input.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_path(self, path: str) -> None:
        """Show the step of the field a finding points at and put the cursor there."""
        where = target(self.form, path)
        if where.key == ATTACHMENTS:
            self.go_step(len(self.pages))
            self.attachments.select(where.row)
            return
        page_index = section_of(self.form, where.key)
        if page_index is None:
            return
        self.go_step(page_index)
        row = self.rows[where.key]
        self.page(page_index).reveal(row)
        if isinstance(row.input, TableInput):
            row.input.focus_cell(where.row, where.column)
        else:
            row.input.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    def _advance(self, row: FieldRow) -> None:
        page = self.page(self.stack.currentIndex())
        index = page.rows.index(row)
        if index + 1 < len(page.rows):
            following = page.rows[index + 1]
            page.reveal(following)
            following.input.focus_widget().setFocus(Qt.FocusReason.TabFocusReason)
            return
        self.go_step(self.steps.currentRow() + 1)
        if self.stack.currentIndex() < len(self.pages):
            first = self.page(self.stack.currentIndex()).rows[0]
            first.input.focus_widget().setFocus(Qt.FocusReason.TabFocusReason)

    # ------------------------------------------------------------------ edits and checks

    def _edited(self, row: FieldRow) -> None:
        if self.app_id is None:
            return
        try:
            self.session.set_field(self.app_id, row.field.key, row.input.value())
        except WorkspaceReplaced as exc:  # another process restored: reopening is the only way on
            QMessageBox.critical(self, "无法保存", f"{exc}\n\n刚才输入的内容仍在窗口中，可以先复制下来。")
            return
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
        self._app = app
        by_key: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            by_key[target(self.form, f.path).key].append(f)
        self._by_key = by_key
        for key, row in self.rows.items():
            row.set_findings(by_key.get(key, []))
        self.attachments.set_findings(by_key.get(ATTACHMENTS, []))
        general = by_key.get("", [])
        self.banner.setText(messages_html(general))
        self.banner.setVisible(bool(general))
        for i, section in enumerate(self.form.sections):
            self._mark_step(i, section.title, [f for field in section.fields for f in by_key.get(field.key, [])])
        self._mark_step(len(self.pages), "附件", by_key.get(ATTACHMENTS, []))
        for row in self.rows.values():
            self._show_totals(row)
        self._update_summary(app)

    def _show_totals(self, row: FieldRow) -> None:
        if isinstance(row.input, TableInput):
            rows = self._app.get(row.field.key) if self._app is not None else None
            row.input.show_totals(rows if isinstance(rows, list) else [])

    def _mark_step(self, index: int, title: str, findings: list[Finding]) -> None:
        severity = severity_of(findings)
        item = self.steps.item(index)
        item.setText(title + STEP_MARKS[severity])
        item.setToolTip(f"本步有{SEVERITY_LABELS[severity]}，请查看" if severity in ("error", "warning") else "")
        item.setForeground(QBrush(QColor(SEVERITY_COLOURS[severity])) if severity in ("error", "warning")
                           else QBrush())

    def _update_summary(self, app: Application | None) -> None:
        data = app.data if app is not None else self.session.ws.record(self.app_id).data
        subject = get_path(data, self.form.subject) or "（未填写）"
        self.title.setText(f"{self.form.short_title}｜{subject}")
        filled, total = required_counts(app) if app is not None else (0, 0)
        counts = {s: sum(f.severity == s for f in self.findings) for s in SEVERITY_LABELS}
        parts = [f"必填项 {filled}/{total}", f"错误 {counts['error']}", f"警告 {counts['warning']}"]
        saved = self._saved_at
        parts.append(f"已自动保存 {saved:%H:%M:%S}" if saved else "修改会自动保存")
        self.summary.setText("　·　".join(parts))
