"""The guided editor of one application: the form's sections as steps, then its attachments.

Every change is saved at once (``Session.set_field``) and the application is checked again on
the spot (about a millisecond, see ``bench/bench_gui.py``): each finding's message appears at its
field and disappears when the field is put right. Enter in a one-line field goes to the next
field, and from the last field of a step to the next step.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
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

from zhutui import naming
from zhutui.appfile import Application, get_path, is_empty
from zhutui.checks import Finding
from zhutui.errors import InputError
from zhutui.fieldpaths import ATTACHMENTS, section_of, target
from zhutui.formdef import all_forms
from zhutui.gui.attachments import AttachmentsPanel
from zhutui.gui.models import SAMPLE_MARK, SEVERITY_COLOURS, SEVERITY_LABELS
from zhutui.gui.sectionpage import FieldRow, SectionPage, is_pending, messages_html, severity_of
from zhutui.gui.session import Session
from zhutui.gui.tablefield import TableInput
from zhutui.status import application_status, is_missing_kind
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
        self._left: set[str] = set()  # fields the user has been in and left (empty = error now)
        self._reveal_all = False  # 检查本申报 was asked: every empty required field is an error
        self._attachments_seen = False  # the attachments step was shown: a missing kind is an error

        top = QHBoxLayout()
        self.back_button = QPushButton("← 返回列表")
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel()
        self.title.setObjectName("editorTitle")
        self.summary = QLabel()
        self.summary.setObjectName("editorSummary")
        self.check_button = QPushButton("检查本申报")
        self.check_button.setToolTip("把尚未填写的必填项也标为错误，并转到第一个问题")
        self.check_button.clicked.connect(self.check_all)
        self.prev_button = QPushButton("上一步")
        self.next_button = QPushButton("下一步")
        self.prev_button.clicked.connect(lambda: self.go_step(self.steps.currentRow() - 1))
        self.next_button.clicked.connect(lambda: self.go_step(self.steps.currentRow() + 1))
        for widget in (self.back_button, self.title):
            top.addWidget(widget)
        top.addStretch(1)
        for widget in (self.summary, self.check_button, self.prev_button, self.next_button):
            top.addWidget(widget)

        self.banner = QLabel()
        self.banner.setObjectName("editorBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.linkActivated.connect(self._banner_link)
        self.banner.hide()

        self.steps: QListWidget = QListWidget()
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
        self.attachments.confirm_requested.connect(self._confirm)
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
        session.certificate_progress.connect(self._certificate_progress)
        session.certificate_filled.connect(self._certificate_filled)
        session.certificate_read.connect(self._certificate_read)
        # The others of the batch were checked again (P008, P009, J008 name them): shown at once.
        session.status_changed.connect(lambda _: self.app_id is not None and self.isVisible() and self.refresh())
        cast(QApplication, QApplication.instance()).focusChanged.connect(self._focus_changed)

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
                row.confirm_requested.connect(self._confirm)
                row.set_findings(
                    self._by_key.get(row.field.key, []), self._revealed(row.field.key), self._empty(row.field.key)
                )
                self._show_totals(row)
                self.rows[row.field.key] = row
            placeholder = self.stack.widget(index)
            assert placeholder is not None  # every step has its page or a placeholder
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
        self._left, self._reveal_all, self._attachments_seen = set(), False, False
        data = self.session.ws.record(app_id).data
        for key, row in self.rows.items():
            row.input.set_value(get_path(data, key))
            row.revealed = False
        self.attachments.open(app_id)
        self.steps.setCurrentRow(0)
        self._saved_at = None
        self.refresh()
        if self.pages[0] is not None:
            self.pages[0].to_top()
        self.session.read_certificate(app_id, fill=False)  # read once (kept by its hash) for P022

    def go_step(self, index: int) -> None:
        if 0 <= index < self.steps.count():
            self.steps.setCurrentRow(index)

    def _show_step(self, index: int) -> None:
        if index < len(self.pages):
            self.page(index).to_top()  # a step opens at its top (focus_path then shows its field)
        elif not self._attachments_seen:
            self._attachments_seen = True
            self._mark_steps()
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
        self._left.add(where.key)  # the user asked about this field: say what is wrong with it
        row.reveal()
        self._mark_steps()
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
            self._saved_at = dt.datetime.now()
            self.refresh()

    def _certificate_progress(self, app_id: int, text: str) -> None:
        if app_id == self.app_id:
            self.attachments.show_reading(text)

    def _certificate_read(self, app_id: int) -> None:
        if app_id == self.app_id:
            self.refresh()

    def _certificate_filled(self, app_id: int, keys: list[str]) -> None:
        """Fields filled in from the certificate's scan: shown at once, each marked by its P023."""
        if app_id != self.app_id:
            return
        data = self.session.ws.record(app_id).data
        for key in keys:
            if key in self.rows:
                self.rows[key].input.set_value(get_path(data, key))
        labels = "、".join(self.form.field(key).label for key in keys)
        self.attachments.show_reading(
            f"已从专利证书的扫描件识别填入{len(keys)}项：{labels}。"
            "请到“专利信息”逐项对照证书核对（标有“来自扫描件，请核对”），无误的点“确认无误”。"
        )
        self.refresh()

    def _confirm(self, finding: Finding, confirmed: bool) -> None:
        """确认无误 (or 撤销确认) one warning; saved with the application at once."""
        if self.app_id is None:
            return
        try:
            self.session.confirm(self.app_id, [(finding.code, finding.path)], confirmed)
        except (InputError, WorkspaceReplaced) as exc:
            QMessageBox.critical(self, "无法保存", str(exc))
            return
        self._saved_at = dt.datetime.now()
        self.refresh()

    def _banner_link(self, href: str) -> None:
        general = self._by_key.get("", [])
        action, _, index = href.partition(":")
        if index.isdigit() and int(index) < len(general):
            self._confirm(general[int(index)], action == "confirm")

    def _revealed(self, key: str) -> bool:
        return self._reveal_all or key in self._left

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Leaving a field (focus moving out of its row) shows an empty required value as the
        error it now is; until then it is 待填."""
        row = _row_of(old)
        if row is None or row is _row_of(new) or row.field.key not in self.rows:
            return
        if self.rows[row.field.key] is row and not row.revealed:
            self._left.add(row.field.key)
            row.reveal()
            self._mark_steps()

    def check_all(self) -> None:
        """检查本申报: every empty required field counts as the error it is; go to the first problem."""
        self._reveal_all = True
        self.refresh()
        problems = application_status(self._app, self.findings).problems if self._app is not None else []
        if problems:
            self.focus_path(problems[0].path)
        else:
            QMessageBox.information(self, "检查本申报", "没有发现错误和待确认的警告。")

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
            row.set_findings(by_key.get(key, []), self._revealed(key), self._empty(key))
        self.attachments.set_findings(by_key.get(ATTACHMENTS, []))
        general = by_key.get("", [])
        self.banner.setText(messages_html(general, links=True))
        self.banner.setVisible(bool(general))
        self._mark_steps()
        for row in self.rows.values():
            self._show_totals(row)
        self._update_summary(app)

    def _empty(self, key: str) -> bool:
        return self._app is None or is_empty(self._app.get(key))

    def _mark_steps(self) -> None:
        for i, section in enumerate(self.form.sections):
            self._mark_step(
                i,
                section.title,
                [
                    f
                    for field in section.fields
                    for f in self._by_key.get(field.key, [])
                    if self._revealed(field.key) or not is_pending(field, self._empty(field.key), f)
                ],
            )
        attachments = self._by_key.get(ATTACHMENTS, [])
        if not (self._reveal_all or self._attachments_seen) and self._app is not None:
            attachments = [f for f in attachments if not is_missing_kind(self._app, f)]
        self._mark_step(len(self.pages), "附件", attachments)

    def _show_totals(self, row: FieldRow) -> None:
        if isinstance(row.input, TableInput):
            rows = self._app.get(row.field.key) if self._app is not None else None
            row.input.show_totals(rows if isinstance(rows, list) else [])

    def _mark_step(self, index: int, title: str, findings: list[Finding]) -> None:
        severity = severity_of(findings)
        item = self.steps.item(index)
        item.setText(title + STEP_MARKS[severity])
        item.setToolTip(f"本步有{SEVERITY_LABELS[severity]}，请查看" if severity in ("error", "warning") else "")
        item.setForeground(QBrush(QColor(SEVERITY_COLOURS[severity])) if severity in ("error", "warning") else QBrush())

    def _update_summary(self, app: Application | None) -> None:
        assert self.app_id is not None  # called by refresh() for the open application
        data = app.data if app is not None else self.session.ws.record(self.app_id).data
        subject = naming.subject(self.form, data)
        mark = SAMPLE_MARK if self.app_id in self.session.samples else ""
        self.title.setText(f"{self.form.short_title}｜{subject}{mark}")
        if app is not None:  # counted as the lists and 首页 count them (``ApplicationStatus``)
            status = application_status(app, self.findings)
            filled, total, errors, warnings, confirmed = (
                status.required_filled,
                status.required_total,
                status.errors,
                status.warnings,
                status.confirmed,
            )
            present = len(status.attachments_present)
            attached = f"必备附件 {present}/{present + len(status.attachments_missing)}"
        else:
            filled = total = warnings = confirmed = 0
            errors = sum(f.severity == "error" for f in self.findings)
            attached = "必备附件 —"
        parts = [f"必填项 {filled}/{total}", attached, f"错误 {errors}", f"警告 {warnings}"]
        if confirmed:
            parts[-1] += f"（另有 {confirmed} 个已确认）"
        saved = self._saved_at
        parts.append(f"已自动保存 {saved:%H:%M:%S}" if saved else "修改会自动保存")
        self.summary.setText("　·　".join(parts))


def _row_of(widget: QWidget | None) -> FieldRow | None:
    """The field row a widget is part of (a table's cell editor included), if any."""
    while widget is not None and not isinstance(widget, FieldRow):
        widget = widget.parentWidget()
    return widget
