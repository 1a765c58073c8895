"""The form definitions of ``forms/*.yaml``: one definition of every field of every form.

The application file format, the checks, the guided editor, the print PDFs and the summary
tables are all built from these objects; nothing about a field is repeated in code. The file
schema is documented in ``forms/README.md``; a broken definition raises ``DefinitionError``
naming the file and the key.
"""

from __future__ import annotations

import functools
import hashlib
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhutui import formats
from zhutui.errors import DefinitionError
from zhutui.paths import forms_dir
from zhutui.yamlio import Reader, load_yaml

FIELD_TYPES = ("text", "longtext", "date", "money", "choice", "bool", "year", "person_list", "table")
SUGGESTION_SOURCES = ("focus_areas",)
# Date windows of the plan a date field relates to (resolved by ``zhutui.planfacts.date_window``).
DATE_WINDOWS = ("grant", "approval", "project", "funding")
SUMMARY_VALUES = ("index", "amount", "city_share", "superior_share", "check_code")
BOOST_VALUES = ("amount", "city_share", "superior_share")  # summary values that need a ``boost``
# Types of a plan fact (``plan.facts`` of a form): how the plan file writes it and 设置 shows it.
FACT_TYPES = ("date", "money", "int", "ratio", "split", "text", "texts", "bool", "tiers")
# How a form is printed: one ruled grid (附件1), or its steps as sections one after another.
LAYOUTS = ("grid", "sections")
# Files of ``forms/`` that are not form definitions.
NOT_FORMS = ("rules.yaml",)


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
class CoverLine:
    """A line of a printed form's cover page: a label, and the field it shows (or a blank)."""

    label: str
    field: str | None = None


@dataclass(frozen=True)
class FactDef:
    """One fact of a form's section of the plan file (``plan.facts``)."""

    key: str  # within the section: ``grant_from``; the plan's dotted key is ``<section>.<key>``
    label: str
    type: str  # one of FACT_TYPES
    required: bool = False  # must be in every plan file (else null: 未公布)
    unit: str = ""  # shown after a number in 设置 (元, 次, 年, 项)
    levels: str | None = None  # ``tiers``: the choice field whose values name the levels


@dataclass(frozen=True)
class PlanSection:
    """Where a form's facts live in a plan file: ``section`` and what each fact is."""

    section: str
    facts: tuple[FactDef, ...]

    def fact(self, key: str) -> FactDef | None:
        return next((f for f in self.facts if f.key == key), None)


@dataclass(frozen=True)
class BoostDef:
    """The 助推资金 an application asks for (``boost``): its amount, from a plan fact or a field,
    and how it splits between the city union and the superior union."""

    amount_fact: str | None = None  # a plan fact (``patent.amount``)
    amount_field: str | None = None  # or a field of the form (``project.requested_tier``)
    split_fact: str | None = None  # a ``split`` plan fact (``patent.split``)
    split_tiers: str | None = None  # or the split of the ``tiers`` plan fact's tier of the amount


@dataclass(frozen=True)
class IdentityDef:
    """What makes two applications of this form the same one (``identity``)."""

    fields: tuple[str, ...]
    label: str  # 专利号 / 工作室和项目名称: “<label>相同” in messages
    duplicate_code: str | None = None  # the finding when two of a batch are the same


@dataclass(frozen=True)
class FormDef:
    form: str
    title: str
    attachment_no: int
    intro: str
    sections: tuple[SectionDef, ...]
    attachments: tuple[AttachmentKind, ...]
    summary: SummaryDef | None
    print_title: str = ""  # with {plan_year}; see ``printed_title``
    subject: str = ""  # the field naming whom an application is for (file names, lists)
    headline: str = ""  # the field naming what an application is about (lists)
    short_title: str = ""  # the form's name in the app's navigation and lists
    file_label: str = ""  # the form's name in the mail package's file names
    count_label: str = ""  # what the mail subject counts (发明专利3项)
    stamps: tuple[str, ...] = ()
    order: int = 0  # place in the navigation, on 首页 and in lists of forms (default: attachment_no)
    layout: str = "sections"  # the printed form: one ruled "grid", or "sections" one after another
    cover: tuple[CoverLine, ...] = ()  # a cover page before the form (附件3), its lines in order
    new_label: str = ""  # the 首页 button that starts one
    body_label: str = ""  # what the mail body counts (发明专利助推申报3项)
    rules: tuple[str, ...] = ()  # registered rule sets (``zhutui.rulesets``)
    plan: PlanSection | None = None
    boost: BoostDef | None = None
    identity: IdentityDef | None = None
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

    def table(self) -> SummaryDef:
        """The summary table of a form that has one (``summary`` is None for a form without)."""
        if self.summary is None:
            raise ValueError(f"form {self.form!r} has no summary table")
        return self.summary

    def has(self, key: str) -> bool:
        """Whether the form has the field ``key`` (the sender's fields are a convention, not a must)."""
        return key in self._by_key

    def attachment_kind(self, kind: str) -> AttachmentKind | None:
        return next((a for a in self.attachments if a.kind == kind), None)

    @functools.cached_property
    def digest(self) -> str:
        """A short digest of the definition: what a normalised application was normalised by."""
        return hashlib.sha256(repr((self.sections, self.attachments)).encode("utf-8")).hexdigest()[:16]

    @functools.cached_property
    def field_tree(self) -> dict[str, Any]:
        """The fields as nested dicts of keys (the application file's shape); leaves are fields."""
        tree: dict[str, Any] = {}
        for f in self.fields:
            node = tree
            *parents, leaf = f.parts
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = f
        return tree

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
    if fmt is not None and ftype != "text":
        raise r.error("format", "只用于 text 类型的字段")
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
    sections: list[SectionDef] = []
    keys: set[str] = set()
    for i, raw in enumerate(r.take("sections", list, required=True)):
        s = r.sub(f"sections[{i}]", raw)
        skey = s.take("key", str, required=True)
        if any(section.key == skey for section in sections):
            raise s.error("key", f"步骤“{skey}”重复定义")
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
        if any(other.kind == attachments[-1].kind for other in attachments[:-1]):
            raise a.error("kind", f"附件种类“{attachments[-1].kind}”重复定义")
        a.done()
    by_key = {f.key: f for s in sections for f in s.fields}
    labels = {key: f.label for key, f in by_key.items()}
    raw_summary = r.take("summary", dict)
    summary = _read_summary(r.sub("summary", raw_summary), labels) if raw_summary is not None else None
    attachment_no = r.take("attachment_no", int, required=True)
    short_title = r.take("short_title", str, required=True)
    plan = _read_plan_section(r, name, by_key)
    form = FormDef(
        form=name,
        title=r.take("title", str, required=True),
        attachment_no=attachment_no,
        intro=" ".join(r.take("intro", str, default="").split()),
        sections=tuple(sections),
        attachments=tuple(attachments),
        summary=summary,
        print_title=r.take("print_title", str, default=""),
        subject=r.take("subject", str, required=True),
        headline=r.take("headline", str, required=True),
        short_title=short_title,
        file_label=r.take("file_label", str, default="申报表"),
        count_label=r.take("count_label", str, default=short_title),
        stamps=tuple(r.take("stamps", list, default=[])),
        order=r.take("order", int, default=attachment_no),
        layout=r.take("layout", str, default="sections"),
        cover=_read_cover(r, by_key),
        new_label=r.take("new_label", str, default=f"新建{short_title}申报"),
        body_label=r.take("body_label", str, default=f"{short_title}申报"),
        rules=_read_rule_sets(r),
        plan=plan,
        boost=_read_boost(r, by_key, plan),
        identity=_read_identity(r, by_key),
        source=path,
    )
    for key in ("subject", "headline"):
        if getattr(form, key) not in labels:
            raise r.error(key, f"表单中没有字段“{getattr(form, key)}”")
    if form.layout not in LAYOUTS:
        raise r.error("layout", f"应为 {' 或 '.join(LAYOUTS)}")
    if any(not isinstance(s, str) or not s for s in form.stamps):
        raise r.error("stamps", "应为盖章单位名称的列表，如 [单位工会, 区、局、集团（公司）工会]")
    _check_codes(r, form)
    _check_texts(r, form)
    if summary is not None:
        for i, column in enumerate(summary.columns):
            if column.field is not None and by_key[column.field].type == "table":
                raise r.error(f"summary.columns[{i}].field", "表格字段不能作为汇总表的一列，请改用它所在行的文字字段")
    if summary is not None and form.boost is None:
        for i, column in enumerate(summary.columns):
            if column.value in BOOST_VALUES:
                raise r.error(f"summary.columns[{i}].value", f"计算列“{column.value}”需要表单定义 boost（助推资金）")
    try:
        form.printed_title(2000)
    except (KeyError, IndexError, ValueError):
        raise r.error("print_title", "只能使用占位符 {plan_year}") from None
    r.done()
    return form


def _check_codes(r: Reader, form: FormDef) -> None:
    """Every ``missing_code`` is a code of the rule catalogue (a finding is made from it)."""
    from zhutui.rules import catalogue

    codes = catalogue()
    for i, section in enumerate(form.sections):
        for j, f in enumerate(section.fields):
            places = [(f"sections[{i}].fields[{j}]", f)]
            places += [(f"sections[{i}].fields[{j}].columns[{k}]", c) for k, c in enumerate(f.columns)]
            for where, field_def in places:
                if field_def.missing_code not in codes:
                    raise r.error(
                        f"{where}.missing_code", f"规则目录（forms/rules.yaml）中没有“{field_def.missing_code}”"
                    )
    for i, kind in enumerate(form.attachments):
        if kind.missing_code is not None and kind.missing_code not in codes:
            raise r.error(f"attachments[{i}].missing_code", f"规则目录（forms/rules.yaml）中没有“{kind.missing_code}”")


# Placeholders every help text may use (``zhutui.plans.Plan.template_values``).
GENERAL_PLACEHOLDERS = ("plan_year", "deadline", "deadline_words", "focus_areas")


def _check_texts(r: Reader, form: FormDef) -> None:
    """The ``{…}`` placeholders of the intro and every help text are ones the plan fills."""
    texts = [("intro", form.intro)]
    for i, section in enumerate(form.sections):
        texts.append((f"sections[{i}].help", section.help))
        for j, f in enumerate(section.fields):
            texts.append((f"sections[{i}].fields[{j}].help", f.help))
            texts += [(f"sections[{i}].fields[{j}].columns[{k}].help", c.help) for k, c in enumerate(f.columns)]
    texts += [(f"attachments[{i}].help", kind.help) for i, kind in enumerate(form.attachments)]
    for where, text in texts:
        problem = placeholder_problem(text, form.plan)
        if problem:
            raise r.error(where, problem)


def placeholder_problem(text: str, plan: PlanSection | None) -> str | None:
    """Why ``text``'s placeholders can't be filled (None when they all can): the general ones,
    the rule sets' and this form's own plan facts (``{<section>.<key>}``)."""
    from zhutui.rulesets import RULE_SETS

    names = {*GENERAL_PLACEHOLDERS, *(n for rule_set in RULE_SETS.values() for n in rule_set.placeholder_names)}
    own = {f"{plan.section}.{fact.key}" for fact in plan.facts} if plan is not None else set()
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return "花括号不成对：占位符写作 {plan_year}，文字中的花括号请写作 {{ 和 }}"
    for _, field_name, spec, conversion in parts:
        if field_name is None:
            continue
        if spec or conversion or (field_name not in names and field_name not in own):
            known = "、".join(f"{{{n}}}" for n in [*GENERAL_PLACEHOLDERS, *sorted(own)])
            return f"未知的占位符“{{{field_name}}}”，可用：{known}（及规则集的占位符）"
    return None


def _read_cover(r: Reader, fields: dict[str, FieldDef]) -> tuple[CoverLine, ...]:
    lines = []
    for i, raw in enumerate(r.take("cover", list, default=[])):
        c = r.sub(f"cover[{i}]", raw)
        key = c.take("field", str)
        if key is not None and key not in fields:
            raise c.error("field", f"表单中没有字段“{key}”")
        lines.append(CoverLine(c.take("label", str, required=True), key))
        c.done()
    return tuple(lines)


def _read_rule_sets(r: Reader) -> tuple[str, ...]:
    from zhutui.rulesets import RULE_SETS

    names = r.take("rules", list, default=[])
    for i, name in enumerate(names):
        if name not in RULE_SETS:
            raise r.error(f"rules[{i}]", f"未知的规则集“{name}”，可用：{', '.join(RULE_SETS)}")
    if len(set(names)) != len(names):
        raise r.error("rules", "规则集重复")
    return tuple(names)


def _read_plan_section(r: Reader, form: str, fields: dict[str, FieldDef]) -> PlanSection | None:
    raw = r.take("plan", dict)
    if raw is None:
        return None
    p = r.sub("plan", raw)
    section = p.take("section", str, default=form)
    if section in _PLAN_TOP_KEYS or not section.isidentifier():
        raise p.error("section", f"“{section}”不能用作计划文件的节名")
    facts = []
    for i, item in enumerate(p.take("facts", list, required=True)):
        f = p.sub(f"facts[{i}]", item)
        key = f.take("key", str, required=True)
        ftype = f.take("type", str, required=True)
        if not key.isidentifier():
            raise f.error("key", "应为英文字母、数字和下划线组成的名称")
        if ftype not in FACT_TYPES:
            raise f.error("type", f"未知的类型“{ftype}”，可用：{', '.join(FACT_TYPES)}")
        levels = f.take("levels", str, required=ftype == "tiers")
        if levels is not None and (ftype != "tiers" or levels not in fields or fields[levels].type != "choice"):
            raise f.error("levels", "只用于 tiers，应为本表单一个选择字段的键（如 studio.level）")
        facts.append(
            FactDef(
                key=key,
                label=f.take("label", str, required=True),
                type=ftype,
                required=f.take("required", bool, default=False),
                unit=f.take("unit", str, default=""),
                levels=levels,
            )
        )
        f.done()
    if len({f.key for f in facts}) != len(facts):
        raise p.error("facts", "计划信息的键重复")
    p.done()
    return PlanSection(section, tuple(facts))


# Top-level keys of a plan file that are not a form's section (``zhutui.plans``).
_PLAN_TOP_KEYS = ("year", "status", "unconfirmed", "source", "notice_issued", "deadline", "submission", "focus_areas")


def _fact_ref(r: Reader, name: str, value: Any, plan: PlanSection | None, types: tuple[str, ...]) -> str:
    """A reference to one of this form's plan facts, ``<section>.<key>``, of one of ``types``."""
    section, _, key = value.partition(".") if isinstance(value, str) else ("", "", "")
    fact = plan.fact(key) if plan is not None and section == plan.section else None
    if fact is None or fact.type not in types:
        known = [f"{plan.section}.{f.key}" for f in plan.facts if f.type in types] if plan else []
        raise r.error(
            name, f"应为本表单计划信息（plan.facts）中类型为 {'/'.join(types)} 的一项，可用：{', '.join(known) or '无'}"
        )
    return f"{section}.{key}"


def _source(r: Reader, name: str, raw: Any, choices: dict[str, Any]) -> tuple[str, Any]:
    """``{plan: …}``, ``{field: …}`` or ``{tiers: …}``: exactly one of ``choices``' keys."""
    s = r.sub(name, raw)
    given = [k for k in choices if s.take(k, str) is not None]
    if len(given) != 1:
        raise s.error(None, f"须且只能指定 {' 或 '.join(choices)} 之一")
    s.done()
    return given[0], choices[given[0]](s, given[0], s.data[given[0]])


def _read_boost(r: Reader, fields: dict[str, FieldDef], plan: PlanSection | None) -> BoostDef | None:
    raw = r.take("boost", dict)
    if raw is None:
        return None
    b = r.sub("boost", raw)

    def money_field(s: Reader, name: str, key: str) -> str:
        f = fields.get(key)
        if f is None or not (f.type == "money" or (f.type == "choice" and isinstance(f.choices[0].value, int))):
            raise s.error(name, f"应为本表单的金额字段或金额选择字段，“{key}”不是")
        return key

    amount_kind, amount = _source(
        b,
        "amount",
        b.take("amount", dict, required=True),
        {"plan": lambda s, n, v: _fact_ref(s, n, v, plan, ("money", "int")), "field": money_field},
    )
    split_kind, split = (None, None)
    raw_split = b.take("split", dict)
    if raw_split is not None:
        split_kind, split = _source(
            b,
            "split",
            raw_split,
            {
                "plan": lambda s, n, v: _fact_ref(s, n, v, plan, ("split",)),
                "tiers": lambda s, n, v: _fact_ref(s, n, v, plan, ("tiers",)),
            },
        )
    b.done()
    return BoostDef(
        amount_fact=amount if amount_kind == "plan" else None,
        amount_field=amount if amount_kind == "field" else None,
        split_fact=split if split_kind == "plan" else None,
        split_tiers=split if split_kind == "tiers" else None,
    )


def _read_identity(r: Reader, fields: dict[str, FieldDef]) -> IdentityDef | None:
    raw = r.take("identity", dict)
    if raw is None:
        return None
    i = r.sub("identity", raw)
    keys = i.take("fields", list, required=True)
    if not keys:
        raise i.error("fields", "至少列出一个字段")
    for n, key in enumerate(keys):
        if key not in fields or fields[key].type not in ("text", "choice", "date", "year", "money"):
            raise i.error(f"fields[{n}]", f"应为本表单的文字、选择、日期、年份或金额字段，“{key}”不是")
    code = i.take("duplicate_code", str)
    if code is not None:
        from zhutui.rules import catalogue

        if code not in catalogue():
            raise i.error("duplicate_code", f"规则目录（forms/rules.yaml）中没有“{code}”")
    identity = IdentityDef(
        fields=tuple(keys),
        label=i.take("label", str, default="和".join(fields[k].label for k in keys)),
        duplicate_code=code,
    )
    i.done()
    return identity


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


def load_form(name: str, folder: Path | None = None) -> FormDef:
    """The definition of form ``name`` (``forms/<name>.yaml``)."""
    return _load_form(name, folder or forms_dir())


@functools.cache
def _load_form(name: str, folder: Path) -> FormDef:
    path = folder / f"{name}.yaml"
    form = parse_form(path, load_yaml(path))
    if form.form != name:
        raise DefinitionError(path, "form", f"应为“{name}”（与文件名相同），现为“{form.form}”")
    return form


def form_names(folder: Path | None = None) -> tuple[str, ...]:
    """The forms of ``forms/``: every ``*.yaml`` there but the rule catalogue, in the order of
    the navigation (``order``, then the name)."""
    return tuple(all_forms(folder))


def all_forms(folder: Path | None = None) -> dict[str, FormDef]:
    """Every form definition of ``forms/`` by name, in the order of the navigation; read once
    (a form added is there at the next start)."""
    return _all_forms(folder or forms_dir())


@functools.lru_cache(maxsize=8)
def _all_forms(folder: Path) -> dict[str, FormDef]:
    names = sorted(p.stem for p in folder.glob("*.yaml") if p.name not in NOT_FORMS and not p.name.startswith("."))
    forms = [_load_form(name, folder) for name in names]
    _check_distinct(forms)
    return {f.form: f for f in sorted(forms, key=lambda f: (f.order, f.form))}


def _check_distinct(forms: list[FormDef]) -> None:
    """附件 numbers and plan sections belong to one form each: the reviewer and the plan file
    must never see two forms under one name."""
    seen: dict[object, FormDef] = {}
    for form in forms:
        numbers = [("attachment_no", form.attachment_no)]
        if form.summary is not None:
            numbers.append(("summary.attachment_no", form.summary.attachment_no))
        for key, number in numbers:
            other = seen.setdefault(("no", number), form)
            if other is not form:
                raise DefinitionError(
                    form.source,
                    key,
                    f"附件{number}已由 {other.source.name} 使用，两个表单不能同用一个附件编号，请换一个",
                )
        if form.plan is not None:
            other = seen.setdefault(("plan", form.plan.section), form)
            if other is not form:
                raise DefinitionError(
                    form.source, "plan.section", f"计划文件的节“{form.plan.section}”已由 {other.source.name} 使用"
                )
