"""``zhutui restore``: the workspace replaced by a backup or a bundle (the current one backed up first)."""

from __future__ import annotations

import argparse
from pathlib import Path

from zhutui.cli.bundle import workspace_folder
from zhutui.cli.common import EXIT_OK, err, read_password


def add_parser(sub: argparse._SubParsersAction) -> None:
    res = sub.add_parser(
        "restore",
        help="用备份或交接包替换工作区（当前工作区先自动备份）",
        description="核验后在工作区旁重建，成功后才替换当前工作区；当前工作区先备份到数据文件夹的 backups 中。",
    )
    res.add_argument("file", metavar="FILE.zhutui", help="备份或交接包")
    res.add_argument("--into", metavar="DIR", help="要替换的工作区文件夹（默认：本机的工作区）")
    res.add_argument(
        "--password-stdin", action="store_true", help="从标准输入读取交接包的密码（一行；本机工作区自己的备份不需要）"
    )


def run(args: argparse.Namespace) -> int:
    from zhutui.bundle.backup import restore
    from zhutui.workspace.lock import WorkspaceLock

    folder = workspace_folder(args.into)
    hint = "请在窗口的“设置 → 备份与恢复”中恢复，或关闭窗口后再运行此命令。"
    with WorkspaceLock(folder, "zhutui restore", hint):
        result = restore(Path(args.file), folder, passwords=read_password(args))
    print(
        f"已恢复 {result.applications} 份申报、{result.attachments} 个附件"
        + ("和设置" if result.settings else "")
        + f"到工作区 {folder}。"
    )
    if result.dropped_settings:
        err(result.dropped_note())
    if result.safety_backup:
        print(f"恢复前的工作区已备份为 {result.safety_backup}（需要时可用 zhutui restore 恢复回去）。")
    return EXIT_OK
