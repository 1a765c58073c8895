"""The form definitions of ``forms/*.yaml``: one definition of every field of every form.

The application file format, the checks, the guided editor, the print PDFs and the summary
tables are all built from these objects; nothing about a field is repeated in code. The file
schema is documented in ``forms/README.md``; a broken definition raises ``DefinitionError``
naming the file and the key.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from zhutui import formats
from zhutui.errors import DefinitionError
from zhutui.paths import forms_dir
from zhutui.yamlio import Reader, load_yaml

FIELD_TYPES = ("text", "longtext", "date", "money", "choice", "bool", "year", "person_list", "table")
SUGGESTION_SOURCES = ("focus_areas",)
# Date windows of the plan a date field relates to (resolved by ``zhutui.planfacts.date_window``).
DATE_WINDOWS = ("grant", "approval", "project", "funding")
SUMMARY_VALUES = ("index", "amount", "city_share", "superior_share", "check_code")
FORM_NAMES = ("patent", "project")


@dataclass(frozen=True)
class Choice:
    value: str | int
    label: str


@dataclass(frozen=True)
class FieldDef:
    key: str  # dotted path in the application file; a table column's own key
    label: str
    type: str
    section: str = ""
    required: bool = False
    missing_code: str = "F001"
    format: str | None = None
    max_length: int | None = None
    max_items: int | None = None
    item_max_length: int | None = None
    min: int | None = None
    max: int | str | None = None  # an int, or "plan_year"
    choices: tuple[Choice, ...] = ()
    suggestions: str | None = None
    window: str | None = None  # a date field's plan window, one of DATE_WINDOWS
    help: str = ""
    columns: tuple[FieldDef, ...] = ()

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    def choice_label(self, value: object) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return "" if value is None else str(value)


@dataclass(frozen=True)
class SectionDef:
    key: str
    title: str
    help: str
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True)
class AttachmentKind:
    kind: str
    label: str
    required: bool
    missing_code: str | None
    help: str
    printed: bool = True  # appended to the print PDF (the stamped scan of the form itself is not)


@dataclass(frozen=True)
class SummaryColumn:
    label: str
    field: str | None = None  # a field key of the form
    value: str | None = None  # or a computed value, one of SUMMARY_VALUES
    consolidated: bool = False  # only in a table of several enterprises (a superior union's)


@dataclass(frozen=True)
class SummaryDef:
    attachment_no: int
    title: str
    columns: tuple[SummaryColumn, ...]


@dataclass(frozen=True)
class FormDef:
    form: str
    title: str
    attachment_no: int
    intro: str
    sections: tuple[SectionDef, ...]
    attachments: tuple[AttachmentKind, ...]
    summary: SummaryDef
    print_title: str = ""  # with {plan_year}; see ``printed_title``
    subject: str = ""  # the field naming whom an application is for (file names, lists)
    headline: str = ""  # the field naming what an application is about (lists)
    short_title: str = ""  # the form's name in the app's navigation and lists
    file_label: str = ""  # the form's name in the mail package's file names
    count_label: str = ""  # what the mail subject counts (发明专利3项)
    stamps: tuple[str, ...] = ()
    source: Path = field(compare=False, default=Path())

    def printed_title(self, plan_year: int) -> str:
        return self.print_title.format(plan_year=plan_year) if self.print_title else f"{plan_year}年{self.title}"

    @functools.cached_property
    def fields(self) -> tuple[FieldDef, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    @functools.cached_property
    def _by_key(self) -> dict[str, FieldDef]:
        return {f.key: f for f in self.fields}

    def field(self, key: str) -> FieldDef:
        return self._by_key[key]

    def attachment_kind(self, kind: str) -> AttachmentKind | None:
        return next((a for a in self.attachments if a.kind == kind), None)

    @functools.cached_property
    def object_keys(self) -> tuple[str, ...]:
        """Top-level object keys of the application file, in definition order."""
        seen: dict[str, None] = {}
        for f in self.fields:
            seen.setdefault(f.parts[0], None)
        return tuple(seen)


def _read_field(r: Reader, section: str, *, column: bool = False) -> FieldDef:
    key = r.take("key", str, required=True)
    ftype = r.take("type", str, required=True)
    if ftype not in FIELD_TYPES or (column and ftype in ("table", "person_list")):
        raise r.error("type", f"未知的字段类型“{ftype}”，可用：{', '.join(FIELD_TYPES)}")
    fmt = r.take("format", str)
    if fmt is not None and formats.get(fmt) is None:
        raise r.error("format", f"未知的格式“{fmt}”，可用：{', '.join(formats.FORMATS)}")
    choices = tuple(_read_choice(r, i, c) for i, c in enumerate(r.take("choices", list, default=[])))
    if ftype == "choice" and not choices:
        raise r.error("choices", "选择题必须列出选项")
    max_value = r.take("max", (int, str))
    if isinstance(max_value, str) and max_value != "plan_year":
        raise r.error("max", "应为整数或 plan_year")
    suggestions = r.take("suggestions", str)
    if suggestions is not None and suggestions not in SUGGESTION_SOURCES:
        raise r.error("suggestions", f"未知的候选来源“{suggestions}”")
    window = r.take("window", str)
    if window is not None and (ftype != "date" or window not in DATE_WINDOWS):
        raise r.error("window", f"只用于日期字段，可用：{', '.join(DATE_WINDOWS)}")
    missing_code = r.take("missing_code", str, default="F001")
    columns: tuple[FieldDef, ...] = ()
    if ftype == "table":
        raw_columns = r.take("columns", list, required=True)
        columns = tuple(_read_field(r.sub(f"columns[{i}]", c), section, column=True) for i, c in enumerate(raw_columns))
    fdef = FieldDef(
        key=key,
        label=r.take("label", str, required=True),
        type=ftype,
        section=section,
        required=r.take("required", bool, default=False),
        missing_code=missing_code,
        format=fmt,
        max_length=r.take("max_length", int),
        max_items=r.take("max_items", int),
        item_max_length=r.take("item_max_length", int),
        min=r.take("min", int),
        max=max_value,
        choices=choices,
        suggestions=suggestions,
        window=window,
        help=" ".join(r.take("help", str, default="").split()),
        columns=columns,
    )
    r.done()
    return fdef


def _read_choice(r: Reader, index: int, raw: object) -> Choice:
    if isinstance(raw, str | int) and not isinstance(raw, bool):
        return Choice(raw, str(raw))
    c = r.sub(f"choices[{index}]", raw)
    choice = Choice(c.take("value", (str, int), required=True), c.take("label", str, required=True))
    c.done()
    return choice


def parse_form(path: Path, data: object) -> FormDef:
    r = Reader(path, "", data)
    name = r.take("form", str, required=True)
    sections = []
    keys: set[str] = set()
    for i, raw in enumerate(r.take("sections", list, required=True)):
        s = r.sub(f"sections[{i}]", raw)
        skey = s.take("key", str, required=True)
        fields = []
        for j, raw_field in enumerate(s.take("fields", list, required=True)):
            fr = s.sub(f"fields[{j}]", raw_field)
            fdef = _read_field(fr, skey)
            if fdef.key in keys:
                raise fr.error("key", f"字段“{fdef.key}”重复定义")
            if len(fdef.parts) < 2 or fdef.parts[0] in ("form", "plan_year", "attachments"):
                raise fr.error("key", f"字段键“{fdef.key}”应为“对象.字段”形式")
            keys.add(fdef.key)
            fields.append(fdef)
        sections.append(
            SectionDef(
                skey,
                s.take("title", str, required=True),
                " ".join(s.take("help", str, default="").split()),
                tuple(fields),
            )
        )
        s.done()
    _check_no_prefix_clash(r, keys)
    attachments = []
    for i, raw in enumerate(r.take("attachments", list, required=True)):
        a = r.sub(f"attachments[{i}]", raw)
        attachments.append(
            AttachmentKind(
                kind=a.take("kind", str, required=True),
                label=a.take("label", str, required=True),
                required=a.take("required", bool, default=False),
                missing_code=a.take("missing_code", str),
                help=" ".join(a.take("help", str, default="").split()),
                printed=a.take("printed", bool, default=True),
            )
        )
        a.done()
    labels = {f.key: f.label for s in sections for f in s.fields}
    summary = _read_summary(r.sub("summary", r.take("summary", dict, required=True)), labels)
    form = FormDef(
        form=name,
        title=r.take("title", str, required=True),
        attachment_no=r.take("attachment_no", int, required=True),
        intro=" ".join(r.take("intro", str, default="").split()),
        sections=tuple(sections),
        attachments=tuple(attachments),
        summary=summary,
        print_title=r.take("print_title", str, default=""),
        subject=r.take("subject", str, required=True),
        headline=r.take("headline", str, required=True),
        short_title=r.take("short_title", str, required=True),
        file_label=r.take("file_label", str, required=True),
        count_label=r.take("count_label", str, required=True),
        stamps=tuple(r.take("stamps", list, default=[])),
        source=path,
    )
    for key in ("subject", "headline"):
        if getattr(form, key) not in labels:
            raise r.error(key, f"表单中没有字段“{getattr(form, key)}”")
    if any(not isinstance(s, str) or not s for s in form.stamps):
        raise r.error("stamps", "应为盖章单位名称的列表，如 [单位工会, 区、局、集团（公司）工会]")
    try:
        form.printed_title(2000)
    except (KeyError, IndexError, ValueError):
        raise r.error("print_title", "只能使用占位符 {plan_year}") from None
    r.done()
    return form


def _check_no_prefix_clash(r: Reader, keys: set[str]) -> None:
    for key in keys:
        parts = key.split(".")
        for n in range(1, len(parts)):
            if ".".join(parts[:n]) in keys:
                raise r.error("sections", f"字段“{key}”与字段“{'.'.join(parts[:n])}”冲突")


def _read_summary(s: Reader, labels: dict[str, str]) -> SummaryDef:
    """The summary table's columns; a field column without ``label`` takes the field's label."""
    columns = []
    for i, raw in enumerate(s.take("columns", list, required=True)):
        c = s.sub(f"columns[{i}]", raw)
        fkey, value = c.take("field", str), c.take("value", str)
        if (fkey is None) == (value is None):
            raise c.error(None, "每列须且只能指定 field 或 value 之一")
        if fkey is not None and fkey not in labels:
            raise c.error("field", f"表单中没有字段“{fkey}”")
        if value is not None and value not in SUMMARY_VALUES:
            raise c.error("value", f"未知的计算列“{value}”，可用：{', '.join(SUMMARY_VALUES)}")
        label = c.take("label", str, required=value is not None) or labels[fkey]
        consolidated = bool(c.take("consolidated", bool))
        columns.append(SummaryColumn(label=label, field=fkey, value=value, consolidated=consolidated))
        c.done()
    summary = SummaryDef(
        s.take("attachment_no", int, required=True), s.take("title", str, required=True), tuple(columns)
    )
    s.done()
    return summary


@functools.cache
def load_form(name: str, folder: Path | None = None) -> FormDef:
    """The definition of form ``name`` ("patent" or "project")."""
    path = (folder or forms_dir()) / f"{name}.yaml"
    form = parse_form(path, load_yaml(path))
    if form.form != name:
        raise DefinitionError(path, "form", f"应为“{name}”，现为“{form.form}”")
    return form


def all_forms() -> dict[str, FormDef]:
    return {name: load_form(name) for name in FORM_NAMES}
