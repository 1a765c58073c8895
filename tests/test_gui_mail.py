"""The 输出 page's mail package and the 发送 dialog, driven like a user would, against a real
SMTP server on 127.0.0.1 (aiosmtpd over TLS with a test CA's certificate)."""

from __future__ import annotations

import email
import json
from email import policy

import keyring
import pytest
import trustme
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtWidgets import QFileDialog, QInputDialog

from tests.gui_support import make_window
from tests.test_send import ACCOUNT, SECRET, _server
from zhutui.demo import generate
from zhutui.gui.mailbox import MAILBOX_SETTING
from zhutui.gui.senddialog import SendDialog
from zhutui.mailpack import send as smtp
from zhutui.mailpack.package import MANIFEST


@pytest.fixture
def window(qtbot, tmp_path):
    made = generate(tmp_path / "batch", patents=3, projects=1, with_errors=False, seed=9)
    window, session = make_window(qtbot, tmp_path)
    for path in made.applications:
        session.ws.import_file(path)
    session.records_changed.emit()
    session.ws.set_setting("output_dir", str(tmp_path / "out"))
    return window, session


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture
def client_trust(ca, tmp_path, monkeypatch):
    """The app verifies certificates against the default store; here that store is the test CA."""
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    monkeypatch.setenv("SSL_CERT_FILE", str(cafile))


@pytest.fixture
def no_secret_store():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _build(qtbot, window, budget_mb: float = 35):
    panel = window.output.mail
    window.show_page(window.output)
    panel.budget.setValue(budget_mb)
    with qtbot.waitSignal(panel.finished, timeout=120_000):
        panel.build_button.click()
    return panel


def test_build_shows_each_message_against_the_budget(qtbot, window, tmp_path):
    window, session = window
    panel = _build(qtbot, window, budget_mb=1)
    result = panel.result
    assert result.folder.parent == tmp_path / "out" and result.zip_path.exists()
    assert panel.messages.count() == len(result.messages) >= 2
    first = panel.messages.item(0).text()
    assert first.startswith("邮件1_共") and "上限 1 MB" in first and "（1/" in first
    assert "已生成邮件包" in panel.status.text() and "jscxfwb@163.com" in panel.status.text()
    assert panel.send_button.isEnabled() and panel.open_folder_button.isEnabled()
    assert session.ws.setting("mail_budget_mb") == 1


def test_send_dialog_sends_and_records(qtbot, window, ca, client_trust, no_secret_store):
    window, session = window
    panel = _build(qtbot, window)
    controller, inbox = _server(ca, smtp.SSL)
    try:
        dialog = SendDialog(session, panel.result.folder, window)
        qtbot.addWidget(dialog)
        assert not dialog.remember.isEnabled() and "没有可用的系统密码保管库" in dialog.store_note.text()
        dialog.form.address.setText(ACCOUNT)
        dialog.form.use_preset("other")
        dialog.form.host.setText("127.0.0.1")
        dialog.form.port.setValue(controller.port)
        # A wrong code: the dialog stays, says what to do, nothing is sent.
        dialog.secret.setText("web-password")
        dialog.send_button.click()
        qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
        assert "535" in dialog.status.text() and "授权码" in dialog.status.text() and not inbox.messages
        dialog.secret.setText(SECRET)
        dialog.send_button.click()
        qtbot.waitUntil(lambda: dialog.job is None, timeout=60_000)
    finally:
        controller.stop()
    assert dialog.sent and "已发送 1 封邮件" in dialog.status.text(), dialog.status.text()
    ((_, rcpt, received),) = inbox.messages
    assert rcpt == ["jscxfwb@163.com"]
    parsed = email.message_from_bytes(received, policy=policy.default)
    assert [p.get_filename() for p in parsed.iter_attachments()] == panel.result.messages[0].files
    manifest = json.loads((panel.result.folder / MANIFEST).read_text("utf-8"))
    assert manifest["sent"][0]["message_id"] == parsed["Message-ID"]
    saved = session.ws.setting(MAILBOX_SETTING)
    assert saved["address"] == ACCOUNT and saved["port"] == controller.port
    assert SECRET not in json.dumps(saved) and dialog.secret.text() == ""


def test_stamped_scan_is_attached_to_the_chosen_form(qtbot, window, tmp_path, monkeypatch):
    window, session = window
    from PIL import Image

    scan = tmp_path / "stamped.jpg"
    Image.new("RGB", (1240, 1754), "white").save(scan)
    record = session.records()[1]
    panel = window.output.mail

    def pick(parent, title, label, items, current, editable):
        return items[1], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(scan)], "")))
    panel.stamped_button.click()
    kinds = [a.kind for a in session.ws.attachments(record.id)]
    assert kinds.count("stamped_form") == 1 and "已为" in panel.status.text()
    built = _build(qtbot, window).result
    form = next(f for f in built.files if f.group == 2 and f.name.endswith(("_申报表.pdf", "_申报书.pdf")))
    assert "盖章扫描件" in form.what


def test_errors_build_nothing_unless_draft(qtbot, tmp_path):
    made = generate(tmp_path / "batch", patents=2, projects=1, with_errors=True, seed=4)
    window, session = make_window(qtbot, tmp_path)
    for path in made.applications:
        session.ws.import_file(path)
    session.ws.set_setting("output_dir", str(tmp_path / "out"))
    panel = window.output.mail
    window.show_page(window.output)
    panel.build_button.click()
    qtbot.waitUntil(lambda: panel.job is None, timeout=120_000)
    assert "没有生成邮件包" in panel.status.text() and panel.result is None
    panel.draft.setChecked(True)
    with qtbot.waitSignal(panel.finished, timeout=120_000):
        panel.build_button.click()
    assert panel.result.draft and "草稿" in panel.status.text() and not panel.send_button.isEnabled()


class MemoryKeyring(KeyringBackend):
    """A secret store in memory, so the test can see what 设置 deletes."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.stored.get((service, username))

    def set_password(self, service, username, password):
        self.stored[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if self.stored.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def test_settings_mailbox_is_the_send_dialogs_and_forgets_the_code(qtbot, window):
    from zhutui.mailpack import secrets

    window, session = window
    previous, memory = keyring.get_keyring(), MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        page = window.settings
        window.show_page(page)
        form = page.mailbox
        assert form.preset.currentData() == "163" and not form.host.isEnabled()
        form.address.setText("gonghui@qq.com")
        form.address.editingFinished.emit()
        assert form.preset.currentData() == "qq" and form.host.text() == "smtp.qq.com"
        assert session.ws.setting(MAILBOX_SETTING)["address"] == "gonghui@qq.com"
        assert "已保存" in page.mailbox_note.text()
        form.address.setText("not-an-address")
        form.address.editingFinished.emit()
        assert "请填写发件邮箱地址" in page.mailbox_note.text()
        assert session.ws.setting(MAILBOX_SETTING)["address"] == "gonghui@qq.com"  # the bad one isn't saved

        dialog = SendDialog(session, session.ws.folder, window)  # only the mailbox part matters here
        qtbot.addWidget(dialog)
        assert dialog.form.address.text() == "gonghui@qq.com" and dialog.form.preset.currentData() == "qq"
        assert dialog.remember.isEnabled() and dialog.remember.isChecked()

        form.address.setText("gonghui@qq.com")
        secrets.set_secret("gonghui@qq.com", SECRET)
        page.forget_button.click()
        assert secrets.get_secret("gonghui@qq.com") is None and "已删除" in page.mailbox_note.text()
        assert SECRET not in json.dumps(session.ws.setting(MAILBOX_SETTING))
    finally:
        keyring.set_keyring(previous)
