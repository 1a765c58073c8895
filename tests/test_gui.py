"""The window, driven as a user would (offscreen): typing, dropping files, jumping, rendering."""

from __future__ import annotations

import pytest

from tests.gui_support import import_apps, make_window

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from zhutui.gui.tablefield import TableInput  # noqa: E402


@pytest.fixture
def patent_window(qtbot, workdir, patent):
    from zhutui.workspace.store import Workspace

    with Workspace(workdir / "workspace") as ws:
        (app_id,) = import_apps(ws, workdir, patent)
    window, session = make_window(qtbot, workdir)
    yield window, session, app_id
    window.close()


def open_editor(window, app_id, path=None):
    page = window.form_pages[window.session.ws.record(app_id).form]
    window.show_page(page)
    page.open_application(app_id, path)
    return page.editor


def retype(qtbot, widget, text):
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def test_typing_makes_findings_appear_and_disappear(qtbot, patent_window):
    window, session, app_id = patent_window
    editor = open_editor(window, app_id)
    row = editor.row("patent.number")
    assert row.message.text() == ""
    retype(qtbot, row.input.edit, "ZL201820053768.3")  # a utility model (5th digit 2)
    assert row.message.text()
    assert "实用新型" in row.message.text() or "不在助推范围" in row.message.text()
    assert row.property("severity") == "error"
    assert session.ws.record(app_id).data["patent"]["number"] == "ZL201820053768.3"  # saved as typed
    assert "●" in editor.steps.item(0).text()
    retype(qtbot, row.input.edit, "ZL201810053768.3")
    assert row.message.text() == "" and row.property("severity") == ""
    assert "●" not in editor.steps.item(0).text()
    # a required field emptied: 待填 while the cursor is in it, F001 at the field once left
    post = editor.row("inventor.post")
    retype(qtbot, post.input.edit, "")
    assert post.message.text().endswith("待填</span>") and post.property("severity") == ""
    editor.row("inventor.phone").input.edit.setFocus()
    qtbot.waitUntil(lambda: "请填写“岗位（工种）”" in post.message.text())
    assert post.property("severity") == "error"


def test_enter_goes_to_the_next_field_and_step(qtbot, patent_window):
    window, session, app_id = patent_window
    editor = open_editor(window, app_id)
    window.activateWindow()
    first = editor.row("patent.title").input.edit
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.row("patent.number").input.edit.hasFocus())
    last = editor.page(0).rows[-1]
    editor._advance(last)  # Enter in the last field of a step goes to the next step
    assert editor.steps.currentRow() == 1
    # a closed drop-down and a long text (Ctrl+Enter; plain Enter is a new line) move on too
    from zhutui.gui.fields import ChoiceInput, LongTextInput

    for kind, modifier in (
        (ChoiceInput, Qt.KeyboardModifier.NoModifier),
        (LongTextInput, Qt.KeyboardModifier.ControlModifier),
    ):
        step, row = next(
            (i, r)
            for i in range(len(editor.pages))
            for r in editor.page(i).rows
            if isinstance(r.input, kind) and r is not editor.page(i).rows[-1]
        )
        editor.go_step(step)
        following = editor.page(step).rows[editor.page(step).rows.index(row) + 1]
        widget = row.input.focus_widget()
        widget.setFocus()
        before = row.input.value()
        qtbot.keyClick(widget, Qt.Key.Key_Return, modifier)
        qtbot.waitUntil(lambda f=following: f.input.focus_widget().hasFocus())
        assert row.input.value() == before  # no new line typed, no choice changed


def test_dropping_files_and_folders_adds_attachments(qtbot, patent_window, tmp_path):
    window, session, app_id = patent_window
    editor = open_editor(window, app_id)
    panel = editor.attachments
    editor.go_step(len(editor.pages))
    before = len(session.ws.attachments(app_id))
    folder = tmp_path / "扫描件"
    folder.mkdir()
    Image.new("RGB", (1240, 1754), "white").save(folder / "其他1.jpg")
    Image.new("RGB", (1754, 1240), "white").save(folder / "其他2.png")
    (folder / "说明.txt").write_text("not a scan", encoding="utf-8")
    single = tmp_path / "单独.jpg"
    Image.new("RGB", (1240, 1754), "white").save(single)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder)), QUrl.fromLocalFile(str(single))])
    event = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    panel.list.dropEvent(event)
    # 其他1/其他2 say their kind; 单独.jpg says nothing: one small dialog asks for it
    from zhutui.gui.kinddialog import KindDialog

    qtbot.waitUntil(lambda: panel.findChild(KindDialog) is not None, timeout=10_000)
    dialog = panel.findChild(KindDialog)
    dialog.combos[2].setCurrentIndex(dialog.combos[2].findData("other"))
    dialog.accept()
    qtbot.waitUntil(lambda: panel.pending == 0 and len(session.ws.attachments(app_id)) == before + 3, timeout=10_000)
    names = [a.original_name for a in session.ws.attachments(app_id)][before:]
    assert names == ["其他1.jpg", "其他2.png", "单独.jpg"]
    assert {a.kind for a in session.ws.attachments(app_id)[before:]} == {"other"}
    assert panel.list.count() == before + 3
    single.unlink()  # the workspace keeps its own copy
    assert session.ws.attachment_file(session.ws.attachments(app_id)[-1]).exists()
    qtbot.waitUntil(lambda: panel.pending == 0 and not panel.list.item(before).icon().isNull(), timeout=10_000)

    # turn the landscape one upright, then move it first
    panel.list.setCurrentRow(before + 1)
    panel.rotate(1)
    qtbot.waitUntil(lambda: panel.pending == 0, timeout=10_000)
    turned = session.ws.attachment_file(session.ws.attachments(app_id)[before + 1])
    with Image.open(turned) as img:
        assert img.size == (1240, 1754)
    panel.list.setCurrentRow(before + 1)
    att_id = panel.current().id
    panel.move(-(before + 1))
    assert session.ws.attachments(app_id)[0].id == att_id


def test_check_panel_jumps_to_the_field(qtbot, patent_window):
    window, session, app_id = patent_window
    session.set_field(app_id, "inventor.phone", "1380013800")  # one digit short
    with qtbot.waitSignal(session.status_changed, timeout=10_000):
        session.refresh_status()
    window.show_page(window.checks)
    table, proxy = window.checks.table, window.checks.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.data(proxy.index(r, 3)) == "F012")
    assert proxy.data(proxy.index(row, 2)) == "联系电话"
    window.activateWindow()
    table.activated.emit(proxy.index(row, 0))
    page = window.form_pages["patent"]
    assert window.stack.currentWidget() is page and page.currentWidget() is page.editor
    editor = page.editor
    assert editor.steps.currentRow() == 1  # 第一发明人
    qtbot.waitUntil(lambda: editor.row("inventor.phone").input.edit.hasFocus())
    assert "无效" in editor.row("inventor.phone").message.text()


def test_table_field_sums_and_jump_to_a_cell(qtbot, workdir, project):
    from zhutui.workspace.store import Workspace

    with Workspace(workdir / "workspace") as ws:
        (app_id,) = import_apps(ws, workdir, project)
    window, session = make_window(qtbot, workdir)
    editor = open_editor(window, app_id, "project.budget[1].amount")
    table_input = editor.row("project.budget").input
    assert isinstance(table_input, TableInput)
    assert table_input.table.currentRow() == 1 and table_input.table.currentColumn() == 1
    assert "合计金额" in table_input.totals.text() and "工会助推资金" in table_input.totals.text()
    before = table_input.totals.text()
    table_input.table.item(1, 1).setText("1")
    assert table_input.totals.text() != before
    assert "J007" in {f.code for f in editor.findings}  # sum no longer equals the total budget
    assert editor.row("project.budget").message.text()
    window.close()


def test_delete_asks_and_can_be_undone(qtbot, patent_window, monkeypatch):
    window, session, app_id = patent_window
    page = window.form_pages["patent"]
    window.show_page(page)
    page.select(app_id)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.delete()
    assert page.model.rowCount() == 0 and page.undo_button.isEnabled()
    page.undo_delete()
    assert page.model.rowCount() == 1


def test_new_application_gets_the_union_details(qtbot, patent_window):
    window, session, app_id = patent_window
    settings = window.settings
    settings.union_inputs["unit_union.name"].setText("北京精工机床有限公司工会")
    window.new_application("project")
    editor = window.form_pages["project"].editor
    assert editor.row("unit_union.name").input.value() == "北京精工机床有限公司工会"
    assert editor.app_id != app_id


def test_render_with_progress_then_preview(qtbot, patent_window, tmp_path):
    window, session, app_id = patent_window
    session.ws.set_setting("output_dir", str(tmp_path / "out"))
    output = window.output
    window.show_page(output)
    seen = []
    output.render()
    output.job.signals.progress.connect(lambda done, total, text: seen.append((done, total)))
    assert not output.render_button.isEnabled() and output.cancel_button.isEnabled()
    with qtbot.waitSignal(output.finished, timeout=60_000) as blocker:
        pass
    result = blocker.args[0]
    assert not result.draft and seen
    assert output.render_button.isEnabled() and not output.cancel_button.isEnabled()
    names = [output.files.item(i).text() for i in range(output.files.count())]
    assert "打印全部.pdf" in names and any(n.endswith(".xlsx") for n in names)
    assert output.selected_path().name == "打印全部.pdf"
    assert output.preview.page_count() >= 3
    image = output.preview.document.render(0, output.preview.document.pagePointSize(0).toSize())
    assert not image.isNull()


def test_printing_runs_in_the_background(qtbot, patent_window, tmp_path):
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    window, session, app_id = patent_window
    session.ws.set_setting("output_dir", str(tmp_path / "out"))
    output = window.output
    window.show_page(output)
    output.render()
    with qtbot.waitSignal(output.finished, timeout=60_000):
        pass
    source = output.selected_path()
    pages = PdfReader(source).pages
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # what the print dialog hands back
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "打印机.pdf"))
    with qtbot.waitSignal(output.printed, timeout=60_000) as blocker:
        output.print_to(source, printer, range(1, 3))  # 第2-3页
        assert not output.print_button.isEnabled() and output.cancel_button.isEnabled()
    assert blocker.args == [2] and "已送往打印机 2 页" in output.status.text()
    printed = PdfReader(tmp_path / "打印机.pdf").pages
    assert len(printed) == 2
    for page, original in zip(printed, list(pages)[1:3], strict=True):
        assert abs(float(page.mediabox.width) - float(original.mediabox.width)) < 2
        strips = [image.image for image in page.images]  # the page painted at 200 dpi, in strips
        assert all(strip.width == 1654 for strip in strips)
        assert sum(strip.height for strip in strips) == 2339
    assert output.print_button.isEnabled() and output.render_button.isEnabled()


def test_render_can_be_cancelled(qtbot, patent_window, tmp_path):
    window, session, app_id = patent_window
    session.ws.set_setting("output_dir", str(tmp_path / "out"))
    output = window.output
    output.render()
    output.job.cancel()
    with qtbot.waitSignal(output.job.signals.cancelled, timeout=60_000):
        pass
    assert "已取消" in output.status.text() and output.render_button.isEnabled()
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_home_counts_and_next_problem(qtbot, patent_window):
    window, session, app_id = patent_window
    home = window.home
    assert "个工作日" in home.countdown.text()
    assert "共 1 份申报：1 份可以打印" in home.totals.text()
    assert not home.next_button.isEnabled()
    session.set_field(app_id, "patent.grant_date", "2019-05-05")
    with qtbot.waitSignal(session.status_changed, timeout=10_000):
        pass
    assert home.next_button.isEnabled()
    home.next_button.click()
    editor = window.form_pages["patent"].editor
    assert editor.steps.currentRow() == 0 and "P004" in {f.code for f in editor.findings}
    assert "授权公告日" in home.next_text.text()


def test_unexpected_errors_show_a_dialog(qtbot, qapp):
    from zhutui.gui.errors import ExceptionHandler

    handler = ExceptionHandler()
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        handler.handle(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    assert "RuntimeError: boom" in handler.dialog.details.toPlainText()
    handler.dialog.findChildren(type(handler.dialog.findChild(type(handler.dialog.details))))
    handler.dialog.close()
    QApplication.clipboard()


def test_import_runs_in_the_background_and_fills_both_lists(qtbot, patent_window, workdir, project, monkeypatch):
    from tests.conftest import write_json

    window, session, app_id = patent_window
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    broken = workdir / "坏文件.json"
    broken.write_text('{"form": "patent",', encoding="utf-8")
    page = window.form_pages["patent"]
    with qtbot.waitSignal(page.imported, timeout=30_000) as blocker:
        page.import_paths([write_json(workdir, "项目.json", project), broken])
    (new_id,) = blocker.args[0]
    assert session.ws.record(new_id).form == "project"
    assert window.form_pages["project"].model.row_of(new_id) is not None
    assert session.ws.attachments(new_id)  # its scans were copied in
    assert "已导入 1 份申报" in shown[0] and "另一类申报" in shown[0] and "坏文件.json" in shown[0]
    assert page.import_button.isEnabled()


def test_export_runs_in_the_background_and_round_trips(qtbot, patent_window, workdir, monkeypatch):
    from zhutui.workspace.store import Workspace

    window, session, app_id = patent_window
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    page = window.form_pages["patent"]
    page.select(app_id)
    out = workdir / "导出"
    out.mkdir()
    for _ in range(2):  # the second export of the same application gets a free name
        with qtbot.waitSignal(page.exported, timeout=30_000) as blocker:
            page.export_to([app_id], out)
    first, second = blocker.args[0][0].parent / "附件1_王建国.json", blocker.args[0][0]
    assert first.is_file() and second.name == "附件1_王建国_2.json"
    assert "附件1_王建国_2.json" in shown[-1] and page.export_button.isEnabled()
    with Workspace(workdir / "again") as other:
        new_id = other.import_file(second)
        assert other.record(new_id).data["patent"] == session.ws.record(app_id).data["patent"]
        assert [other.attachment_file(a).read_bytes() for a in other.attachments(new_id)] == [
            session.ws.attachment_file(a).read_bytes() for a in session.ws.attachments(app_id)
        ]


def test_steps_are_built_when_shown_and_show_their_findings(qtbot, patent_window):
    window, session, app_id = patent_window
    session.set_field(app_id, "inventor.phone", "1380013800")
    editor = open_editor(window, app_id)
    assert editor.pages[1] is None  # 第一发明人 not built yet, but its step is marked
    assert "●" in editor.steps.item(1).text()
    editor.go_step(1)
    row = editor.row("inventor.phone")
    assert editor.pages[1] is not None and row.input.edit.text() == "1380013800"
    assert "无效" in row.message.text()


def test_a_window_whose_workspace_was_replaced_says_so_and_saves_nothing(qtbot, patent_window, tmp_path, monkeypatch):
    """Another process restored a backup into this window's workspace: its next edit is refused
    with what to do, not saved into the old database where it would be lost."""
    from PySide6.QtWidgets import QMessageBox

    from zhutui.bundle.backup import make_backup, restore
    from zhutui.workspace.store import Workspace

    window, session, app_id = patent_window
    editor = open_editor(window, app_id)
    backup = make_backup(session.ws, tmp_path / "备份").path
    restore(backup, session.ws.folder)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    retype(qtbot, editor.row("inventor.post").input.edit, "fitter")
    assert shown and "已被替换" in shown[0] and "重新打开" in shown[0] and "请处理后再改" not in shown[0]
    with Workspace(session.ws.folder) as ws:
        assert ws.records()[0].data["inventor"]["post"] == "数控车工"  # as restored
