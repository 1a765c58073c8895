"""``zhutui gui`` (the default): the window, with the files it was given."""

from __future__ import annotations

import argparse
import os
import sys

from zhutui.cli.common import date_arg
from zhutui.errors import InputError


def add_parser(sub: argparse._SubParsersAction) -> None:
    gui = sub.add_parser(
        "gui",
        help="打开窗口（不带命令运行 zhutui 时也是打开窗口）",
        description="打开窗口；给出交接包（.zhutui）时打开导入预览，给出申报文件或其文件夹时导入它们。"
        "窗口已经打开时，交给已打开的窗口并把它切换到前面。",
    )
    gui.add_argument("paths", nargs="*", metavar="FILE", help="交接包（.zhutui）、申报文件（.json）或其文件夹")
    gui.add_argument("--today", type=date_arg, help="按这一天计算截止日期和检查（默认今天），YYYY-MM-DD")


def run(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not any(
        os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        raise InputError(
            None,
            None,
            "没有图形桌面（DISPLAY 未设置），无法打开窗口。请在桌面环境里运行，"
            "或用 xvfb-run -a zhutui 在虚拟屏幕上运行；命令行的用法见 zhutui --help",
        )
    try:
        from zhutui.gui.main import run as run_window
    except ImportError as exc:  # Qt's system libraries missing (a server without a desktop)
        raise InputError(
            None, None, f"无法打开窗口：缺少图形界面所需的系统库（{exc}）。请先运行 bash installer/setup.sh run 安装"
        ) from None
    return run_window(today=getattr(args, "today", None), paths=getattr(args, "paths", None) or [])
