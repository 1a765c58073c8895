"""检查: every finding of the batch (the same checks as ``zhutui check``); a click opens the field."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from zhutui.checks import Finding
from zhutui.errors import InputError
from zhutui.gui.models import SEVERITY_LABELS, SEVERITY_ROLE, SORT_ROLE, FindingsModel, filter_proxy
from zhutui.gui.session import Session
from zhutui.gui.widgets import hint, page_title, rows_view


class SeverityProxy(QSortFilterProxyModel):
    """The findings of one severity (or all), on top of the text filter."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.severity: str | None = None

    def set_severity(self, severity: str | None) -> None:
        self.beginFilterChange()  # Qt 6.10 on: invalidateFilter() is deprecated
        self.severity = severity
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802 - Qt API
        if self.severity is None:
            return True
        index = self.sourceModel().index(row, 0, parent)
        return self.sourceModel().data(index, SEVERITY_ROLE) == self.severity


class ChecksPage(QWidget):
    problem_requested = Signal(int, str)  # application id, finding path

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model = FindingsModel(session, self)
        self.text_proxy = filter_proxy(self.model, self)
        self.proxy = SeverityProxy(self)
        self.proxy.setSourceModel(self.text_proxy)
        self.proxy.setSortRole(SORT_ROLE)

        title = page_title("检查")
        intro = hint(
            "按当年通知检查全部申报的结果，修改后自动更新。双击或按回车转到该项。"
            "“错误”必须改正后才能正式打印报送；“警告”请核对，核对无误后选中它点“确认无误”"
            "（改动该项后需重新确认）；“提示”供参考。"
        )
        self.severity = QComboBox()
        self.severity.addItem("全部", None)
        for key, label in SEVERITY_LABELS.items():
            self.severity.addItem(label, key)
        self.severity.currentIndexChanged.connect(lambda: self.proxy.set_severity(self.severity.currentData()))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("筛选：姓名、字段、说明中的文字")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.text_proxy.setFilterFixedString)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("显示"))
        bar.addWidget(self.severity)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.count)
        self.confirm_button = QPushButton("确认无误")
        self.confirm_button.setToolTip("所选警告已核对，内容确实如此（保存在申报中，改动该项后需重新确认）")
        self.unconfirm_button = QPushButton("撤销确认")
        self.confirm_button.clicked.connect(lambda: self.confirm_selected(True))
        self.unconfirm_button.clicked.connect(lambda: self.confirm_selected(False))
        bar.addWidget(self.confirm_button)
        bar.addWidget(self.unconfirm_button)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        rows_view(self.table)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # Row heights follow the wrapped messages: measured again once the columns have their widths.
        self._rows_timer = QTimer(self, singleShot=True, interval=50)
        self._rows_timer.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self._rows_timer.start())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.activated.connect(self.open_finding)
        self.table.doubleClicked.connect(self.open_finding)
        for model in (self.model, self.proxy):
            model.modelReset.connect(self._count)
            model.modelReset.connect(self._update_buttons)
        self.proxy.layoutChanged.connect(self._count)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._count()

    def _count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} 条" if shown == total else f"{shown} / {total} 条")
        self._rows_timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._rows_timer.start()

    def _source_row(self, index: QModelIndex) -> int:
        return self.text_proxy.mapToSource(self.proxy.mapToSource(index)).row()

    def open_finding(self, index: QModelIndex) -> None:
        app_id, finding = self.model.finding(self._source_row(index))
        self.problem_requested.emit(app_id, finding.path)

    def selected_warnings(self, confirmed: bool) -> list[tuple[int, Finding]]:
        """The selected warnings that are (``confirmed``) or are not yet confirmed."""
        found = [self.model.finding(self._source_row(i)) for i in self.table.selectionModel().selectedRows()]
        return [(a, f) for a, f in found if f.severity == "warning" and f.confirmed == confirmed]

    def _update_buttons(self) -> None:
        self.confirm_button.setEnabled(bool(self.selected_warnings(False)))
        self.unconfirm_button.setEnabled(bool(self.selected_warnings(True)))

    def confirm_selected(self, confirmed: bool) -> None:
        """确认无误 (or 撤销确认) the selected warnings, each saved with its application."""
        by_app: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for app_id, f in self.selected_warnings(not confirmed):
            by_app[app_id].append((f.code, f.path))
        try:
            for app_id, warnings in by_app.items():
                self.session.confirm(app_id, warnings, confirmed)
        except InputError as exc:
            QMessageBox.critical(self, "无法保存", str(exc))
        self.session.refresh_status()  # shown at once, not after the usual pause
