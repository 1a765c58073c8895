"""``zhutui send``: a mail package's messages sent over SMTP (TLS only).

Exit statuses: 0 sent (or nothing left to send), 2 a send that failed or unusable input (the
message says why and what to do).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from zhutui.cli.common import EXIT_INPUT, EXIT_OK, UsageError, err
from zhutui.mailpack import send as smtp


def add_parser(sub: argparse._SubParsersAction) -> None:
    snd = sub.add_parser(
        "send",
        help="通过邮箱（SMTP，加密连接）发送邮件包",
        description="发送邮件包中尚未发送的邮件。邮箱设置默认取自窗口中“发送”对话框上次填写的邮箱；"
        "授权码保存在系统密码保管库中，不写入任何文件。",
    )
    snd.add_argument("folder", metavar="PACKAGE_DIR", help="邮件包文件夹")
    snd.add_argument("--address", help="发件邮箱地址，如 gonghui@163.com")
    snd.add_argument(
        "--preset",
        choices=[p.key for p in smtp.PRESETS],
        help="邮箱类型：" + "，".join(f"{p.key}={p.label}" for p in smtp.PRESETS),
    )
    snd.add_argument("--server", help="发件服务器（SMTP）地址（其他邮箱时填写）")
    snd.add_argument("--port", type=int, help="端口（SSL 一般为 465，STARTTLS 一般为 587）")
    snd.add_argument("--security", choices=(smtp.SSL, smtp.STARTTLS), help="加密方式")
    snd.add_argument("--username", help="登录名（与邮箱地址不同时填写）")
    snd.add_argument("--password-stdin", action="store_true", help="从标准输入读取授权码（一行）")
    snd.add_argument("--remember", action="store_true", help="发送成功后把授权码存入系统密码保管库")
    snd.add_argument("--resend", action="store_true", help="已发送过的邮件也再发送一次")


def _mailbox(args: argparse.Namespace) -> smtp.Mailbox:
    saved = saved_mailbox()
    address = args.address or (saved.address if saved else "")
    if not address:
        raise UsageError("请用 --address 指定发件邮箱（或先在窗口的“发送”对话框中填写一次）")
    same = saved if saved and saved.address == address else None
    # Server settings: a named preset, else those last used for this address, else the address's preset.
    base = smtp.preset(args.preset) if args.preset else same or smtp.preset_for_address(address)
    host = args.server or (base.host if base else "")
    port = args.port or (base.port if base else 465)
    security = args.security or (base.security if base else smtp.SSL)
    username = args.username or (same.username if same else "")
    mailbox = smtp.Mailbox(address, host, port, security, username)
    problem = mailbox.problem()
    if problem:
        raise UsageError(problem + "（--server/--port/--security）")
    return mailbox


def saved_mailbox() -> smtp.Mailbox | None:
    """The mailbox last used in the window's 发送 dialog (the user's own workspace), if any."""
    from zhutui.workspace.db import DB_NAME
    from zhutui.workspace.store import Workspace, default_folder

    folder = default_folder()
    if not (folder / DB_NAME).exists():
        return None
    with Workspace(folder) as ws:
        return smtp.Mailbox.from_setting(ws.setting("mailbox"))


def _secret(args: argparse.Namespace, mailbox: smtp.Mailbox) -> tuple[str, bool]:
    """The 授权码 and whether it came from the secret store."""
    from zhutui.mailpack.secrets import NoSecretStore, get_secret

    if args.password_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
        if not secret:
            raise UsageError("标准输入中没有授权码")
        return secret, False
    try:
        stored = get_secret(mailbox.login)
        if stored:
            return stored, True
    except NoSecretStore as exc:
        err(str(exc))
    if not sys.stdin.isatty():
        raise UsageError("没有保存的授权码：请用 --password-stdin 从标准输入提供")
    secret = getpass.getpass(f"{mailbox.address} 的授权码（输入时不显示）：")
    if not secret:
        raise UsageError("没有输入授权码")
    return secret, False


def run(args: argparse.Namespace) -> int:
    from zhutui.mailpack.secrets import NoSecretStore, delete_secret, set_secret

    folder = Path(args.folder)
    mailbox = _mailbox(args)
    try:
        pending = smtp.unsent_messages(smtp.read_manifest(folder))
    except smtp.SendError as exc:
        err(f"错误：{exc.message}")
        return EXIT_INPUT
    if not pending and not args.resend:
        print(f"{folder} 中的邮件都已发送过（见 {smtp.SENT_LOG}）；如需再发一次，请加 --resend。")
        return EXIT_OK
    secret, from_store = _secret(args, mailbox)

    def progress(done: int, total: int, what: str) -> None:
        print(what, flush=True)

    try:
        sent = smtp.send_package(folder, mailbox, secret, resend=args.resend, progress=progress)
    except smtp.SendError as exc:
        if exc.kind == "auth" and from_store:
            try:
                delete_secret(mailbox.login)  # a stored code the server refuses is of no use
                exc.message += "（已删除保存的授权码，下次发送时请重新输入。）"
            except NoSecretStore:
                pass
        err(f"发送失败：{exc.message}")
        return EXIT_INPUT
    if args.remember and not from_store:
        try:
            set_secret(mailbox.login, secret)
            print("授权码已存入系统密码保管库。")
        except NoSecretStore as exc:
            err(str(exc))
    for record in sent:
        print(f"已发送 {record.eml}　{record.sent_at.replace('T', ' ')}　Message-ID: {record.message_id}")
    print(f"发送完成，记录见 {folder / smtp.SENT_LOG}。")
    return EXIT_OK
