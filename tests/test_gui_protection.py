"""个人信息保护 in the window: the state on 设置, a passphrase set and asked for, the choice
offered when there is no credential manager."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from tests.gui_support import make_window

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from zhutui.gui import protection  # noqa: E402
from zhutui.workspace import vault  # noqa: E402
from zhutui.workspace.store import Workspace  # noqa: E402


def test_the_settings_page_says_how_the_data_is_protected_and_changes_it(qtbot, tmp_path, monkeypatch):
    window, session = make_window(qtbot, tmp_path)
    box = window.settings.protection
    window.show_page(window.settings)
    assert "已加密" in box.state.text() and "凭据管理器" in box.state.text()
    assert not box.keyring_button.isEnabled() and box.plain_button.isEnabled()

    def typed(dialog_self):
        dialog_self.first.setText("职工创新2022")
        dialog_self.second.setText("职工创新2022")
        dialog_self._accept()
        return dialog_self.result()

    monkeypatch.setattr(protection.PassphraseDialog, "exec", typed)
    box.passphrase_button.click()
    assert session.ws.vault.mode == vault.PASSPHRASE and "口令" in box.state.text()
    assert box.passphrase_button.text() == "更改口令…" and box.keyring_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    box.plain_button.click()
    assert session.ws.vault.mode == vault.PLAIN and "未加密" in box.state.text()
    box.keyring_button.click()
    assert session.ws.vault.mode == vault.KEYRING
    window.settings.widget().grab().save(str(tmp_path / "settings.png"))


def test_a_new_passphrase_must_be_long_enough_and_typed_twice_the_same(qtbot):
    dialog = protection.PassphraseDialog()
    qtbot.addWidget(dialog)
    dialog.first.setText("短")
    dialog._accept()
    assert "太短" in dialog.problem.text() and not dialog.result()
    dialog.first.setText("职工创新2022")
    dialog.second.setText("职工创新2023")
    dialog._accept()
    assert "不一样" in dialog.problem.text() and not dialog.result()


def test_the_window_asks_for_the_passphrase_until_it_is_right(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    with Workspace(folder) as ws:
        ws.protect(vault.PASSPHRASE, "职工创新2022")
    vault._KEYS.clear()
    asked = []

    def answer(parent, message):
        asked.append(message)
        return "职工创新2021" if len(asked) == 1 else "职工创新2022"

    monkeypatch.setattr(protection, "ask_passphrase", answer)
    ws = protection.open_workspace(folder)
    assert ws is not None and ws.vault.mode == vault.PASSPHRASE
    ws.close()
    assert "请输入口令" in asked[0] and "口令不对" in asked[1]
    vault._KEYS.clear()
    monkeypatch.setattr(protection, "ask_passphrase", lambda parent, message: None)
    assert protection.open_workspace(folder) is None  # 退出


def test_without_a_credential_manager_the_user_is_asked_once_to_choose(qtbot, tmp_path):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        window, session = make_window(qtbot, tmp_path)
        assert session.ws.vault.mode is None
        box = protection.offer_choice(window, session.ws)
        assert box is not None and box.isVisible() and "口令" in box.text()
        box.grab().save(str(tmp_path / "choice.png"))
        (plain,) = [b for b in box.buttons() if b.text() == "不加密保存"]
        plain.click()
        assert session.ws.vault.mode == vault.PLAIN and "不加密" in session.ws.vault.warning
        assert protection.offer_choice(window, session.ws) is None  # chosen: never asked again
    finally:
        keyring.set_keyring(previous)
