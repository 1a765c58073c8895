"""``zhutui package`` and ``zhutui send``: the mail package from the command line.

Exit statuses follow ``zhutui.cli``: 0 done, 1 error findings (nothing packaged unless --draft),
2 unusable input or a send that failed (the message says why and what to do).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

from zhutui.mailpack import send as smtp
from zhutui.mailpack.package import DEFAULT_BUDGET_MB, MB, build_package


def add_parsers(sub, date_arg) -> None:
    pkg = sub.add_parser(
        "package",
        help="生成电子邮件包：文件夹、.zip 和待发送的 .eml 邮件",
        description="检查后生成报送电子版用的邮件包；有错误时不生成（退出码 1），"
        "除非加 --draft 生成标明“草稿”的邮件包用于核对。",
    )
    from zhutui.cli import PATHS_HELP, add_sender_arguments

    pkg.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    pkg.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    pkg.add_argument("--today", type=date_arg, help="按这一天检查和填写日期（默认今天），YYYY-MM-DD")
    pkg.add_argument(
        "--budget-mb",
        type=float,
        default=DEFAULT_BUDGET_MB,
        metavar="N",
        help=f"每封邮件附件的容量上限，MB（默认 {DEFAULT_BUDGET_MB}：163 邮箱每封约 50 MB，编码后增大约三分之一）",
    )
    pkg.add_argument("--draft", action="store_true", help="有错误时也生成（标明“草稿”，不能报送）")
    add_sender_arguments(pkg)

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


def cmd_package(args: argparse.Namespace) -> int:
    from zhutui.cli import EXIT_FINDINGS, EXIT_OK, _err, _print_errors_briefly, batch_sender, load_batch
    from zhutui.mailpack.body import size_text

    apps = load_batch(args.paths, "未生成邮件包")
    today = args.today or dt.date.today()
    result = build_package(
        apps, Path(args.out), today, draft=args.draft, budget_mb=args.budget_mb, sender=batch_sender(apps, args)
    )
    errors = result.errors
    if errors:
        _err(f"检查发现 {len(errors)} 个错误：")
        _print_errors_briefly(result.findings)
    if result.folder is None:
        _err("有错误的申报不能报送，没有生成邮件包。请改正后重试；如需核对，可加 --draft 生成草稿邮件包。")
        return EXIT_FINDINGS
    print(result.folder)
    print(result.zip_path)
    for m in result.messages:
        print(
            f"{result.folder / m.eml}　附件{len(m.files)}个，{size_text(m.files_bytes)}"
            f"（上限 {result.budget / MB:.0f} MB），邮件 {size_text(m.size)}"
        )
    if result.scanned_pages:
        print(f"扫描件 {result.scanned_pages} 页，平均每页 {size_text(result.scan_bytes // result.scanned_pages)}。")
    kind = "草稿邮件包（不能报送）" if result.draft else "邮件包"
    count = f"，分 {len(result.messages)} 封邮件" if len(result.messages) > 1 else ""
    print(f"已生成{kind}：{len(result.files)} 个文件{count}，收件人 {result.to or '（计划中没有报送邮箱）'}。")
    return EXIT_FINDINGS if errors else EXIT_OK


def _mailbox(args: argparse.Namespace) -> smtp.Mailbox:
    from zhutui.cli import UsageError

    saved = _saved_mailbox()
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


def _saved_mailbox() -> smtp.Mailbox | None:
    from zhutui.workspace.db import DB_NAME
    from zhutui.workspace.store import Workspace, default_folder

    folder = default_folder()
    if not (folder / DB_NAME).exists():
        return None
    with Workspace(folder) as ws:
        return smtp.Mailbox.from_setting(ws.setting("mailbox"))


def _secret(args: argparse.Namespace, mailbox: smtp.Mailbox) -> tuple[str, bool]:
    """The 授权码 and whether it came from the secret store."""
    from zhutui.cli import UsageError, _err
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
        _err(str(exc))
    if not sys.stdin.isatty():
        raise UsageError("没有保存的授权码：请用 --password-stdin 从标准输入提供")
    secret = getpass.getpass(f"{mailbox.address} 的授权码（输入时不显示）：")
    if not secret:
        raise UsageError("没有输入授权码")
    return secret, False


def cmd_send(args: argparse.Namespace) -> int:
    from zhutui.cli import EXIT_INPUT, EXIT_OK, _err
    from zhutui.mailpack.secrets import NoSecretStore, delete_secret, set_secret

    folder = Path(args.folder)
    mailbox = _mailbox(args)
    try:
        pending = smtp.unsent_messages(smtp.read_manifest(folder))
    except smtp.SendError as exc:
        _err(f"错误：{exc.message}")
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
        _err(f"发送失败：{exc.message}")
        return EXIT_INPUT
    if args.remember and not from_store:
        try:
            set_secret(mailbox.login, secret)
            print("授权码已存入系统密码保管库。")
        except NoSecretStore as exc:
            _err(str(exc))
    for record in sent:
        print(f"已发送 {record.eml}　{record.sent_at.replace('T', ' ')}　Message-ID: {record.message_id}")
    print(f"发送完成，记录见 {folder / smtp.SENT_LOG}。")
    return EXIT_OK
