"""Sending a mail package to a real SMTP server on 127.0.0.1 (aiosmtpd) over TLS, with a
certificate from a test CA (trustme) that only the test trusts; and the 授权码 in a real Secret
Service (gnome-keyring under dbus-run-session)."""

from __future__ import annotations

import email
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import TODAY
from zhutui import appfile
from zhutui.demo import generate
from zhutui.mailpack import send as smtp
from zhutui.mailpack.package import MANIFEST, build_package
from zhutui.mailpack.send import Mailbox, SendError, prepare_for_sending, send_package

ACCOUNT, SECRET = "gonghui@example.com", "AUTHCODE-7f3a9c"


class Inbox:
    """Keeps every message the server accepted, as received."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == ACCOUNT
        and auth_data.password.decode() == SECRET
    )
    return AuthResult(success=ok, handled=False)  # unhandled failure: aiosmtpd answers 535


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture
def client_context(ca):
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def _server(ca, security: str, **kwargs):
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_context)
    inbox = Inbox()
    options = dict(authenticator=_authenticator, auth_require_tls=True, **kwargs)
    if security == smtp.SSL:
        # Implicit TLS wraps the whole connection; aiosmtpd only knows of STARTTLS, so it must be
        # told not to hide AUTH.
        options.update(ssl_context=server_context, auth_require_tls=False)
    else:
        options.update(tls_context=server_context, require_starttls=True)
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), **options)
    controller.start()
    return controller, inbox


@pytest.fixture(params=[smtp.SSL, smtp.STARTTLS])
def server(request, ca):
    controller, inbox = _server(ca, request.param)
    yield Mailbox(ACCOUNT, "127.0.0.1", controller.port, request.param), inbox
    controller.stop()


@pytest.fixture(scope="module")
def package_source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("send")
    made = generate(folder / "batch", patents=2, projects=1, with_errors=False, seed=11)
    return [appfile.load(a) for a in made.applications]


@pytest.fixture
def package(tmp_path, package_source):
    """A fresh package split over two messages."""
    result = build_package(package_source, tmp_path / "out", TODAY, budget_mb=1.0)
    assert len(result.messages) >= 2
    return result


def test_package_arrives_byte_for_byte(server, package, client_context):
    mailbox, inbox = server
    sent = send_package(package.folder, mailbox, SECRET, context=client_context)
    assert [s.eml for s in sent] == [m.eml for m in package.messages]
    assert len(inbox.messages) == len(sent)
    for record, (mail_from, rcpt, received) in zip(sent, inbox.messages, strict=True):
        assert mail_from == ACCOUNT and rcpt == ["jscxfwb@163.com"]
        parsed = email.message_from_bytes(received, policy=policy.default)
        assert parsed["Message-ID"] == record.message_id and "X-Unsent" not in parsed
        draft = (package.folder / record.eml).read_bytes()
        assert received == prepare_for_sending(draft, ACCOUNT, record.message_id, parsed["Date"])
        files = {p.get_filename(): p.get_payload(decode=True) for p in parsed.iter_attachments()}
        for name, data in files.items():
            assert data == (package.folder / name).read_bytes()
    manifest = json.loads((package.folder / MANIFEST).read_text("utf-8"))
    assert [s["message_id"] for s in manifest["sent"]] == [s.message_id for s in sent]
    log = (package.folder / smtp.SENT_LOG).read_text("utf-8-sig")
    assert all(s.message_id in log for s in sent)
    # Sent messages are not sent again; --resend sends them all.
    assert send_package(package.folder, mailbox, SECRET, context=client_context) == []
    assert len(send_package(package.folder, mailbox, SECRET, context=client_context, resend=True)) == len(sent)


def test_wrong_authorisation_code_gives_the_535_message(server, package, client_context):
    mailbox, inbox = server
    with pytest.raises(SendError) as caught:
        send_package(package.folder, mailbox, "web-password", context=client_context)
    assert caught.value.kind == "auth" and "535" in caught.value.message and "授权码" in caught.value.message
    assert inbox.messages == []
    assert json.loads((package.folder / MANIFEST).read_text("utf-8"))["sent"] == []


def test_an_untrusted_certificate_is_refused(server, package):
    mailbox, inbox = server
    with pytest.raises(SendError) as caught:
        send_package(package.folder, mailbox, SECRET, context=ssl.create_default_context())
    assert caught.value.kind == "tls" and "证书" in caught.value.message
    assert inbox.messages == []


def test_unreachable_server(package, client_context):
    mailbox = Mailbox(ACCOUNT, "127.0.0.1", _free_port(), smtp.SSL)
    with pytest.raises(SendError) as caught:
        send_package(package.folder, mailbox, SECRET, context=client_context, timeout=5)
    assert caught.value.kind == "connect" and "无法连接邮件服务器" in caught.value.message


def test_a_message_over_the_servers_limit_is_reported(ca, package, client_context):
    controller, inbox = _server(ca, smtp.SSL, data_size_limit=200_000)
    try:
        mailbox = Mailbox(ACCOUNT, "127.0.0.1", controller.port, smtp.SSL)
        with pytest.raises(SendError) as caught:
            send_package(package.folder, mailbox, SECRET, context=client_context)
    finally:
        controller.stop()
    assert caught.value.kind == "size" and "容量上限调小" in caught.value.message
    assert inbox.messages == []


def test_plain_text_servers_are_refused(package, client_context):
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=_free_port(), authenticator=_authenticator, auth_require_tls=False
    )
    controller.start()
    try:
        mailbox = Mailbox(ACCOUNT, "127.0.0.1", controller.port, smtp.STARTTLS)
        with pytest.raises(SendError) as caught:
            send_package(package.folder, mailbox, SECRET, context=client_context)
    finally:
        controller.stop()
    assert caught.value.kind == "tls" and "明文" in caught.value.message and inbox.messages == []


def test_a_draft_package_is_not_sent(tmp_path, client_context):
    made = generate(tmp_path / "batch", patents=2, projects=0, with_errors=True, seed=5)
    result = build_package([appfile.load(a) for a in made.applications], tmp_path / "out", TODAY, draft=True)
    with pytest.raises(SendError) as caught:
        send_package(result.folder, Mailbox(ACCOUNT, "127.0.0.1", 1), SECRET, context=client_context)
    assert caught.value.kind == "package" and "草稿" in caught.value.message


def test_presets_and_mailbox_problems():
    assert smtp.preset_for_address("gonghui@163.com").host == "smtp.163.com"
    assert smtp.preset_for_address("x@qq.com").port == 465
    assert smtp.preset_for_address("x@company.cn") is None
    assert Mailbox("", "smtp.163.com").problem()
    assert Mailbox("a@163.com", "").problem()
    assert Mailbox("a@163.com", "smtp.163.com", 0).problem()
    assert Mailbox("a@163.com", "smtp.163.com").problem() is None
    box = Mailbox("a@163.com", "smtp.163.com")
    assert Mailbox.from_setting(box.as_setting()) == box
    assert Mailbox.from_setting({"address": 1}) is None


def _cli(
    args: list[str], env: dict[str, str], secret: str | None = None, wrapper: list[str] | None = None
) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "zhutui.cli", *args]
    if wrapper:
        command = [*wrapper, " ".join(_quote(c) for c in command)]
    return subprocess.run(
        command,
        input=secret,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def test_cli_send_with_the_secret_in_a_real_secret_service(tmp_path, ca, package):
    """zhutui send through gnome-keyring: the code typed once is stored (--remember), found the
    next time, and appears in no file of the data folder or the package."""
    if not shutil.which("dbus-run-session") or not shutil.which("gnome-keyring-daemon"):
        pytest.fail("gnome-keyring and dbus are installed by installer/setup.sh test")
    controller, inbox = _server(ca, smtp.SSL)
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    home = tmp_path / "home"
    home.mkdir()
    data = Path(os.environ["ZHUTUI_DATA_DIR"])
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "SSL_CERT_FILE": str(cafile),
        "ZHUTUI_DATA_DIR": str(data),
        "LANG": "C.UTF-8",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    # The keyring daemon lives as long as the session: one session runs both sends.
    script = tmp_path / "two_sends.sh"
    args = f"send {_quote(str(package.folder))} --address {ACCOUNT} --server 127.0.0.1 --port {controller.port}"
    python = _quote(sys.executable)
    script.write_text(
        "set -e\nprintf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n"
        f"printf '%s\\n' {SECRET} | {python} -m zhutui.cli {args} --password-stdin --remember\n"
        f"{python} -m zhutui.cli {args} --resend </dev/null\n"
        f"{python} -c 'from zhutui.mailpack.secrets import get_secret; print(get_secret(\"{ACCOUNT}\"))'\n"
    )
    try:
        done = subprocess.run(
            ["dbus-run-session", "--", "sh", str(script)],
            capture_output=True,
            text=True,
            env=env,
            timeout=180,
            cwd=Path(__file__).resolve().parent.parent,
        )
    finally:
        controller.stop()
    assert done.returncode == 0, done.stderr
    assert "授权码已存入系统密码保管库" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == SECRET  # read back from the Secret Service
    assert len(inbox.messages) == 2 * len(package.messages)  # the second send used the stored code
    for root in (data, package.folder.parent):
        for path in root.rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path


def test_cli_without_a_secret_store_says_so_and_asks(tmp_path, ca, package):
    controller, inbox = _server(ca, smtp.SSL)
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    env = {**os.environ, "SSL_CERT_FILE": str(cafile), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    try:
        args = [
            "send",
            str(package.folder),
            "--address",
            ACCOUNT,
            "--server",
            "127.0.0.1",
            "--port",
            str(controller.port),
        ]
        no_code = _cli(args, env)
        wrong = _cli([*args, "--password-stdin"], env, "wrong\n")
        right = _cli([*args, "--password-stdin", "--remember"], env, SECRET + "\n")
    finally:
        controller.stop()
    assert no_code.returncode == 2 and "没有可用的系统密码保管库" in no_code.stderr
    assert "--password-stdin" in no_code.stderr
    assert wrong.returncode == 2 and "535" in wrong.stderr
    assert right.returncode == 0, right.stderr
    assert "没有可用的系统密码保管库" in right.stderr  # --remember could not store it, and says so
    assert len(inbox.messages) == len(package.messages)
