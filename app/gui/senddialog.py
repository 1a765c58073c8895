"""发送: the mailbox settings and the 授权码, then the package sent over SMTP (TLS only).

The mailbox (address, server, port, encryption) is kept in the workspace settings; the 授权码
only in the system's secret store, and only when 记住授权码 is ticked (never in a file, a
setting or a log). Without a secret store the dialog says so and the code is asked each time.
Sending runs in a worker; the dialog stays open on a failure so the user can fix what it says.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from zhutui.gui.mailbox import AUTH_CODE_HELP, MAILBOX_SETTING, MailboxForm, saved_mailbox
from zhutui.gui.session import Session
from zhutui.gui.worker import Job, guarded
from zhutui.mailpack import secrets
from zhutui.mailpack import send as smtp


def send_with_stored_secret(folder: Path, mailbox: smtp.Mailbox, typed: str, remember: bool, progress, cancelled):
    """The worker's part: find the code (typed, else stored), send, then store it if asked.
    Returns (sent records, note for the user)."""
    note = ""
    secret, stored = typed, False
    if not secret:
        try:
            secret = secrets.get_secret(mailbox.login) or ""
            stored = bool(secret)
        except secrets.NoSecretStore as exc:
            note = str(exc)
    if not secret:
        raise smtp.SendError("auth", "请输入授权码（或密码）。" + note)
    try:
        sent = smtp.send_package(folder, mailbox, secret, progress=progress, cancelled=cancelled)
    except smtp.SendError as exc:
        if exc.kind == "auth" and stored:
            try:
                secrets.delete_secret(mailbox.login)
                exc.message += "（保存的授权码已失效并已删除，请重新输入。）"
            except secrets.NoSecretStore:
                pass
        raise
    if remember and typed:
        try:
            secrets.set_secret(mailbox.login, typed)
            note = "授权码已存入系统密码保管库。"
        except secrets.NoSecretStore as exc:
            note = str(exc)
    return sent, note


class SendDialog(QDialog):
    def __init__(self, session: Session, folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("发送电子邮件包")
        self.session = session
        self.folder = folder
        self.job: Job | None = None
        self.sent = False
        self.summary = ""
        self.form = MailboxForm(saved_mailbox(session.ws))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("记住授权码（保存在系统密码保管库中，不写入任何文件）")
        self.store_note = QLabel()
        self.store_note.setWordWrap(True)
        if secrets.store_available():
            self.remember.setChecked(True)
        else:
            self.remember.setEnabled(False)
            self.remember.setChecked(False)
            self.store_note.setText(secrets.NO_STORE)
        help_text = QLabel(AUTH_CODE_HELP)
        help_text.setWordWrap(True)
        self.form.add_row("授权码", self.secret)
        self.form.add_row("", self.remember)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel(self._pending_text())
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton("发送", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.send_button.clicked.connect(self.send)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(help_text)
        layout.addWidget(self.store_note)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.resize(560, self.sizeHint().height())

    def _pending_text(self) -> str:
        try:
            manifest = smtp.read_manifest(self.folder)
            pending = smtp.unsent_messages(manifest)
        except smtp.SendError as exc:
            return exc.message
        if not pending:
            return "这个邮件包的邮件都已发送过（见文件夹中的“发送记录.txt”）。"
        return f"将发送 {len(pending)} 封邮件至 {manifest.get('to')}：{'、'.join(pending)}"

    # ------------------------------------------------------------------ sending

    def send(self) -> None:
        if self.job is not None:
            return
        mailbox = self.form.mailbox()
        problem = mailbox.problem()
        if problem:
            self.status.setText(problem)
            return
        self.session.ws.set_setting(MAILBOX_SETTING, mailbox.as_setting())
        typed, remember, folder = self.secret.text(), self.remember.isChecked(), self.folder
        self.job = Job(
            lambda progress, cancelled: send_with_stored_secret(folder, mailbox, typed, remember, progress, cancelled)
        )
        self.job.signals.progress.connect(guarded(self, self._progress))
        self.job.signals.finished.connect(guarded(self, self._sent))
        self.job.signals.failed.connect(guarded(self, self._failed))
        self.job.signals.cancelled.connect(guarded(self, self._failed_quietly))
        self.send_button.setEnabled(False)
        self.close_button.setText("停止发送")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(f"正在连接 {mailbox.host}…")
        self.job.start()

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()  # stops before the next message; one being sent finishes
            self.close_button.setEnabled(False)
            self.status.setText("正在停止：正在发送的这封邮件发完后停止，已发出的邮件会记录在“发送记录.txt”中。")
            return
        super().reject()

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(text)

    def _sent(self, outcome) -> None:
        sent, note = outcome
        self._idle()
        self.secret.clear()
        self.sent = bool(sent)
        times = "；".join(f"{s.eml} {s.sent_at.replace('T', ' ')}" for s in sent)
        self.summary = (
            f"已发送 {len(sent)} 封邮件（{times}），记录在邮件包文件夹的“发送记录.txt”中。请到发件箱确认。"
            if sent
            else "没有需要发送的邮件。"
        )
        self.status.setText(self.summary + (f"\n{note}" if note else ""))

    def _failed(self, message: str, details: str) -> None:
        self._idle()
        self.status.setText("发送失败：" + message + "\n" + self._pending_text())

    def _failed_quietly(self) -> None:
        self._failed("已停止。", "")

    def _idle(self) -> None:
        self.job = None
        self.progress.hide()
        self.send_button.setEnabled(True)
        self.close_button.setText("关闭")
        self.close_button.setEnabled(True)
