"""首页: where the plan year stands, in one look, and a button to the next thing to fix.

Working days left until the deadline (official holidays and 调休 counted), a plain warning when
the deadline has passed or the plan's facts are still 待核对, and per application: required
fields filled, errors, warnings, required attachments, ready to print or not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zhutui import naming
from zhutui.fieldpaths import describe
from zhutui.formdef import all_forms
from zhutui.gui.models import SAMPLE_MARK, warnings_text
from zhutui.gui.session import Session, Snapshot
from zhutui.gui.widgets import hint, page_title, rows_view
from zhutui.plans import cn_date, load_plans

HEADERS = ("类别", "申报", "必填项", "错误", "警告", "必备附件", "状态")


class HomePage(QWidget):
    problem_requested = Signal(int, str)  # application id, finding path
    new_requested = Signal(str)  # form
    notice_requested = Signal()  # 读取新一年的通知 (the deadline has passed)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._last: tuple[int, int] | None = None  # (application, problem) indices shown last

        self.title = page_title()
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.deadline = hint()
        self.warning = QLabel()
        self.warning.setObjectName("homeWarning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.notice_button = QPushButton()
        self.notice_button.setToolTip("打开或粘贴新一年的实施方案通知，由通知建立新年度计划，再逐项核对")
        self.notice_button.clicked.connect(self.notice_requested.emit)

        card = QFrame()
        card.setObjectName("card")
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.countdown)
        card_layout.addWidget(self.deadline)

        self.totals = QLabel("正在检查…")
        self.totals.setObjectName("homeTotals")
        self.totals.setWordWrap(True)
        self.next_button = QPushButton("转到下一个问题")
        self.next_button.setObjectName("primary")
        self.next_button.clicked.connect(self.next_problem)
        self.next_text = hint()
        actions = QHBoxLayout()
        actions.addWidget(self.next_button)
        self.new_buttons = {}
        for form, definition in all_forms().items():
            button = QPushButton(definition.new_label)
            button.clicked.connect(lambda _=False, f=form: self.new_requested.emit(f))
            actions.addWidget(button)
            self.new_buttons[form] = button
        actions.addStretch(1)
        self.remove_samples_button = QPushButton("删除全部示例")
        self.remove_samples_button.setToolTip("删除打开示例时加入的全部示例申报（可在列表页撤销删除）")
        self.remove_samples_button.clicked.connect(self.remove_samples)
        self.remove_samples_button.hide()
        actions.addWidget(self.remove_samples_button)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        rows_view(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # sized once per fill
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._open_row)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(card)
        layout.addWidget(self.warning)
        self.notice_box = QWidget()  # hidden whole, so it takes no room when not offered
        notice_row = QHBoxLayout(self.notice_box)
        notice_row.setContentsMargins(0, 0, 0, 0)
        notice_row.addWidget(self.notice_button)
        notice_row.addStretch(1)
        self.notice_box.hide()
        layout.addWidget(self.notice_box)
        layout.addWidget(self.totals)
        layout.addLayout(actions)
        layout.addWidget(self.next_text)
        layout.addWidget(self.table, 1)
        session.status_changed.connect(self.show_snapshot)
        session.settings_changed.connect(self._show_plan)
        self._show_plan()

    def _show_plan(self) -> None:
        plan = self.session.plan
        self.title.setText(f"{plan.year}年职工创新助推计划")
        paper = f"纸质材料寄送至{plan.paper_receiver}" if plan.paper_receiver else "纸质材料的寄送地点见通知"
        self.deadline.setText(
            f"报送截止日期：{cn_date(plan.deadline)}。通知：“{plan.deadline_words}”；“前”是否含当天通知未写明，"
            f"本软件按截止日当天仍可报送计算，稳妥起见请提前送达。{paper}，"
            f"电子版发送至 {plan.email or '（本年度通知未给出邮箱）'}。"
        )

    def show_snapshot(self, snapshot: Snapshot) -> None:
        status = snapshot.status
        self._show_plan()
        if status.deadline_passed:
            self.countdown.setText("报送截止日期已过")
        elif status.workdays_left == 0:
            self.countdown.setText("今天是报送截止日")
        else:
            self.countdown.setText(f"距报送截止还有 {status.workdays_left} 个工作日（从明天算起，含截止日）")
        self.countdown.setProperty("urgent", status.deadline_passed or status.workdays_left <= 5)
        self.countdown.style().unpolish(self.countdown)
        self.countdown.style().polish(self.countdown)
        warnings = []
        plan = status.plan
        newest = plan.year == max(load_plans())
        if status.deadline_passed:
            warnings.append(
                f"{plan.year}年度的报送截止日期{cn_date(plan.deadline)}已过。"
                + (
                    f"新一年（{plan.year + 1}年）的通知发布后，点下面的按钮打开或粘贴通知，由通知建立新年度计划；"
                    if newest
                    else "新年度的计划已有，可在“设置”中切换年度；"
                )
                + f"如仍需报送{plan.year}年度，请先与市总工会联系人确认。"
            )
        self.notice_button.setText(f"读取{plan.year + 1}年通知…")
        self.notice_box.setVisible(status.deadline_passed and newest)
        if status.plan_unconfirmed:
            origin = "是从通知读取的" if plan.notice_sources else "是按往年推算的"
            warnings.append(
                f"{plan.year}年度计划的信息{origin}（待核对）。请在“设置”中对照当年通知逐项核对并确认后再正式报送。"
            )
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))

        apps = status.apps
        errors = sum(a.errors for a in apps) + len(snapshot.unloadable)
        ready = sum(a.ready for a in apps)
        if apps:
            filled, total = (sum(a.required_filled for a in apps), sum(a.required_total for a in apps))
            confirmed = sum(a.confirmed for a in apps)
            samples = sum(i in self.session.samples for i in snapshot.ids)
            self.totals.setText(
                f"共 {len(apps)} 份申报：{ready} 份可以打印，{len(apps) - ready} 份待完善；"
                f"必填项 {filled}/{total}，错误 {errors} 个，警告 {sum(a.warnings for a in apps)} 个"
                + (f"（另有 {confirmed} 个已确认无误）" if confirmed else "")
                + "。"
                + (f"其中 {samples} 份是示例，输出时默认不含。" if samples else "")
            )
        else:
            self.totals.setText("还没有申报。点下面的按钮新建，或在“发明专利助推”“创新项目助推”页导入申报文件。")
        problems = any(a.problems for a in apps)
        self.next_button.setEnabled(problems)
        self.next_text.setText("" if problems or not apps else "没有发现问题。可以到“输出”页生成打印文件。")
        self._fill_table(snapshot)

    def remove_samples(self) -> None:
        count = len(self.session.samples & {r.id for r in self.session.ws.records()})
        answer = QMessageBox.question(self, "删除全部示例", f"删除全部 {count} 份示例申报？您自己的申报不受影响。")
        if answer == QMessageBox.StandardButton.Yes:
            self.session.remove_samples()

    def _fill_table(self, snapshot: Snapshot) -> None:
        records = {r.id: r for r in self.session.records()}
        samples = self.session.samples
        shown = len(samples & set(records))
        self.remove_samples_button.setText(f"删除全部示例（{shown} 份）")
        self.remove_samples_button.setVisible(bool(shown))
        self.table.setRowCount(len(snapshot.status.apps))
        for i, app_status in enumerate(snapshot.status.apps):
            app_id = snapshot.ids[i]
            record = records.get(app_id)
            form = app_status.app.form
            data = record.data if record else {}
            errors = app_status.errors
            attachments = (
                len(app_status.attachments_present),
                len(app_status.attachments_present) + len(app_status.attachments_missing),
            )
            mark = SAMPLE_MARK if app_id in samples else ""
            cells = (
                form.short_title + mark,
                f"{naming.subject(form, data)}{mark}　{naming.headline(form, data)}",
                f"{app_status.required_filled}/{app_status.required_total}",
                str(errors),
                warnings_text(app_status.warnings, app_status.confirmed),
                f"{attachments[0]}/{attachments[1]}",
                "可以打印" if app_status.ready else ("有错误" if errors else "待完善"),
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, app_id)
                if 2 <= j <= 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(i, j, item)
        for column in range(self.table.columnCount()):
            if column != 1:
                self.table.resizeColumnToContents(column)

    def _open_row(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.problem_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)), "")

    def next_problem(self) -> None:
        """Open the next error or warning (errors first), walking the whole batch in turn."""
        snapshot = self.session.snapshot
        if snapshot is None:
            return
        status = snapshot.status
        found = status.next_problem(self._last)
        if found is None:
            return
        index, finding = found
        problems = [len(a.problems) for a in status.apps]
        self._last = (index, status.apps[index].problems.index(finding))
        position = sum(problems[:index]) + self._last[1] + 1
        app_id = snapshot.ids[index]
        where = describe(status.apps[index].app.form, finding.path)
        place = f"{where}：" if where else ""
        self.next_text.setText(f"第 {position}/{sum(problems)} 个问题：{place}{finding.message}")
        self.problem_requested.emit(app_id, finding.path)
