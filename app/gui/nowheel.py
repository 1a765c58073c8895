"""The mouse wheel scrolls the page; it never changes a value the user is not editing.

Qt's drop-downs and spin boxes change their value on a wheel turn while the pointer rests on
them, focused or not: scrolling down a form turned 智能装备 into 其他 and 是 into 否 without the
user noticing. ``guard`` makes such a widget take the wheel only while it has keyboard focus
(clicked or tabbed into); otherwise the turn goes to the page it is on, which scrolls. A table
that has no scroll bar of its own passes the wheel on to the page as well.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

_VALUE_WIDGETS = (QComboBox, QAbstractSpinBox)
_W = TypeVar("_W", bound=QWidget)


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        if isinstance(watched, _VALUE_WIDGETS):
            if watched.hasFocus():
                return False  # the user is in it: the wheel picks, as she expects
            _scroll_page(watched, event)
            return True
        area = watched.parentWidget()  # a table's viewport
        if isinstance(area, QAbstractScrollArea) and not area.verticalScrollBar().maximum():
            _scroll_page(area, event)
            return True
        return False


def _scroll_page(widget: QWidget, event: QEvent) -> None:
    """Hand the wheel turn to the nearest scrolling area around ``widget``."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.verticalScrollBar().maximum() > 0:
            QCoreApplication.sendEvent(parent.viewport(), event)
            return
        parent = parent.parentWidget()


_GUARD: _WheelGuard | None = None


def _guard_object() -> _WheelGuard:
    global _GUARD
    if _GUARD is None:
        _GUARD = _WheelGuard()
    return _GUARD


def guard(widget: _W) -> _W:
    """Let the wheel change ``widget`` (and the value widgets inside it) only while focused."""
    targets: list[QWidget] = [widget] if isinstance(widget, _VALUE_WIDGETS) else []
    targets += [w for kind in _VALUE_WIDGETS for w in widget.findChildren(kind)]
    for target in targets:
        target.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus: a turn gives no focus
        target.installEventFilter(_guard_object())
    if isinstance(widget, QAbstractScrollArea):
        widget.viewport().installEventFilter(_guard_object())
    return widget
