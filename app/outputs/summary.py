"""The summary tables 附件2 (patents) and 附件4 (projects) as .xlsx, built from the forms' ``summary``.

Every column comes from the form definition's ``summary.columns``: a ``field`` column shows that
field's value, a ``value`` column a computed one (序号, boost amount and its split, 校验码). How a
value is written follows the field's type: dates as real Excel dates, money as numbers with a
thousands separator, choices by label (a choice of amounts, such as the requested tier, as the
number), identifiers (ID, card, patent, credit-code and phone numbers) and the 校验码 always as
text so that no reader shows ``1.1E+17`` or drops a leading zero.

Layout of the one sheet: title row, 填报单位（盖章）/联系人/电话/填报日期 row, header, one row per
application, totals row (plain values, no formulas, so every reader shows them without
recalculating). A4 landscape, fit to width, rows 1–3 repeated on every printed page, frozen header.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from zhutui import formats, naming
from zhutui.appfile import Application, is_empty, write_all
from zhutui.formdef import FieldDef, FormDef, SummaryColumn, all_forms
from zhutui.normalize import parse_date
from zhutui.outputs import values
from zhutui.plans import cn_date
from zhutui.winpath import fit_name

__all__ = ["SummaryCell", "summary_cells", "summary_file_name", "summary_rows", "write_summaries"]

# Identifiers that must stay text: Excel would show 18-digit numbers as 1.1E+17 and drop leading zeros.
MONEY_VALUES = ("amount", "city_share", "superior_share")

DRAFT_TITLE = "（草稿）"
TOTAL_LABEL = "合计"

FMT_TEXT = "@"
FMT_DATE = "yyyy-mm-dd"
FMT_MONEY = "#,##0"
FMT_MONEY_CENTS = "#,##0.00"
FMT_YEAR = "0"

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
BODY_SIZE = 11
TITLE_SIZE = 16

MAX_WIDTH = 18  # column width cap for wrapping text (about 8 Chinese characters a line)
MIN_WIDTH = 6
WIDTH_PADDING = 2
WIDE_FACTOR = 1.1  # a 宋体 CJK character is a little wider than two digits of the default font
LINE_HEIGHT = 15.0  # points per line of 11 pt text
HEADER_ROW = 3
FIRST_DATA_ROW = 4

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class SummaryCell:
    """One table cell as written: the value, its number format, and the text a reader shows."""

    value: str | int | float | dt.date | None
    number_format: str = "General"
    text: str = ""
    amount: Decimal | None = None  # for money cells: the exact amount that the totals add up
    align: str = "left"


EMPTY = SummaryCell(None)


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class _Column:
    column: SummaryColumn
    field: FieldDef | None

    @property
    def label(self) -> str:
        return self.column.label

    @property
    def is_money(self) -> bool:
        if self.column.value is not None:
            return self.column.value in MONEY_VALUES
        f = self.field
        assert f is not None
        return f.type == "money" or _int_choice(f)

    @property
    def is_text(self) -> bool:
        """Always stored as text (number format ``@``), even when empty."""
        if self.column.value is not None:
            return self.column.value == "check_code"
        fmt = formats.get(self.field.format) if self.field is not None else None
        return fmt is not None and fmt.as_text


def _int_choice(f: FieldDef) -> bool:
    return (
        f.type == "choice"
        and bool(f.choices)
        and all(isinstance(c.value, int) and not isinstance(c.value, bool) for c in f.choices)
    )


def _columns(form: FormDef, consolidated: bool = False) -> list[_Column]:
    """The table's columns; those marked ``consolidated`` only in a table of several enterprises."""
    return [
        _Column(c, form.field(c.field) if c.field is not None else None)
        for c in form.table().columns
        if consolidated or not c.consolidated
    ]


# --------------------------------------------------------------------------- cell values


def _clean(text: str) -> str:
    """Text without the control characters an .xlsx can't hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _text_cell(text: str, *, forced: bool = False, align: str = "left") -> SummaryCell:
    text = _clean(text)
    if not text:
        return SummaryCell(None, FMT_TEXT if forced else "General", align=align)
    return SummaryCell(text, FMT_TEXT if forced else "General", text, align=align)


def money_cell(amount: int | Decimal | None) -> SummaryCell:
    """A money amount as a number: whole yuan as ``#,##0``, anything with fen as ``#,##0.00``."""
    if amount is None:
        return SummaryCell(None, FMT_MONEY, align="right")
    value = Decimal(amount)
    if value == value.to_integral_value():
        return SummaryCell(int(value), FMT_MONEY, values.money(value), value, "right")
    cents = value.quantize(Decimal("0.01"))
    return SummaryCell(float(cents), FMT_MONEY_CENTS, values.money(cents), cents, "right")


def _field_cell(col: _Column, value: Any) -> SummaryCell:
    f = col.field
    assert f is not None
    if is_empty(value):
        return SummaryCell(
            None,
            FMT_TEXT if col.is_text else FMT_MONEY if col.is_money else "General",
            align="right" if col.is_money else "left",
        )
    if col.is_text:
        return _text_cell(str(value), forced=True, align="center")
    if f.type == "date":
        day = parse_date(value) if isinstance(value, str) else None
        if day is not None:
            return SummaryCell(day, FMT_DATE, day.isoformat(), align="center")
        return _text_cell(str(value), align="center")  # as typed (a draft's typo)
    if col.is_money and isinstance(value, int | Decimal) and not isinstance(value, bool):
        return money_cell(value)
    if f.type == "year" and isinstance(value, int) and not isinstance(value, bool):
        return SummaryCell(value, FMT_YEAR, str(value), align="center")
    text = values.display(f, value)
    return _text_cell(text, align="center" if f.type in ("choice", "bool") else "left")


def _value_cell(col: _Column, app: Application, index: int) -> SummaryCell:
    kind = col.column.value
    assert kind is not None  # a column without a field computes a value
    if kind == "index":
        return SummaryCell(index, "General", str(index), align="center")
    if kind == "check_code":
        return _text_cell(app.check_code, forced=True, align="center")
    boost = values.boost(app)  # a form with boost columns has a boost (``formdef``)
    if boost is None:
        return money_cell(None)
    amount = {"amount": boost.amount, "city_share": boost.city, "superior_share": boost.superior}[kind]
    return money_cell(amount)


def summary_cells(apps: Sequence[Application], form: FormDef, consolidated: bool = False) -> list[list[SummaryCell]]:
    """The table body: one row per application (in the order given), one cell per summary column."""
    columns = _columns(form, consolidated)
    rows = []
    for index, app in enumerate(apps, start=1):
        rows.append(
            [
                _value_cell(col, app, index) if col.field is None else _field_cell(col, app.get(col.field.key))
                for col in columns
            ]
        )
    return rows


def summary_rows(apps: Sequence[Application], form: FormDef, consolidated: bool = False) -> list[list[Any]]:
    """The table body's values as written to the workbook (None for an empty cell)."""
    return [[cell.value for cell in row] for row in summary_cells(apps, form, consolidated)]


def _totals(columns: list[_Column], rows: list[list[SummaryCell]]) -> list[SummaryCell]:
    """合计 in the first cell, 共N项 in the first field column (the title or name), money summed."""
    name_index = next((i for i, c in enumerate(columns) if c.column.field is not None), None)
    out: list[SummaryCell] = []
    for i, col in enumerate(columns):
        if col.is_money:
            amounts = [amount for row in rows if (amount := row[i].amount) is not None]
            out.append(money_cell(sum(amounts, Decimal(0))) if amounts else money_cell(None))
        else:
            out.append(EMPTY)
    count = f"共{len(rows)}项"
    if name_index is None or name_index == 0:
        out[0] = SummaryCell(f"{TOTAL_LABEL}（{count}）", text=f"{TOTAL_LABEL}（{count}）", align="center")
    else:
        out[0] = SummaryCell(TOTAL_LABEL, text=TOTAL_LABEL, align="center")
        out[name_index] = SummaryCell(count, text=count, align="left")
    return out


# --------------------------------------------------------------------------- layout helpers


def text_width(text: str) -> int:
    """Display width: East Asian wide and full-width characters count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _line_count(text: str, width: float) -> int:
    usable = max(width - WIDTH_PADDING, 1)
    return sum(max(1, math.ceil(text_width(line) * WIDE_FACTOR / usable)) for line in text.split("\n"))


def _column_widths(columns: list[_Column], rows: list[list[SummaryCell]]) -> list[float]:
    widths = []
    for i, col in enumerate(columns):
        longest = max((text_width(line) for row in rows for line in row[i].text.split("\n")), default=0)
        header = math.ceil(text_width(col.label) / 3)  # headers wrap, up to about three lines
        width = math.ceil(max(longest, header) * WIDE_FACTOR) + WIDTH_PADDING
        # Identifiers never wrap (a split number is misread); other text wraps at the cap, so
        # that the table prints legibly on one A4 landscape page width.
        cap = width if col.is_text else MAX_WIDTH
        widths.append(float(min(max(width, MIN_WIDTH), cap)))
    return widths


def _row_height(texts: Sequence[str], widths: Sequence[float]) -> float:
    lines = max((_line_count(t, w) for t, w in zip(texts, widths, strict=True) if t), default=1)
    return lines * LINE_HEIGHT + 3


def _info_segments(n: int) -> list[tuple[int, int]]:
    """Column ranges (1-based, inclusive) for the four parts of row 2: unit, contact, phone, date."""
    if n < 4:
        return [(1, n)]
    unit = max(1, round(n * 0.4))
    rest = n - unit
    contact = rest // 3
    phone = (rest - contact) // 2
    bounds = [unit, unit + contact, unit + contact + phone, n]
    starts = [1, *(b + 1 for b in bounds[:-1])]
    return list(zip(starts, bounds, strict=True))


# --------------------------------------------------------------------------- the workbook


def _title(apps: Sequence[Application], form: FormDef, draft: bool) -> str:
    years = sorted({a.plan.year for a in apps})  # one year in a proper batch
    title = f"{'、'.join(str(y) for y in years)}年{form.table().title}"
    return title + (DRAFT_TITLE if draft else "")


def _sheet_name(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "汇总表"


def build_sheet(
    ws: Worksheet,
    apps: Sequence[Application],
    form: FormDef,
    sender: values.Sender,
    today: dt.date,
    *,
    draft: bool = False,
    consolidated: bool = False,
) -> None:
    """Fill ``ws`` with the summary table of ``apps`` (all of form ``form``); ``consolidated``
    adds the columns naming each row's enterprise union."""
    columns = _columns(form, consolidated)
    n = len(columns)
    rows = summary_cells(apps, form, consolidated)
    totals = _totals(columns, rows)
    widths = _column_widths(columns, [*rows, totals])
    last = get_column_letter(n)

    ws.title = _sheet_name(form.table().title)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    # Row 1: title.
    ws.merge_cells(f"A1:{last}1")
    title = ws.cell(1, 1, _title(apps, form, draft))
    title.font = Font(name=TITLE_FONT, size=TITLE_SIZE, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32

    # Row 2: who submits, and when.
    parts = [
        f"填报单位（盖章）：{sender.name}",
        f"联系人：{sender.contact}",
        f"电话：{sender.phone}",
        f"填报日期：{cn_date(today)}",
    ]
    segments = _info_segments(n)
    if len(segments) == 1:
        parts = ["　".join(parts)]
    for (start, end), text in zip(segments, parts, strict=True):
        if end > start:
            ws.merge_cells(start_row=2, start_column=start, end_row=2, end_column=end)
        cell = ws.cell(2, start, _clean(text))
        cell.data_type = "s"
        cell.font = Font(name=BODY_FONT, size=BODY_SIZE)
        cell.alignment = Alignment(horizontal="left", vertical="center", shrink_to_fit=True)
    ws.row_dimensions[2].height = 24

    # Row 3: header.
    header_font = Font(name=BODY_FONT, size=BODY_SIZE, bold=True)
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, i, col.label)
        cell.font = header_font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
    ws.row_dimensions[HEADER_ROW].height = _row_height([c.label for c in columns], widths)

    # Rows 4…: one per application, then the totals.
    body_font = Font(name=BODY_FONT, size=BODY_SIZE)
    bold_font = Font(name=BODY_FONT, size=BODY_SIZE, bold=True)
    for r, row in enumerate([*rows, totals], start=FIRST_DATA_ROW):
        is_total = r == FIRST_DATA_ROW + len(rows)
        for i, sc in enumerate(row, start=1):
            cell = ws.cell(r, i, sc.value)
            if isinstance(sc.value, str):
                cell.data_type = "s"  # never a formula or an error code, whatever was typed
            cell.number_format = sc.number_format
            cell.font = bold_font if is_total else body_font
            cell.alignment = Alignment(horizontal=sc.align, vertical="center", wrap_text=True)
            cell.border = _BORDER
        ws.row_dimensions[r].height = _row_height([sc.text for sc in row], widths)

    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    _page_setup(ws)


def _page_setup(ws: Worksheet) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5  # inches
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = BODY_FONT
    ws.oddFooter.center.size = 9


def forms_with_tables(apps: Sequence[Application]) -> list[FormDef]:
    """The forms of ``apps`` that have a summary table, in the order of the forms."""
    present = {a.form.form for a in apps}
    return [f for f in all_forms().values() if f.form in present and f.summary is not None]


def summary_file_name(form: FormDef, sender: values.Sender, out_dir: Path, *, draft: bool = False) -> str:
    """附件2_职工创新发明专利助推汇总表_北京精工机床有限公司工会.xlsx (``_草稿`` before the suffix for
    drafts), shortened to stay within Windows' path limit in ``out_dir``."""
    summary = form.table()
    stem = f"附件{summary.attachment_no}_{naming.safe_name(summary.title)}_{naming.safe_name(sender.name)}"
    return fit_name(out_dir, stem, naming.draft_name("", draft) + ".xlsx")


def _xlsx(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_summaries(
    apps: Sequence[Application],
    out_dir: Path,
    today: dt.date,
    *,
    draft: bool = False,
    sender: values.Sender | None = None,
) -> list[Path]:
    """Write the summary table of each form of ``apps`` that has one (附件2 for patents, 附件4 for
    projects) into ``out_dir``. Rows keep the order given. Returns the paths, in the forms' order.
    ``sender`` (the union's details from the settings) overrides the one read from the forms.
    A batch of several enterprise unions gets consolidated tables (see ``values.sender``)."""
    out_dir = Path(out_dir)
    batch_sender = sender or values.sender(apps)
    consolidated = values.is_consolidated(apps)
    written: list[tuple[Path, bytes]] = []
    for form in forms_with_tables(apps):
        group = [a for a in apps if a.form.form == form.form]
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        build_sheet(ws, group, form, batch_sender, today, draft=draft, consolidated=consolidated)
        wb.properties.title = _title(group, form, draft)
        wb.properties.creator = "职工创新助推申报助手"
        written.append((out_dir / summary_file_name(form, batch_sender, out_dir, draft=draft), _xlsx(wb)))
    write_all(written)  # both tables, or (a full disk) neither
    return [path for path, _ in written]
