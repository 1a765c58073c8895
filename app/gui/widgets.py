"""Small widgets every page uses: its title and a grey explanatory line."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


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
