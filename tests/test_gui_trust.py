"""The editor never changes a value behind the user's back, and every finding shows where she looks
(issue 16): the wheel, batch findings at the field, confirmed warnings, 待填, a page that holds still."""

from __future__ import annotations

import copy
import json

import pytest

from tests.gui_support import make_window

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

BAD_CARD = "6214680000012345673"  # fails the bank check (F014, a warning)


def open_editor(window, app_id, path=None):
    page = window.form_pages[window.session.ws.record(app_id).form]
    window.show_page(page)
    page.open_application(app_id, path)
    return page.editor


def wheel(widget, down: bool = True) -> None:
    """One notch of the mouse wheel with the pointer resting on ``widget``."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, -120 if down else 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def refreshed(qtbot, session):
    with qtbot.waitSignal(session.status_changed, timeout=20_000):
        session.refresh_status()


# ---------------------------------------------------------------------- 1. the wheel


def test_the_wheel_over_an_unfocused_drop_down_scrolls_the_page_and_changes_nothing(qtbot, window_of, patent):
    window, session, (app_id,) = window_of(patent)
    editor = open_editor(window, app_id)
    editor.go_step(1)  # 第一发明人: 性别, 是否一线职工 are drop-downs
    page = editor.page(1)
    frontline = editor.row("inventor.frontline").input.combo
    page.reveal(editor.row("inventor.frontline"))
    qtbot.wait(50)
    before_value, before_scroll = frontline.currentData(), page.verticalScrollBar().value()
    assert page.verticalScrollBar().maximum() > 0  # the step is longer than the screen: it can scroll
    page.verticalScrollBar().setValue(page.verticalScrollBar().maximum() // 2)
    before_scroll = page.verticalScrollBar().value()
    wheel(frontline, down=True)
    assert frontline.currentData() is before_value is True
    assert session.ws.record(app_id).data["inventor"]["frontline"] is True
    assert page.verticalScrollBar().value() != before_scroll  # the page scrolled instead
    # in the drop-down (clicked or tabbed into), the wheel picks, as the user expects
    window.activateWindow()
    frontline.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(frontline.hasFocus)
    wheel(frontline, down=True)
    assert frontline.currentData() is False


def test_the_wheel_over_a_table_cell_changes_nothing(qtbot, window_of, project):
    window, session, (app_id,) = window_of(project)
    editor = open_editor(window, app_id, "project.budget[0].item")
    table = editor.row("project.budget").input
    column = next(j for j, c in enumerate(table.columns) if c.type == "choice")
    combo = table.table.cellWidget(0, column)
    before = combo.currentData()
    assert before is not None
    table.table.setFocus()
    for _ in range(3):
        wheel(combo)
    assert combo.currentData() == before
    assert session.ws.record(app_id).data["project"]["budget"][0]["source"] == before


# ---------------------------------------------------------------------- 2. batch findings


def test_a_batch_finding_shows_at_its_field_naming_the_other_application(qtbot, window_of, patent):
    other = copy.deepcopy(patent)
    other["patent"]["number"] = "ZL201910123456.2"
    other["patent"]["title"] = "一种数控机床刀具磨损在线监测方法"
    window, session, (first, second) = window_of(patent, other)
    editor = open_editor(window, first)
    editor.go_step(1)
    row = editor.row("inventor.id_number")
    assert "P008" in {f.code for f in row.findings}
    text = row.message.text()
    assert "一种数控机床刀具磨损" in text and patent["inventor"]["name"] in text  # whose and which
    assert row.property("severity") == "error"
    # the header counts what the list and 首页 count
    model = window.form_pages["patent"].model
    errors = model.data(model.index(model.row_of(first), 3))
    assert f"错误 {errors}　" in editor.summary.text() and errors == "1"
    home = window.home
    home_row = next(
        i for i in range(home.table.rowCount()) if home.table.item(i, 0).data(Qt.ItemDataRole.UserRole) == first
    )
    assert home.table.item(home_row, 3).text() == errors
    # put right in the other application: gone from this one once the batch is checked again
    session.set_field(second, "inventor.id_number", "110105198803150025")
    session.set_field(second, "inventor.gender", "女")
    refreshed(qtbot, session)
    assert "P008" not in {f.code for f in row.findings}


def test_the_editor_header_counts_as_the_list_and_home_for_every_sample(qtbot, workdir):
    from zhutui.demo import generate
    from zhutui.workspace.store import Workspace

    result = generate(workdir / "demo", patents=8, projects=4, with_errors=True, seed=7)
    with Workspace(workdir / "workspace") as ws:
        for path in result.applications:
            ws.import_file(path)
    window, session = make_window(qtbot, workdir)
    try:
        snapshot = session.snapshot
        for i, status in enumerate(snapshot.status.apps):
            editor = open_editor(window, snapshot.ids[i])
            assert (
                f"错误 {status.errors}　" in editor.summary.text()
                and f"警告 {status.warnings}" in editor.summary.text()
            ), (status.app.name, editor.summary.text())
    finally:
        window.close()


# ---------------------------------------------------------------------- 3. confirmed warnings


def test_a_warning_is_confirmed_at_its_field_saved_and_cleared_when_the_field_changes(qtbot, window_of, patent):
    patent["inventor"]["union_card_no"] = BAD_CARD
    window, session, (app_id,) = window_of(patent)
    editor = open_editor(window, app_id, "inventor.union_card_no")
    row = editor.row("inventor.union_card_no")
    assert "确认无误" in row.message.text() and row.property("severity") == "warning"
    assert "警告 1" in editor.summary.text()
    row.message.linkActivated.emit("confirm:0")
    saved = session.ws.record(app_id).data["confirmed"]
    assert saved == [{"code": "F014", "path": "inventor.union_card_no", "value": BAD_CARD}]
    assert "已确认无误" in row.message.text() and row.property("severity") == ""
    assert "警告 0（另有 1 个已确认）" in editor.summary.text() and "已自动保存" in editor.summary.text()
    refreshed(qtbot, session)
    model = window.form_pages["patent"].model
    assert model.data(model.index(model.row_of(app_id), 4)) == "0（已确认 1）"
    checks = window.checks
    labels = [checks.model.data(checks.model.index(r, 0)) for r in range(checks.model.rowCount())]
    assert "警告（已确认）" in labels
    assert "已确认" in window.home.totals.text()
    # the field changes: the confirmation is gone and the warning asks again
    row.input.edit.setText(BAD_CARD[:-1] + "4")
    assert "confirmed" not in session.ws.record(app_id).data
    assert "确认无误" in row.message.text() and row.property("severity") == "warning"


def test_warnings_are_confirmed_in_the_check_panel(qtbot, window_of, patent):
    patent["inventor"]["union_card_no"] = BAD_CARD
    window, session, (app_id,) = window_of(patent)
    checks = window.checks
    window.show_page(checks)
    row = next(r for r in range(checks.proxy.rowCount()) if checks.proxy.data(checks.proxy.index(r, 3)) == "F014")
    assert not checks.confirm_button.isEnabled()
    checks.table.selectRow(row)
    assert checks.confirm_button.isEnabled() and not checks.unconfirm_button.isEnabled()
    with qtbot.waitSignal(session.status_changed, timeout=20_000):
        checks.confirm_button.click()
    assert session.ws.record(app_id).data["confirmed"][0]["code"] == "F014"
    f014 = next(r for r in range(checks.proxy.rowCount()) if checks.proxy.data(checks.proxy.index(r, 3)) == "F014")
    assert checks.proxy.data(checks.proxy.index(f014, 0)) == "警告（已确认）"
    checks.severity.setCurrentIndex(checks.severity.findData("warning"))  # still listed under 警告
    assert any(checks.proxy.data(checks.proxy.index(r, 3)) == "F014" for r in range(checks.proxy.rowCount()))


def test_final_outputs_list_the_unconfirmed_warnings_and_ask_once(qtbot, window_of, patent, tmp_path, monkeypatch):
    patent["inventor"]["union_card_no"] = BAD_CARD
    window, session, (app_id,) = window_of(patent)
    session.ws.set_setting("output_dir", str(tmp_path / "out"))
    asked = []

    def ask(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", ask)
    window.output.render()
    assert len(asked) == 1 and "卡号" in asked[0] and "1 个警告" in asked[0]
    assert window.output.job is None  # 否: nothing built
    window.output.mail.build()
    assert len(asked) == 2 and window.output.mail.job is None
    window.output.draft.setChecked(True)  # a draft is not the final copy: not asked
    window.output.render()
    assert len(asked) == 2 and window.output.job is not None
    with qtbot.waitSignal(window.output.finished, timeout=60_000):
        pass
    # confirmed: not asked again
    window.output.draft.setChecked(False)
    session.confirm(app_id, [("F014", "inventor.union_card_no")])
    refreshed(qtbot, session)
    window.output.render()
    assert len(asked) == 2 and window.output.job is not None
    with qtbot.waitSignal(window.output.finished, timeout=60_000):
        pass


# ---------------------------------------------------------------------- 4. a blank form


def test_a_blank_form_shows_to_do_not_errors_until_left_or_checked(qtbot, window_of, patent):
    window, session, _ = window_of(patent)
    page = window.form_pages["patent"]
    window.show_page(page)
    page.new()
    editor = page.editor
    title = editor.row("patent.title")
    assert title.message.text().endswith("待填</span>") and title.property("severity") == ""
    assert "●" not in editor.steps.item(0).text()
    assert "错误 0　" in editor.summary.text() and "必填项 " in editor.summary.text()
    assert title.input.edit.hasFocus() or editor.focus_first() is None
    editor.row("patent.number").input.edit.setFocus()  # left it empty
    qtbot.waitUntil(lambda: "请填写“专利名称”" in title.message.text() or "请填写" in title.message.text())
    assert title.property("severity") == "error"
    # 检查本申报 shows every empty required field as the error it is; a choice says 请选择
    monkeypatch_info = []
    QMessageBox.information, original = (lambda *a: monkeypatch_info.append(a)), QMessageBox.information
    try:
        editor.check_all()
    finally:
        QMessageBox.information = original
    gender = editor.row("inventor.gender")
    assert "请选择“性别”" in gender.message.text() and gender.property("severity") == "error"
    refreshed(qtbot, session)
    home = window.home
    assert "必填项 " in home.totals.text()


def test_a_message_about_a_table_row_names_the_row(run, workdir, project):
    project["project"]["team"].append({"gender": "女"})
    code, findings = run.check(
        __import__("tests.conftest", fromlist=["write_json"]).write_json(workdir, "p.json", project)
    )
    row = len(project["project"]["team"])
    messages = [f["message"] for f in findings if f["path"] == f"project.team[{row - 1}].name"]
    assert messages == [f"团队成员第{row}行：请填写“姓名”。"]


# ---------------------------------------------------------------------- 5. the page holds still


def test_a_message_appearing_moves_no_field_below(qtbot, window_of, patent):
    window, session, (app_id,) = window_of(patent)
    editor = open_editor(window, app_id)
    number, below = editor.row("patent.number"), editor.row("patent.grant_date")
    qtbot.wait(20)
    y = below.mapTo(editor, QPoint(0, 0)).y()
    number.input.edit.setText("ZL201820053768.3")  # a utility model: an error under the field
    QApplication.processEvents()
    assert number.message.text()
    assert below.mapTo(editor, QPoint(0, 0)).y() == y
    number.input.edit.setText(patent["patent"]["number"])
    QApplication.processEvents()
    assert number.message.text() == "" and below.mapTo(editor, QPoint(0, 0)).y() == y


def test_a_step_opens_at_its_top(qtbot, window_of, patent):
    window, session, (app_id,) = window_of(patent)
    editor = open_editor(window, app_id, "inventor.union_card_no")  # far down its step
    page = editor.page(1)
    assert page.verticalScrollBar().value() > 0
    editor.go_step(0)
    editor.go_step(1)
    assert page.verticalScrollBar().value() == 0


def test_the_list_holds_still_while_editing_and_sorts_when_back(qtbot, window_of, patent):
    other = copy.deepcopy(patent)
    other["patent"]["number"] = "ZL201910123456.2"
    other["inventor"]["name"] = "李四"
    other["inventor"]["id_number"] = "110105198803150025"
    other["inventor"]["gender"] = "女"
    window, session, (first, second) = window_of(patent, other)
    with session.ws.transaction():  # changed long ago, the first before the second (times are to the second)
        for app_id, when in ((first, "2022-09-01T08:00:00+08:00"), (second, "2022-09-01T09:00:00+08:00")):
            session.ws._write("UPDATE applications SET updated_at = ? WHERE id = ?", (when, app_id))
    session.records_changed.emit()
    page = window.form_pages["patent"]
    window.show_page(page)

    def order():
        return [page.proxy.data(page.proxy.index(r, 0)) for r in range(page.proxy.rowCount())]

    assert page.proxy.sortColumn() == 7  # newest change first
    before = order()
    assert before == ["李四", "王建国"]
    bottom = page._id_at(page.proxy.index(1, 0))
    editor = open_editor(window, bottom)
    editor.row("patent.abstract").input.edit.setPlainText("改过了")
    assert order() == before  # the edited one did not jump to the top
    page.show_list()
    assert order() == list(reversed(before))
    assert page.selected_ids() == [bottom]


# ---------------------------------------------------------------------- the file format and the CLI


def test_confirmations_travel_in_the_file_the_cli_and_bundles(run, workdir, patent, tmp_path):
    from tests.conftest import write_json

    patent["inventor"]["union_card_no"] = BAD_CARD
    patent["confirmed"] = [{"code": "F014", "path": "inventor.union_card_no", "value": BAD_CARD}]
    path = write_json(workdir, "a.json", patent)
    code, findings = run.check(path)
    f014 = [f for f in findings if f["code"] == "F014"]
    assert f014 and f014[0]["confirmed"] is True
    assert all("confirmed" not in f for f in findings if f["code"] != "F014")
    rc, out, _ = run("check", str(path))
    assert "警告（已确认） F014" in out and "已确认无误" in out
    # another value: the confirmation no longer holds
    patent["inventor"]["union_card_no"] = BAD_CARD[:-1] + "4"
    code, findings = run.check(write_json(workdir, "b.json", patent))
    assert [f.get("confirmed") for f in findings if f["code"] == "F014"] == [None]
    # only warnings can be confirmed: an error code is refused, naming the key
    patent["confirmed"] = [{"code": "P001", "path": "patent.number", "value": "x"}]
    rc, out, err = run("check", str(write_json(workdir, "c.json", patent)))
    assert rc == 2 and "confirmed[0].code" in err
    # a bundle carries them
    from zhutui.workspace.store import Workspace

    with Workspace(tmp_path / "ws1") as ws:
        app_id = ws.import_file(path)
        ws.export(app_id, tmp_path / "out" / "x.json")
    exported = json.loads((tmp_path / "out" / "x.json").read_text("utf-8"))
    assert exported["confirmed"][0]["code"] == "F014"
    rc, out, err = run("bundle", "export", str(path), "--out", str(tmp_path / "b.zhutui"))
    assert rc == 0, err
    rc, out, err = run("bundle", "import", str(tmp_path / "b.zhutui"), "--into", str(tmp_path / "ws2"))
    assert rc == 0, err
    with Workspace(tmp_path / "ws2") as ws:
        (record,) = ws.records()
        assert record.data["confirmed"][0]["value"] == BAD_CARD


def test_the_check_code_does_not_change_when_a_warning_is_confirmed(patent):
    from zhutui.appfile import from_data

    patent["inventor"]["union_card_no"] = BAD_CARD
    plain = from_data(copy.deepcopy(patent))
    patent["confirmed"] = [{"code": "F014", "path": "inventor.union_card_no", "value": BAD_CARD}]
    assert from_data(patent).check_code == plain.check_code


def test_a_low_resolution_scan_is_confirmed_at_the_attachments_step(qtbot, window_of, patent, workdir):
    from PIL import Image

    Image.new("RGB", (500, 700), "white").save(workdir / "scans" / "low.jpg")  # about 60 dpi at A4
    patent["attachments"][0]["file"] = "scans/low.jpg"
    window, session, (app_id,) = window_of(patent)
    editor = open_editor(window, app_id, "attachments[0].file")
    panel = editor.attachments
    assert "A004" in {f.code for f in panel.findings} and "确认无误" in panel.message.text()
    index = next(i for i, f in enumerate(panel.findings) if f.code == "A004")
    panel.message.linkActivated.emit(f"confirm:{index}")
    (entry,) = session.ws.record(app_id).data["confirmed"]
    assert entry["code"] == "A004" and entry["path"] == "attachments[0].file"
    assert "已确认无误" in panel.message.text()
    refreshed(qtbot, session)
    status = session.snapshot.status.apps[0]
    assert status.confirmed == 1 and status.warnings == 0


def test_saved_time_follows_attachment_edits_too(qtbot, window_of, patent, workdir):
    window, session, (app_id,) = window_of(patent)
    editor = open_editor(window, app_id)
    assert "修改会自动保存" in editor.summary.text()
    editor.go_step(len(editor.pages))
    panel = editor.attachments
    before = len(session.ws.attachments(app_id))
    panel.add_paths([workdir / "scans" / "cert.jpg"])
    qtbot.waitUntil(lambda: panel.pending == 0 and len(session.ws.attachments(app_id)) == before + 1, timeout=10_000)
    assert "已自动保存" in editor.summary.text()
