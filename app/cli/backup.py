"""``zhutui backup``: the workspace backed up now (the window makes one a day)."""

from __future__ import annotations

import argparse
from pathlib import Path

from zhutui.cli.bundle import workspace_folder
from zhutui.cli.common import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    bak = sub.add_parser("backup", help="立即备份工作区（全部申报、附件和设置，不含授权码）")
    bak.add_argument("--workspace", metavar="DIR", help="工作区文件夹（默认：本机的工作区）")
    bak.add_argument("--out", metavar="DIR", help="备份存放的文件夹（默认：数据文件夹中的 backups）")


def run(args: argparse.Namespace) -> int:
    from zhutui.bundle.backup import make_backup
    from zhutui.workspace.store import Workspace

    with Workspace(workspace_folder(args.workspace)) as ws:
        result = make_backup(ws, Path(args.out) if args.out else None)
    print(f"已备份 {result.applications} 份申报、{result.attachments} 个附件和设置到 {result.path}。")
    return EXIT_OK
