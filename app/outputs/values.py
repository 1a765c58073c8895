"""Values as the printed forms and the summary tables show them, derived from the definitions.

One place decides how a field's value reads on paper (dates as 2022年10月17日, money with its
Chinese capitals, choices by label), what an application's boost amount is and how it splits
between the city union and the superior union, who the batch's sender is, and what the output
files are called. The PDF and the xlsx writers both use it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhutui import naming
from zhutui.appfile import Application, is_empty
from zhutui.formdef import FieldDef
from zhutui.naming import capped
from zhutui.normalize import parse_date
from zhutui.plans import cn_date

YES, NO = "是", "否"
NOT_GIVEN = "未公布"
EMPTY_OPTIONAL = "无"  # an optional field left empty, as printed

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")
_CENT = Decimal("0.01")


def _four_digits(n: int) -> str:
    """0 < n < 10000 in capitals, with 零 for inner zeros (1005 → 壹仟零伍)."""
    out, zero = "", False
    for pos in range(3, -1, -1):
        digit = n // 10**pos % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL_UNITS[pos]
    return out


def rmb_upper(amount: int | Decimal) -> str:
    """Money in Chinese capitals as on a cheque: 100000 → 人民币壹拾万元整,
    107000.53 → 人民币壹拾万柒仟元零伍角叁分."""
    value = Decimal(amount).quantize(_CENT, ROUND_HALF_UP)
    if value < 0:
        raise ValueError("negative amount")
    yuan = int(value)
    jiao, fen = divmod(int((value - yuan) * 100), 10)
    text = ""
    if yuan:
        groups, rest = [], yuan
        while rest:
            groups.append(rest % 10000)
            rest //= 10000
        need_zero = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                need_zero = bool(text)
                continue
            if text and (need_zero or group < 1000):
                text += "零"
            text += _four_digits(group) + _GROUP_UNITS[index]
            need_zero = False
        text += "元"
    if not jiao and not fen:
        return "人民币" + (text or "零元") + "整"
    if jiao:
        text += ("零" if text and yuan % 10 == 0 else "") + _DIGITS[jiao] + "角"
    if fen:
        text += ("零" if text and not jiao else "") + _DIGITS[fen] + "分"
    return "人民币" + text


def money(amount: int | Decimal | None) -> str:
    """100000 → 100,000; 33333.33 → 33,333.33."""
    if amount is None:
        return NOT_GIVEN
    value = Decimal(amount)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.quantize(_CENT, ROUND_HALF_UP):,}"


def money_with_capitals(amount: int | Decimal | None, unit: str = "元") -> str:
    if amount is None:
        return NOT_GIVEN
    return f"{money(amount)}{unit}（{rmb_upper(amount)}）"


UNIT_IN_LABEL = "（元）"


def money_unit(f: FieldDef) -> str:
    """The unit after an amount of field ``f``: none when its label says it (启动资金（元）), so the
    unit is printed once."""
    return "" if f.label.endswith(UNIT_IN_LABEL) else "元"


def date_text(value: Any) -> str:
    """An ISO date as 2022年10月17日; anything else (a draft's typo) as it was typed."""
    day = parse_date(value) if isinstance(value, str) else value if isinstance(value, dt.date) else None
    return cn_date(day) if day else ("" if value is None else str(value))


def display(f: FieldDef, value: Any, *, capitals: bool = False) -> str:
    """A field's value as printed; ``""`` for an empty one. Tables are laid out by the caller.
    Text longer than the field allows (only drafts have it) is cut at the limit."""
    if is_empty(value):
        return ""
    if f.type == "person_list":
        return "、".join(capped(str(name), f.item_max_length) for name in value)
    return capped(_display(f, value, capitals), f.max_length)


def _display(f: FieldDef, value: Any, capitals: bool) -> str:
    if f.type == "date":
        return date_text(value)
    if f.type == "money":
        if isinstance(value, int | Decimal):
            return money_with_capitals(value, money_unit(f)) if capitals else f"{money(value)}{money_unit(f)}"
        return str(value)
    if f.type == "choice":
        return f.choice_label(value)
    if f.type == "bool":
        return YES if value else NO
    return str(value)


# --------------------------------------------------------------------------- amounts


@dataclass(frozen=True)
class Boost:
    """The boost an application asks for and how the plan splits it (None when unknown)."""

    amount: int | None
    city: Decimal | None
    superior: Decimal | None
    ratio: tuple[int, int] | None


BOOST_LABELS = ("申请助推金额", "市总工会承担", "区、局、集团（公司）工会承担")


def split_amount(amount: int, ratio: tuple[int, int]) -> tuple[Decimal, Decimal]:
    """``amount`` split city : superior by ``ratio``, to the fen; the superior share takes the rounding."""
    city_part, superior_part = ratio
    city = (Decimal(amount) * city_part / (city_part + superior_part)).quantize(_CENT, ROUND_HALF_UP)
    if city == city.to_integral_value():
        city = city.quantize(Decimal(1))
    return city, Decimal(amount) - city


def boost(app: Application) -> Boost | None:
    """The boost of an application whose form has a ``boost`` (None for any other): the amount
    from the plan or from a field, the split from the plan or from the plan's tier of that amount."""
    spec = app.form.boost
    if spec is None:
        return None
    amount: int | None
    if spec.amount_fact is not None:
        fact = app.plan.fact(spec.amount_fact)
        amount = fact if isinstance(fact, int) and not isinstance(fact, bool) else None
    else:
        requested = app.get(spec.amount_field or "")
        amount = requested if isinstance(requested, int) and not isinstance(requested, bool) else None
    ratio: tuple[int, int] | None = None
    if spec.split_fact is not None:
        ratio = app.plan.fact(spec.split_fact)
    elif spec.split_tiers is not None and amount is not None:
        tier = next((t for t in app.plan.fact(spec.split_tiers) or () if t.amount == amount), None)
        ratio = tier.split if tier else None
    if amount is None or ratio is None:
        return Boost(amount, None, None, ratio)
    city, superior = split_amount(amount, ratio)
    return Boost(amount, city, superior, ratio)


def boost_rows(app: Application) -> list[tuple[str, str]]:
    """The 助推资金 as printed, label and value (both layouts): the amount and each union's share
    in figures and capitals; blank while an amount to be typed is not, 未公布 where the plan
    doesn't give it. Empty for a form without a boost."""
    found, spec = boost(app), app.form.boost
    if found is None or spec is None:
        return []
    missing = "" if found.amount is None and spec.amount_field else NOT_GIVEN
    amounts = (found.amount, found.city, found.superior)
    return [
        (label, money_with_capitals(amount) if amount is not None else missing)
        for label, amount in zip(BOOST_LABELS, amounts, strict=True)
    ]


# --------------------------------------------------------------------------- batch and names


@dataclass(frozen=True)
class Sender:
    """Who submits a batch: the union named on the summary tables and the cover sheet."""

    name: str
    contact: str
    phone: str
    superior: str


def is_consolidated(apps: Sequence[Application]) -> bool:
    """Whether the batch is several enterprise unions' (a superior union's consolidated batch)."""
    return len({naming.union(a.data) for a in apps} - {""}) > 1


def sender(apps: Sequence[Application], contact: str = "", phone: str = "") -> Sender:
    """The batch's unit union (the most common one), with the contact and phone given on its
    applications; for a consolidated batch the superior union, with ``contact`` and ``phone``."""
    units = Counter(printed(a, naming.UNION) for a in apps if naming.union(a.data))
    superiors = Counter(printed(a, naming.SUPERIOR) for a in apps if a.get(naming.SUPERIOR))
    superior = superiors.most_common(1)[0][0] if superiors else ""
    if is_consolidated(apps) and superior:
        return Sender(superior, contact, phone, superior)
    unit = units.most_common(1)[0][0] if units else ""
    first = next((a for a in apps if printed(a, naming.UNION) == unit), None)
    return Sender(
        name=unit,
        contact=printed(first, "unit_union.contact") if first else "",
        phone=printed(first, "unit_union.phone") if first else "",
        superior=superior,
    )


def printed(app: Application, key: str) -> str:
    """The field ``key`` of ``app`` as printed (``display``: at most the field's length); ``""``
    when its form has no such field."""
    return display(app.form.field(key), app.get(key)) if app.form.has(key) else ""


def column_sum(rows: list[dict], key: str) -> int:
    """The sum of a money column over table rows (values that aren't amounts yet are left out)."""
    return sum(r[key] for r in rows if isinstance(r.get(key), int) and not isinstance(r.get(key), bool))


def table_texts(f: FieldDef, rows: list[dict]) -> tuple[list[list[str]], list[str] | None]:
    """A table field's rows as printed, each with its 序号 first, and its 合计 row (the sum of
    each money column, unit printed once) when it has money columns and rows; else None."""
    body = [[str(i)] + [display(c, row.get(c.key)) for c in f.columns] for i, row in enumerate(rows, 1)]
    if not rows or not any(c.type == "money" for c in f.columns):
        return body, None
    totals = ["合计"] + [
        f"{money(column_sum(rows, c.key))}{money_unit(c)}" if c.type == "money" else "" for c in f.columns
    ]
    return body, totals


def paragraphs(text: Any, required: bool) -> list[str]:
    """A long text's paragraphs as printed (its lines, blank ones left out); an empty optional
    one reads 无."""
    shown = text or ("" if required else EMPTY_OPTIONAL)
    return [p.strip() for p in str(shown).split("\n") if p.strip()] or [""]


def choice_subtotals(f: FieldDef, money_key: str, rows: list[dict]) -> list[str]:
    """For each choice column of a table: the money total per choice and its share, e.g.
    ``按资金来源：企业自筹300,000元，占60.0%；工会助推资金200,000元，占40.0%``."""
    lines = []
    grand = column_sum(rows, money_key)
    for c in f.columns:
        if c.type != "choice":
            continue
        parts = []
        for choice in c.choices:
            amount = column_sum([r for r in rows if r.get(c.key) == choice.value], money_key)
            if amount:
                share = f"，占{Decimal(amount * 100) / grand:.1f}%" if grand else ""
                parts.append(f"{choice.label}{money(amount)}元{share}")
        if parts:
            lines.append(f"按{c.label}：" + "；".join(parts))
    return lines
