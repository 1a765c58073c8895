"""检查: every finding of the batch (the same checks as ``zhutui check``); a click opens the field."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from zhutui.gui.models import SEVERITY_LABELS, SORT_ROLE, FindingsModel, filter_proxy
from zhutui.gui.session import Session
from zhutui.gui.widgets import hint, page_title, rows_view


class SeverityProxy(QSortFilterProxyModel):
    """The findings of one severity (or all), on top of the text filter."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.severity: str | None = None

    def set_severity(self, severity: str | None) -> None:
        self.severity = severity
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802 - Qt API
        if self.severity is None:
            return True
        index = self.sourceModel().index(row, 0, parent)
        return self.sourceModel().data(index) == SEVERITY_LABELS[self.severity]


class ChecksPage(QWidget):
    problem_requested = Signal(int, str)  # application id, finding path

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = FindingsModel(session, self)
        self.text_proxy = filter_proxy(self.model, self)
        self.proxy = SeverityProxy(self)
        self.proxy.setSourceModel(self.text_proxy)
        self.proxy.setSortRole(SORT_ROLE)

        title = page_title("检查")
        intro = hint("按当年通知检查全部申报的结果，修改后自动更新。双击或按回车转到该项。"
                       "“错误”必须改正后才能正式打印报送；“警告”请核对；“提示”供参考。")
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
        self.table.activated.connect(self.open_finding)
        self.table.doubleClicked.connect(self.open_finding)
        for model in (self.model, self.proxy):
            model.modelReset.connect(self._count)
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

    def open_finding(self, index: QModelIndex) -> None:
        source = self.text_proxy.mapToSource(self.proxy.mapToSource(index))
        app_id, finding = self.model.finding(source.row())
        self.problem_requested.emit(app_id, finding.path)
