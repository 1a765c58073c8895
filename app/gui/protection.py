"""个人信息保护: how the workspace's personal data is encrypted (``workspace/vault.py``).

* ``ProtectionBox`` on 设置 says how it is protected now and changes it: the system's credential
  manager (the default), a passphrase, or no encryption (confirmed, with a plain warning).
* ``ask_passphrase`` asks for the passphrase when the window opens a workspace protected by one.
* ``offer_choice`` is shown once at start when there is no credential manager and no choice yet:
  a passphrase or plain text, never a silent fallback.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zhutui.errors import InputError
from zhutui.gui.widgets import hint
from zhutui.secretstore import store_available
from zhutui.workspace import vault
from zhutui.workspace.store import Workspace

FORGOTTEN = "口令只有您知道：忘记口令，工作区和它的备份都将无法打开（交接包不受影响）。请把口令记在安全的地方。"
STATES = {
    vault.KEYRING: "已加密：身份证号、卡号、电话等个人信息加密保存，密钥在 Windows 凭据管理器中"
    "（只有您的 Windows 账户能用）。",
    vault.PASSPHRASE: "已加密：个人信息用您设置的口令加密保存，每次打开本软件时需要输入口令。",
    vault.PLAIN: "未加密：您选择了不加密保存个人信息。建议改为加密。",
    None: vault.UNPROTECTED,
}


def state_text(mode: str | None) -> str:
    return STATES.get(mode, STATES[vault.KEYRING])


class PassphraseDialog(QDialog):
    """A new passphrase (or a bundle's password), typed twice."""

    def __init__(self, parent: QWidget | None = None, title: str = "设置口令", note: str = FORGOTTEN):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(f"至少 {vault.MIN_PASSPHRASE} 个字符。{note}")
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.first, self.second = QLineEdit(), QLineEdit()
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("口令" if title == "设置口令" else "密码", self.first)
        form.addRow("再输入一次", self.second)
        layout.addLayout(form)
        self.problem = QLabel("")
        self.problem.setObjectName("problem")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox()
        buttons.addButton("确定", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def passphrase(self) -> str:
        return self.first.text()

    def _accept(self) -> None:
        if len(self.first.text()) < vault.MIN_PASSPHRASE:
            self.problem.setText(f"太短：至少 {vault.MIN_PASSPHRASE} 个字符。")
        elif self.first.text() != self.second.text():
            self.problem.setText("两次输入的不一样，请重新输入。")
        else:
            self.accept()


def ask_passphrase(parent: QWidget | None, message: str) -> str | None:
    """The passphrase of the workspace, or None when the user chose to quit."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("输入口令")
    dialog.setLabelText(f"{message}\n\n（工作区的个人信息用口令加密保存。）")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setOkButtonText("打开")
    dialog.setCancelButtonText("退出")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def open_workspace(folder, parent: QWidget | None = None) -> Workspace | None:
    """``Workspace(folder)``, asking for the passphrase as long as it is needed and wrong;
    None when the user quits. Other refusals raise ``InputError``."""
    passphrase = None
    while True:
        try:
            return Workspace(folder, passphrase=passphrase)
        except vault.NeedPassphrase as exc:
            passphrase = ask_passphrase(parent, exc.message)
            if passphrase is None:
                return None


def offer_choice(parent: QWidget, ws: Workspace) -> QMessageBox | None:
    """No credential manager and no choice yet: ask for a passphrase or plain text. The question
    is window-modal and doesn't block (the window stays responsive behind it); returned."""
    if ws.vault.mode is not None:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "个人信息保护",
        "本机没有可用的系统凭据管理器，无法自动加密工作区中的身份证号、工会会员卡号和电话。"
        "\n\n请设置一个口令来加密（每次打开本软件时输入），或确认不加密保存。",
        parent=parent,
    )
    protect = box.addButton("设置口令…", QMessageBox.ButtonRole.AcceptRole)
    plain = box.addButton("不加密保存", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("以后再说", QMessageBox.ButtonRole.RejectRole)

    def answered(button) -> None:
        if button is protect:
            set_passphrase(parent, ws)
        elif button is plain:
            change(parent, ws, vault.PLAIN)

    box.buttonClicked.connect(answered)
    box.open()
    return box


def set_passphrase(parent: QWidget, ws: Workspace) -> bool:
    dialog = PassphraseDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return change(parent, ws, vault.PASSPHRASE, dialog.passphrase())


def change(parent: QWidget, ws: Workspace, mode: str, passphrase: str | None = None) -> bool:
    try:
        done = ws.protect(mode, passphrase)
    except InputError as exc:
        QMessageBox.critical(parent, "无法更改", str(exc))
        return False
    if not done:
        QMessageBox.warning(parent, "无法更改", "系统凭据管理器现在无法使用，保护方式未改变。")
    return done


class ProtectionBox(QGroupBox):
    """设置 → 个人信息保护."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__("个人信息保护", parent)
        self.ws = ws
        layout = QVBoxLayout(self)
        self.state = QLabel("")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        row = QHBoxLayout()
        self.keyring_button = QPushButton("用系统凭据管理器加密")
        self.keyring_button.setToolTip("密钥保存在 Windows 凭据管理器中，打开时不需要输入口令（推荐）")
        self.keyring_button.clicked.connect(lambda: self._changed(change(self, self.ws, vault.KEYRING)))
        self.passphrase_button = QPushButton("用口令加密…")
        self.passphrase_button.clicked.connect(lambda: self._changed(set_passphrase(self, self.ws)))
        self.plain_button = QPushButton("不加密…")
        self.plain_button.clicked.connect(self.choose_plain)
        for button in (self.keyring_button, self.passphrase_button, self.plain_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(hint("备份用同一密钥加密；交给上级或他人的交接包可以另设密码（导出时选择）。"))
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.refresh()  # the start-up question may have changed it
        super().showEvent(event)

    def refresh(self) -> None:
        mode = self.ws.vault.mode
        self.state.setText(state_text(mode))
        self.keyring_button.setEnabled(mode != vault.KEYRING and store_available())
        self.passphrase_button.setText("更改口令…" if mode == vault.PASSPHRASE else "用口令加密…")
        self.plain_button.setEnabled(mode != vault.PLAIN)

    def choose_plain(self) -> None:
        answer = QMessageBox.warning(
            self,
            "不加密保存",
            "不加密时，身份证号、工会会员卡号和电话以明文保存在工作区和备份中，"
            "能读取这台电脑文件的人都能看到。\n\n确定不加密吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._changed(change(self, self.ws, vault.PLAIN))

    def _changed(self, done: bool) -> None:
        self.refresh()
        if done:
            self.state.setText(state_text(self.ws.vault.mode) + "（已更改）")
