"""The sending mailbox (preset, address, server, port, encryption, login name) as one form.

Used by the 发送 dialog and by 设置. The mailbox is kept in the workspace setting ``mailbox``
with no secret in it; the 授权码 lives only in the system's secret store (``zhutui.mailpack.secrets``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from zhutui.mailpack import send as smtp

MAILBOX_SETTING = "mailbox"
AUTH_CODE_HELP = (
    "163、126、QQ 等邮箱在邮件软件中登录须使用“授权码”，不是网页登录密码："
    "在网页邮箱的“设置 → POP3/SMTP/IMAP”中开启 SMTP 服务即可获取。"
)


def saved_mailbox(ws) -> smtp.Mailbox | None:
    """The mailbox kept in the workspace ``ws``, or None."""
    return smtp.Mailbox.from_setting(ws.setting(MAILBOX_SETTING))


class MailboxForm(QWidget):
    """Edits a ``Mailbox``: choosing a preset fills and locks the server; 其他 unlocks it."""

    changed = Signal()

    def __init__(self, saved: smtp.Mailbox | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.preset = QComboBox()
        for p in smtp.PRESETS:
            self.preset.addItem(p.label, p.key)
        self.address = QLineEdit()
        self.address.setPlaceholderText("如 gonghui@163.com")
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.security = QComboBox()
        self.security.addItem("SSL（一般为 465 端口）", smtp.SSL)
        self.security.addItem("STARTTLS（一般为 587 端口）", smtp.STARTTLS)
        self.username = QLineEdit()
        self.username.setPlaceholderText("与邮箱地址相同时不填")
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addRow("邮箱类型", self.preset)
        self.layout_.addRow("发件邮箱", self.address)
        self.layout_.addRow("发件服务器", self.host)
        self.layout_.addRow("端口", self.port)
        self.layout_.addRow("加密方式", self.security)
        self.layout_.addRow("登录名", self.username)

        self.preset.activated.connect(self._apply_preset)
        self.address.editingFinished.connect(self._guess_preset)
        self.load(saved)
        for edit in (self.address, self.host, self.username):
            edit.editingFinished.connect(self.changed)
        self.port.valueChanged.connect(self.changed)
        self.security.activated.connect(self.changed)
        self.preset.activated.connect(self.changed)

    def load(self, saved: smtp.Mailbox | None) -> None:
        """Show ``saved`` (None: a new mailbox on the first preset) without emitting ``changed``."""
        self.blockSignals(True)
        self.port.blockSignals(True)
        self.address.setText(saved.address if saved else "")
        self.host.setText(saved.host if saved else "")
        self.port.setValue(saved.port if saved else 465)
        self.security.setCurrentIndex(self.security.findData(saved.security if saved else smtp.SSL))
        self.username.setText(saved.username if saved else "")
        self._show_preset(saved)
        self.port.blockSignals(False)
        self.blockSignals(False)

    def add_row(self, label: str, widget: QWidget) -> None:
        self.layout_.addRow(label, widget)

    def mailbox(self) -> smtp.Mailbox:
        return smtp.Mailbox(
            self.address.text().strip(),
            self.host.text().strip(),
            self.port.value(),
            self.security.currentData(),
            self.username.text().strip(),
        )

    def use_preset(self, key: str) -> None:
        self.preset.setCurrentIndex(self.preset.findData(key))
        self._apply_preset()

    def _show_preset(self, saved: smtp.Mailbox | None) -> None:
        match = next((p for p in smtp.PRESETS if saved and p.host == saved.host), None)
        if match is None and saved is None:
            match = smtp.PRESETS[0]
        self.preset.setCurrentIndex(self.preset.findData(match.key if match else "other"))
        if saved is None:
            self._apply_preset()
        self._lock_server()

    def _apply_preset(self, *_: object) -> None:
        p = smtp.preset(self.preset.currentData())
        if p.host:
            self.host.setText(p.host)
            self.port.setValue(p.port)
            self.security.setCurrentIndex(self.security.findData(p.security))
        self._lock_server()

    def _lock_server(self) -> None:
        custom = self.preset.currentData() == "other"
        for widget in (self.host, self.port, self.security):
            widget.setEnabled(custom)

    def _guess_preset(self) -> None:
        guessed = smtp.preset_for_address(self.address.text().strip())
        if guessed is not None and guessed.key != self.preset.currentData():
            self.use_preset(guessed.key)
