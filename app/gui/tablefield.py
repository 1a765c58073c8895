"""Table fields (inventors' milestones, budget, team): rows of the columns ``forms/`` defines.

Text, date, money and year cells are typed in place; choice cells are drop-downs. Rows can be
added, removed and moved with buttons or the keyboard (Ctrl+Enter adds a row). Under the table,
the running sums of its money columns and the subtotals per choice (e.g. 企业自筹 / 工会助推资金
with their share) are updated as the user types.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zhutui.formdef import FieldDef
from zhutui.gui.fields import FieldInput
from zhutui.gui.nowheel import guard as guard_wheel
from zhutui.outputs.values import choice_subtotals, column_sum, money
from zhutui.plans import Plan

MIN_VISIBLE_ROWS = 3


class TableInput(FieldInput):
    def __init__(self, field: FieldDef, plan: Plan, parent: QWidget | None = None):
        super().__init__(field, parent)
        self.columns = field.columns
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(self.columns))
        self.table.setHorizontalHeaderLabels([c.label + ("＊" if c.required else "") for c in self.columns])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setTabKeyNavigation(True)
        header = self.table.horizontalHeader()
        for j, c in enumerate(self.columns):
            wide = c.type == "text" and (c.max_length or 0) > 50
            header.setSectionResizeMode(
                j, QHeaderView.ResizeMode.Stretch if wide else QHeaderView.ResizeMode.ResizeToContents
            )
        if not any(c.type == "text" and (c.max_length or 0) > 50 for c in self.columns):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._changed)
        guard_wheel(self.table)  # no scroll bar of its own: the wheel scrolls the page
        layout.addWidget(self.table)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("添加一行")
        self.add_button.setToolTip("在末尾添加一行（Ctrl+Enter）")
        self.remove_button = QPushButton("删除所选行")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.totals = QLabel()
        self.totals.setObjectName("fieldNote")
        self.totals.setWordWrap(True)
        layout.addLayout(buttons)
        layout.addWidget(self.totals)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_rows)
        self.up_button.clicked.connect(lambda: self.move_row(-1))
        self.down_button.clicked.connect(lambda: self.move_row(1))
        QShortcut(
            QKeySequence("Ctrl+Return"), self.table, self.add_row, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        self.setFocusProxy(self.table)
        self._fit()

    # ------------------------------------------------------------------ rows

    def add_row(self) -> None:
        row = self.table.rowCount()
        self._insert(row, {})
        self._fit()
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        self._changed()

    def remove_rows(self) -> None:
        rows = sorted(
            {i.row() for i in self.table.selectedIndexes()}
            or ({self.table.currentRow()} if self.table.currentRow() >= 0 else set()),
            reverse=True,
        )
        for row in rows:
            self.table.removeRow(row)
        self._fit()
        if rows:
            self._changed()

    def move_row(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        rows = self._rows(keep_empty=True)
        rows[row], rows[target] = rows[target], rows[row]
        self.set_value(rows)
        self.table.setCurrentCell(target, max(self.table.currentColumn(), 0))
        self._changed()

    def _insert(self, row: int, values: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.table.insertRow(row)
            for j, c in enumerate(self.columns):
                value = values.get(c.key)
                if c.type in ("choice", "bool"):
                    self.table.setCellWidget(row, j, self._combo(c, value))
                else:
                    self.table.setItem(row, j, QTableWidgetItem("" if value is None else str(value)))
        finally:
            self._loading = False

    def _combo(self, c: FieldDef, value: Any) -> QComboBox:
        combo = QComboBox()
        combo.addItem("（请选择）", None)
        options = [(True, "是"), (False, "否")] if c.type == "bool" else [(ch.value, ch.label) for ch in c.choices]
        for data, label in options:
            combo.addItem(label, data)
        index = next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)
        if index < 0 and value is not None:
            combo.addItem(f"{value}（不是可选项）", value)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))
        combo.currentIndexChanged.connect(self._changed)
        return guard_wheel(combo)

    def _fit(self) -> None:
        rows = max(self.table.rowCount(), MIN_VISIBLE_ROWS)
        height = (
            self.table.horizontalHeader().sizeHint().height()
            + rows * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
            + 4
        )
        if self.table.horizontalScrollBar().isVisible():
            height += self.table.horizontalScrollBar().height()
        self.table.setFixedHeight(height)
        full = self.field.max_items is not None and self.table.rowCount() >= self.field.max_items
        self.add_button.setEnabled(not full)

    # ------------------------------------------------------------------ value

    def _rows(self, keep_empty: bool = False) -> list[dict[str, Any]]:
        rows = []
        for i in range(self.table.rowCount()):
            row: dict[str, Any] = {}
            for j, c in enumerate(self.columns):
                widget = self.table.cellWidget(i, j)
                if isinstance(widget, QComboBox):
                    value = widget.currentData()
                else:
                    item = self.table.item(i, j)
                    value = item.text() if item is not None and item.text().strip() else None
                if value is not None:
                    row[c.key] = value
            if row or keep_empty:
                rows.append(row)
        return rows

    def value(self) -> Any:
        return self._rows() or None

    def _show(self, value: Any) -> None:
        self.table.setRowCount(0)
        for i, row in enumerate(value if isinstance(value, list) else []):
            self._insert(i, row if isinstance(row, dict) else {})
        self._fit()

    def focus_widget(self) -> QWidget:
        return self.table

    def focus_cell(self, row: int | None, column: str | None) -> None:
        j = next((k for k, c in enumerate(self.columns) if c.key == column), 0)
        if row is not None and 0 <= row < self.table.rowCount():
            self.table.setCurrentCell(row, j)
        self.table.setFocus()

    def show_totals(self, rows: list[dict[str, Any]]) -> None:
        """Sums of the money columns and subtotals per choice, from the checked (normalised) rows."""
        money_columns = [c for c in self.columns if c.type == "money"]
        lines = [f"合计{c.label.split('（')[0]}：{money(column_sum(rows, c.key))}元" for c in money_columns]
        if money_columns:
            lines += choice_subtotals(self.field, money_columns[0].key, rows)
        self.totals.setText("　".join(lines))
        self.totals.setVisible(bool(lines) and bool(rows))
