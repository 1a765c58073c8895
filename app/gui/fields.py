"""One input widget per field type of ``forms/``, all with the same small interface.

``FieldInput.value()`` is what goes into the application file as typed (the core normalises it
when checking and printing), ``set_value`` shows a saved value without signalling, ``edited``
fires on every change the user makes, ``submitted`` when Enter is pressed in a one-line input or
a closed drop-down, or Ctrl+Enter in a long text (the editor then moves on). Tables are in ``zhutui.gui.tablefield``;
``zhutui.gui.inputs.make_input`` picks the input for a field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from zhutui import formats
from zhutui.formdef import FieldDef
from zhutui.normalize import normalize_money, parse_date
from zhutui.outputs.values import money, rmb_upper
from zhutui.planfacts import calendar_start, example_date
from zhutui.plans import Plan

PLACEHOLDERS = {
    "date": "如 {example}",  # a date in the field's plan window (planfacts.example_date)
    "money": "金额（元），如 200000",
    "year": "四位年份，如 2019",
    "person_list": "按证书顺序填写，用顿号分隔，如：张三、李四、王五",
}
_NAME_SEPARATORS = re.compile(r"[、,，;；/\s]+")


class FieldInput(QWidget):
    edited = Signal()
    submitted = Signal()

    def __init__(self, field: FieldDef, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self._loading = False

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self

    def _changed(self, *_: object) -> None:
        if not self._loading:
            self.edited.emit()


class _EnterSubmits(QObject):
    """Event filter: Enter (with ``modifier`` held) on the watched widget emits ``submitted``."""

    def __init__(
        self, owner: FieldInput, watched: QWidget, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ):
        super().__init__(owner)
        self.owner, self.modifier = owner, modifier
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == self.modifier
        ):
            self.owner.submitted.emit()
            return True
        return False


def _layout(widget: QWidget, horizontal: bool = True) -> QHBoxLayout | QVBoxLayout:
    layout = QHBoxLayout(widget) if horizontal else QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


class LineInput(FieldInput):
    """text, money, year, date and person_list: one line of text."""

    def __init__(self, field: FieldDef, plan: Plan, parent: QWidget | None = None):
        super().__init__(field, parent)
        layout = _layout(self)
        self.edit = QLineEdit()
        fmt = formats.get(field.format)
        placeholder = (fmt.placeholder if fmt else "") or PLACEHOLDERS.get(field.type, "")
        if field.type == "date":
            placeholder = placeholder.format(example=example_date(plan, field.window).isoformat())
        self.edit.setPlaceholderText(placeholder)
        self.edit.textChanged.connect(self._changed)
        self.edit.returnPressed.connect(self.submitted)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.edit)
        self.note: QLabel | None = None
        if field.type == "money":
            self.note = QLabel()
            self.note.setObjectName("fieldNote")
            self.edit.textChanged.connect(self._show_capitals)
            layout.addWidget(self.note, 1)
        if field.type == "date":
            layout.addWidget(self._calendar_button(plan))
        if field.type in ("money", "year", "date") or (fmt is not None and fmt.short_input):
            self.edit.setMaximumWidth(260)
            if self.note is None:
                layout.addStretch(1)

    def _calendar_button(self, plan: Plan) -> QToolButton:
        button = QToolButton()
        button.setText("日历")
        button.setToolTip("从日历中选择日期")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard types the date
        menu = QMenu(button)
        calendar = QCalendarWidget()
        calendar.setGridVisible(True)
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(lambda: self._preset_calendar(calendar, plan))

        def picked(day: QDate) -> None:
            self.edit.setText(day.toString("yyyy-MM-dd"))
            menu.close()

        calendar.clicked.connect(picked)
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return button

    def _preset_calendar(self, calendar: QCalendarWidget, plan: Plan) -> None:
        """Select the typed date; for an empty field open at a month of its plan window."""
        day = parse_date(self.edit.text())
        if day is not None:
            calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        else:
            start = calendar_start(plan, self.field.window, dt.date.today())
            calendar.setCurrentPage(start.year, start.month)

    def _show_capitals(self, text: str) -> None:
        amount = normalize_money(text) if text.strip() else None
        if self.note is not None:
            self.note.setText(
                f"{money(amount)}元　{rmb_upper(amount)}" if isinstance(amount, int) and amount >= 0 else ""
            )

    def value(self) -> Any:
        text = self.edit.text()
        if self.field.type == "person_list":
            return [name for name in _NAME_SEPARATORS.split(text.strip()) if name]
        return text if text.strip() else None

    def _show(self, value: Any) -> None:
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        self.edit.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class SuggestInput(LineInput):
    """A text field with suggestions from the plan (e.g. the focus areas); anything may be typed."""

    def __init__(self, field: FieldDef, plan: Plan, parent: QWidget | None = None):
        FieldInput.__init__(self, field, parent)
        layout = _layout(self)
        self.note = None
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItems(["", *getattr(plan, field.suggestions or "", ()), "其他"])
        self.edit = cast(QLineEdit, self.combo.lineEdit())  # editable: it has one
        self.edit.setPlaceholderText("从列表中选择，或直接填写")
        self.edit.textChanged.connect(self._changed)
        self.edit.returnPressed.connect(self.submitted)
        layout.addWidget(self.combo, 1)
        self.setFocusProxy(self.combo)


class LongTextInput(FieldInput):
    def __init__(self, field: FieldDef, plan: Plan, parent: QWidget | None = None):
        super().__init__(field, parent)
        layout = _layout(self, horizontal=False)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(110)
        self.edit.textChanged.connect(self._changed)
        self.edit.textChanged.connect(self._count)
        self.counter = QLabel()
        self.counter.setObjectName("fieldNote")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.edit)
        layout.addWidget(self.counter)
        self.setFocusProxy(self.edit)
        self.edit.setToolTip("Enter 换行，Ctrl+Enter 到下一项")
        _EnterSubmits(self, self.edit, Qt.KeyboardModifier.ControlModifier)
        self._count()

    def _count(self) -> None:
        used = len(re.sub(r"\s", "", self.edit.toPlainText()))
        limit = self.field.max_length
        self.counter.setText(f"{used}/{limit} 字" if limit else f"{used} 字")
        self.counter.setProperty("over", bool(limit and used > limit))
        self.counter.style().unpolish(self.counter)
        self.counter.style().polish(self.counter)

    def value(self) -> Any:
        text = self.edit.toPlainText()
        return text if text.strip() else None

    def _show(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class ChoiceInput(FieldInput):
    """choice and bool: a drop-down with an empty first entry (not yet chosen)."""

    def __init__(self, field: FieldDef, plan: Plan, parent: QWidget | None = None):
        super().__init__(field, parent)
        layout = _layout(self)
        self.combo = QComboBox()
        self.combo.addItem("（请选择）", None)
        if field.type == "bool":
            self.combo.addItem("是", True)
            self.combo.addItem("否", False)
        else:
            for choice in field.choices:
                self.combo.addItem(choice.label, choice.value)
        self.combo.setMinimumWidth(160)
        self.combo.currentIndexChanged.connect(self._changed)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.setFocusProxy(self.combo)
        _EnterSubmits(self, self.combo)  # the open list's Enter picks an item; it never gets here

    def value(self) -> Any:
        return self.combo.currentData()

    def _show(self, value: Any) -> None:
        index = next(
            (
                i
                for i in range(self.combo.count())
                if self.combo.itemData(i) == value and type(self.combo.itemData(i)) is type(value)
            ),
            -1,
        )
        if index < 0 and value is not None:  # a value from a file that is no choice: keep it visible
            self.combo.addItem(f"{value}（不是可选项）", value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))

    def focus_widget(self) -> QWidget:
        return self.combo
