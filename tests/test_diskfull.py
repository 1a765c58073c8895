"""A full disk is named as a full disk, and leaves the old result or the new one, complete.

Runs on a real small disk: a tmpfs mounted for the test (root is needed to mount it, as in CI;
elsewhere these tests are skipped and say why). The disk is filled with a filler file and then
as much is freed as a step needs to start and fail half-way.
"""

from __future__ import annotations

import copy
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import TODAY, VALID_PATENT, VALID_PROJECT, make_scans, write_json
from zhutui import appfile
from zhutui.errors import InputError
from zhutui.mailpack.package import build_package
from zhutui.outputs.render import render_batch
from zhutui.outputs.summary import write_summaries
from zhutui.plans import load_plans
from zhutui.workspace.store import Workspace

FULL = "磁盘空间不足"


@pytest.fixture
def disk(tmp_path):
    """A 24 MB disk of its own."""
    mount = tmp_path / "小磁盘"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(f"no tmpfs here: {proc.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill ``disk``, then free ``leave`` bytes again; returns the filler."""
    filler = disk / "填满.bin"
    with open(filler, "wb", buffering=0) as fh:  # unbuffered: closing it has nothing left to write
        try:
            while True:
                fh.write(b"\0" * (1 << 16))
                fh.flush()
        except OSError:
            pass
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def _apps(folder: Path) -> list:
    make_scans(folder)
    plans = load_plans()
    return [
        appfile.load(write_json(folder, "a.json", copy.deepcopy(VALID_PATENT)), plans),
        appfile.load(write_json(folder, "b.json", copy.deepcopy(VALID_PROJECT)), plans),
    ]


def _hidden(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*") if p.name not in (".package.json",)]


def test_an_edit_on_a_full_disk_says_so_and_loses_nothing(disk, workdir):
    with Workspace(disk / "workspace") as ws:
        app_id = ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
        filler = fill(disk)
        with pytest.raises(InputError) as exc:
            ws.set_field(app_id, "patent.abstract", "很长的简介" * 2000)
        assert FULL in str(exc.value) and str(disk / "workspace") in str(exc.value) and "未保存" in str(exc.value)
        filler.unlink()
        ws.set_field(app_id, "patent.title", "腾出空间后的修改")
    with Workspace(disk / "workspace") as ws:
        data = ws.record(app_id).data
        assert data["patent"]["title"] == "腾出空间后的修改"
        assert data["patent"]["abstract"] == VALID_PATENT["patent"]["abstract"]
        assert ws.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_opening_a_workspace_on_a_full_disk_names_the_disk_not_a_damage(disk, workdir):
    folder = disk / "workspace"
    with Workspace(folder) as ws:
        ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
    for leftover in folder.glob("workspace.db-*"):
        leftover.unlink()
    fill(disk)
    with pytest.raises(InputError) as exc, Workspace(folder) as ws:
        ws.set_field(ws.records()[0].id, "patent.title", "x")
    assert FULL in str(exc.value) and "请从备份恢复" not in str(exc.value)


def test_rotating_a_scan_on_a_full_disk_says_so_and_leaves_no_temporary_file(disk, workdir):
    from zhutui.rotate import rotate_file

    with Workspace(disk / "workspace") as ws:
        app_id = ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
        att = ws.attachments(app_id)[0]
        data, suffix = rotate_file(ws.attachment_file(att), 1)
        fill(disk, leave=len(data) // 2)
        with pytest.raises(InputError) as exc:
            ws.replace_attachment_content(att.id, data, suffix)
        assert FULL in str(exc.value)
        assert ws.attachments(app_id)[0].sha256 == att.sha256  # the old scan still attached
    assert not [p for p in (disk / "workspace" / "blobs").rglob(".*")]


def test_a_render_on_a_full_disk_leaves_the_old_set_whole(disk, tmp_path):
    apps = _apps(tmp_path / "src")
    out = disk / "打印"
    first = render_batch(apps, out, TODAY)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fill(disk, leave=150_000)  # room for a form or two, not for the whole set
    with pytest.raises(InputError) as exc:
        render_batch(apps, out, TODAY.replace(day=11))  # another day: other bytes
    assert FULL in str(exc.value) and str(out) in str(exc.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no new file, none half
    assert first.checklist.exists() and first.combined.exists()


def test_summary_tables_on_a_full_disk_are_both_or_neither(disk, tmp_path):
    apps = _apps(tmp_path / "src")
    fill(disk, leave=6_000)
    with pytest.raises(InputError) as exc:
        write_summaries(apps, disk / "表", TODAY)
    assert FULL in str(exc.value)
    assert not [p for p in (disk / "表").iterdir()] if (disk / "表").exists() else True


@pytest.mark.parametrize("where", ["while writing the folder", "while writing the zip"])
def test_a_mail_package_on_a_full_disk_leaves_the_old_package(disk, tmp_path, where):
    apps = _apps(tmp_path / "src")
    out = disk / "邮件"
    old = build_package(apps, out, TODAY)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    zip_bytes = old.zip_path.read_bytes()
    folder_bytes = sum(p.stat().st_size for p in old.folder.rglob("*") if p.is_file())
    # Room for half the folder, or for the whole new folder and half its zip.
    fill(disk, leave=folder_bytes // 2 if where.endswith("folder") else folder_bytes + len(zip_bytes) // 2)
    with pytest.raises(InputError) as exc:
        build_package(apps, out, TODAY)
    assert FULL in str(exc.value) and "原有的邮件包未改动" in str(exc.value)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert old.zip_path.read_bytes() == zip_bytes and not _hidden(out)


def test_exporting_an_application_on_a_full_disk_leaves_no_half_file(disk, workdir):
    with Workspace(workdir / "workspace") as ws:
        app_id = ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
        size = sum(p.stat().st_size for p in (workdir / "scans").iterdir())
        fill(disk, leave=size // 2)
        with pytest.raises(InputError) as exc:
            ws.export(app_id, disk / "导出" / "张三.json")
    assert FULL in str(exc.value) and str(disk / "导出") in str(exc.value)
    assert not (disk / "导出" / "张三.json").exists()
    assert not [p for p in (disk / "导出").rglob(".*")]


def test_a_bundle_or_backup_on_a_full_disk_leaves_the_old_one(disk, workdir):
    from zhutui.bundle.backup import make_backup
    from zhutui.bundle.exchange import export_bundle

    with Workspace(workdir / "workspace") as ws:
        app_id = ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
        target = disk / "交接" / "给区总工会.zhutui"
        old = export_bundle(ws, [app_id], target, created_by="测试").path.read_bytes()
        fill(disk, leave=len(old) // 2)
        with pytest.raises(InputError) as exc:
            export_bundle(ws, [app_id], target, created_by="测试")
        assert FULL in str(exc.value) and str(disk / "交接") in str(exc.value)
        assert target.read_bytes() == old and not [p for p in target.parent.iterdir() if p != target]
        with pytest.raises(InputError) as exc:
            make_backup(ws, disk / "备份")
        assert FULL in str(exc.value)
        assert not [p for p in (disk / "备份").iterdir()]
