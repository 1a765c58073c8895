"""The app as a process and as a first-time user meets it: killed mid-edit, the sample offer,
settings (next year's plan, the union's details)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.gui_support import import_apps, make_window, type_text

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from zhutui.workspace.store import Workspace  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

KILL_AFTER_EDIT = textwrap.dedent("""
    import os, signal, sys, datetime as dt
    from pathlib import Path
    from PySide6.QtCore import Qt, QTimer
    from zhutui.gui.main import application, build
    from tests.gui_support import type_text

    qapp = application()
    window, session = build(dt.date(2022, 10, 10), Path(sys.argv[1]))
    window.show()
    app_id = session.records("patent")[0].id

    def edit():
        page = window.form_pages["patent"]
        window.show_page(page)
        page.open_application(app_id, "inventor.post")
        edit = page.editor.row("inventor.post").input.edit
        edit.selectAll()
        type_text(edit, "数控铣工班长")
        print("typed", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # no close, no flush, no goodbye

    QTimer.singleShot(0, edit)
    qapp.exec()
""")


def test_an_edit_typed_in_the_window_survives_sigkill(workdir, patent):
    folder = workdir / "workspace"
    with Workspace(folder) as ws:
        (app_id,) = import_apps(ws, workdir, patent)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_EDIT, str(folder)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "typed" in result.stdout
    with Workspace(folder) as ws:
        assert ws.record(app_id).data["inventor"]["post"] == "数控铣工班长"


def test_first_start_offers_the_sample_once(qtbot, tmp_path):
    from zhutui.gui.firstrun import offer_sample

    window, session = make_window(qtbot, tmp_path)
    asked = []

    def yes(*args):
        asked.append(args[1])
        return QMessageBox.StandardButton.Yes

    job = offer_sample(session, window, ask=yes)
    assert asked == ["欢迎使用职工创新助推申报助手"]
    with qtbot.waitSignal(session.records_changed, timeout=60_000):
        pass
    assert job is not None
    records = session.ws.records()
    assert {r.form for r in records} == {"patent", "project"} and len(records) == 4
    assert all(session.ws.attachments(r.id) for r in records)  # scans copied into the workspace
    assert offer_sample(session, window, ask=yes) is None and len(asked) == 1
    window.close()


def test_no_sample_offer_when_declined_or_not_empty(qtbot, workdir, patent):
    from zhutui.gui.firstrun import offer_sample

    window, session = make_window(qtbot, workdir / "empty")
    assert offer_sample(session, window, ask=lambda *a: QMessageBox.StandardButton.No) is None
    assert session.ws.records() == []
    assert offer_sample(session, window, ask=lambda *a: pytest.fail("asked twice")) is None
    window.close()


def test_settings_derive_and_confirm_next_years_plan(qtbot, tmp_path, monkeypatch):
    from zhutui import plans

    window, session = make_window(qtbot, tmp_path)
    page = window.settings
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    latest = plans.latest_plan().year
    page.derive_next()
    assert session.plan_year == latest + 1
    plan = session.plan
    assert not plan.confirmed and plan.origin == "user"
    assert "待核对" in page.year.currentText()
    keys = plans.fact_keys(plan.raw)
    row = keys.index("deadline")
    assert page.facts.item(row, 0).text() == "报送截止日期"
    page.facts.item(row, 1).setText(f"{latest + 1}-10-28")
    page.confirm("deadline")
    plan = session.plan
    assert plan.deadline.isoformat() == f"{latest + 1}-10-28" and "deadline" not in plan.unconfirmed
    assert page.facts.item(row, 4).text() == "已确认"
    # a value that can't be read is refused, nothing saved
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    row = keys.index("patent.amount")
    page.facts.item(row, 1).setText("三千")
    page.confirm("patent.amount")
    assert warnings and "patent.amount" in session.plan.unconfirmed
    with qtbot.waitSignal(session.status_changed, timeout=10_000):
        session.refresh_status()
    assert "待核对" in window.home.warning.text()
    window.close()


def test_union_details_are_kept_and_fill_new_forms(qtbot, tmp_path):
    window, session = make_window(qtbot, tmp_path)
    inputs = window.settings.union_inputs
    type_text(inputs["unit_union.contact"], "赵敏")
    type_text(inputs["superior_union.name"], "北京市朝阳区总工会")
    assert session.ws.setting("union") == {"unit_union.contact": "赵敏", "superior_union.name": "北京市朝阳区总工会"}
    app_id = session.create("patent")
    data = session.ws.record(app_id).data
    assert data["unit_union"] == {"contact": "赵敏"} and data["superior_union"] == {"name": "北京市朝阳区总工会"}
    window.close()


def test_zhutui_without_a_command_opens_the_window(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ZHUTUI_QUIT_WHEN_SHOWN="1")
    env.pop("ZHUTUI_DATA_DIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "zhutui", "--data-dir", str(tmp_path / "数据")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "shown"
    assert (tmp_path / "数据" / "workspace" / "workspace.db").is_file()  # --data-dir holds the workspace


def test_the_window_reopens_where_it_was_closed(qtbot, tmp_path):
    from zhutui.gui.main import application, build

    application()
    window, session = build(None, tmp_path / "workspace")
    qtbot.addWidget(window)
    window.restore_geometry()  # nothing saved yet: the default size
    assert window.size() == window.sizeHint()
    window.resize(window.width(), 500)
    window.show()
    qtbot.waitExposed(window)
    closed_at = window.size()
    assert closed_at != window.sizeHint()
    window.close()
    again, session = build(None, tmp_path / "workspace")
    qtbot.addWidget(again)
    again.restore_geometry()
    again.show()
    qtbot.waitExposed(again)
    assert again.size() == closed_at
    again.close()
