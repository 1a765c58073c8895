"""Project checks (J codes) and the table checks, each on both sides of its boundary."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from tests.conftest import codes, write_json


def check(run, workdir, data, name="p.json"):
    return run.check(write_json(workdir, name, data))


def test_valid_project_has_no_findings(run, workdir, project):
    assert check(run, workdir, project) == (0, [])


def budget(enterprise: int, boost: int) -> list[dict]:
    return [
        {"item": "材料费", "amount": enterprise, "source": "enterprise"},
        {"item": "测试加工费", "amount": boost, "source": "boost"},
    ]


def mutate(project: dict, **changes) -> dict:
    data = copy.deepcopy(project)
    for key, value in changes.items():
        obj, field = key.split("__")
        data[obj][field] = value
    return data


CASES = [
    # J001: approval within 2022
    ({"project__approved_on": "2022-01-01"}, None),
    ({"project__approved_on": "2021-12-31"}, ("J001", "project.approved_on")),
    (
        {
            "project__approved_on": "2023-01-01",
            "project__planned_completion": "2024-06-30",
            "project__startup_funds_date": "2023-01-05",
        },
        ("J001", "project.approved_on"),
    ),
    # J002: startup funds
    ({"project__startup_funds": 0}, ("J002", "project.startup_funds")),
    ({"project__startup_funds": None}, ("J002", "project.startup_funds")),
    ({"project__startup_funds_date": ""}, ("J002", "project.startup_funds_date")),
    ({"project__startup_funds": "200,000元"}, None),
    # J003: two years from approval (2022-03-01 → 2024-03-01), and never after 2024-12-31
    ({"project__planned_completion": "2024-03-01"}, None),
    ({"project__planned_completion": "2024-03-02"}, ("J003", "project.planned_completion")),
    # J004
    ({"project__planned_completion": "2022-03-01"}, ("J004", "project.planned_completion")),
    ({"project__planned_completion": "2022-02-01"}, ("J004", "project.planned_completion")),
    # J005: tier by studio level
    ({"studio__level": "district"}, ("J005", "project.requested_tier")),
    ({"studio__level": "municipal", "project__requested_tier": 50000, "project__budget": budget(350000, 50000)}, None),
    ({"project__requested_tier": 30000, "project__budget": budget(370000, 30000)}, ("J005", "project.requested_tier")),
    ({"project__requested_tier": 80000}, ("F004", "project.requested_tier")),
    # J006: boost ≤ 50 % of the total; exactly 50 % is allowed
    ({"project__total_budget": 200000, "project__budget": budget(100000, 100000)}, None),
    ({"project__total_budget": 199999, "project__budget": budget(99999, 100000)}, ("J006", "project.requested_tier")),
    # J007: budget lines add up to the total
    ({"project__total_budget": 400001}, ("J007", "project.budget")),
    # J009
    ({"studio__has_unfinished_funded_project": True}, ("J009", "studio.has_unfinished_funded_project")),
    # J013: boost lines vs requested tier
    ({"project__budget": budget(350000, 50000)}, ("J013", "project.budget")),
    # J014: funds paid on the approval day is fine, the day before is not
    ({"project__startup_funds_date": "2022-03-01"}, None),
    ({"project__startup_funds_date": "2022-02-28"}, ("J014", "project.startup_funds_date")),
    # After the deadline and after today (2022-10-10): J015, not also J014 (see test_future_payment…)
    ({"project__startup_funds_date": "2022-11-02"}, ("J015", "project.startup_funds_date")),
    # J021
    ({"project__field": "机械加工"}, ("J021", "project.field")),
    # F checks on this form
    ({"project__background": "字" * 1500}, None),
    ({"project__background": "字" * 1501}, ("F002", "project.background")),
    ({"studio__recognized_year": 2023}, ("F005", "studio.recognized_year")),
    ({"studio__recognized_year": "2019"}, None),
    ({"studio__level": "city"}, ("F004", "studio.level")),
    ({"studio__enterprise_uscc": "91350100M000100Y4"}, ("F013", "studio.enterprise_uscc")),
]


@pytest.mark.parametrize(("changes", "expected"), CASES, ids=[str(c)[:70] for c, _ in CASES])
def test_project_rule(run, workdir, project, changes, expected):
    status, findings = check(run, workdir, mutate(project, **changes))
    if expected is None:
        assert (status, findings) == (0, [])
        return
    assert expected in codes(findings), findings


def test_approval_on_the_last_day_of_the_year(run, workdir, project):
    data = mutate(
        project,
        project__approved_on="2022-12-31",
        project__startup_funds_date="2022-12-31",
        project__milestones=[{"start": "2022-12-31", "end": "2023-12-31", "task": "攻关"}],
    )
    # Checked on 2023-01-05 (before that both dates would lie after today: J015).
    _, findings = run.check(write_json(workdir, "p.json", data), today=dt.date(2023, 1, 5))
    # Inside the approval window; only the payment after the submission deadline is odd.
    assert {c for c in codes(findings) if c[0].startswith("J")} == {("J014", "project.startup_funds_date")}


def test_completion_cap_of_the_plan(run, workdir, project):
    # Approved 2022-12-20: two years would be 2024-12-20, the plan's cap 2024-12-31 is later.
    base = mutate(
        project, project__approved_on="2022-12-20", project__startup_funds_date="2022-12-21", project__milestones=[]
    )
    ok = mutate(base, project__planned_completion="2024-12-20")
    late = mutate(base, project__planned_completion="2024-12-21")
    assert "J003" not in {f["code"] for f in check(run, workdir, ok)[1]}
    assert ("J003", "project.planned_completion") in codes(check(run, workdir, late)[1])


def test_plan_cap_binds_before_two_years(run, workdir, project, monkeypatch):
    from zhutui.checks.planrules import latest_completion
    from zhutui.plans import get_plan

    plan = get_plan(2022)
    assert latest_completion(plan, dt.date(2022, 3, 1)) == dt.date(2024, 3, 1)
    assert latest_completion(plan, dt.date(2022, 12, 31)) == dt.date(2024, 12, 31)
    # 2021 gives no latest completion date: only the two years apply.
    assert latest_completion(get_plan(2021), dt.date(2021, 12, 31)) == dt.date(2023, 12, 31)


def test_milestones(run, workdir, project):
    data = copy.deepcopy(project)
    ms = data["project"]["milestones"]
    ms[0]["start"] = "2022-02-28"  # before approval
    ms[2]["end"] = "2024-01-31"  # after planned completion
    ms[1]["end"] = "2022-08-01"  # before its own start
    _, findings = check(run, workdir, data)
    assert {
        ("J012", "project.milestones[0].start"),
        ("J012", "project.milestones[2].end"),
        ("J012", "project.milestones[1].end"),
    } <= codes(findings)
    assert all(f["severity"] == "warning" for f in findings if f["code"] == "J012")


def test_overlapping_milestones(run, workdir, project):
    data = copy.deepcopy(project)
    ms = data["project"]["milestones"]
    ms[1]["start"] = "2022-04-01"  # shares 153 of the first stage's 184 days
    _, findings = check(run, workdir, data)
    assert ("J012", "project.milestones[1].start") in codes(findings)
    ms[1]["start"] = "2022-08-01"  # a month's overlap is normal
    assert check(run, workdir, data) == (0, [])


def test_table_cells(run, workdir, project):
    data = copy.deepcopy(project)
    data["project"]["milestones"][2]["end"] = "2023-13-01"
    data["project"]["team"][0]["name"] = ""
    data["project"]["budget"][1]["source"] = "bank"
    _, findings = check(run, workdir, data)
    assert {
        ("F003", "project.milestones[2].end"),
        ("F001", "project.team[0].name"),
        ("F004", "project.budget[1].source"),
    } <= codes(findings)


def test_attachments_required(run, workdir, project):
    data = copy.deepcopy(project)
    data["attachments"] = []
    _, findings = check(run, workdir, data)
    assert {("J010", "attachments"), ("J011", "attachments")} <= codes(findings)


@pytest.mark.parametrize(("n", "flagged"), [(2, False), (3, True)])
def test_at_most_two_per_studio(run, workdir, project, n, flagged):
    paths = []
    for i in range(n):
        data = mutate(project, project__name=f"项目{i}")
        data["studio"]["name"] = " 王建国创新工作室" if i == 1 else "王建国创新工作室"
        paths.append(write_json(workdir, f"p{i}.json", data))
    status, findings = run.check(*paths)
    j008 = [f for f in findings if f["code"] == "J008"]
    assert (status == 1) is flagged
    assert len(j008) == (n if flagged else 0)
    assert all(f["path"] == "studio.name" for f in j008)


def test_studio_names_typed_with_full_or_half_width_forms_are_one_studio(run, workdir, project):
    """（集团） twice and (集团) once, full-width letters and digits, spaces: one studio, three
    applications (the issue's case gave no J008)."""
    spellings = [
        ("王建国（集团）创新工作室", "北京精工机床（集团）有限公司"),
        ("王建国（集团）创新工作室", "北京精工机床(集团)有限公司"),
        ("王建国 (集团) 创新工作室", "北京精工机床（集团）有限公司"),
    ]
    paths = []
    for i, (studio, enterprise) in enumerate(spellings):
        data = mutate(project, project__name=f"项目{i}")
        data["studio"]["name"], data["studio"]["enterprise"] = studio, enterprise
        paths.append(write_json(workdir, f"p{i}.json", data))
    status, findings = run.check(*paths)
    j008 = [(f["code"], f["path"]) for f in findings if f["code"] == "J008"]
    assert status == 1
    assert j008 == [("J008", "studio.name")] * 3, findings


def test_full_width_letters_and_digits_name_the_same_studio(run, workdir, project):
    spellings = [
        ("ＣＮＣ第１创新工作室", "北京ＡＢＣ机床有限公司"),
        ("CNC第1创新工作室", "北京ABC机床有限公司"),
        ("ＣＮＣ 第1 创新工作室", "北京 ＡＢＣ 机床有限公司"),
    ]
    paths = []
    for i, (studio, enterprise) in enumerate(spellings):
        data = mutate(project, project__name=f"项目{i}")
        data["studio"]["name"], data["studio"]["enterprise"] = studio, enterprise
        paths.append(write_json(workdir, f"p{i}.json", data))
    _, findings = run.check(*paths)
    assert sorted((f["file"], f["code"], f["path"]) for f in findings if f["code"] == "J008") == sorted(
        (str(p), "J008", "studio.name") for p in paths
    ), findings


def test_same_studio_name_in_another_enterprise_is_another_studio(run, workdir, project):
    paths = []
    for i in range(3):
        data = mutate(project, project__name=f"项目{i}")
        data["studio"]["enterprise"] = f"北京第{i}机床厂"
        paths.append(write_json(workdir, f"p{i}.json", data))
    _, findings = run.check(*paths)
    assert "J008" not in {f["code"] for f in findings}


def test_2021_plan_has_no_boost_cap(run, workdir, project):
    data = mutate(
        project,
        project__approved_on="2021-03-01",
        project__startup_funds_date="2021-03-15",
        project__planned_completion="2022-12-31",
        project__total_budget=150000,
        project__budget=budget(50000, 100000),
        project__milestones=[],
    )
    data["plan_year"] = 2021
    _, findings = run.check(write_json(workdir, "p.json", data), today=None)
    assert "J006" not in {f["code"] for f in findings}
    assert "J001" not in {f["code"] for f in findings}


# --------------------------------------------------------------------------- J015: not yet


@pytest.mark.parametrize(
    ("changes", "today", "expected"),
    [
        # The reproduction: approved 2022-12-01, checked on 2022-10-20.
        ({"project__approved_on": "2022-12-01"}, "2022-10-20", {("J015", "project.approved_on")}),
        ({"project__approved_on": "2022-10-20"}, "2022-10-20", set()),  # approved today is fine
        ({"project__startup_funds_date": "2022-10-21"}, "2022-10-20", {("J015", "project.startup_funds_date")}),
        ({"project__startup_funds_date": "2022-10-20"}, "2022-10-20", set()),
        (
            {"project__approved_on": "2022-10-25", "project__startup_funds_date": "2022-10-28"},
            "2022-10-20",
            {("J015", "project.approved_on"), ("J015", "project.startup_funds_date")},
        ),
    ],
)
def test_dates_after_today(run, workdir, project, changes, today, expected):
    _, findings = run.check(
        write_json(workdir, "p.json", mutate(project, **changes)), today=dt.date.fromisoformat(today)
    )
    j015 = {(f["code"], f["path"]) for f in findings if f["code"] == "J015"}
    assert j015 == expected, findings
    for f in findings:
        if f["code"] == "J015":
            assert f["severity"] == "error"
            assert "已由企业批准于2022年内立项且拨付启动资金" in f["message"]
            assert "晚于今天（2022-10-20）" in f["message"]


def test_future_approval_alone_is_reported(run, workdir, project):
    """A future approval date doesn't also make the (past) payment "before the approval" (J014):
    the one date to correct is the approval's."""
    data = mutate(
        project,
        project__approved_on="2022-12-01",
        project__milestones=[{"start": "2022-12-01", "end": "2023-12-31", "task": "攻关"}],
    )
    _, findings = run.check(write_json(workdir, "p.json", data), today=dt.date(2022, 10, 20))
    assert codes(findings) == {("J015", "project.approved_on")}, findings
    message = next(f["message"] for f in findings)
    assert message.startswith("“企业立项日期”2022-12-01晚于今天（2022-10-20）。")


def test_future_payment_is_not_also_after_the_deadline(run, workdir, project):
    data = mutate(project, project__startup_funds_date="2022-11-05")
    _, findings = run.check(write_json(workdir, "p.json", data), today=dt.date(2022, 10, 20))
    assert codes(findings) == {("J015", "project.startup_funds_date")}, findings
    # Once the day has passed, the late payment is J014 (a warning) again.
    _, findings = run.check(write_json(workdir, "p.json", data), today=dt.date(2022, 11, 10))
    assert ("J014", "project.startup_funds_date") in codes(findings)
    assert "J015" not in {f["code"] for f in findings}
