"""The last resort: an unexpected error shows a dialog with details to copy, never a vanished window.

Installed as ``sys.excepthook`` (and for exceptions in worker threads via ``threading.excepthook``).
The details are also appended to ``<data folder>/logs/zhutui-error.log``. Everything typed so far
is already saved in the workspace, and the dialog says so.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from zhutui.private import log_exception


class ErrorDialog(QDialog):
    def __init__(self, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("出现了意外错误")
        text = QLabel(
            "程序遇到了一个意外错误，刚才的操作可能没有完成。\n"
            "已填写的内容都已自动保存，不会丢失。可以继续使用；如果问题重复出现，"
            "请点“复制详细信息”，把内容发给技术支持。"
        )
        text.setWordWrap(True)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumSize(560, 220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("复制详细信息", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.details)
        layout.addWidget(buttons)


class _Relay(QObject):
    """Carries an error from any thread to the GUI thread."""

    raised = Signal(str)


class ExceptionHandler:
    def __init__(self) -> None:
        self.relay = _Relay()
        self.relay.raised.connect(self.show)
        self.dialog: ErrorDialog | None = None
        self.shown: list[str] = []

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def handle(self, kind: type[BaseException], value: BaseException | None, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        details, _ = log_exception("窗口", (kind, value, tb))
        self.relay.raised.emit(details)

    def show(self, details: str) -> None:
        self.shown.append(details)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.details.appendPlainText("\n" + details)
            return
        self.dialog = ErrorDialog(details, QApplication.activeWindow())
        self.dialog.open()
