"""Next year's plan from its notice, in the app (issue 19, point 2): after the deadline 首页
offers to read the new notice; 设置 → 从通知读取 shows each fact beside the previous plan's,
changed ones marked, with its sentence; confirmed fact by fact, the plan is what 首页, the checks
and the outputs use."""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
from pathlib import Path

from tests.conftest import VALID_PATENT, make_scans, write_json
from tests.gui_support import make_window

NOTICES = Path(__file__).resolve().parent / "notices"
AFTER_DEADLINE = dt.date(2023, 9, 25)  # 2022's deadline (2022-11-01) has passed


def test_home_offers_the_new_notice_and_settings_compares_it(qtbot, tmp_path, monkeypatch):
    from zhutui import plans
    from zhutui.gui.noticedialog import NoticeDialog

    window, session = make_window(qtbot, tmp_path, AFTER_DEADLINE)
    home = window.home
    assert home.notice_button.isVisible() and home.notice_button.text() == "读取2023年通知…"
    assert "已过" in home.warning.text() and "通知" in home.warning.text()
    home.grab().save(str(tmp_path / "home-after-deadline.png"))

    shots = []

    def run_dialog(dialog: NoticeDialog) -> int:  # what the user does in the modal dialog
        dialog.show()
        dialog.read_file(NOTICES / "2023_official.txt")
        assert "读到2023年度的通知" in dialog.summary.text() and dialog.ok_button.isEnabled()
        shots.append(dialog.grab())
        dialog.make_plan()
        return NoticeDialog.DialogCode.Accepted

    monkeypatch.setattr(NoticeDialog, "exec", run_dialog)
    home.notice_button.click()
    assert window.stack.currentWidget() is window.settings
    shots[0].save(str(tmp_path / "notice-dialog.png"))
    assert session.plan_year == 2023
    plan = session.plan
    assert plan.origin == "user" and not plan.confirmed and plan.notice_sources

    page = window.settings
    keys = plans.fact_keys(plan.raw)
    assert not page.facts.isColumnHidden(2) and not page.facts.isColumnHidden(3)
    amount = keys.index("patent.amount")
    assert page.facts.item(amount, 0).text().startswith("＊")  # 3,000 last year, 5,000 now
    assert "5,000" in page.facts.item(amount, 1).text() and "3,000" in page.facts.item(amount, 2).text()
    assert "给予5,000元" in page.facts.item(amount, 3).text()
    receiver = keys.index("submission.paper_receiver")
    assert not page.facts.item(receiver, 0).text().startswith("＊")  # the same as last year
    page.facts.setMinimumHeight(700)
    page.grab().save(str(tmp_path / "settings-compare.png"))

    # Confirmed fact by fact (one corrected on the way), the plan is confirmed ...
    page.facts.item(keys.index("deadline"), 1).setText("2023-10-30")
    for key in keys:
        page.confirm(key)
    plan = session.plan
    assert plan.confirmed and plan.deadline == dt.date(2023, 10, 30)
    # ... and 首页 shows it
    window.show_page(home)
    with qtbot.waitSignal(session.status_changed, timeout=20_000):
        session.refresh_status()
    assert "2023年职工创新助推计划" in home.title.text() and "2023年10月30日" in home.deadline.text()
    assert not home.notice_box.isVisible()
    qtbot.wait(100)  # the layout catches up with the hidden warning
    home.grab().save(str(tmp_path / "home-2023.png"))


def test_the_plan_read_from_a_notice_is_what_the_checks_and_outputs_use(run, tmp_path):
    from zhutui import appfile
    from zhutui.checks import check_application
    from zhutui.outputs.render import render_batch

    status, out, err = run("plans", "new", "2023", "--from-notice", NOTICES / "2023_official.txt", "--confirm-read")
    assert status == 0, err
    make_scans(tmp_path)
    data = copy.deepcopy(VALID_PATENT)
    data["plan_year"] = 2023
    data["patent"]["grant_date"] = "2022-06-01"  # inside 2023's grant window (2022)
    app = appfile.load(write_json(tmp_path, "p.json", data))
    codes = {f.code for f in check_application(app, dt.date(2023, 10, 10))}
    assert "P004" not in codes
    data["patent"]["grant_date"] = "2021-06-01"  # last year's window: out now
    late = appfile.load(write_json(tmp_path, "late.json", data))
    assert "P004" in {f.code for f in check_application(late, dt.date(2023, 10, 10))}
    result = render_batch([app], tmp_path / "out", dt.date(2023, 10, 10), draft=True)
    text = subprocess.run(["pdftotext", str(result.forms[0].path), "-"], capture_output=True, text=True).stdout
    assert "2023年职工创新发明专利助推申报表" in text and "5,000元" in text
    checklist = subprocess.run(["pdftotext", str(result.checklist), "-"], capture_output=True, text=True).stdout
    assert "cxzt2023@bjzgh.org" in checklist
