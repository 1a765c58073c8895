"""Sending a mail package over SMTP: TLS only, the server's certificate verified.

SMTPS (implicit TLS, port 465: 163, 126, QQ and the enterprise mailboxes) or STARTTLS (587);
a server that offers neither is refused rather than sent the 授权码 in the clear. Each message
of the package is sent in order with From, Date and a Message-ID added and ``X-Unsent`` removed;
after each one the package records the time and the Message-ID (``.package.json`` and the
readable ``发送记录.txt``), so a run that stops half-way resumes without sending twice.
Failures become ``SendError`` with a Chinese message saying what to do.
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import asdict, dataclass
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from zhutui.errors import InputError
from zhutui.mailpack.placing import MANIFEST
from zhutui.winpath import notepad_bytes

SENT_LOG = "发送记录.txt"
SSL, STARTTLS = "ssl", "starttls"
AUTH_FAILED = (
    "邮箱拒绝登录（{code}）：授权码或密码不对。163、126、QQ 等邮箱在邮件软件中登录须用“授权码”，"
    "不是网页登录密码：请在网页邮箱的“设置 → POP3/SMTP/IMAP”中开启 SMTP 服务、获取授权码，然后重新输入。"
)
CERT_FAILED = (
    "无法验证邮件服务器 {where} 的证书（{reason}），为安全起见没有发送。"
    "请核对服务器地址；单位网络若有安全网关，请联系网络管理员。"
)
INTERRUPTED = "发送 {name} 时连接中断（{reason}）：请稍后重试，已发出的邮件不会重复发送。"
SMALLER_BUDGET = "请在生成邮件包时把每封邮件的容量上限调小（例如 20 MB），重新生成后再发送。"


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    host: str
    port: int
    security: str


PRESETS = (
    Preset("163", "网易163邮箱", "smtp.163.com", 465, SSL),
    Preset("126", "网易126邮箱", "smtp.126.com", 465, SSL),
    Preset("qq", "QQ邮箱", "smtp.qq.com", 465, SSL),
    Preset("exmail", "腾讯企业邮箱", "smtp.exmail.qq.com", 465, SSL),
    Preset("qiye163", "网易企业邮箱", "smtp.qiye.163.com", 465, SSL),
    Preset("aliyun", "阿里企业邮箱", "smtp.qiye.aliyun.com", 465, SSL),
    Preset("other", "其他邮箱（手动填写服务器）", "", 465, SSL),
)
_DOMAINS = {"163.com": "163", "126.com": "126", "qq.com": "qq", "foxmail.com": "qq", "vip.qq.com": "qq"}


def preset(key: str) -> Preset:
    return next((p for p in PRESETS if p.key == key), PRESETS[-1])


def preset_for_address(address: str) -> Preset | None:
    """The preset a personal mailbox's address implies (enterprise mailboxes can't be told)."""
    key = _DOMAINS.get(address.rpartition("@")[2].lower())
    return preset(key) if key else None


@dataclass(frozen=True)
class Mailbox:
    """Where and as whom to send; no secret here (it lives in the system's secret store)."""

    address: str
    host: str
    port: int = 465
    security: str = SSL
    username: str = ""  # the login name when not the address

    @property
    def login(self) -> str:
        return self.username or self.address

    def as_setting(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_setting(cls, value: Any) -> Mailbox | None:
        if not isinstance(value, dict):
            return None
        try:
            return cls(
                address=str(value["address"]),
                host=str(value["host"]),
                port=int(value.get("port", 465)),
                security=str(value.get("security", SSL)),
                username=str(value.get("username", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def problem(self) -> str | None:
        """What is missing or wrong, in Chinese; None when usable."""
        if "@" not in self.address or self.address.startswith("@") or self.address.endswith("@"):
            return "请填写发件邮箱地址，如 gonghui@163.com"
        if not self.host:
            return "请填写发件服务器（SMTP）地址，如 smtp.163.com"
        if not 0 < self.port < 65536:
            return "端口应为 1–65535 之间的数字（SSL 一般为 465，STARTTLS 一般为 587）"
        if self.security not in (SSL, STARTTLS):
            return "加密方式只能是 SSL 或 STARTTLS"
        return None


class SendError(InputError):
    """Sending failed; ``message`` is Chinese and says what to do. ``kind``: auth, connect, tls,
    size, refused, package."""

    def __init__(self, kind: str, message: str):
        super().__init__(None, None, message)
        self.kind = kind


@dataclass(frozen=True)
class SentMessage:
    eml: str
    message_id: str
    sent_at: str  # ISO time, local


# --------------------------------------------------------------------------- the package


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        raise SendError(
            "package", f"{folder} 不是邮件包文件夹（缺少 {MANIFEST}）：请选择“生成电子邮件包”生成的文件夹"
        ) from None
    except (OSError, ValueError) as exc:
        raise SendError("package", f"{folder} 中的邮件包记录无法读取（{exc}）：请重新生成邮件包") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("messages"), list):
        raise SendError("package", f"{folder} 中的邮件包记录不完整：请重新生成邮件包")
    return manifest


def unsent_messages(manifest: dict[str, Any]) -> list[str]:
    """The .eml files of a package (its ``read_manifest``) not sent yet, in order."""
    sent = {s.get("eml") for s in manifest.get("sent", []) if isinstance(s, dict)}
    return [m["eml"] for m in manifest["messages"] if m.get("eml") not in sent]


def prepare_for_sending(raw: bytes, sender: str, message_id: str, date: str) -> bytes:
    """The .eml draft as it is sent: From, Date and Message-ID first, X-Unsent and any earlier
    From, Date or Message-ID taken out; the rest byte for byte."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        raise SendError("package", "邮件文件不完整：请重新生成邮件包")
    lines: list[bytes] = []
    skipping = False
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            if not skipping:
                lines.append(line)
            continue
        name = line.split(b":", 1)[0].strip().lower()
        skipping = name in (b"x-unsent", b"from", b"date", b"message-id")
        if not skipping:
            lines.append(line)
    added = [f"From: {sender}", f"Date: {date}", f"Message-ID: {message_id}"]
    return b"\r\n".join([s.encode("ascii") for s in added] + lines) + sep + body


# --------------------------------------------------------------------------- sending


def connect(
    mailbox: Mailbox, secret: str, *, context: ssl.SSLContext | None = None, timeout: float = 60
) -> smtplib.SMTP:
    """A logged-in connection over TLS, or SendError."""
    context = context or ssl.create_default_context()
    where = f"{mailbox.host}:{mailbox.port}"
    try:
        if mailbox.security == SSL:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(mailbox.host, mailbox.port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(mailbox.host, mailbox.port, timeout=timeout)
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                smtp.close()
                raise SendError(
                    "tls",
                    f"邮件服务器 {where} 不支持加密连接（STARTTLS）：为保护授权码，不会以明文登录。"
                    "请改用 SSL（一般为 465 端口）",
                )
            smtp.starttls(context=context)
            smtp.ehlo()
        smtp.login(mailbox.login, secret)
        return smtp
    except SendError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError("auth", AUTH_FAILED.format(code=exc.smtp_code)) from None
    except ssl.SSLCertVerificationError as exc:
        raise SendError("tls", CERT_FAILED.format(where=where, reason=exc.verify_message or exc.reason)) from None
    except ssl.SSLError as exc:
        raise SendError(
            "tls",
            f"与 {where} 建立加密连接失败（{exc.reason or exc}）：请检查端口和加密方式"
            "（SSL 一般为 465 端口，STARTTLS 一般为 587 端口）。",
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise SendError("auth", f"邮件服务器 {where} 不接受登录（不支持 AUTH）：请核对服务器地址和端口。") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError("connect", _unreachable(where, exc)) from None


def _unreachable(where: str, exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        reason = "找不到该服务器，请核对地址"
    elif isinstance(exc, ConnectionRefusedError):
        reason = "服务器拒绝连接，请核对端口"
    elif isinstance(exc, TimeoutError | socket.timeout):
        reason = "连接超时"
    else:
        reason = str(exc) or type(exc).__name__
    return (
        f"无法连接邮件服务器 {where}（{reason}）：请检查网络连接、服务器地址和端口。单位网络可能屏蔽了发信端口，"
        "这时可以在网页邮箱中新建邮件，按“邮件正文.txt”填写并上传邮件包中的文件。"
    )


def send_package(
    folder: Path,
    mailbox: Mailbox,
    secret: str,
    *,
    context: ssl.SSLContext | None = None,
    timeout: float = 60,
    resend: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[SentMessage]:
    """Send the package's messages not sent yet (all of them with ``resend``); returns what was
    sent in this run. Raises SendError; what was sent before the error stays recorded."""
    problem = mailbox.problem()
    if problem:
        raise SendError("package", problem)
    manifest = read_manifest(folder)
    if manifest.get("draft"):
        from zhutui.naming import DRAFT

        raise SendError("package", f"这是{DRAFT}邮件包（由有错误的申报生成），不能报送：请改正错误后重新生成邮件包。")
    to = manifest.get("to")
    if not to:
        raise SendError("package", "计划年度中没有报送邮箱，无法发送：请在计划年度设置中填写后重新生成邮件包。")
    pending = [m["eml"] for m in manifest["messages"]] if resend else unsent_messages(manifest)
    if not pending:
        return []
    total = len(pending)
    if progress:
        progress(0, total, f"正在连接 {mailbox.host}")
    smtp = connect(mailbox, secret, context=context, timeout=timeout)
    sent: list[SentMessage] = []
    try:
        limit = int(smtp.esmtp_features.get("size", "0") or 0)
        for i, name in enumerate(pending):
            if cancelled and cancelled():
                break
            raw = (folder / name).read_bytes()
            message_id = make_msgid(domain=mailbox.address.rpartition("@")[2] or None)
            data = prepare_for_sending(raw, mailbox.address, message_id, formatdate(localtime=True))
            if limit and len(data) > limit:
                raise SendError("size", _too_large(name, len(data), limit))
            if progress:
                progress(i, total, f"正在发送 {name}（{len(data) / 1024 / 1024:.1f} MB）")
            try:
                smtp.sendmail(mailbox.address, [to], data)
            except smtplib.SMTPResponseException as exc:
                raise _refused(name, exc, len(data)) from None
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                raise SendError("refused", f"邮件服务器拒绝收件人 {to}（{code} {_text(text)}）。") from None
            except (smtplib.SMTPException, OSError) as exc:
                raise SendError("connect", INTERRUPTED.format(name=name, reason=exc)) from None
            record = SentMessage(name, message_id, dt.datetime.now().isoformat(timespec="seconds"))
            sent.append(record)
            _record_sent(folder, record, to)
            if progress:
                progress(i + 1, total, f"已发送 {name}")
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return sent


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _too_large(name: str, size: int, limit: int) -> str:
    return f"{name} 有 {size / 2**20:.1f} MB，超过邮件服务器允许的 {limit / 2**20:.0f} MB：" + SMALLER_BUDGET


def _refused(name: str, exc: smtplib.SMTPResponseException, size: int) -> SendError:
    text = _text(exc.smtp_error)
    if exc.smtp_code == 552 or "size" in text.lower() or "too large" in text.lower():
        return SendError(
            "size",
            f"{name}（{size / 1024 / 1024:.1f} MB）过大，服务器拒收（{exc.smtp_code} {text}）：" + SMALLER_BUDGET,
        )
    return SendError(
        "refused",
        f"邮件服务器拒收 {name}（{exc.smtp_code} {text}）：请稍后重试；若一再被拒，请用网页邮箱发送邮件包中的文件。",
    )


def _record_sent(folder: Path, record: SentMessage, to: str) -> None:
    from zhutui.appfile import write_atomic  # loaded when sending, not for the command line's help

    manifest = read_manifest(folder)
    manifest.setdefault("sent", []).append(asdict(record))
    write_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    lines = [
        f"{s['sent_at'].replace('T', ' ')}　已发送 {s['eml']} 至 {to}　Message-ID: {s['message_id']}"
        for s in manifest["sent"]
    ]
    write_atomic(folder / SENT_LOG, notepad_bytes("\n".join(lines) + "\n"))
