"""The workspace store: SQLite, content-addressed attachments, import/export, durability."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import TODAY, write_json
from zhutui import appfile
from zhutui.appfile import set_path
from zhutui.checks import check_application
from zhutui.errors import InputError
from zhutui.workspace import db
from zhutui.workspace.store import Workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ws(tmp_path):
    with Workspace(tmp_path / "ws") as workspace:
        yield workspace


def test_database_is_wal_full_sync_and_versioned(ws):
    assert ws.con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ws.con.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert ws.con.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    if os.name == "posix":
        assert (ws.folder / db.DB_NAME).stat().st_mode & 0o077 == 0


def test_new_application_takes_the_unions_details(ws):
    ws.set_setting(
        "union",
        {
            "unit_union.name": "北京精工机床有限公司工会",
            "unit_union.contact": "赵敏",
            "unit_union.phone": "010-83570885",
            "superior_union.name": "北京市朝阳区总工会",
        },
    )
    app_id = ws.create("patent", 2022)
    data = ws.record(app_id).data
    assert data["unit_union"] == {"name": "北京精工机床有限公司工会", "contact": "赵敏", "phone": "010-83570885"}
    assert data["superior_union"]["name"] == "北京市朝阳区总工会"
    assert data["form"] == "patent" and data["plan_year"] == 2022


def test_edits_persist_and_empty_values_remove_the_key(tmp_path):
    with Workspace(tmp_path / "ws") as ws:
        app_id = ws.create("patent", 2022)
        ws.set_field(app_id, "inventor.name", "王建国")
        ws.set_field(app_id, "patent.inventors", ["王建国", "李四"])
        ws.set_field(app_id, "patent.title", "x")
        ws.set_field(app_id, "patent.title", "")
    with Workspace(tmp_path / "ws") as ws:
        data = ws.record(app_id).data
        assert data["inventor"]["name"] == "王建国"
        assert data["patent"] == {"inventors": ["王建国", "李四"]}


def test_set_path_creates_and_prunes():
    data: dict = {}
    set_path(data, "studio.leader.name", "王")
    assert data == {"studio": {"leader": {"name": "王"}}}
    set_path(data, "studio.leader.name", None)
    assert data == {}
    set_path(data, "a.b", "")
    assert data == {}


def test_attachments_are_copied_in_by_content(ws, tmp_path):
    scan = tmp_path / "证书.jpg"
    scan.write_bytes(b"\xff\xd8jpeg bytes\xff\xd9")
    app_id = ws.create("patent", 2022)
    first = ws.add_attachment(app_id, scan, "patent_certificate")
    second = ws.add_attachment(app_id, scan, "other", "同一张")
    scan.unlink()  # the original is gone: the workspace copy is what counts
    atts = ws.attachments(app_id)
    assert [a.id for a in atts] == [first, second]
    assert atts[0].sha256 == atts[1].sha256 and atts[0].original_name == "证书.jpg"
    stored = ws.attachment_file(atts[0])
    assert stored.read_bytes() == b"\xff\xd8jpeg bytes\xff\xd9" and stored.suffix == ".jpg"
    assert ws.con.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1
    ws.move_attachment(second, 0)
    assert [a.id for a in ws.attachments(app_id)] == [second, first]
    ws.update_attachment(second, title="改名")
    ws.replace_attachment_content(second, b"rotated", ".jpg")
    moved = ws.attachments(app_id)[0]
    assert moved.title == "改名" and ws.attachment_file(moved).read_bytes() == b"rotated"
    ws.remove_attachment(first)
    assert [a.id for a in ws.attachments(app_id)] == [second]
    with pytest.raises(InputError, match="不存在"):
        ws.add_attachment(app_id, tmp_path / "nope.jpg", "other")


def test_duplicate_delete_and_undo(ws, tmp_path):
    scan = tmp_path / "a.pdf"
    scan.write_bytes(b"%PDF-1.4 test")
    app_id = ws.create("project", 2022, {"studio": {"name": "王建国创新工作室"}})
    ws.add_attachment(app_id, scan, "approval_document")
    copy_id = ws.duplicate(app_id)
    assert ws.record(copy_id).data["studio"]["name"] == "王建国创新工作室"
    assert len(ws.attachments(copy_id)) == 1
    ws.delete(app_id)
    assert [r.id for r in ws.records()] == [copy_id]
    ws.undelete(app_id)
    assert [r.id for r in ws.records("project")] == [app_id, copy_id]
    assert ws.records("patent") == []


def test_import_check_export_round_trip(ws, workdir, patent, tmp_path):
    path = write_json(workdir, "p.json", patent)
    app_id = ws.import_file(path)
    errors = [f for f in check_application(ws.application(app_id), TODAY) if f.severity == "error"]
    assert errors == []
    out = ws.export(app_id, tmp_path / "out" / "王建国.json")
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert {k: v for k, v in exported.items() if k != "attachments"} == {
        k: v for k, v in ws.application(app_id).data.items() if k != "attachments"
    }
    for entry, original in zip(exported["attachments"], patent["attachments"], strict=True):
        assert entry["kind"] == original["kind"]
        assert (out.parent / entry["file"]).read_bytes() == (workdir / original["file"]).read_bytes()
    again = ws.import_file(out)
    assert ws.application(again).check_code == ws.application(app_id).check_code


def test_missing_attachment_is_kept_for_the_checks(ws, workdir, patent):
    patent["attachments"][0]["file"] = "scans/gone.jpg"
    app_id = ws.import_file(write_json(workdir, "p.json", patent))
    codes = {f.code for f in check_application(ws.application(app_id), TODAY)}
    assert "A001" in codes


def test_migration_backs_up_first(tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    with Workspace(folder) as ws:
        ws.set_setting("plan_year", 2022)
    old = db.SCHEMA_VERSION
    monkeypatch.setattr(
        db, "MIGRATIONS", [*db.MIGRATIONS, lambda con: con.execute("ALTER TABLE applications ADD COLUMN note TEXT")]
    )
    monkeypatch.setattr(db, "SCHEMA_VERSION", len(db.MIGRATIONS))
    with Workspace(folder) as ws:
        assert ws.con.execute("PRAGMA user_version").fetchone()[0] == old + 1
        assert ws.setting("plan_year") == 2022
    (backup,) = folder.glob(f"workspace.db.v{old}-*.bak")
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA user_version").fetchone()[0] == old
    con.close()


def test_newer_or_broken_database_is_refused(tmp_path):
    folder = tmp_path / "ws"
    with Workspace(folder) as ws:
        ws.con.execute("PRAGMA user_version=99")
    with pytest.raises(InputError, match="更新版本"):
        Workspace(folder)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / db.DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match="无法打开"):
        Workspace(broken)


def test_an_edit_survives_sigkill(tmp_path):
    """The process is killed right after an edit returns: reopening finds the edit."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from zhutui.workspace.store import Workspace
        ws = Workspace({str(tmp_path / "ws")!r})
        app_id = ws.create("patent", 2022)
        ws.set_field(app_id, "inventor.name", "王建国")
        ws.set_field(app_id, "patent.title", "一种数控车床刀具快速定位装置")
        print(app_id, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL
    app_id = int(proc.stdout.strip())
    with Workspace(tmp_path / "ws") as ws:
        data = ws.record(app_id).data
    assert data["inventor"]["name"] == "王建国"
    assert data["patent"]["title"] == "一种数控车床刀具快速定位装置"


def test_unusable_typed_values_are_kept_and_reported_at_their_field(ws):
    app_id = ws.create("project", 2022)
    ws.set_field(app_id, "project.total_budget", "四十万")
    ws.set_field(app_id, "project.budget", [{"item": "材料费", "amount": "很多"}, {"item": "测试费", "amount": 1000}])
    ws.set_field(app_id, "studio.name", "王建国创新工作室")
    app, problems = ws.application_lenient(app_id)
    assert {p.key for p in problems} == {"project.total_budget", "project.budget[0].amount"}
    assert app.get("studio.name") == "王建国创新工作室"
    assert app.get("project.total_budget") is None
    assert ws.record(app_id).data["project"]["total_budget"] == "四十万"  # what was typed stays saved
    with pytest.raises(InputError):
        ws.application(app_id)


# --------------------------------------------------------------------------- normalised once


def _full(ws: Workspace, app_id: int):
    """What normalising the whole typed application gives (the reference)."""
    app, problems = appfile.from_data_leniently(ws.file_data(app_id), ws._app_path(app_id))
    return app.data, {(p.key, p.message) for p in problems}, app.check_code


def test_each_edit_normalises_its_field_once_and_reads_normalise_nothing(ws, monkeypatch):
    app_id = ws.create("project", 2022)
    edits = [
        ("studio.leader.name", " 王 建国 "),
        ("project.approved_on", "2022.3.1"),
        ("project.total_budget", "40万元"),
        ("studio.name", "王建国创新工作室"),
        ("project.budget", [{"item": "材料费", "amount": "很多"}, {"item": "测试费", "amount": "1,000"}]),
        ("project.total_budget", "四十万"),
        ("studio.enterprise_uscc", "９１３５０１００ｍ０００１００ｙ４３"),
        ("project.budget", [{"item": "材料费", "amount": "200000"}]),
        ("project.total_budget", ""),
        ("studio.recognized_year", "２０１９"),
    ]
    for key, value in edits:
        ws.set_field(app_id, key, value)
        app, problems = ws.application_lenient(app_id)
        assert (app.data, {(p.key, p.message) for p in problems}, app.check_code) == _full(ws, app_id), key
    # Reading runs no normaliser: loading is never called.
    monkeypatch.setattr(appfile, "from_data", lambda *a, **k: pytest.fail("normalised again on read"))
    app, problems = ws.application_lenient(app_id)
    assert app.get("project.approved_on") == "2022-03-01" and app.get("studio.recognized_year") == 2019
    assert app.get("studio.enterprise_uscc") == "91350100M000100Y43" and app.app_id == app_id
    assert ws.record(app_id).data["project"]["approved_on"] == "2022.3.1"  # shown back as typed


def test_export_writes_the_canonical_file_and_keeps_what_cant_be_used(ws, tmp_path):
    app_id = ws.create("project", 2022)
    ws.set_field(app_id, "project.approved_on", "2022年3月1日")
    ws.set_field(app_id, "project.total_budget", "四十万")
    ws.set_field(app_id, "studio.name", "王建国创新工作室")
    target = ws.export(app_id, tmp_path / "out" / "a.json")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["project"]["approved_on"] == "2022-03-01"
    assert data["project"]["total_budget"] == "四十万"  # nothing typed is lost; loading names it
    assert list(data) == ["form", "plan_year", "studio", "project"]
    with pytest.raises(InputError) as err:
        appfile.load(target)
    assert err.value.key == "project.total_budget"


def test_an_older_normalisation_is_renewed_when_the_workspace_opens(tmp_path):
    with Workspace(tmp_path / "ws") as ws:
        app_id = ws.create("patent", 2022)
        ws.set_field(app_id, "patent.grant_date", "2021/6/15")
        ws.con.execute("UPDATE applications SET canonical = NULL, canonical_stamp = '0.0.1:old'")
    with Workspace(tmp_path / "ws") as ws:
        row = ws.con.execute("SELECT canonical, canonical_stamp FROM applications").fetchone()
        assert row[0] is not None and row[1] != "0.0.1:old"
        assert ws.application(app_id).get("patent.grant_date") == "2021-06-15"


def _entries(ws, app_id):
    return [{k: v for k, v in e.items() if k != "file"} for e in ws.file_data(app_id).get("attachments", [])]


def test_as_taken_is_set_carried_to_the_entries_and_duplicated(ws, tmp_path):
    scan = tmp_path / "证书.jpg"
    scan.write_bytes(b"\xff\xd8jpeg bytes\xff\xd9")
    app_id = ws.create("patent", 2022)
    first = ws.add_attachment(app_id, scan, "patent_certificate")
    ws.add_attachment(app_id, scan, "other", "说明", as_taken=True)
    ws.attach_missing(app_id, "缺.jpg", "application_proof", as_taken=True)
    assert [a.as_taken for a in ws.attachments(app_id)] == [False, True, True]
    ws.con.execute("UPDATE applications SET updated_at = '2000-01-01T00:00:00+08:00'")
    ws.set_as_taken(first, True)
    assert ws.record(app_id).updated_at != "2000-01-01T00:00:00+08:00"  # as the other setters touch it
    ws.set_as_taken(first, False)
    assert _entries(ws, app_id) == [  # false is not written
        {"kind": "patent_certificate"},
        {"kind": "other", "title": "说明", "as_taken": True},
        {"kind": "application_proof", "as_taken": True},
    ]
    assert [e.get("as_taken", False) for e in ws.application(app_id).data["attachments"]] == [False, True, True]
    copy_id = ws.duplicate(app_id)
    assert [a.as_taken for a in ws.attachments(copy_id)] == [False, True, True]
    with pytest.raises(KeyError):
        ws.set_as_taken(10_000, True)


def test_as_taken_survives_import_and_export(ws, workdir, patent, tmp_path):
    patent["attachments"][1]["as_taken"] = True
    app_id = ws.import_file(write_json(workdir, "p.json", patent))
    assert [a.as_taken for a in ws.attachments(app_id)] == [False, True]
    out = ws.export(app_id, tmp_path / "out" / "王建国.json")
    exported = json.loads(out.read_text(encoding="utf-8"))["attachments"]
    assert "as_taken" not in exported[0] and exported[1]["as_taken"] is True
    again = ws.import_file(out)
    assert [a.as_taken for a in ws.attachments(again)] == [False, True]


def test_a_version_4_workspace_migrates_and_keeps_its_attachments(tmp_path):
    folder = tmp_path / "ws"
    scan = tmp_path / "证书.jpg"
    scan.write_bytes(b"\xff\xd8jpeg bytes\xff\xd9")
    with Workspace(folder) as ws:  # made as version 4 made it: no as_taken column
        app_id = ws.create("patent", 2022)
        ws.add_attachment(app_id, scan, "patent_certificate", "证书")
        ws.attach_missing(app_id, "缺.pdf", "application_proof")
        ws.con.execute("ALTER TABLE attachments DROP COLUMN as_taken")
        ws.con.execute("PRAGMA user_version=4")
    with Workspace(folder) as ws:
        assert ws.con.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION == 5
        atts = ws.attachments(app_id)
        assert [(a.kind, a.title, a.as_taken) for a in atts] == [
            ("patent_certificate", "证书", False),
            ("application_proof", None, False),
        ]
        assert ws.attachment_file(atts[0]).read_bytes() == scan.read_bytes()
        assert all("as_taken" not in e for e in ws.file_data(app_id)["attachments"])
        ws.set_as_taken(atts[0].id, True)
        assert ws.attachments(app_id)[0].as_taken
    (backup,) = folder.glob("workspace.db.v4-*.bak")
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 4
    assert "as_taken" not in [row[1] for row in con.execute("PRAGMA table_info(attachments)")]
    con.close()
