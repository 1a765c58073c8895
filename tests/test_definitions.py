"""forms/: the form definitions, the plans and the rule catalogue load, and broken ones are
reported with the file and the key."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest
import yaml

from zhutui.checks.planrules import patent_rules, project_rules
from zhutui.errors import DefinitionError
from zhutui.formdef import all_forms, parse_form
from zhutui.paths import forms_dir
from zhutui.plans import confirm_fact, derive_plan, fact_keys, get_plan, load_plans, parse_plan
from zhutui.rules import catalogue

SPEC_CODES = {
    "F001",
    "F002",
    "F003",
    "F010",
    "F011",
    "F012",
    "F013",
    "F014",
    *(f"P{n:03d}" for n in range(1, 13)),
    "P020",
    "P021",
    *(f"J{n:03d}" for n in range(1, 16)),
    "J021",
    "D001",
    "D002",
    "D003",
    "D004",
    "D005",
    "A001",
    "A002",
    "A003",
    "A004",
}
SPEC_WARNINGS = {"F014", "P020", "J012", "J013", "J014", "D001", "D002", "A004"}
SPEC_INFOS = {"P021", "J021", "D003", "D005"}


def test_catalogue_has_every_spec_code_with_its_severity():
    rules = catalogue()
    assert set(rules) >= SPEC_CODES
    assert set(rules) - SPEC_CODES == {
        "F004",
        "F005",
        "F006",
        "F015",
        "P022",
        "P023",
    }  # documented extensions (F006: identity, F015: email, P022/P023: the certificate's scan, issue 20)
    for code, rule in rules.items():
        expected = "warning" if code in SPEC_WARNINGS | {"P022", "P023"} else "info" if code in SPEC_INFOS else "error"
        assert rule.severity == expected, code


def test_every_message_placeholder_is_known():
    # Placeholders a check may fill; anything else would raise at run time.
    known = {
        "label",
        "limit",
        "actual",
        "value",
        "choices",
        "min",
        "max",
        "detail",
        "expected",
        "read",
        "kind",
        "others",
        "grant_from",
        "grant_to",
        "approval_from",
        "approval_to",
        "plan_year",
        "latest_completion_clause",
        "approved_on",
        "level",
        "allowed",
        "total",
        "cap_percent",
        "max_amount",
        "sum",
        "diff",
        "count",
        "row",
        "deadline",
        "today",
        "days",
        "left",
        "day_kind",
        "previous",
        "years",
        "file",
        "dpi",
        "page",
        "focus_areas",
        "verb",
        # The plan's own words and facts (Plan.template_values).
        "deadline_words",
        "project.completion_years",
    }
    for rule in catalogue().values():
        names = {f for _, f, _, _ in string.Formatter().parse(rule.message) if f}
        assert names <= known, (rule.code, names - known)


def test_forms_cover_spec_section_4():
    forms = all_forms()
    patent, project = forms["patent"], forms["project"]
    assert {f.key for f in patent.fields} >= {
        "patent.title",
        "patent.number",
        "patent.grant_date",
        "patent.patentee",
        "patent.inventors",
        "patent.field",
        "patent.applied_since",
        "patent.application_summary",
        "patent.abstract",
        "inventor.name",
        "inventor.gender",
        "inventor.id_number",
        "inventor.phone",
        "inventor.employer",
        "inventor.employer_uscc",
        "inventor.post",
        "inventor.frontline",
        "inventor.union_card_no",
        "unit_union.name",
        "unit_union.contact",
        "unit_union.phone",
        "superior_union.name",
    }
    assert {a.kind: a.required for a in patent.attachments} == {
        "patent_certificate": True,
        "application_proof": True,
        "stamped_form": False,
        "other": False,
    }
    assert {a.kind: a.required for a in project.attachments} == {
        "approval_document": True,
        "fund_proof": True,
        "studio_certificate": False,
        "stamped_form": False,
        "other": False,
    }
    assert [c.key for c in project.field("project.team").columns] == [
        "name",
        "gender",
        "birth_year",
        "post",
        "title",
        "role",
    ]
    assert project.field("studio.level").choice_label("district") == "区、局、集团（公司）级职工创新工作室"
    for form in forms.values():
        for col in form.summary.columns:
            assert col.label
            if col.field:
                form.field(col.field)


@pytest.mark.parametrize("year", [2021, 2022])
def test_help_texts_fill_from_the_plan(year):
    values = get_plan(year).template_values
    for form in all_forms().values():
        for text in [s.help for s in form.sections] + [f.help for f in form.fields]:
            filled = text.format_map(values)
            assert "{" not in filled
    assert values["grant_from"] == f"{year - 1}年1月1日"


def test_plan_facts_match_the_notices():
    p22, p21 = get_plan(2022), get_plan(2021)
    assert p22.deadline == dt.date(2022, 11, 1) and p21.deadline == dt.date(2021, 11, 15)
    assert (p22.email, p21.email) == ("jscxfwb@163.com", "jsxfwb@163.com")
    assert [c.phone for c in p22.contacts] == ["83570885", "83570883"]
    assert project_rules(p22).tiers_for("district") == (30000,)
    assert project_rules(p22).tier(30000).split == (1, 2) and patent_rules(p22).split == (1, 1)
    assert p22.fact("project.latest_completion") == dt.date(2024, 12, 31)
    # Facts the 2021 report doesn't give are null, never guessed.
    assert p21.notice_issued is None and p21.paper_address is None and p21.contacts is None
    assert project_rules(p21).boost_cap is None and project_rules(p21).latest_completion is None
    assert p21.fact("patent.split") is None


def test_derived_plan_shifts_dates_and_needs_confirming():
    raw = derive_plan(get_plan(2022), 2023)
    assert raw["status"] == "待核对"
    assert raw["deadline"] == dt.date(2023, 11, 1)
    assert raw["project"]["latest_completion"] == dt.date(2025, 12, 31)
    assert set(raw["unconfirmed"]) == set(fact_keys(raw))
    raw = confirm_fact(raw, "deadline", dt.date(2023, 10, 31))
    assert raw["deadline"] == dt.date(2023, 10, 31) and "deadline" not in raw["unconfirmed"]
    for key in list(raw["unconfirmed"]):
        raw = confirm_fact(raw, key)
    assert raw["status"] == "confirmed"


def _form_yaml() -> dict:
    return yaml.safe_load((forms_dir() / "patent.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (lambda d: d["sections"][0]["fields"][1].update(type="txt"), "sections[0].fields[1].type"),
        (lambda d: d["sections"][0]["fields"][0].update(lable="x"), "sections[0].fields[0].lable"),
        (lambda d: d["sections"][1]["fields"][0].pop("label"), "sections[1].fields[0].label"),
        (lambda d: d["sections"][0]["fields"][0].update(max_length="100"), "sections[0].fields[0].max_length"),
        (lambda d: d["summary"]["columns"][2].update(field="patent.nope"), "summary.columns[2].field"),
        (lambda d: d["attachments"][0].update(required="yes"), "attachments[0].required"),
        (lambda d: d.pop("sections"), "sections"),
    ],
)
def test_broken_form_definition_names_file_and_key(mutate, key):
    data = _form_yaml()
    mutate(data)
    with pytest.raises(DefinitionError) as err:
        parse_form(Path("forms/patent.yaml"), data)
    assert err.value.file == "forms/patent.yaml" and err.value.key == key


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (lambda d: d.update(deadline="11月1日"), "deadline"),
        (lambda d: d["project"]["tiers"][0].update(levels=["city"]), "project.tiers[0].levels"),
        (lambda d: d["patent"].update(split=[1]), "patent.split"),
        (lambda d: d.update(status="ok"), "status"),
        (lambda d: d["submission"].update(mail="x"), "submission.mail"),
    ],
)
def test_broken_plan_names_file_and_key(mutate, key):
    path = forms_dir() / "plans" / "2022.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(DefinitionError) as err:
        parse_plan(path, data, "shipped")
    assert err.value.key == key


def test_plans_cite_their_source():
    for plan in load_plans().values():
        assert plan.source and plan.confirmed
        assert re.search(str(plan.year), plan.source)
