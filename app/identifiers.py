"""Chinese identifiers: patent numbers, 身份证号, 统一社会信用代码, union card
numbers and phone numbers. Pure functions; reasons are Chinese and say what to do."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass

from zhutui.normalize import clean_text, to_halfwidth_all


def _text(raw: object) -> str:
    """Identifiers sometimes arrive as numbers (spreadsheets, hand-written JSON)."""
    return "" if raw is None else raw if isinstance(raw, str) else str(raw)


# ---------------------------------------------------------------- patents

_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
PATENT_KINDS = {1: "invention", 2: "utility_model", 3: "design", 8: "pct_invention", 9: "pct_utility_model"}
_PATENT_TEXT_PREFIX_RE = re.compile(r"^(?:专利号|专利申请号|申请号)\s*[:：]?\s*")
# Prefix, optionally followed by a colon; the check character after ".", "·" or nothing.
_PATENT_RE = re.compile(r"^(?:(?:ZL|CN):?)?(\d{12}|\d{8})[.·]?([0-9X])$")


@dataclass(frozen=True)
class PatentNumber:
    """A Chinese patent (application) number: 12 or 8 digits plus a check character."""

    digits: str
    check: str

    def __post_init__(self) -> None:
        if not (len(self.digits) in (8, 12) and self.digits.isascii() and self.digits.isdigit()):
            raise ValueError(f"patent digits must be 8 or 12 ASCII digits: {self.digits!r}")
        if len(self.check) != 1 or self.check not in "0123456789X":
            raise ValueError(f"patent check character must be 0-9 or X: {self.check!r}")
        if self.type_digit not in PATENT_KINDS:
            raise ValueError(f"unknown patent type digit: {self.type_digit}")

    def __str__(self) -> str:
        return self.normalized

    @property
    def normalized(self) -> str:
        return f"ZL{self.digits}.{self.check}"

    @property
    def type_digit(self) -> int:
        return int(self.digits[4] if len(self.digits) == 12 else self.digits[2])

    @property
    def year(self) -> int:
        if len(self.digits) == 12:
            return int(self.digits[:4])
        yy = int(self.digits[:2])
        return 1900 + yy if yy >= 85 else 2000 + yy

    @property
    def kind(self) -> str:
        return PATENT_KINDS[self.type_digit]

    @property
    def is_invention(self) -> bool:
        return self.type_digit in (1, 8)

    @property
    def check_ok(self) -> bool:
        return patent_check_char(self.digits) == self.check


def patent_check_char(digits: str) -> str:
    """Check character for 12 or 8 patent digits: Σ dᵢ·wᵢ mod 11, 10 → ``X``."""
    if not (len(digits) in (8, 12) and digits.isascii() and digits.isdigit()):
        raise ValueError(f"patent digits must be 8 or 12 ASCII digits: {digits!r}")
    r = sum(int(d) * w for d, w in zip(digits, _PATENT_WEIGHTS, strict=False)) % 11
    return "X" if r == 10 else str(r)


def parse_patent_number(raw: str) -> PatentNumber | None:
    """Parse a messy patent number; ``None`` when not recognisable. A wrong check
    character still parses (``check_ok`` is then False)."""
    return _parse_patent_number(raw) if isinstance(raw, str) else _parse_patent_number.__wrapped__(raw)


# The batch's numbers are parsed again at every keystroke's batch rules (P009): the same texts.
@functools.lru_cache(maxsize=4096)
def _parse_patent_number(raw: str) -> PatentNumber | None:
    s = _PATENT_TEXT_PREFIX_RE.sub("", to_halfwidth_all(_text(raw)).strip())
    m = _PATENT_RE.match(re.sub(r"\s+", "", s).upper())
    if not m:
        return None
    digits, check = m.groups()
    if len(digits) == 12:
        type_digit, year_ok = int(digits[4]), 1985 <= int(digits[:4]) <= 2099
    else:
        type_digit, year_ok = int(digits[2]), int(digits[:2]) >= 85 or int(digits[:2]) <= 3
    if type_digit not in PATENT_KINDS or not year_ok:
        return None
    return PatentNumber(digits, check)


def normalize_patent_number(raw: str) -> str:
    """``ZL201410026192.3`` form when parseable, else the input cleaned."""
    p = parse_patent_number(raw)
    return p.normalized if p else clean_text(_text(raw))


def make_patent_number(year: int, type_digit: int, serial: int) -> str:
    """A valid 12-digit patent number in normalized form (for demos and tests)."""
    if not (1985 <= year <= 2099 and type_digit in PATENT_KINDS and 0 <= serial <= 9_999_999):
        raise ValueError("year 1985-2099, type digit 1/2/3/8/9, serial 0-9999999")
    digits = f"{year:04d}{type_digit}{serial:07d}"
    return PatentNumber(digits, patent_check_char(digits)).normalized


# ---------------------------------------------------------------- 身份证号

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
ID_PROVINCES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55), *range(61, 66), 71, 81, 82, 83]
)
_ID_SHAPE_RE = re.compile(r"^\d{17}[\dX]$")


def normalize_id_number(raw: str) -> str:
    """Half-width, spaces removed, lower-case ``x`` upper-cased."""
    return re.sub(r"\s+", "", to_halfwidth_all(_text(raw))).replace("x", "X")


def id_check_char(first17: str) -> str:
    """GB 11643 check character for the first 17 digits."""
    if not (len(first17) == 17 and first17.isascii() and first17.isdigit()):
        raise ValueError(f"need 17 ASCII digits: {first17!r}")
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _id_birth(s: str) -> _dt.date | None:
    try:
        return _dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None


def check_id_number(s: str, today: _dt.date) -> str | None:
    """``None`` when ``s`` is a valid 18-character 身份证号, else a Chinese reason."""
    s = normalize_id_number(s)
    if len(s) != 18:
        if len(s) == 15 and s.isdigit():
            return "身份证号应为18位（现为15位，是旧版号码），请填写二代身份证上的18位号码"
        return f"身份证号应为18位（现为{len(s)}位），请对照身份证核对"
    if not _ID_SHAPE_RE.match(s):
        return "身份证号只能含数字，最后一位可以是X，请对照身份证核对"
    if int(s[:2]) not in ID_PROVINCES:
        return "身份证号前两位地区码无效，请对照身份证核对"
    birth = _id_birth(s)
    if birth is None:
        return "身份证号中的出生日期不存在，请对照身份证核对"
    if birth.year < 1900:
        return "身份证号中的出生年份早于1900年，请对照身份证核对"
    if birth > today:
        return "身份证号中的出生日期晚于今天，请对照身份证核对"
    if id_check_char(s[:17]) != s[17]:
        return "身份证号校验位不符，可能有数字输错，请对照身份证逐位核对"
    return None


def gender_from_id(s: str) -> str | None:
    """ "男" when the 17th digit is odd, "女" when even, ``None`` if not shaped like an ID."""
    s = normalize_id_number(s)
    if not _ID_SHAPE_RE.match(s):
        return None
    return "男" if int(s[16]) % 2 else "女"


def birth_date_from_id(s: str) -> _dt.date | None:
    """Birth date encoded in an 18-character ID number, ``None`` if absent or impossible."""
    s = normalize_id_number(s)
    return _id_birth(s) if _ID_SHAPE_RE.match(s) else None


def make_id_number(region: str, birth: _dt.date, seq: int, male: bool) -> str:
    """A valid ID number; ``seq`` 0–99 gives the first two sequence digits, the
    third is chosen from ``seq`` with the parity of the gender (odd = male)."""
    if not (len(region) == 6 and region.isascii() and region.isdigit() and 0 <= seq <= 99):
        raise ValueError("region must be 6 digits and seq 0-99")
    first17 = f"{region}{birth:%Y%m%d}{seq:02d}{(seq % 5) * 2 + (1 if male else 0)}"
    return first17 + id_check_char(first17)


# ---------------------------------------------------------------- 统一社会信用代码

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def normalize_uscc(raw: str) -> str:
    """Half-width, upper-case, spaces removed."""
    return re.sub(r"\s+", "", to_halfwidth_all(_text(raw))).upper()


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character for the first 17 characters."""
    if len(first17) != 17 or any(c not in USCC_CHARSET for c in first17):
        raise ValueError(f"need 17 characters of {USCC_CHARSET}: {first17!r}")
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def check_uscc(s: str) -> str | None:
    """``None`` when ``s`` is a valid 统一社会信用代码, else a Chinese reason."""
    s = normalize_uscc(s)
    if len(s) != 18:
        return f"统一社会信用代码应为18位（现为{len(s)}位），请对照营业执照核对"
    if any(c not in USCC_CHARSET for c in s):
        return "统一社会信用代码含无效字符（不使用字母I、O、S、V、Z），请对照营业执照核对"
    if not s[2:8].isdigit():
        return "统一社会信用代码第3至8位应为数字（行政区划码），请对照营业执照核对"
    if uscc_check_char(s[:17]) != s[17]:
        return "统一社会信用代码校验位不符，可能有字符输错，请对照营业执照逐位核对"
    return None


def make_uscc(body17_without_check: str) -> str:
    """Append the check character to 17 characters."""
    return body17_without_check + uscc_check_char(body17_without_check)


# ---------------------------------------------------------------- union card (Luhn)


def normalize_card_no(raw: str) -> str:
    """Half-width, spaces and hyphens removed."""
    return re.sub(r"[\s\-]+", "", to_halfwidth_all(_text(raw)))


def _luhn_sum(digits: str) -> int:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total


def luhn_ok(s: str) -> bool:
    """True for a 16–19 digit number passing the Luhn check."""
    s = normalize_card_no(s)
    return 16 <= len(s) <= 19 and s.isascii() and s.isdigit() and _luhn_sum(s) % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The digit to append to ``body`` so the whole passes Luhn."""
    if not (body and body.isascii() and body.isdigit()):
        raise ValueError(f"need ASCII digits: {body!r}")
    return str((10 - _luhn_sum(body + "0") % 10) % 10)


def check_card_no(s: str) -> str | None:
    """``None`` for a plausible, Luhn-valid card number, else a Chinese reason (a warning)."""
    s = normalize_card_no(s)
    if not (s.isascii() and s.isdigit() and 16 <= len(s) <= 19):
        return f"工会会员互助服务卡号应为16至19位数字（现为{len(s)}位），请对照卡面核对"
    if not luhn_ok(s):
        return "工会会员互助服务卡号校验不通过，可能有数字输错，请对照卡面逐位核对"
    return None


def make_card_no(prefix: str, length: int, serial: int) -> str:
    """A Luhn-valid card number: ``prefix`` + zero-padded ``serial`` + check digit."""
    width = length - 1 - len(prefix)
    if not (16 <= length <= 19 and prefix.isascii() and prefix.isdigit() and width > 0 and 0 <= serial < 10**width):
        raise ValueError("length 16-19, digit prefix, serial must fit")
    body = f"{prefix}{serial:0{width}d}"
    return body + luhn_check_digit(body)


# ---------------------------------------------------------------- phones

_MOBILE_RE = re.compile(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")
_AREA = r"0(?:10|2\d|[3-9]\d{2})"
_LANDLINE_RE = re.compile(
    rf"^(?:\(({_AREA})\)|({_AREA}))\s*-?\s*([1-9]\d{{2,3}})[-\s]?(\d{{4}})"
    r"(?:\s*(?:-|转|分机|EXT\.?|X)\s*(\d{1,6}))?$"
)
_INTL_RE = re.compile(r"^(?:\+86|0086)[-\s]*\(?0?(10|2\d|[3-9]\d{2})\)?[-\s]*")
_PHONE_EXAMPLE = "如 010-83570885"


def _landline(s: str) -> tuple[str, str, str | None] | None:
    """A landline's area code, local number and extension as typed (the local number's length
    not yet judged), or None when ``s`` is no landline."""
    s = _INTL_RE.sub(lambda mm: f"0{mm.group(1)}-", s)  # +86 10 83570885
    m = _LANDLINE_RE.match(s.strip())
    if not m:
        return None
    return m.group(1) or m.group(2), m.group(3) + m.group(4), m.group(5)


def _local_digits(area: str) -> tuple[int, ...]:
    """How long a local number is after ``area``: 8 digits after the three-digit codes (010,
    02x), 7 or 8 after the four-digit ones."""
    return (8,) if len(area) == 3 else (7, 8)


def _parse_phone(raw: str) -> str | None:
    s = to_halfwidth_all(clean_text(_text(raw))).upper()
    compact = re.sub(r"[\s\-()]+", "", s)
    m = _MOBILE_RE.match(compact)
    if m:
        return m.group(1)
    found = _landline(s)
    if found is None:
        return None
    area, local, ext = found
    if len(local) not in _local_digits(area):
        return None
    return f"{area}-{local}" + (f"-{ext}" if ext else "")


def normalize_phone(raw: str) -> str:
    """Mobile → 11 digits; landline → ``010-83570885`` (``-ext``); else the cleaned input."""
    return _parse_phone(raw) or clean_text(_text(raw))


def check_phone(s: str) -> str | None:
    """``None`` for a mainland mobile or a landline with area code, else a Chinese reason."""
    if _parse_phone(s):
        return None
    t = to_halfwidth_all(clean_text(_text(s)))
    digits = re.sub(r"[\s\-]+", "", t)
    if not digits:
        return "请填写电话号码：11位手机号，或带区号的座机号，" + _PHONE_EXAMPLE
    if re.search(r"\d[\s]*[/、,;|][\s]*\+?\d", t):
        return "请只填写一个电话号码"
    landline = _landline(t.upper())
    if landline is not None:
        area, local, _ = landline
        lengths = _local_digits(area)
        slip = "少输" if len(local) < min(lengths) else "多输"
        return (
            f"区号{area}后的座机号码应为{'或'.join(map(str, lengths))}位（现为{len(local)}位），"
            f"可能{slip}了一位，请核对，{_PHONE_EXAMPLE}"
        )
    if re.fullmatch(r"[1-9]\d{6,7}", digits):
        return "座机号请加区号，" + _PHONE_EXAMPLE
    if digits.isdigit() and digits.startswith("1"):
        if len(digits) != 11:
            return f"手机号应为11位（现为{len(digits)}位），请核对"
        return "手机号应以13至19开头，请核对"
    return "电话号码无法识别，请填写11位手机号，或带区号的座机号，" + _PHONE_EXAMPLE
