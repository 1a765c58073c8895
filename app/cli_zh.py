"""argparse's own texts in Chinese (用法, 选项, 无效的选择 …): the command line speaks the same
language as the window. argparse looks its texts up through ``gettext`` at the moment it uses
them; ``install`` puts a Chinese catalogue in front, for the texts of Python 3.11 and later (a
text not listed stays as argparse wrote it)."""

from __future__ import annotations

import argparse
import gettext

TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "invalid %(type)s value: %(value)r": "值无效（应为 %(type)s）：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "ignored explicit argument %r": "多余的值 %r",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}
PLURALS = {("expected %s argument", "expected %s arguments"): "需要 %s 个值"}


def _gettext(text: str) -> str:
    return TEXTS.get(text, gettext.gettext(text))


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get((singular, plural)) or gettext.ngettext(singular, plural, n)


def install() -> None:
    """Chinese argparse texts from now on (parsers built after this call, and every message)."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
