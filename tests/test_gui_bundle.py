"""The 交接 page (export, import with its preview and per-conflict choice, consolidated contact)
and 设置's 备份与恢复 (backup now, restore and the rebuilt window, the daily backup)."""

from __future__ import annotations

import copy
import json

from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog, QMessageBox

from tests.conftest import bundle_members, make_scans
from tests.gui_support import import_apps, make_window
from zhutui.bundle.backup import list_backups
from zhutui.gui import handover
from zhutui.gui.backups import start_daily_backup
from zhutui.workspace.store import Workspace


def _fill(session, folder, patent, project, union="北京甲机床有限公司工会"):
    make_scans(folder)
    p, j = copy.deepcopy(patent), copy.deepcopy(project)
    p["unit_union"]["name"] = j["unit_union"]["name"] = union
    ids = import_apps(session.ws, folder, p, j)
    session.records_changed.emit()
    return ids


def _export(qtbot, window, target):
    page = window.handover
    window.show_page(page)
    page.export_to(target, page.checked_ids())
    qtbot.waitUntil(lambda: page.export_run.job is None, timeout=30_000)
    return page


def test_export_then_import_with_a_choice_per_conflict(qtbot, tmp_path, patent, project, monkeypatch):
    window, session = make_window(qtbot, tmp_path / "a")
    _fill(session, tmp_path / "a", patent, project)
    page = _export(qtbot, window, tmp_path / "甲.zhutui")
    assert page.apps.count() == 2 and "已导出 2 份申报" in page.export_status.text()
    assert (tmp_path / "甲.zhutui").exists()

    # Import into the same workspace: both are conflicts; replace one, keep the other.
    seen = {}

    def accept(dialog):
        seen["rows"] = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
        combos = dialog.choices
        combos[0].setCurrentIndex(combos[0].findData("replace"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(handover.ImportDialog, "exec", accept)
    page.inspect([tmp_path / "甲.zhutui"])
    qtbot.waitUntil(lambda: "导入" in page.import_status.text() and page.import_run.job is None, timeout=30_000)
    assert any("专利号相同" in r for r in seen["rows"]) and any("工作室和项目名称相同" in r for r in seen["rows"])
    assert "导入 1 份申报" in page.import_status.text() and "替换" in page.import_status.text()
    assert len(session.records()) == 2


def test_superior_union_imports_many_and_tables_are_consolidated(qtbot, tmp_path, patent, project, monkeypatch):
    bundles = []
    for n, union in enumerate(["北京甲机床有限公司工会", "北京乙汽车有限公司工会"]):
        window, session = make_window(qtbot, tmp_path / f"e{n}")
        p = copy.deepcopy(patent)
        p["patent"]["number"] = "ZL202110123456.7"  # both claim the same patent
        p["unit_union"]["name"] = union
        make_scans(tmp_path / f"e{n}")
        import_apps(session.ws, tmp_path / f"e{n}", p)
        session.records_changed.emit()
        _export(qtbot, window, tmp_path / f"{n}.zhutui")
        bundles.append(tmp_path / f"{n}.zhutui")
        window.close()

    window, session = make_window(qtbot, tmp_path / "district")
    page = window.handover
    monkeypatch.setattr(handover.ImportDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    page.inspect(bundles)
    qtbot.waitUntil(lambda: page.import_run.job is None and "导入" in page.import_status.text(), timeout=30_000)
    assert "2 家单位工会" in page.import_status.text()
    with qtbot.waitSignal(session.status_changed, timeout=20_000):
        session.refresh_status()
    codes = {f.code for _, f in session.snapshot.findings()}
    assert "P009" in codes  # the same patent from two enterprises

    page.contact.setText("赵六")
    page.phone.setText("010-87654321")
    page.phone.editingFinished.emit()
    output = window.output
    session.ws.set_setting("output_dir", str(tmp_path / "out"))
    output.draft.setChecked(True)
    with qtbot.waitSignal(output.finished, timeout=120_000):
        output.render_button.click()
    (table,) = (tmp_path / "out").glob("附件2_*.xlsx")
    sheet = load_workbook(table).active
    assert sheet.cell(3, 2).value == "单位工会" and "北京市朝阳区总工会" in str(sheet["A2"].value)
    assert any("赵六" in str(c.value) for c in sheet[2])


def test_backup_now_restore_and_the_window_is_rebuilt(qtbot, tmp_path, patent, project, monkeypatch):
    window, session = make_window(qtbot, tmp_path)
    _fill(session, tmp_path, patent, project)
    session.ws.set_setting("mailbox", {"address": "gonghui@163.com", "host": "smtp.163.com"})
    box = window.settings.backups
    window.show_page(window.settings)
    box.backup_button.click()
    qtbot.waitUntil(lambda: box.run.job is None, timeout=30_000)
    (backup,) = list_backups()
    assert "已备份 2 份申报" in box.status.text() and box.list.count() == 1
    folder = session.ws.folder

    session.create("patent")  # made after the backup: gone after the restore
    assert len(session.records()) == 3
    box.list.setCurrentRow(0)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(window.workspace_replaced, timeout=60_000) as signal:
        box.restore_button.click()
    assert "恢复 2 份申报" in signal.args[0] and "恢复前的工作区已备份" in signal.args[0]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    from zhutui.gui.main import _windows

    (new,) = _windows
    qtbot.addWidget(new)
    assert new.isVisible() and new.stack.currentWidget() is new.settings
    assert "恢复 2 份申报" in new.settings.backups.status.text()
    assert len(new.session.records()) == 2 and new.session.ws.folder == folder
    assert new.session.ws.setting("mailbox") is None  # not in backups
    assert len(list_backups()) == 2  # plus the safety backup of the workspace as it was
    with Workspace(folder) as ws:
        assert len(ws.records()) == 2


def test_failed_restore_keeps_the_workspace(qtbot, tmp_path, patent, project, monkeypatch):
    window, session = make_window(qtbot, tmp_path)
    _fill(session, tmp_path, patent, project)
    bad = tmp_path / "bad.zhutui"
    bad.write_bytes(b"not a bundle")
    with qtbot.waitSignal(window.workspace_replaced, timeout=30_000) as signal:
        window.settings.backups.restore(bad)
    assert "未能恢复，工作区保持原样" in signal.args[0] and "bad.zhutui" in signal.args[0]
    from zhutui.gui.main import _windows

    (new,) = _windows
    qtbot.addWidget(new)
    assert len(new.session.records()) == 2


def test_daily_backup_once(qtbot, tmp_path, patent, project):
    window, session = make_window(qtbot, tmp_path)
    _fill(session, tmp_path, patent, project)
    said = []
    job = start_daily_backup(session, said.append)
    qtbot.waitUntil(lambda: bool(said), timeout=30_000)
    assert "已自动备份" in said[0] and len(list_backups()) == 1
    said.clear()
    job = start_daily_backup(session, said.append)
    qtbot.waitUntil(lambda: not job.running, timeout=30_000)  # it may be done before a wait could start
    assert not said and len(list_backups()) == 1
    assert isinstance(json.loads(bundle_members(list_backups()[0], session.ws)["settings.json"]), dict)


def test_a_hand_over_bundle_with_a_password_asks_for_it_on_import(qtbot, tmp_path, patent, project, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    window, session = make_window(qtbot, tmp_path / "a")
    _fill(session, tmp_path / "a", patent, project)
    page = window.handover
    window.show_page(page)
    page.with_password.setChecked(True)
    page.export_to(tmp_path / "甲.zhutui", page.checked_ids(), "区总工会2022")
    qtbot.waitUntil(lambda: page.export_run.job is None, timeout=30_000)
    assert "已设密码" in page.export_status.text()

    other, other_session = make_window(qtbot, tmp_path / "b")
    answers = iter([("区总工会2021", True), ("区总工会2022", True)])
    asked = []

    def typed(parent, title, label, echo):
        asked.append(label)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", typed)
    monkeypatch.setattr(handover.ImportDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    target = other.handover
    target.inspect([tmp_path / "甲.zhutui"])
    qtbot.waitUntil(lambda: "导入 2 份申报" in target.import_status.text(), timeout=60_000)
    assert "设有密码" in asked[0] and "密码不对" in asked[1]
    assert len(other_session.records()) == 2
