"""Normalising what people really type: full-width characters, stray spaces,
dates in many spellings and money amounts written the Chinese way.

All functions are pure and never do I/O. The ``normalize_*`` functions never
raise: when a value can't be read they hand back the cleaned input (or
``None`` for money) and leave reporting to the caller.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "clean_name",
    "clean_text",
    "identity_text",
    "normalize_date",
    "normalize_money",
    "parse_date",
    "to_halfwidth",
    "to_halfwidth_all",
]

_FW_OFFSET = 0xFEE0  # U+FF01..U+FF5E map to U+0021..U+007E

# Full-width digits and Latin letters only (Chinese punctuation left alone).
_HALFWIDTH_ALNUM = {
    cp: cp - _FW_OFFSET for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for cp in range(lo, hi + 1)
}

# Every full-width ASCII character, the ideographic space and dash look-alikes.
_HALFWIDTH_ALL = {cp: cp - _FW_OFFSET for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH_ALL.update(
    {
        0x3000: 0x20,  # ideographic space
        0x2010: 0x2D,  # hyphen
        0x2011: 0x2D,  # non-breaking hyphen
        0x2012: 0x2D,  # figure dash
        0x2013: 0x2D,  # en dash
        0x2014: 0x2D,  # em dash
        0x2212: 0x2D,  # minus sign
        0x3002: 0x2E,  # 。 typed instead of a dot (identifier fields only)
    }
)

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_EDGE_RE = re.compile(rf"^[\s{_ZERO_WIDTH}]+|[\s{_ZERO_WIDTH}]+$")
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")


def to_halfwidth(s: str) -> str:
    """Full-width digits and Latin letters to ASCII; everything else unchanged."""
    return s.translate(_HALFWIDTH_ALNUM)


def to_halfwidth_all(s: str) -> str:
    """Every full-width ASCII character (U+FF01–FF5E) to ASCII, U+3000 to a space,
    dashes (— – ‐ −) to ``-`` and 。 to ``.``. Meant for identifier-like fields."""
    return s.translate(_HALFWIDTH_ALL)


def identity_text(s: str) -> str:
    """What two names are compared by when the question is "the same one?" (a studio, an
    enterprise, a project; a form's ``identity``): full-width and half-width forms alike
    (（集团） = (集团), ＡＢＣ１２ = ABC12; :func:`to_halfwidth_all`) and without any white space
    or zero-width character. Only for comparing: the text itself is kept as typed."""
    return "".join(to_halfwidth_all(_ZERO_WIDTH_RE.sub("", s)).split())


# Line breaks other than LF that pasted text brings (Word's manual line break is a vertical tab).
_LINE_BREAKS = str.maketrans({"\v": "\n", "\f": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


def clean_text(s: str) -> str:
    """:func:`to_halfwidth`, strip surrounding whitespace (incl. U+3000) and
    zero-width characters, CRLF / CR and the other line breaks (VT, FF, NEL, U+2028/9) to LF.
    Inner text is otherwise kept."""
    s = to_halfwidth(s).replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    return _EDGE_RE.sub("", s)


# CJK ideographs (basic, extension A, compatibility, extensions B–G) and 〇.
_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NAME_DOT = "\u00b7"  # · as in 买买提·艾力
# Look-alikes people type for the name separator dot.
_DOT_LIKE = "\u00b7\u2022\u2027\u2219\u22c5\u30fb\uff65\u0387\u16eb\u2e31"
_SPACE_BETWEEN_CJK_RE = re.compile(rf"(?<=[{_CJK}{_NAME_DOT}])\s+(?=[{_CJK}{_NAME_DOT}])")
_DOT_RE = re.compile(rf"(?<=[{_CJK}])\s*[{_DOT_LIKE}.．]\s*(?=[{_CJK}])")
_SPACES_RE = re.compile(r"\s+")


def clean_name(s: str) -> str:
    """A person's or organisation's name: :func:`clean_text`, drop zero-width
    characters, remove whitespace between Chinese characters ("王 建国" → "王建国"),
    unify the separator dot of names like "买买提·艾力", and collapse other
    whitespace runs to one space (ASCII names keep single inner spaces)."""
    s = _ZERO_WIDTH_RE.sub("", clean_text(s))
    s = _DOT_RE.sub(_NAME_DOT, s)
    s = _SPACE_BETWEEN_CJK_RE.sub("", s)
    return _SPACES_RE.sub(" ", s)


_DATE_SEP_RE = re.compile(r"^(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
_DATE_CN_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_DATE_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_STRICT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalize_date(s: str) -> str:
    """Return ``YYYY-MM-DD`` for a real calendar date written as 2021-6-15,
    2021.6.15, 2021/6/15, 2021年6月15日, 2021年06月15号, 20210615 (full-width
    digits and surrounding spaces allowed); otherwise the cleaned input.

    ``datetime.date`` / ``datetime.datetime`` values (e.g. from a spreadsheet
    cell) are formatted too. Never raises.
    """
    if isinstance(s, _dt.datetime):
        return s.date().isoformat()
    if isinstance(s, _dt.date):
        return s.isoformat()
    if s is None:
        return ""
    if not isinstance(s, str):
        s = str(s)
    cleaned = clean_text(s)
    text = to_halfwidth_all(cleaned).strip()
    for rx, groups in ((_DATE_SEP_RE, (1, 3, 4)), (_DATE_CN_RE, (1, 2, 3)), (_DATE_COMPACT_RE, (1, 2, 3))):
        m = rx.match(text)
        if m:
            y, mo, d = (int(m.group(g)) for g in groups)
            try:
                return _dt.date(y, mo, d).isoformat()
            except ValueError:
                return cleaned
    return cleaned


def parse_date(s: str) -> _dt.date | None:
    """Strict ``YYYY-MM-DD`` only; ``None`` for anything else or an impossible date."""
    if not isinstance(s, str) or not _DATE_STRICT_RE.match(s):
        return None
    try:
        return _dt.date.fromisoformat(s)
    except ValueError:
        return None


_MONEY_PREFIXES = ("人民币", "RMB", "¥", "￥")
_MONEY_SUFFIXES = ("元整", "元", "圆整", "圆")
_MONEY_NUMBER_RE = re.compile(r"^(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
_TEN_THOUSAND = 10000


def normalize_money(value: object) -> int | None:
    """Whole yuan as an ``int``, or ``None`` when the value can't be read as whole yuan.

    Accepts ints (not bools), integral floats / Decimals, and strings such as
    ``"100000"``, ``"100,000"``, ``"１０００００"``, ``"¥100000.00"``, ``"10万"``,
    ``"1.5万元"``, ``"人民币100000元整"``. Thousands separators must be in
    groups of three. Never raises.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        try:
            if value == int(value):
                return int(value)
        except (ValueError, OverflowError, InvalidOperation):
            return None
        return None
    if not isinstance(value, str):
        return None
    s = _SPACES_RE.sub("", to_halfwidth_all(value)).upper()
    changed = True
    while changed:
        changed = False
        for p in _MONEY_PREFIXES:
            if s.startswith(p):
                s, changed = s[len(p) :], True
    for suffix in _MONEY_SUFFIXES:
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    multiplier = 1
    if s.endswith("万"):
        s, multiplier = s[:-1], _TEN_THOUSAND
    m = _MONEY_NUMBER_RE.match(s)
    if not m:
        return None
    sign, whole, frac = m.group(1), m.group(2).replace(",", ""), m.group(3) or ""
    if multiplier == 1 and (len(frac) > 2 or frac.strip("0")):
        return None  # 1000.5 is not whole yuan; 100.000 is ambiguous
    if len(frac) > 4:
        return None
    amount = Decimal(f"{whole}.{frac or '0'}") * multiplier
    if amount != amount.to_integral_value():
        return None
    return -int(amount) if sign else int(amount)


def cn_date(d: _dt.date | None) -> str:
    """2022-10-17 as 2022年10月17日; an unknown date (None) as 未公布."""
    return f"{d.year}年{d.month}月{d.day}日" if d else "未公布"
