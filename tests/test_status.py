"""The home page's figures, computed without Qt."""

from __future__ import annotations

import datetime as dt

from tests.conftest import TODAY, set_path, write_json
from zhutui import appfile
from zhutui.plans import get_plan
from zhutui.status import batch_status


def test_ready_batch(workdir, patent, project):
    apps = [appfile.load(write_json(workdir, "p.json", patent)), appfile.load(write_json(workdir, "j.json", project))]
    status = batch_status(get_plan(2022), apps, TODAY)
    assert status.workdays_left > 5 and not status.deadline_passed and not status.plan_unconfirmed
    assert all(s.ready for s in status.apps)
    assert status.apps[0].required_filled == status.apps[0].required_total
    assert status.apps[0].attachments_missing == ()
    assert status.next_problem() is None


def test_problems_in_order_and_next_wraps(workdir, patent, project):
    set_path(patent, "inventor.phone", "12345")
    del patent["attachments"][1]
    set_path(project, "project.name", "")
    apps = [appfile.load(write_json(workdir, "p.json", patent)), appfile.load(write_json(workdir, "j.json", project))]
    status = batch_status(get_plan(2022), apps, TODAY)
    first, second = status.apps
    assert not first.complete and first.attachments_missing == ("企业应用证明",)
    # the phone is an error; the missing attachment is 必备附件 1/2 (待添加), not counted twice
    assert first.errors == 1 and not first.ready
    assert [f.code for f in first.problems][:2] == ["F012", "P012"]
    assert second.required_filled == second.required_total - 1
    steps = []
    at = None
    for _ in range(len(first.problems) + len(second.problems) + 1):
        index, finding = status.next_problem(at)
        j = status.apps[index].problems.index(finding)
        steps.append((index, j))
        at = (index, j)
    assert steps[0] == (0, 0) and steps[-1] == (0, 0)  # wrapped around
    assert {i for i, _ in steps} == {0, 1}


def test_deadline_figures_use_the_official_calendar(workdir, patent):
    apps = [appfile.load(write_json(workdir, "p.json", patent))]
    # 2022-10-25 (Tue) → 11-01: 26, 27, 28, 31 Oct and 1 Nov are working days.
    status = batch_status(get_plan(2022), apps, dt.date(2022, 10, 25))
    assert status.workdays_left == 5
    late = batch_status(get_plan(2022), apps, dt.date(2022, 11, 2))
    assert late.deadline_passed and late.workdays_left == 0
