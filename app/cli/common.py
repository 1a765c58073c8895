"""What every command of ``zhutui`` shares: exit statuses, messages, arguments, the batch.

Exit statuses (a fixed contract): 0 no error finding, 1 at least one error finding, 2 unusable
input (the message on stderr names the file and the key or line), 3 an internal error (the
details go to a log file, never a traceback on screen).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

# What a command needs is imported when it runs: ``zhutui --version`` and ``zhutui plans`` start
# without the checks, the outputs or the workspace.
if TYPE_CHECKING:
    from zhutui.appfile import Application
    from zhutui.checks import Finding
    from zhutui.outputs.values import Sender

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

PATHS_HELP = "申报文件（.json）、其文件夹、工作区文件夹或交接包（.zhutui）；多个一起作为同一批"


class UsageError(Exception):
    """Bad command-line arguments (exit 2)."""


class Unreadable(Exception):
    """Some files of the batch could not be loaded; their messages were printed (exit 2)."""


def err(text: str) -> None:
    print(text, file=sys.stderr)


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，如 2022-10-25（现为“{text}”）") from None


def add_sender_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--contact", default="", help="汇总多家单位工会的申报时：填报单位（区、局、集团（公司）工会）的联系人"
    )
    parser.add_argument("--phone", default="", help="汇总多家单位工会的申报时：填报单位的联系电话")


def batch_sender(apps: list[Application], args: argparse.Namespace) -> Sender:
    """The sender of the tables and the 材料清单: from the forms; a consolidated batch (several
    enterprise unions) is the superior union's, with --contact and --phone."""
    from zhutui.outputs import values

    return values.sender(apps, args.contact, args.phone)


def load_batch(paths: Sequence[str], doing: str) -> list[Application]:
    """Every application named by ``paths`` (``pipeline.load_paths``); prints each unreadable
    file's problem and raises ``Unreadable`` (exit 2) when any could not be loaded."""
    from zhutui.pipeline import load_paths

    apps, problems = load_paths(paths)
    if problems:
        for problem in problems:
            err(f"错误：{problem}")
        err(f"有 {len(problems)} 个文件无法读取，{doing}。请按上面的提示修改后重试。")
        raise Unreadable()
    return apps


def print_errors_briefly(findings: Sequence[Finding], limit: int = 20) -> None:
    errors = [f for f in findings if f.severity == "error"]
    for f in errors[:limit]:
        err(f"  {f.file}：{f.code} {f.path}：{f.message}")
    if len(errors) > limit:
        err(f"  ……另有 {len(errors) - limit} 个错误，完整清单请运行 zhutui check。")


def read_password(args: argparse.Namespace, *, new: bool = False) -> list[bytes]:
    """The bundle password given for this command: a line on standard input (``--password-stdin``)
    or ``ZHUTUI_BUNDLE_PASSWORD``; none: []."""
    from zhutui.pipeline import PASSWORD_ENV
    from zhutui.workspace.vault import MIN_PASSPHRASE as MIN_PASSWORD

    if getattr(args, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = os.environ.get(PASSWORD_ENV, "")
    if new and password and len(password) < MIN_PASSWORD:
        raise UsageError(f"交接包的密码至少 {MIN_PASSWORD} 个字符")
    if getattr(args, "password_stdin", False) and not password:
        raise UsageError("--password-stdin：标准输入中没有密码")
    return [password.encode("utf-8")] if password else []
