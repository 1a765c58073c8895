"""planfacts: the plan windows of date fields (where pickers open, placeholder dates) and the plan's
facts as a person reads them on the 设置 page."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from tests.conftest import TODAY, VALID_PATENT, VALID_PROJECT, set_path
from zhutui.appfile import from_data, get_path
from zhutui.checks import check_application
from zhutui.errors import DefinitionError
from zhutui.formdef import DATE_WINDOWS, all_forms, parse_form
from zhutui.paths import forms_dir
from zhutui.planfacts import (
    calendar_start,
    date_window,
    edited_display,
    example_date,
    fact_display,
    fact_text,
    parse_fact,
)
from zhutui.plans import derive_plan, fact_keys, get_plan, load_plans, parse_plan

DAY = dt.timedelta(days=1)


def test_windows_of_2022():
    plan = get_plan(2022)
    assert date_window(plan, "grant") == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert date_window(plan, "approval") == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert date_window(plan, "project") == (dt.date(2022, 1, 1), dt.date(2024, 12, 31))
    assert date_window(plan, "funding") == (dt.date(2022, 1, 1), dt.date(2022, 11, 1))
    assert date_window(plan, None) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    with pytest.raises(KeyError):
        date_window(plan, "grants")


def test_project_window_without_latest_completion_is_approval_plus_years():
    path = forms_dir() / "plans" / "2022.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["project"]["latest_completion"] = None
    plan = parse_plan(path, data, "shipped")
    assert date_window(plan, "project") == (dt.date(2022, 1, 1), dt.date(2024, 12, 31))
    data["project"]["completion_years"] = 1
    assert date_window(parse_plan(path, data, "shipped"), "project")[1] == dt.date(2023, 12, 31)


@pytest.mark.parametrize("window", [*DATE_WINDOWS, None])
def test_picker_opens_inside_the_window_from_any_today(window):
    plan = get_plan(2022)
    start, end = date_window(plan, window)
    assert calendar_start(plan, window, start - 400 * DAY) == start
    assert calendar_start(plan, window, end + 400 * DAY) == end
    assert calendar_start(plan, window, start + DAY) == start + DAY  # today inside: today


def test_example_dates_lie_in_their_windows_in_every_plan():
    plans = [*load_plans().values()]
    raw = derive_plan(plans[-1], plans[-1].year + 1)
    path = Path(f"{raw['year']}.yaml")
    plans.append(parse_plan(path, raw, "user"))
    for plan in plans:
        for window in DATE_WINDOWS:
            start, end = date_window(plan, window)
            assert start < example_date(plan, window) < end, (plan.year, window)
        assert example_date(plan, None) == (plan.notice_issued or plan.deadline)
        assert example_date(plan, None).year == plan.year


def test_windowed_fields_are_dates_and_each_window_is_used():
    fields = [f for form in all_forms().values() for f in form.fields if f.window]
    assert all(f.type == "date" for f in fields)
    assert {f.window for f in fields} == set(DATE_WINDOWS)
    assert all_forms()["patent"].field("patent.grant_date").window == "grant"
    assert all_forms()["patent"].field("patent.applied_since").window is None


# (field, its rule: what a date just after the window's end gives)
RULES = [
    ("patent", "patent.grant_date", "P004"),
    ("project", "project.approved_on", "J001"),
    ("project", "project.planned_completion", "J003"),
    ("project", "project.startup_funds_date", "J014"),
]


@pytest.mark.parametrize(("form", "key", "code"), RULES)
def test_window_matches_the_check_of_its_field(form, key, code):
    plan = get_plan(2022)
    window = all_forms()[form].field(key).window

    def codes_at(day: dt.date) -> set[str]:
        data = copy.deepcopy(VALID_PATENT if form == "patent" else VALID_PROJECT)
        set_path(data, key, day.isoformat())
        # Checked no earlier than that day: a date after today is J015 whatever its window.
        today = max(TODAY, day)
        return {f.code for f in check_application(from_data(data), today, files=False) if f.path == key}

    assert code not in codes_at(example_date(plan, window))
    assert code in codes_at(date_window(plan, window)[1] + DAY)


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (lambda d: d["sections"][0]["fields"][2].update(window="grants"), "sections[0].fields[2].window"),
        (lambda d: d["sections"][0]["fields"][0].update(window="grant"), "sections[0].fields[0].window"),
    ],
)
def test_broken_window_names_file_and_key(mutate, key):
    data = yaml.safe_load((forms_dir() / "patent.yaml").read_text(encoding="utf-8"))
    assert data["sections"][0]["fields"][2]["key"] == "patent.grant_date"
    mutate(data)
    with pytest.raises(DefinitionError) as err:
        parse_form(Path("forms/patent.yaml"), data)
    assert err.value.key == key


def test_facts_of_2022_read_as_text():
    plan = get_plan(2022)
    shown = {key: fact_display(key, get_path(plan.raw, key)) for key in fact_keys(plan.raw)}
    assert shown["notice_issued"] == "2022年10月17日"
    assert shown["deadline"] == "2022年11月1日"
    assert shown["submission.contacts"] == "高珊 83570885、李梦遥 83570883"
    assert shown["submission.electronic_only"] == "附件2、附件4"
    assert shown["focus_areas"].startswith("人工智能、医药健康、")
    assert shown["patent.amount"] == "3,000元"
    assert shown["patent.split"] == "1 : 1"
    assert shown["patent.per_person_per_year"] == "1次"
    assert shown["project.completion_years"] == "2年"
    assert shown["project.boost_cap"] == "50%"
    assert shown["project.per_studio_applications"] == "2项"
    assert shown["project.exclude_unfinished"] == "是"
    assert shown["project.tiers"].splitlines() == [
        "100,000元：市级示范性职工创新工作室、市级职工创新工作室；市总工会 : 区、局、集团工会 = 1 : 1；名额10个",
        "50,000元：市级示范性职工创新工作室、市级职工创新工作室；市总工会 : 区、局、集团工会 = 1 : 1；名额20个",
        "30,000元：区、局、集团（公司）级职工创新工作室；市总工会 : 区、局、集团工会 = 1 : 2；名额50个",
    ]
    for key, text in shown.items():  # nothing raw: no YAML, no Python reprs
        assert not any(mark in text for mark in ("[", "{", "True", "False", "None", "'")), (key, text)


def test_unknown_facts_and_malformed_edits_still_show():
    assert fact_display("patent.split", None) == "未公布"
    assert fact_display("patent.amount", "三千") == "三千"
    assert fact_display("project.boost_cap", "一半") == "一半"
    assert fact_display("submission.contacts", [{"name": "高珊"}, "李梦遥"]) == "name：高珊、李梦遥"
    assert fact_display(
        "project.tiers", [{"amount": 1000, "levels": ["nope"], "split": None, "quota": None}, {"levels": []}, 3]
    ) == ("1,000元：nope；市总工会 : 区、局、集团工会 = 未公布；名额未公布\nlevels：无\n3")
    assert fact_display("submission.electronic_only", []) == "无"


def test_raw_form_round_trips_and_edits_show_readable():
    plan = get_plan(2022)
    for key in fact_keys(plan.raw):
        value = get_path(plan.raw, key)
        assert parse_fact(fact_text(value)) == value, key
    assert fact_text(get_path(plan.raw, "patent.split")) == "[1, 1]"
    assert edited_display("deadline", "2023-10-28") == "2023年10月28日"
    assert edited_display("patent.split", "[1, 2]") == "1 : 2"
    assert edited_display("patent.split", "[1, 2") == "[1, 2"  # cannot be read: as typed
    assert edited_display("submission.email", "") == "未公布"
