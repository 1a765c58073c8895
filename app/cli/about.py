"""``zhutui about``: version, folders, fonts, the secret store and the components' licences."""

from __future__ import annotations

import argparse

from zhutui.cli.common import EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("about", help="版本、数据文件夹、日志文件夹、PDF字体、密码保管库和使用的开源软件及其许可证")


def run(args: argparse.Namespace) -> int:
    from zhutui.about import report

    print(report())
    return EXIT_OK
