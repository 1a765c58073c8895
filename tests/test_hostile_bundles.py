"""A bundle can't reach outside itself, and can't exhaust the receiver.

Only members of a bundle are ever read: an attachment naming an absolute path or ``..`` (in
the application or in the manifest's ``original_names``) arrives as missing; a local file it
names appears in no print PDF, table or mail package. Applications, members, attachments and
the expanded size per bundle are capped, duplicates refused, with the limits said.
"""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from tests.conftest import VALID_PATENT, bundle_members, write_json
from zhutui.bundle import archive
from zhutui.workspace.store import Workspace

MARKER = "SECRET-OF-THE-RECEIVER-4711"


def _secret_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pageCompression=0)
    c.drawString(100, 700, MARKER)
    c.save()
    return path


def _bundle(path: Path, app: dict, original_names: list[str], extra_members: dict[str, bytes] | None = None) -> Path:
    members = {"applications/0001.json": json.dumps(app, ensure_ascii=False).encode(), **(extra_members or {})}
    manifest = {
        "format": "zhutui-bundle",
        "format_version": 1,
        "app_version": "0.1.0",
        "created_at": "2022-10-20T09:30:00+08:00",
        "created_by": "陌生人",
        "purpose": "handover",
        "applications": [{"file": "applications/0001.json", "original_names": original_names}],
        "members": [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()],
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    return path


def _everything_written(folder: Path) -> str:
    """Every byte written below ``folder``, and the text of every PDF in it."""
    chunks = []
    for path in folder.rglob("*"):
        if path.is_file():
            chunks.append(path.read_bytes().decode("latin-1"))
            if path.suffix == ".pdf":
                chunks.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout)
    return "\n".join(chunks)


def test_a_bundle_naming_local_files_never_gets_them_into_an_output(tmp_path, run):
    secret = _secret_pdf(tmp_path / "秘密.pdf")
    (tmp_path / "收").mkdir()
    app = copy.deepcopy(VALID_PATENT)
    app["attachments"] = [
        {"kind": "patent_certificate", "file": str(secret)},
        {"kind": "application_proof", "file": "../../../秘密.pdf"},
        {"kind": "other", "file": "0001/none.pdf", "title": "说明"},
    ]
    bundle = _bundle(tmp_path / "收" / "陌生.zhutui", app, [str(secret), "../秘密.pdf", "../../秘密.pdf"])
    out = tmp_path / "输出"
    status, out_text, _ = run("check", bundle, "--today", "2022-10-10", "--format", "json")
    findings = json.loads(out_text)["findings"]
    assert status == 1 and {f["path"] for f in findings if f["code"] == "A001"} == {
        "attachments[0].file",
        "attachments[1].file",
        "attachments[2].file",
    }
    assert all(str(secret) not in f["message"] for f in findings)
    for command in (
        ["render", bundle, "--out", out / "打印"],
        ["summary", bundle, "--out", out / "打印"],
        ["package", bundle, "--out", out / "邮件", "--draft"],
    ):
        status, _, err = run(*command, "--today", "2022-10-10")
        assert status == 1 and "内部错误" not in err, err
    status, _, err = run("bundle", "import", bundle, "--into", tmp_path / "ws")
    assert status == 0, err
    with Workspace(tmp_path / "ws") as ws:
        (record,) = ws.records()
        assert all(a.sha256 is None for a in ws.attachments(record.id))  # arrived as missing
        names = [a.original_name for a in ws.attachments(record.id)]
        assert names[0] == str(secret)  # kept as the sender wrote it: a name to show, never a path
    status, _, err = run("render", tmp_path / "ws", "--out", out / "工作区打印", "--today", "2022-10-10")
    assert status == 1, err
    written = _everything_written(out)
    assert (out / "打印" / "打印全部_草稿.pdf").is_file() and list((out / "邮件").glob("*.zip"))
    assert MARKER not in written


def test_application_files_in_a_folder_reach_no_file_outside_it(tmp_path_factory, run, workdir):
    tmp_path = tmp_path_factory.mktemp("别处")
    secret = _secret_pdf(tmp_path / "秘密.pdf")
    app = copy.deepcopy(VALID_PATENT)
    app["attachments"][1]["file"] = str(secret)
    (workdir / "a.json").write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    with Workspace(tmp_path / "ws") as ws:
        app_id = ws.import_file(workdir / "a.json")
        proof = ws.attachments(app_id)[1]
        assert proof.sha256 is None  # refused: not copied into the workspace
        findings = [f for f in _check_workspace(ws) if f.path == "attachments[1].file"]
        assert findings and findings[0].code == "A001"
    status, _, _ = run("render", workdir, "--out", tmp_path / "打印", "--today", "2022-10-10")
    assert status == 1 and MARKER not in _everything_written(tmp_path / "打印")


def _check_workspace(ws: Workspace):
    import datetime as dt

    from zhutui.checks import check_batch

    return check_batch([ws.application(r.id) for r in ws.records()], dt.date(2022, 10, 10))


# --------------------------------------------------------------------------- exhaustion


def _many(path: Path, n_apps: int, app_bytes: bytes | None = None, same_member: bool = False) -> Path:
    app = app_bytes or json.dumps({"form": "patent", "plan_year": 2022, "patent": {"title": "一种装置"}}).encode()
    members = (
        {"applications/0001.json": app}
        if same_member
        else {f"applications/{i:04d}.json": app for i in range(1, n_apps + 1)}
    )
    listed = [
        {"file": "applications/0001.json" if same_member else f"applications/{i:04d}.json"}
        for i in range(1, n_apps + 1)
    ]
    manifest = {
        "format": "zhutui-bundle",
        "format_version": 1,
        "app_version": "0.1.0",
        "created_at": "2022-10-20T09:30:00+08:00",
        "created_by": "陌生人",
        "purpose": "handover",
        "applications": listed,
        "members": [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()],
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:  # no 100:1 ratio to hide behind
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest))
    return path


@pytest.mark.parametrize(
    ("case", "build", "words"),
    [
        ("one member listed 300,000 times", lambda p: _many(p, 300_000, same_member=True), "最多 2000 份"),
        ("one member listed 50 times", lambda p: _many(p, 50, same_member=True), "不止一次"),
        ("more applications than allowed", lambda p: _many(p, archive.MAX_APPLICATIONS + 1), "最多"),
    ],
)
def test_a_bundle_that_would_exhaust_the_receiver_is_refused(case, build, words, tmp_path, run):
    bundle = build(tmp_path / "大.zhutui")
    status, _, err = run("bundle", "import", bundle, "--into", tmp_path / "ws")
    assert status == 2 and "大.zhutui" in err and words in err, err
    status, _, err = run("check", bundle)
    assert status == 2 and words in err
    with Workspace(tmp_path / "ws") as ws:
        assert ws.records() == []


def test_the_limits_are_far_above_a_real_batch():
    assert archive.MAX_APPLICATIONS >= 2000 and archive.MAX_ATTACHMENTS_PER_APPLICATION >= 50


# --------------------------------------------------------------------------- settings

POISON = {
    "union": ["不是", "对象"],
    "mail_budget_mb": "三十五",
    "output_dir": {"a": 1},
    "consolidator": 7,
    "plan_year": "2022",
    "mailbox": {"address": 3},
    "window_geometry": "%%%",
    "sample_offered": "yes",
}


def test_a_poisoned_backup_restores_and_the_app_starts(tmp_path, run, workdir):
    import os
    import sys

    from zhutui.bundle.backup import make_backup

    src = tmp_path / "src"
    with Workspace(src) as ws:
        ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
        ws.set_setting("union", {"unit_union.name": "北京精工机床有限公司工会"})
        backup = make_backup(ws, tmp_path / "备份").path
        members = bundle_members(backup, ws)
    # Someone edits settings.json inside the backup (a hostile or broken one): types all wrong.
    poisoned = tmp_path / "毒.zhutui"
    members["settings.json"] = json.dumps(
        {**POISON, "mail_budget_mb": "三十五", "newer_key": 1}, ensure_ascii=False
    ).encode()
    manifest = json.loads(members["manifest.json"])
    for entry in manifest["members"]:
        entry["size"], entry["sha256"] = len(members[entry["name"]]), hashlib.sha256(members[entry["name"]]).hexdigest()
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(poisoned, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    data_dir = Path(os.environ["ZHUTUI_DATA_DIR"])
    status, out, err = run("restore", poisoned)
    assert status == 0, err
    # 7: the mailbox never comes in from a bundle at all (PRIVATE_SETTINGS)
    assert "设置中有 7 项内容无效" in err and "本单位工会信息（union）" in err
    with Workspace(data_dir / "workspace") as ws:
        assert ws.setting("union") is None and ws.setting("newer_key") == 1  # an unknown key is left alone
        assert ws.invalid_settings() == []
    # The same values written straight into the database (an older version, a hand edit): the app
    # reads them as absent and starts.
    with Workspace(data_dir / "workspace") as ws:
        for key, value in POISON.items():
            ws.con.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (key, json.dumps(value, ensure_ascii=False)),
            )
        ws.con.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('union', '{broken')")
        assert sorted(ws.invalid_settings()) == sorted(POISON)
        assert ws.setting("mail_budget_mb", 35) == 35 and ws.setting("union", {}) == {}
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ZHUTUI_QUIT_WHEN_SHOWN="1")
    shown = subprocess.run([sys.executable, "-m", "zhutui"], env=env, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and "shown" in shown.stdout, shown.stderr


def test_every_known_setting_accepts_what_the_app_writes():
    from zhutui.mailpack.send import Mailbox
    from zhutui.workspace import settings

    written = {
        "union": {k: "北京精工机床有限公司工会" for k in settings.UNION_KEYS},
        "plan_year": 2022,
        "mail_budget_mb": 35.0,
        "output_dir": "C:\\Users\\张三\\Documents\\职工创新助推",
        "consolidator": {"contact": "赵敏", "phone": "010-83570885"},
        "mailbox": Mailbox("gonghui@163.com", "smtp.163.com").as_setting(),
        "window_geometry": "AdnQywADAAAAAAAA",
        "sample_offered": True,
        "sample_apps": [1, 2, 3, 4],
    }
    assert set(written) == set(settings.VALIDATORS)
    assert all(settings.valid(k, v) for k, v in written.items())


# --------------------------------------------------------------------------- leftovers


def test_a_restore_killed_between_its_renames_is_finished_or_undone(tmp_path, workdir):
    from zhutui.bundle.backup import make_backup
    from zhutui.workspace import recovery

    folder = tmp_path / "workspace"
    with Workspace(folder) as ws:
        ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
        backup = make_backup(ws, tmp_path / "备份").path
    # 1. The rebuilt workspace was complete, the old one already aside: the restore is finished.
    staging, aside = recovery.staging_folder(folder, "1"), recovery.aside_folder(folder, "1")
    with Workspace(staging) as new:
        new.create("project", 2022)
    (staging / recovery.COMPLETE).touch()
    folder.rename(aside)
    with Workspace(folder) as ws:  # the next start: not a new empty workspace
        assert [r.form for r in ws.records()] == ["project"]
    assert not staging.exists() and not aside.exists() and not (folder / recovery.COMPLETE).exists()
    # 2. Killed while the new one was still being built: the old one comes back.
    staging, aside = recovery.staging_folder(folder, "2"), recovery.aside_folder(folder, "2")
    with Workspace(staging) as new:
        new.create("patent", 2022)
    folder.rename(aside)
    result = recovery.recover(folder)
    assert result.rolled_back and "没有丢失" in result.message()
    with Workspace(folder) as ws:
        assert [r.form for r in ws.records()] == ["project"]
    assert not staging.exists() and not aside.exists()
    # 3. Killed while building, before any rename: the staging copy goes, the workspace stays.
    staging = recovery.staging_folder(folder, "3")
    with Workspace(staging) as new:
        new.create("patent", 2022)
    assert recovery.recover(folder).removed == [staging] and not staging.exists()
    assert backup.exists()


def test_killed_copies_and_unreferenced_files_are_removed_but_not_fresh_ones(tmp_path, workdir):
    import os
    import time

    from zhutui.workspace import recovery

    folder = tmp_path / "workspace"
    with Workspace(folder) as ws:
        app_id = ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
        kept = [ws.attachment_file(a) for a in ws.attachments(app_id)]
        ws.remove_attachment(ws.attachments(app_id)[0].id)
    old = time.time() - 2 * recovery.STALE_S
    incoming = folder / "blobs" / ".incoming-abc"
    incoming.write_bytes(b"half")
    fresh = folder / "blobs" / ".incoming-now"
    fresh.write_bytes(b"being copied right now")
    for path in (incoming, *kept):
        os.utime(path, (old, old))
    removed = recovery.tidy_blobs(folder)
    assert set(removed) == {incoming, kept[0]}  # the removed attachment's file, the dead copy
    assert kept[1].exists() and fresh.exists()
    with Workspace(folder) as ws:
        assert ws.con.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1


def test_a_killed_checks_temporary_workspace_is_removed_next_time(tmp_path, run, workdir):
    import os
    import signal
    import sys
    import textwrap

    from zhutui.workspace import tempspace

    hold = textwrap.dedent("""
        import sys, time
        from zhutui.workspace.tempspace import temp_workspace_folder
        print(temp_workspace_folder(), flush=True)
        time.sleep(120)
    """)
    env = dict(os.environ, TMPDIR=str(tmp_path))
    alive = subprocess.Popen([sys.executable, "-c", hold], env=env, stdout=subprocess.PIPE, text=True)
    killed = subprocess.Popen([sys.executable, "-c", hold], env=env, stdout=subprocess.PIPE, text=True)
    alive_folder, killed_folder = Path(alive.stdout.readline().strip()), Path(killed.stdout.readline().strip())
    (killed_folder / "big.bin").write_bytes(b"x" * 1000)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    try:
        removed = tempspace.clean_stale_temp_workspaces(tmp_path)
        assert removed == [killed_folder] and alive_folder.exists() and not killed_folder.exists()
    finally:
        alive.kill()
        alive.wait()


def test_a_manifest_text_with_half_a_character_is_not_stored(tmp_path, workdir, run):
    """Found by bench/bench_fuzz.py: a uid with a lone surrogate crashed the import (exit 3)."""
    from zhutui.bundle.exchange import export_bundle

    with Workspace(tmp_path / "src") as ws:
        app_id = ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
        good = export_bundle(ws, [app_id], tmp_path / "好.zhutui", created_by="测试").path
    members = bundle_members(good)
    manifest = json.loads(members["manifest.json"])
    manifest["applications"][0]["uid"] = "\ud800abc"
    manifest["created_by"] = "甲\x00乙"
    members["manifest.json"] = json.dumps(manifest).encode()  # ensure_ascii: "\\ud800" in the file
    bad = tmp_path / "坏.zhutui"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    code, out, err = run("bundle", "import", bad, "--into", tmp_path / "into")
    assert code == 0, err
    with Workspace(tmp_path / "into") as ws:
        (record,) = ws.records()
        assert "\ud800" not in record.uid


def test_a_zip_of_an_unknown_version_is_refused_not_a_crash(tmp_path, run):
    """Found by bench/bench_fuzz.py: zipfile raises NotImplementedError ("zip file version 15.7")."""
    path = tmp_path / "新版本.zhutui"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", b"{}")
    raw = bytearray(path.read_bytes())
    at = raw.index(b"PK\x01\x02")
    raw[at + 6 : at + 8] = (157).to_bytes(2, "little")  # version needed to extract: 15.7
    path.write_bytes(bytes(raw))
    code, _, err = run("bundle", "import", path, "--into", tmp_path / "ws")
    assert code == 2 and "不是有效的交接包" in err and str(path) in err
