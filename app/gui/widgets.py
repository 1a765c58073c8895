"""Small widgets every page uses: its title, a grey explanatory line, read-only lists of rows."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView


def page_title(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def hint(text: str = "") -> QLabel:
    """Grey, wrapped help text (what the page is for, what to do next)."""
    label = QLabel(text)
    label.setObjectName("fieldHelp")
    label.setWordWrap(True)
    return label


def rows_view(view: QTableView) -> QTableView:
    """A table the user reads and picks whole rows from (opening them elsewhere), not edits."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    return view
