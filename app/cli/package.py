"""``zhutui package``: the e-mail package of a batch (folder, .zip and .eml drafts).

Exit statuses: 0 done, 1 error findings (nothing packaged unless --draft), 2 unusable input.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from zhutui.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    PATHS_HELP,
    add_sender_arguments,
    batch_sender,
    date_arg,
    err,
    load_batch,
    print_errors_briefly,
)
from zhutui.mailpack.result import DEFAULT_BUDGET_MB, MB


def add_parser(sub: argparse._SubParsersAction) -> None:
    pkg = sub.add_parser(
        "package",
        help="生成电子邮件包：文件夹、.zip 和待发送的 .eml 邮件",
        description="检查后生成报送电子版用的邮件包；有错误时不生成（退出码 1），"
        "除非加 --draft 生成标明“草稿”的邮件包用于核对。",
    )
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
    pkg.add_argument(
        "--from",
        dest="from_address",
        metavar="ADDRESS",
        help="发件邮箱（写入邮件的“发件人”；默认取窗口中“发送”对话框上次填写的邮箱）",
    )
    add_sender_arguments(pkg)


def run(args: argparse.Namespace) -> int:
    from zhutui.cli.send import saved_mailbox
    from zhutui.mailpack.body import size_text
    from zhutui.mailpack.package import build_package

    apps = load_batch(args.paths, "未生成邮件包")
    today = args.today or dt.date.today()
    saved = None if args.from_address else saved_mailbox()
    result = build_package(
        apps,
        Path(args.out),
        today,
        draft=args.draft,
        budget_mb=args.budget_mb,
        sender=batch_sender(apps, args),
        from_address=args.from_address or (saved.address if saved else None),
    )
    errors = result.errors
    if errors:
        err(f"检查发现 {len(errors)} 个错误：")
        print_errors_briefly(result.findings)
    if result.folder is None:
        err("有错误的申报不能报送，没有生成邮件包。请改正后重试；如需核对，可加 --draft 生成草稿邮件包。")
        return EXIT_FINDINGS
    for note in result.notes:
        err(f"注意：{note}")
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
