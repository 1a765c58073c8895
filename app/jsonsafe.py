"""JSON from outside (application files, bundles' members and manifests) read within bounds.

Python's ``json`` accepts what would later crash or exhaust the app: nesting 100,000 deep
(``RecursionError``), a 10,000-digit integer (``ValueError`` past Python's 4,300-digit limit,
and slow before it), ``NaN`` / ``Infinity``, NUL and lone surrogates in strings (which SQLite,
file names and PDFs refuse). ``parse`` turns each into ``JsonProblem`` with a Chinese message
and, where known, the place; ``text_problem`` says what is wrong with one string.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_INT_DIGITS = 18  # the largest amount in yuan or year fits in far fewer
MAX_TEXT = 20_000  # characters in any one string; every field's own limit is far below

# Invisible control characters; tab, the line breaks and the vertical tab / form feed that
# Word's line breaks paste as are text (normalize.clean_text makes the latter LF).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class JsonProblem(Exception):
    def __init__(self, message: str, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


class _LongNumber(Exception):
    def __init__(self, digits: int):
        self.digits = digits


_JSON_ERRORS = {
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Expecting value": "缺少值或有多余的逗号",
    "Expecting property name enclosed in double quotes": "键名须用英文双引号括起（或有多余的逗号）",
    "Unterminated string starting at": "引号没有闭合",
    "Invalid control character at": "文字中有换行等控制字符，须写成 \\n",
    "Extra data": "文件末尾有多余内容",
    "Invalid \\escape": "反斜杠 \\ 的写法不对",
}


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _LongNumber(digits)
    return int(text)


def _no_constant(name: str) -> Any:
    raise JsonProblem(f"JSON 中不能有 {name}（不是数字）")


def parse(text: str) -> Any:
    """``text`` parsed; ``JsonProblem`` for anything outside the bounds above."""
    try:
        data = json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_int=_bounded_int, parse_constant=_no_constant
        )
    except json.JSONDecodeError as exc:
        reason = next((zh for en, zh in _JSON_ERRORS.items() if exc.msg.startswith(en)), exc.msg)
        raise JsonProblem(f"JSON 格式错误：{reason}", f"第{exc.lineno}行第{exc.colno}列") from None
    except _DuplicateKey as exc:
        raise JsonProblem("同一个键出现了两次，请删去一个", exc.key) from None
    except _LongNumber as exc:
        raise JsonProblem(f"有一个 {exc.digits} 位的数字，不是金额或年份：请检查是否多写或粘贴错了") from None
    except RecursionError:
        raise JsonProblem("JSON 嵌套的层数太多，不是申报文件的格式") from None
    return data


def text_problem(value: str) -> str | None:
    """What makes ``value`` unusable as a text, or None: NUL and other invisible control
    characters, half a character (a lone surrogate), or more than ``MAX_TEXT`` characters."""
    if len(value) > MAX_TEXT:
        return f"内容太长（{len(value)} 字，最多 {MAX_TEXT} 字），请删减"
    if _SURROGATE.search(value):
        return "含有无效的字符（半个字符，常见于复制粘贴出错），请重新输入这一项"
    if _CONTROL.search(value):
        return "含有看不见的控制字符（如 NUL），请删去后重新输入这一项"
    return None
