"""Say only what the notice says (issue 19, point 4): help texts and messages quote the plan's
own facts and words, drop a sentence whose fact the plan lacks, say how the deadline's 前 is
counted, and say where a rule is the app's advice rather than the notice's."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from tests.conftest import VALID_PATENT, VALID_PROJECT, make_scans, set_path, write_json
from zhutui import appfile, plans
from zhutui.checks import check_application
from zhutui.checks.deadline import deadline_findings
from zhutui.formdef import load_form
from zhutui.planfacts import help_text

NOTICES = Path(__file__).resolve().parent / "notices"


def _help(form: str, key: str, year: int) -> str:
    return help_text(load_form(form).field(key).help, plans.get_plan(year))


def test_a_help_text_never_states_a_fact_the_plan_lacks():
    # 2022's notice gives the cap and the payment: quoted.
    assert "总额的50%" in _help("project", "project.total_budget", 2022)
    assert "核准通过后3个月内" in _help("patent", "inventor.union_card_no", 2022)
    # The 2021 report gives neither: the sentence is left out, the rest stays.
    budget = _help("project", "project.total_budget", 2021)
    assert "50%" not in budget and "未公布" not in budget and budget.startswith("项目所需资金总额")
    card = _help("patent", "inventor.union_card_no", 2021)
    assert "3个月" not in card and "未公布" not in card and "16至19位卡号" in card
    # Completion: the plan's years, and its latest date only when it has one.
    assert "2年内完成，最晚结题时间不超过2024年12月31日" in _help("project", "project.planned_completion", 2022)
    assert _help("project", "project.planned_completion", 2021).endswith("2年内完成。")


def test_a_plan_read_from_a_notice_fills_its_own_facts(run):
    status, _, err = run("plans", "new", "2023", "--from-notice", NOTICES / "2023_official.txt", "--confirm-read")
    assert status == 0, err
    assert "总额的40%" in _help("project", "project.total_budget", 2023)
    assert "3年内完成，最晚结题时间不超过2026年6月30日" in _help("project", "project.planned_completion", 2023)
    assert "核准通过后2个月内" in _help("patent", "inventor.union_card_no", 2023)


def test_the_project_help_does_not_quote_the_patent_focus_areas_as_its_own():
    text = _help("project", "project.field", 2022)
    assert "通知：重点关注" not in text and "发明专利助推" in text and "本软件" in text


def test_the_apps_advice_says_it_is_advice():
    form = load_form("project")
    for kind in ("approval_document", "fund_proof"):
        assert "本软件的建议" in form.attachment_kind(kind).help
    assert "本软件" in form.intro and "申报单位（盖章）" in form.intro  # the 申报单位 stamp
    from zhutui.rules import catalogue

    rules = catalogue()
    for code in ("J010", "J011", "J021", "D003"):
        assert "本软件" in rules[code].message, code


def test_the_deadline_messages_quote_the_notice_and_say_how_they_count(tmp_path):
    make_scans(tmp_path)
    app = appfile.load(write_json(tmp_path, "p.json", VALID_PATENT))
    near = {f.code: f.message for f in check_application(app, dt.date(2022, 10, 28))}
    assert "各单位需于2022年11月1日前完成材料报送" in near["D002"] and "截止日当天" in near["D002"]
    late = {f.code: f.message for f in check_application(app, dt.date(2022, 11, 2))}
    assert "各单位需于2022年11月1日前完成材料报送" in late["D001"] and "按截止日当天仍可报送计算" in late["D001"]
    # On the deadline day itself it is not yet past (the day counts as open, as said).
    assert "D001" not in {f.code for f in check_application(app, dt.date(2022, 11, 1))}


def test_d003_names_the_working_day_before_only_while_it_is_ahead():
    sunday = dt.date(2023, 10, 29)  # a Sunday; the working day before is Friday 27 October
    codes = {code: dict(params) for code, params in deadline_findings(sunday, dt.date(2023, 10, 20))}
    assert codes["D003"]["previous"] == "2023-10-27"
    assert "D003" in {code for code, _ in deadline_findings(sunday, dt.date(2023, 10, 27))}  # that day itself
    assert "D003" not in {code for code, _ in deadline_findings(sunday, dt.date(2023, 10, 28))}  # Saturday: past


def test_the_cap_in_j006_is_the_plans(run, tmp_path):
    status, _, err = run("plans", "new", "2023", "--from-notice", NOTICES / "2023_official.txt", "--confirm-read")
    assert status == 0, err
    make_scans(tmp_path)
    data = copy.deepcopy(VALID_PROJECT)
    data["plan_year"] = 2023
    set_path(data, "project.approved_on", "2023-03-01")
    set_path(data, "project.startup_funds_date", "2023-03-15")
    set_path(data, "project.requested_tier", 60000)
    set_path(data, "project.total_budget", 120000)  # 60,000 is half: over 2023's 40 %
    app = appfile.load(write_json(tmp_path, "j.json", data))
    found = {f.code: f.message for f in check_application(app, dt.date(2023, 10, 10))}
    assert "J006" in found and "总额的40%" in found["J006"] and "50%" not in found["J006"]
