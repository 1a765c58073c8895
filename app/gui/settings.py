"""设置: the plan year, next year's plan derived from the latest, the union's own details, the
mailbox, 个人信息保护 (``protection``), backups and 关于.

A derived plan has every fact 待核对: the table shows each fact with its value; the user checks
it against the new notice, corrects the value if needed and confirms it. When the last fact is
confirmed the plan is confirmed. The union's details fill every new form. The mailbox is the one
the 发送 dialog starts from; a stored 授权码 can be forgotten here (it is never shown).
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import yaml
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zhutui import plans
from zhutui.appfile import get_path
from zhutui.errors import InputError
from zhutui.gui.about import AboutBox
from zhutui.gui.backups import BackupBox
from zhutui.gui.mailbox import AUTH_CODE_HELP, MAILBOX_SETTING, MailboxForm, saved_mailbox
from zhutui.gui.protection import ProtectionBox
from zhutui.gui.session import Session
from zhutui.gui.widgets import hint, page_title
from zhutui.mailpack import secrets
from zhutui.planfacts import edited_display, fact_display, fact_text, parse_fact
from zhutui.workspace.settings import UNION_KEYS, UNION_LABELS

FACT_COLUMNS = ("事项", "内容", "上一年度", "通知原文", "核对")
CHANGED = QColor("#fff4c2")  # a fact the notice states otherwise than the previous plan
KEY_ROLE = Qt.ItemDataRole.UserRole + 30
RAW_ROLE = Qt.ItemDataRole.UserRole + 31  # a fact's text as edited (fact_text); the cell shows it readable
EDIT_TIP = "双击修改；按原格式填写，如日期 2023-11-01、比例 [1, 1]"


class _RawFactEditor(QStyledItemDelegate):
    """Edits a fact cell in its raw form; what is committed becomes the cell's text, which
    ``SettingsPage._fact_edited`` keeps as the raw form and shows readable."""

    def setEditorData(self, editor, index) -> None:  # noqa: N802 - Qt override
        raw = index.data(RAW_ROLE)
        if raw is None:
            super().setEditorData(editor, index)
        else:
            editor.setText(raw)


class SettingsPage(QScrollArea):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        title = page_title("设置")
        layout.addWidget(title)
        layout.addWidget(self._plan_box())
        layout.addWidget(self._union_box())
        layout.addWidget(self._mailbox_box())
        self.protection = ProtectionBox(session.ws)
        layout.addWidget(self.protection)
        self.backups = BackupBox(session)
        layout.addWidget(self.backups)
        self.about = AboutBox()
        layout.addWidget(self.about)
        layout.addStretch(1)
        self.setWidget(body)
        self.show_plans()

    # ------------------------------------------------------------------ plan year

    def _plan_box(self) -> QGroupBox:
        box = QGroupBox("计划年度")
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel("当前年度"))
        self.year = QComboBox()
        self.year.activated.connect(lambda: self.session.set_plan_year(self.year.currentData()))
        row.addWidget(self.year)
        self.notice_button = QPushButton("从通知读取新年度计划…")
        self.notice_button.setToolTip("打开或粘贴当年的实施方案通知，由通知建立新年度计划，再逐项核对")
        self.notice_button.clicked.connect(self.read_notice)
        row.addWidget(self.notice_button)
        self.derive_button = QPushButton()
        self.derive_button.clicked.connect(self.derive_next)
        row.addWidget(self.derive_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.plan_info = hint()
        layout.addWidget(self.plan_info)
        self.facts = QTableWidget(0, len(FACT_COLUMNS))
        self.facts.setHorizontalHeaderLabels(FACT_COLUMNS)
        self.facts.verticalHeader().hide()
        self.facts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.facts.horizontalHeader()
        for column, mode in enumerate(
            (QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch)
            + (QHeaderView.ResizeMode.Interactive,) * 2
            + (QHeaderView.ResizeMode.ResizeToContents,)
        ):
            header.setSectionResizeMode(column, mode)
        self.facts.setMinimumHeight(320)
        self.facts.setWordWrap(True)
        self.facts.setItemDelegateForColumn(1, _RawFactEditor(self.facts))
        self._showing_fact = False
        self.facts.itemChanged.connect(self._fact_edited)
        layout.addWidget(self.facts)
        return box

    def show_plans(self) -> None:
        available = plans.load_plans()
        current = self.session.plan_year
        self.year.clear()
        for year, plan in available.items():
            state = "已确认" if plan.confirmed else "待核对"
            self.year.addItem(f"{year}年（{state}）", year)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        latest = max(available)
        self.derive_button.setText(f"由{latest}年推算{latest + 1}年计划…")
        plan = available[current]
        if plan.confirmed:
            self.plan_info.setText(
                f"{plan.year}年度计划已与通知核对：{plan.source}。截止日期 {plans.cn_date(plan.deadline)}。"
            )
        elif plan.notice_sources:
            self.plan_info.setText(
                f"{plan.year}年度计划由通知读取：{plan.source}。请对照通知原文逐项核对下表（＊为与上一年度不同的项，"
                "“通知中未写明”的沿用了上一年度）：读错的先改正，再点“确认”。全部确认后才能正式报送。"
            )
        else:
            self.plan_info.setText(
                f"{plan.year}年度计划{plan.source}。请拿到{plan.year}年通知后，逐项核对下表：内容有变化的先改正，"
                "再点“确认”。全部确认后才能正式报送。"
            )
        # A wrapped label in the scroll area is not given the height of its lines by itself.
        self.plan_info.setMinimumHeight(self.plan_info.heightForWidth(max(self.plan_info.width(), 900)))
        self._fill_facts(plan)

    def _fill_facts(self, plan: plans.Plan) -> None:
        """Each fact with its value; for a plan read from its notice also the previous plan's
        value (a changed one marked) and the sentence it was read from."""
        keys = plans.fact_keys(plan.raw)
        editable = plan.origin == "user" and not plan.confirmed
        previous = plans.get_plan(plan.year - 1) if plan.notice_sources and plan.origin == "user" else None
        compare = previous is not None
        self.facts.setColumnHidden(2, not compare)
        self.facts.setColumnHidden(3, not compare)
        self.facts.setRowCount(len(keys))
        for i, key in enumerate(keys):
            label = QTableWidgetItem(plans.fact_label(key))
            label.setData(KEY_ROLE, key)
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            fact = get_path(plan.raw, key)
            value = QTableWidgetItem(fact_display(key, fact))
            value.setData(RAW_ROLE, fact_text(fact))
            if not editable or key not in plan.unconfirmed:
                value.setFlags(value.flags() & ~Qt.ItemFlag.ItemIsEditable)
            else:
                value.setToolTip(EDIT_TIP)
            cells = [label, value]
            if previous is not None:
                before = get_path(previous.raw, key)
                source = plan.notice_sources.get(key, "")
                cells.append(QTableWidgetItem(fact_display(key, before)))
                cells.append(QTableWidgetItem(source or "通知中未写明：沿用上一年度（日期顺延），请核对"))
                cells[3].setToolTip(source)
                if source and fact != before:
                    label.setText("＊" + label.text())
                    label.setToolTip("与上一年度不同")
                    for cell in cells[:2]:
                        cell.setBackground(CHANGED)
                for cell in cells[2:]:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self._showing_fact = True
            try:
                for column, cell in enumerate(cells):
                    self.facts.setItem(i, column, cell)
            finally:
                self._showing_fact = False
            if editable and key in plan.unconfirmed:
                button = QPushButton("确认")
                button.setToolTip("与当年通知核对无误（或已改正）后确认")
                button.clicked.connect(lambda _=False, k=key: self.confirm(k))
                self.facts.setCellWidget(i, 4, button)
            else:
                self.facts.removeCellWidget(i, 4)
                done = QTableWidgetItem("已确认" if key not in plan.unconfirmed else "待核对")
                done.setFlags(done.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.facts.setItem(i, 4, done)
        if compare:
            self.facts.setColumnWidth(2, 160)
            self.facts.setColumnWidth(3, 300)
        self.facts.resizeRowsToContents()

    def _fact_edited(self, item: QTableWidgetItem) -> None:
        """An edited fact's new text is its raw form; the cell then shows it readable."""
        if self._showing_fact or item.column() != 1:
            return
        key = cast(QTableWidgetItem, self.facts.item(item.row(), 0)).data(KEY_ROLE)  # each cell has an item
        self._showing_fact = True
        try:
            item.setData(RAW_ROLE, item.text())
            item.setText(edited_display(key, item.text()))
        finally:
            self._showing_fact = False
        self.facts.resizeRowToContents(item.row())

    def confirm(self, key: str) -> None:
        plan = self.session.plan
        row = next(
            i
            for i in range(self.facts.rowCount())
            if cast(QTableWidgetItem, self.facts.item(i, 0)).data(KEY_ROLE) == key
        )
        text = cast(QTableWidgetItem, self.facts.item(row, 1)).data(RAW_ROLE)
        try:
            value = parse_fact(text)
            if isinstance(get_path(plan.raw, key), dt.date) and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            plans.save_user_plan(plans.confirm_fact(plan.raw, key, value))
        except (yaml.YAMLError, ValueError) as exc:
            QMessageBox.warning(
                self, "无法确认", f"“{plans.fact_label(key)}”的内容无法识别：{exc}\n请按原来的格式修改。"
            )
            return
        except InputError as exc:
            QMessageBox.warning(self, "无法确认", f"“{plans.fact_label(key)}”：{exc.message}")
            return
        pending = self._pending_edits(plan, key)  # corrections typed in other rows, not yet confirmed
        self.session.settings_changed.emit()
        self.show_plans()
        for i in range(self.facts.rowCount()):
            other = cast(QTableWidgetItem, self.facts.item(i, 0)).data(KEY_ROLE)
            if other in pending:
                cast(QTableWidgetItem, self.facts.item(i, 1)).setText(pending[other])  # shown as edited

    def _pending_edits(self, plan: plans.Plan, confirmed: str) -> dict[str, str]:
        """Rows whose value was edited but not confirmed yet (other than ``confirmed``): kept
        across the table's refill, so nothing typed is lost."""
        edits = {}
        for i in range(self.facts.rowCount()):
            key = cast(QTableWidgetItem, self.facts.item(i, 0)).data(KEY_ROLE)
            raw = cast(QTableWidgetItem, self.facts.item(i, 1)).data(RAW_ROLE)
            if key != confirmed and raw is not None and raw != fact_text(get_path(plan.raw, key)):
                edits[key] = raw
        return edits

    def read_notice(self) -> None:
        """设置 → 从通知读取: the new year's plan from its notice, then its facts to confirm."""
        from zhutui.gui.noticedialog import NoticeDialog

        dialog = NoticeDialog(plans.latest_plan(), self)
        if dialog.exec() != NoticeDialog.DialogCode.Accepted or dialog.made is None:
            return
        self.session.set_plan_year(dialog.made.year)
        self.show_plans()

    def derive_next(self) -> None:
        latest = plans.latest_plan()
        year = latest.year + 1
        answer = QMessageBox.question(
            self,
            "推算下一年计划",
            f"由{latest.year}年度计划推算{year}年度计划：日期顺延一年，其他信息照抄，全部标记为“待核对”。\n"
            f"拿到{year}年通知后，请在本页逐项核对确认。继续？",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            plans.save_user_plan(plans.derive_plan(latest, year))
        except (InputError, OSError) as exc:
            QMessageBox.warning(self, "未能创建", str(exc))
            return
        self.session.set_plan_year(year)
        self.show_plans()

    # ------------------------------------------------------------------ union details

    def _union_box(self) -> QGroupBox:
        box = QGroupBox("本单位工会信息（新建申报时自动填入）")
        form = QFormLayout(box)
        saved = self.session.ws.setting("union", {})
        self.union_inputs: dict[str, QLineEdit] = {}
        for key in UNION_KEYS:
            edit = QLineEdit(saved.get(key, ""))
            edit.textChanged.connect(self._save_union)
            form.addRow(UNION_LABELS[key], edit)
            self.union_inputs[key] = edit
        return box

    def _save_union(self) -> None:
        values = {k: e.text().strip() for k, e in self.union_inputs.items() if e.text().strip()}
        try:
            self.session.ws.set_setting("union", values)
        except InputError as exc:
            QMessageBox.critical(self, "无法保存", str(exc))

    # ------------------------------------------------------------------ mailbox

    def _mailbox_box(self) -> QGroupBox:
        box = QGroupBox("发件邮箱（发送电子邮件包时使用）")
        layout = QVBoxLayout(box)
        self.mailbox = MailboxForm(saved_mailbox(self.session.ws))
        self.mailbox.changed.connect(self._save_mailbox)
        layout.addWidget(self.mailbox)
        row = QHBoxLayout()
        self.forget_button = QPushButton("删除已保存的授权码")
        self.forget_button.setToolTip("从系统密码保管库中删除这个邮箱的授权码；下次发送时需要重新输入")
        self.forget_button.clicked.connect(self.forget_secret)
        available = secrets.store_available()
        self.forget_button.setEnabled(available)
        row.addWidget(self.forget_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.mailbox_note = hint(
            AUTH_CODE_HELP + "授权码只保存在系统密码保管库中（发送时勾选“记住授权码”），不写入任何文件。"
            if available
            else AUTH_CODE_HELP + secrets.NO_STORE
        )
        layout.addWidget(self.mailbox_note)
        return box

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        # The 发送 dialog saves the mailbox too; show what is saved now.
        self.mailbox.load(saved_mailbox(self.session.ws))
        super().showEvent(event)

    def _save_mailbox(self) -> None:
        mailbox = self.mailbox.mailbox()
        problem = mailbox.problem()
        if problem:
            self.mailbox_note.setText(problem)
            return
        try:
            self.session.ws.set_setting(MAILBOX_SETTING, mailbox.as_setting())
        except InputError as exc:
            QMessageBox.critical(self, "无法保存", str(exc))
            return
        self.mailbox_note.setText(f"已保存：{mailbox.address}（{mailbox.host}:{mailbox.port}）。")

    def forget_secret(self) -> None:
        mailbox = self.mailbox.mailbox()
        if not mailbox.login:
            self.mailbox_note.setText("请先填写发件邮箱地址。")
            return
        try:
            secrets.delete_secret(mailbox.login)
        except secrets.NoSecretStore as exc:
            self.mailbox_note.setText(str(exc))
            return
        self.mailbox_note.setText(f"已删除 {mailbox.login} 保存的授权码（如有）。下次发送时请重新输入。")
