"""The ``format:`` a text field may have in ``forms/``, each registered once with all it means.

A format says what kind of text a field holds (a person's name, an ID number, a phone number…)
and so how the application file normalises it, how the checks validate it and with which
finding code, what the editor shows as its placeholder and how wide its input is, whether a
spreadsheet must store it as text (an 18-digit number Excel would otherwise turn into 1.1E+17),
and how wide its column is in a printed table. The form definitions, the checks, the editor,
the print PDFs and the summary tables all ask ``FORMATS``; adding a format is one ``register``
call here (plus its finding code in ``forms/rules.yaml`` if it validates) and its tests.
Qt-free and at the bottom of the layers: it imports only the identifier and text helpers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from zhutui import identifiers as ids
from zhutui import normalize as norm

Validator = Callable[[str, dt.date], "str | None"]  # (normalised value, today) → reason, or None


@dataclass(frozen=True)
class Format:
    name: str
    normalise: Callable[[str], str]
    validate: Validator | None = None  # a reason (Chinese) when the value is not valid
    code: str | None = None  # the finding a failed validation emits (``forms/rules.yaml``)
    placeholder: str = ""  # what the editor's empty input shows
    short_input: bool = False  # the editor's input is as wide as the value, not the page
    as_text: bool = False  # spreadsheets store it as text (digits that must stay digits)
    column_weight: float | None = None  # relative width of a printed table column (None: by length)
    # What two applications' values are compared by (a form's ``identity``): None when the
    # value can't be compared (a patent number that isn't one); default: ``squash``.
    identity: Callable[[str], str | None] | None = None

    def identity_of(self, value: str) -> str | None:
        return self.identity(value) if self.identity is not None else squash(value)


def squash(value: str) -> str | None:
    """``value`` as names are compared (``normalize.identity_text``: full-width and half-width
    alike, no white space); None when nothing is left."""
    return norm.identity_text(value) or None


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    if fmt.name in FORMATS:
        raise ValueError(f"format {fmt.name!r} registered twice")
    if (fmt.validate is None) != (fmt.code is None):
        raise ValueError(f"format {fmt.name!r}: a validator needs its finding code and the other way round")
    FORMATS[fmt.name] = fmt
    return fmt


# A text field without a format: normalised as any text, compared without white space.
PLAIN = Format("", lambda text: text)


def get(name: str | None) -> Format | None:
    return FORMATS.get(name) if name else None


def _card_no(value: str, today: dt.date) -> str | None:
    return None if ids.luhn_ok(value) else "未通过银行卡校验"


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def normalize_email(raw: str) -> str:
    """Full-width letters and ＠ folded, spaces dropped, the domain in lower case."""
    text = "".join(norm.to_halfwidth_all(raw).split())
    local, at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}" if at else text


def check_email(value: str, today: dt.date | None = None) -> str | None:
    if "@" not in value:
        return "缺少“@”，应写成 名字@单位.com 的样子"
    if not _EMAIL.fullmatch(value):
        return "格式不对，应写成 名字@单位.com 的样子，请核对"
    return None


register(Format("name", norm.clean_name, column_weight=1.6))
register(
    Format(
        "id_number",
        ids.normalize_id_number,
        ids.check_id_number,
        "F010",
        placeholder="18位身份证号码",
        short_input=True,
        as_text=True,
    )
)
register(
    Format(
        "phone",
        ids.normalize_phone,
        lambda v, today: ids.check_phone(v),
        "F012",
        placeholder="手机号，或 010-83570885",
        short_input=True,
        as_text=True,
    )
)
register(
    Format(
        "uscc",
        ids.normalize_uscc,
        lambda v, today: ids.check_uscc(v),
        "F013",
        placeholder="18位统一社会信用代码",
        short_input=True,
        as_text=True,
    )
)
register(
    Format(
        "card_no", ids.normalize_card_no, _card_no, "F014", placeholder="16至19位卡号", short_input=True, as_text=True
    )
)


def _patent_identity(value: str) -> str | None:
    parsed = ids.parse_patent_number(value)
    return parsed.normalized if parsed else None


register(
    Format(
        "patent_number",
        ids.normalize_patent_number,  # validated by the patent rules (P001…)
        placeholder="如 ZL201810053768.3",
        as_text=True,
        identity=_patent_identity,  # the same patent however it was typed; an unreadable number never
    )
)
register(
    Format(
        "email",
        normalize_email,
        check_email,
        "F015",
        placeholder="如 gonghui@163.com",
        short_input=True,
        as_text=True,
        column_weight=3.2,
    )
)
