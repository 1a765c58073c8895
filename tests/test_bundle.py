"""Hand-over bundles: export → import byte for byte, hostile archives refused with nothing
written, conflicts, a merge of three enterprises with cross-enterprise findings and
consolidated tables, backups and restore (from the CLI; the app is in test_gui_bundle)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import random
import stat
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import bundle_members, write_json
from zhutui.bundle import archive
from zhutui.bundle.archive import BundleError, open_bundle
from zhutui.bundle.backup import KEEP, daily_backup, list_backups, make_backup
from zhutui.bundle.exchange import apply_import, export_bundle, plan_import
from zhutui.demo import generate
from zhutui.workspace.lock import lock_path
from zhutui.workspace.store import Workspace

NOW = dt.datetime(2022, 10, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A small demo batch in a workspace, with a typed value that can't be used and an
    attachment whose file is missing, so the round trip covers what a real workspace holds."""
    root = tmp_path_factory.mktemp("demo")
    made = generate(root / "batch", patents=3, projects=1, with_errors=False, seed=11)
    ws = Workspace(root / "ws")
    for path in made.applications:
        ws.import_file(path)
    first = ws.records()[0].id
    ws.set_field(first, "patent.title", "一种  带空格的\n名称")
    ws.attach_missing(first, "找不到的扫描件.jpg", "other", "说明", as_taken=True)
    ws.set_as_taken(ws.attachments(first)[0].id, True)  # kept as photographed: travels too
    ws.set_setting("union", {"unit_union.name": "北京精工机床有限公司工会"})
    ws.set_setting("mailbox", {"address": "gonghui@163.com", "host": "smtp.163.com"})
    yield ws
    ws.close()


def snapshot(ws: Workspace) -> dict[str, tuple]:
    """Everything an application is, by uid: data, times, and each attachment's bytes."""
    out = {}
    for r in ws.records():
        files = []
        for a in ws.attachments(r.id):
            path = ws.attachment_file(a)
            files.append((a.kind, a.title, a.original_name, a.as_taken, path.read_bytes() if path else None))
        out[r.uid] = (r.form, r.plan_year, r.data, r.created_at, r.updated_at, files)
    return out


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# --------------------------------------------------------------------------- round trip


def test_export_import_round_trips_byte_for_byte(demo, tmp_path):
    result = export_bundle(demo, [r.id for r in demo.records()], tmp_path / "a.zhutui", created_by="甲", now=NOW)
    assert result.applications == 4 and result.path.exists()
    with Workspace(tmp_path / "ws2") as ws2:
        with plan_import(ws2, [result.path]) as plan:
            assert not plan.conflicts and len(plan.items) == 4
            apply_import(ws2, plan)
        assert snapshot(ws2) == snapshot(demo)
        assert ws2.setting("union") is None  # a hand-over carries no settings


def test_the_export_command_carries_as_taken_from_a_workspace_and_from_files(demo, tmp_path, workdir, patent, run):
    patent["attachments"][1]["as_taken"] = True
    file = write_json(workdir, "p.json", patent)
    for source, name in ((demo.folder, "ws.zhutui"), (file, "file.zhutui")):
        code, _, err = run("bundle", "export", source, "--out", tmp_path / name, "--by", "甲")
        assert code == 0, err
        with Workspace(tmp_path / f"into-{name}") as ws2, plan_import(ws2, [tmp_path / name]) as plan:
            apply_import(ws2, plan)
            if source == file:
                (r,) = ws2.records()
                assert [a.as_taken for a in ws2.attachments(r.id)] == [False, True]
            else:
                taken = {u: [f[:2] + f[3:4] for f in v[-1]] for u, v in snapshot(ws2).items()}
                assert taken == {u: [f[:2] + f[3:4] for f in v[-1]] for u, v in snapshot(demo).items()}


def test_bundle_layout_and_manifest(demo, tmp_path):
    path = export_bundle(demo, [r.id for r in demo.records()], tmp_path / "a.zhutui", created_by="甲", now=NOW).path
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "zhutui-bundle" and manifest["format_version"] == archive.FORMAT_VERSION
        assert manifest["created_by"] == "甲" and manifest["created_at"] == "2022-10-20T09:30:00+08:00"
        assert {m["name"] for m in manifest["members"]} == set(names) - {"manifest.json"}
        for m in manifest["members"]:
            data = zf.read(m["name"])
            assert hashlib.sha256(data).hexdigest() == m["sha256"] and len(data) == m["size"]
        first = json.loads(zf.read("applications/0001.json"))
        assert first["form"] in ("patent", "project")
        files = [a["file"] for a in first["attachments"]]
        assert f"applications/{files[0]}" in names  # relative to the JSON's folder (SPEC §4)
        assert "找不到的扫描件.jpg" in files and "applications/找不到的扫描件.jpg" not in names
        taken = [a.get("as_taken") for a in first["attachments"]]
        assert taken[0] is True and taken[-1] is True and None in taken  # false is not written


# --------------------------------------------------------------------------- hostile bundles


def good_members() -> dict[str, bytes]:
    app = {
        "form": "patent",
        "plan_year": 2022,
        "patent": {"title": "一种装置"},
        "attachments": [{"kind": "patent_certificate", "file": "0001/01_patent_certificate.jpg"}],
    }
    return {
        "applications/0001.json": json.dumps(app, ensure_ascii=False).encode(),
        "applications/0001/01_patent_certificate.jpg": b"\xff\xd8fake jpeg" * 50,
    }


def manifest_for(members: dict[str, bytes], **extra) -> dict:
    body = {
        "format": "zhutui-bundle",
        "format_version": 1,
        "app_version": "0.1.0",
        "created_at": "2022-10-20T09:30:00+08:00",
        "created_by": "某工会",
        "purpose": "handover",
        "applications": [{"file": "applications/0001.json"}],
        "members": [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()],
    }
    body.update(extra)
    return body


def write_zip(
    path: Path,
    members: dict[str, bytes],
    manifest: dict | bytes | None,
    *,
    symlink: str | None = None,
    compression=zipfile.ZIP_DEFLATED,
) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            if name == symlink:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, data)
        if manifest is not None:
            raw = manifest if isinstance(manifest, bytes) else json.dumps(manifest, ensure_ascii=False).encode()
            zf.writestr("manifest.json", raw)
    return path


def _with(name: str, data: bytes, listed: bool = True):
    def build(path: Path) -> Path:
        members = {**good_members(), name: data}
        manifest = manifest_for(members if listed else good_members())
        return write_zip(path, members, manifest)

    return build


def _tampered(path: Path) -> Path:
    members = good_members()
    manifest = manifest_for(members)
    members["applications/0001/01_patent_certificate.jpg"] = b"\xff\xd8FAKE JPEG" * 50  # same size
    return write_zip(path, members, manifest)


def _size_lie(path: Path) -> Path:
    members = good_members()
    manifest = manifest_for(members)
    manifest["members"][1]["size"] -= 1
    return write_zip(path, members, manifest)


def _truncated(path: Path) -> Path:
    write_zip(path, good_members(), manifest_for(good_members()), compression=zipfile.ZIP_STORED)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _truncated_member(path: Path) -> Path:
    """The central directory intact, a member's compressed bytes cut short."""
    noise = random.Random(1).randbytes(50_000)
    members = {**good_members(), "applications/0001/02_other.bin": noise + bytes(50_000)}
    write_zip(path, members, manifest_for(members))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("applications/0001/02_other.bin")
    start = info.header_offset + 30 + len(info.filename.encode()) + 10
    data[start : start + 200] = bytes(200)  # corrupt the deflate stream
    path.write_bytes(bytes(data))
    return path


def _bomb(path: Path) -> Path:
    members = {**good_members(), "applications/0001/02_other.bin": bytes(20 * 1024 * 1024)}
    return write_zip(path, members, manifest_for(members))


def _symlink(path: Path) -> Path:
    members = {**good_members(), "applications/0001/02_link.jpg": b"/etc/passwd"}
    return write_zip(path, members, manifest_for(members), symlink="applications/0001/02_link.jpg")


def _newer(path: Path) -> Path:
    return write_zip(path, good_members(), manifest_for(good_members(), format_version=archive.FORMAT_VERSION + 1))


def _unlisted(path: Path) -> Path:
    return _with("applications/0001/02_extra.jpg", b"x", listed=False)(path)


def _missing(path: Path) -> Path:
    members = good_members()
    manifest = manifest_for({**members, "applications/0001/02_gone.jpg": b"gone"})
    return write_zip(path, members, manifest)


def _duplicate(path: Path) -> Path:
    members = good_members()
    write_zip(path, members, manifest_for(members))
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "a") as zf:
        zf.writestr("applications/0001.json", b"{}")
    return path


def _no_manifest(path: Path) -> Path:
    return write_zip(path, good_members(), None)


def _not_zip(path: Path) -> Path:
    path.write_bytes(b"this is a Word document, not a bundle" * 10)
    return path


def _bad_application(path: Path) -> Path:
    members = {"applications/0001.json": b'{"form": "patent", "plan_year": "2022"}'}
    return write_zip(path, members, manifest_for(members))


def _as_taken_not_a_boolean(path: Path) -> Path:
    app = {
        "form": "patent",
        "plan_year": 2022,
        "attachments": [{"kind": "patent_certificate", "file": "0001/01_patent_certificate.jpg", "as_taken": "yes"}],
    }
    members = {**good_members(), "applications/0001.json": json.dumps(app).encode()}
    return write_zip(path, members, manifest_for(members))


def _attachment_outside(path: Path) -> Path:
    """The application's attachment points outside the bundle: imported as missing, never read."""
    app = {"form": "patent", "plan_year": 2022, "attachments": [{"kind": "other", "file": "../../../etc/passwd"}]}
    members = {"applications/0001.json": json.dumps(app).encode()}
    return write_zip(path, members, manifest_for(members))


HOSTILE = {
    "zip-slip": (_with("../../evil.txt", b"owned"), "“..”"),
    "zip-slip inside": (_with("applications/../../evil.txt", b"owned"), "“..”"),
    "absolute path": (_with("/tmp/evil.txt", b"owned"), "绝对路径"),
    "drive letter": (_with("C:/Windows/evil.txt", b"owned"), "盘符"),
    "backslashes": (_with("..\\..\\evil.txt", b"owned"), "反斜杠"),
    "symlink": (_symlink, "符号链接"),
    "unlisted member": (_unlisted, "不在清单中"),
    "missing member": (_missing, "缺失"),
    "tampered content": (_tampered, "与清单不符"),
    "size mismatch": (_size_lie, "与清单不符"),
    "truncated file": (_truncated, "不完整或已损坏"),
    "corrupt member": (_truncated_member, "不完整或已损坏"),
    "zip bomb": (_bomb, "压缩比"),
    "newer format": (_newer, "更新版本"),
    "duplicate names": (_duplicate, "两次"),
    "no manifest": (_no_manifest, "缺少清单"),
    "not a zip": (_not_zip, "不是有效的交接包"),
    "bad application": (_bad_application, "plan_year"),
    "as_taken not a boolean": (
        _as_taken_not_a_boolean,
        "applications/0001.json：attachments[0].as_taken：类型错误：应为 true 或 false，现为 文字“yes”",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_bundles_are_refused_and_nothing_is_written(case, tmp_path, run):
    build, expected = HOSTILE[case]
    outside = tmp_path / "outside"
    outside.mkdir()
    bundle = build(outside / "bad.zhutui")
    before = tree(tmp_path)
    target = tmp_path / "ws"
    code, out, err = run("bundle", "import", bundle, "--into", target)
    assert code == 2 and "bad.zhutui" in err and expected in err, err
    with Workspace(target) as ws:
        assert ws.records() == []
    assert not (target / "blobs").exists() or not any((target / "blobs").rglob("*.*"))
    lock = str(lock_path(target).relative_to(tmp_path))  # the one-writer lock beside the workspace
    assert tree(tmp_path) - before <= {str(p.relative_to(tmp_path)) for p in target.rglob("*")} | {"ws", lock}
    assert not list(tmp_path.parent.rglob("evil.txt"))


def test_total_over_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL", 1000)
    bundle = write_zip(tmp_path / "big.zhutui", good_members(), manifest_for(good_members()))
    with pytest.raises(BundleError, match="2 GB"):
        open_bundle(bundle)


def test_attachment_pointing_outside_is_never_read(tmp_path):
    bundle = _attachment_outside(tmp_path / "x.zhutui")
    with Workspace(tmp_path / "ws") as ws, plan_import(ws, [bundle]) as plan:
        added = apply_import(ws, plan).added
        (att,) = ws.attachments(added[0])
        assert att.sha256 is None and att.original_name == "passwd"  # kept as missing, for the checks


def test_one_bad_bundle_refuses_the_whole_import(demo, tmp_path, run):
    good = export_bundle(demo, [r.id for r in demo.records()], tmp_path / "good.zhutui", created_by="甲").path
    bad = _tampered(tmp_path / "bad.zhutui")
    code, _, err = run("bundle", "import", good, bad, "--into", tmp_path / "ws")
    assert code == 2 and "bad.zhutui" in err
    with Workspace(tmp_path / "ws") as ws:
        assert ws.records() == []


# --------------------------------------------------------------------------- conflicts


@pytest.mark.parametrize(("policy", "live", "deleted"), [("keep", 4, 0), ("replace", 4, 4), ("both", 8, 0)])
def test_conflicts_follow_the_policy(demo, tmp_path, run, policy, live, deleted):
    bundle = export_bundle(demo, [r.id for r in demo.records()], tmp_path / "a.zhutui", created_by="甲").path
    target = tmp_path / "ws"
    assert run("bundle", "import", bundle, "--into", target)[0] == 0
    code, out, err = run("bundle", "import", bundle, "--into", target, "--on-conflict", policy)
    assert code == 0 and err.count("与已有申报相同") == 4 and "专利号相同" in err
    with Workspace(target) as ws:
        assert len(ws.records()) == live
        n_deleted = ws.con.execute("SELECT COUNT(*) FROM applications WHERE deleted_at IS NOT NULL").fetchone()[0]
        assert n_deleted == deleted
        assert len({r.uid for r in ws.records()}) == live


def test_same_project_of_the_same_studio_conflicts(tmp_path, project, workdir):
    ws = Workspace(tmp_path / "ws")
    ws.import_file(write_json(workdir, "j.json", project))
    other = copy.deepcopy(project)
    other["studio"]["name"] = project["studio"]["name"].replace("创新", " 创新")  # spacing differs
    with Workspace(tmp_path / "src") as src:
        src.import_file(write_json(workdir, "j2.json", other))
        bundle = export_bundle(src, [r.id for r in src.records()], tmp_path / "j.zhutui", created_by="乙").path
    with plan_import(ws, [bundle]) as plan:
        assert plan.conflicts and "工作室和项目名称相同" in plan.conflicts[0].reason
    ws.close()


def test_full_and_half_width_names_are_the_same_project(tmp_path, project, workdir):
    """The identity folds （） and (), full-width letters and digits and spaces, as J008 does."""
    ws = Workspace(tmp_path / "ws")
    mine = copy.deepcopy(project)
    mine["studio"]["name"], mine["project"]["name"] = "王建国(集团)创新工作室", "CNC曲轴磨削第2代攻关"
    ws.import_file(write_json(workdir, "j.json", mine))
    other = copy.deepcopy(project)
    other["studio"]["name"], other["project"]["name"] = "王建国（集团） 创新工作室", "ＣＮＣ曲轴磨削第２代攻关"
    with Workspace(tmp_path / "src") as src:
        src.import_file(write_json(workdir, "j2.json", other))
        bundle = export_bundle(src, [r.id for r in src.records()], tmp_path / "j.zhutui", created_by="乙").path
    with plan_import(ws, [bundle]) as plan:
        assert [i.conflict for i in plan.items] == [ws.records()[0].id]
        assert "工作室和项目名称相同（王建国(集团)创新工作室：CNC曲轴磨削第2代攻关）" in plan.items[0].reason
    ws.close()


# --------------------------------------------------------------------------- three enterprises


def enterprise(patent: dict, project: dict, union: str, number: str, id_number: str) -> list[dict]:
    p = copy.deepcopy(patent)
    p["unit_union"]["name"] = union
    p["patent"]["number"] = number
    p["inventor"]["id_number"] = id_number
    j = copy.deepcopy(project)
    j["unit_union"]["name"] = union
    j["studio"]["name"] = f"{union[:2]}创新工作室"
    j["studio"]["enterprise"] = union.removesuffix("工会")
    return [p, j]


def test_merge_of_three_enterprises(tmp_path, workdir, patent, project, run):
    ids = ["11010519491231002X", "110105195001010017", "110105195102020014"]
    plans = {
        "甲.zhutui": enterprise(patent, project, "北京甲机床有限公司工会", "ZL202110123456.7", ids[0]),
        "乙.zhutui": enterprise(patent, project, "北京乙汽车有限公司工会", "ZL202110654321.5", ids[0]),
        "丙.zhutui": enterprise(patent, project, "北京丙能源有限公司工会", "ZL202110654321.5", ids[2]),
    }
    bundles = []
    for name, apps in plans.items():
        folder = workdir / name.removesuffix(".zhutui")
        folder.mkdir()
        (folder / "scans").symlink_to(workdir / "scans")
        for i, data in enumerate(apps):
            write_json(folder, f"{i}.json", data)
        code, out, err = run("bundle", "export", folder, "--out", tmp_path / name)
        assert code == 0, err
        bundles.append(tmp_path / name)
    target = tmp_path / "district"
    code, out, err = run("bundle", "import", *bundles, "--into", target)
    assert code == 0 and "6 份申报" in out and "北京乙汽车有限公司工会" in out and "zhutui check" in out
    status, findings = run.check(target)
    assert status == 1
    p008 = [f for f in findings if f["code"] == "P008"]
    p009 = [f for f in findings if f["code"] == "P009"]
    assert len(p008) == 2 and len(p009) == 2  # 甲 and 乙 share an inventor, 乙 and 丙 a patent
    # The same checks straight from the bundles, without importing.
    status, direct = run.check(*bundles)
    assert {f["code"] for f in direct} >= {"P008", "P009"}
    assert any("乙.zhutui/applications/0001.json" in f["file"] for f in direct)

    code, out, err = run(
        "summary",
        target,
        "--out",
        tmp_path / "tables",
        "--today",
        "2022-10-25",
        "--contact",
        "赵六",
        "--phone",
        "010-87654321",
    )
    (patents_xlsx,) = (tmp_path / "tables").glob("附件2_*.xlsx")
    assert "北京市朝阳区总工会" in patents_xlsx.name
    sheet = load_workbook(patents_xlsx).active
    header = [c.value for c in sheet[3]]
    assert header[:2] == ["序号", "单位工会"]
    assert "填报单位（盖章）：北京市朝阳区总工会" in str(sheet["A2"].value)
    assert any("赵六" in str(c.value) for c in sheet[2]) and any("010-87654321" in str(c.value) for c in sheet[2])
    unions = [sheet.cell(r, 2).value for r in range(4, 7)]
    assert sorted(unions) == sorted(["北京甲机床有限公司工会", "北京乙汽车有限公司工会", "北京丙能源有限公司工会"])
    (projects_xlsx,) = (tmp_path / "tables").glob("附件4_*.xlsx")
    assert load_workbook(projects_xlsx).active.cell(3, 2).value == "单位工会"

    code, out, err = run(
        "package",
        target,
        "--out",
        tmp_path / "mail",
        "--today",
        "2022-10-25",
        "--draft",
        "--contact",
        "赵六",
        "--phone",
        "010-87654321",
    )
    (folder,) = [p for p in (tmp_path / "mail").iterdir() if p.is_dir()]
    assert "北京市朝阳区总工会" in folder.name
    eml = next(folder.glob("*.eml")).read_bytes()
    assert b"X-Unsent: 1" in eml


def test_one_enterprise_has_no_union_column(tmp_path, workdir, patent, run):
    path = write_json(workdir, "p.json", patent)
    run("summary", path, "--out", tmp_path / "t", "--today", "2022-10-25")
    (xlsx,) = (tmp_path / "t").glob("附件2_*.xlsx")
    assert "单位工会" not in [c.value for c in load_workbook(xlsx).active[3]]


# --------------------------------------------------------------------------- backup and restore


def test_daily_backup_once_a_day_last_seven_kept_no_secrets(demo, tmp_path):
    folder = tmp_path / "backups"
    first = daily_backup(demo, folder, now=NOW)
    assert first is not None and daily_backup(demo, folder, now=NOW + dt.timedelta(hours=3)) is None
    for day in range(1, 10):
        daily_backup(demo, folder, now=NOW + dt.timedelta(days=day))
    kept = list_backups(folder)
    assert len(kept) == KEEP and kept[0].name == "备份_20221029-093000.zhutui"
    members = bundle_members(kept[0], demo)
    settings = json.loads(members["settings.json"])
    assert settings["union"] == {"unit_union.name": "北京精工机床有限公司工会"}
    assert "mailbox" not in settings
    assert all(b"gonghui@163.com" not in data for data in members.values())


def test_restore_replaces_the_workspace_and_keeps_a_safety_backup(demo, tmp_path, run):
    backup = make_backup(demo, tmp_path / "b", now=NOW).path
    target = tmp_path / "ws"
    with Workspace(target) as ws:
        ws.create("patent", 2022, {"patent": {"title": "恢复前的申报"}})
    code, out, err = run("restore", backup, "--into", target)
    assert code == 0, err
    assert "已恢复 4 份申报" in out and "恢复前的工作区已备份" in out
    with Workspace(target) as ws:
        assert snapshot(ws) == snapshot(demo)
        assert ws.setting("union") == {"unit_union.name": "北京精工机床有限公司工会"}
        assert ws.setting("mailbox") is None
    (safety,) = list_backups()
    with Workspace(target) as ws:
        assert "恢复前的申报" in bundle_members(safety, ws)["applications/0001.json"].decode()
    # no staging or aside folder left; the lock beside the workspace stays (it is never deleted)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ws.lock", "b", "ws"]


def test_failed_restore_leaves_the_workspace_intact(demo, tmp_path, run, monkeypatch):
    target = tmp_path / "ws"
    with Workspace(target) as ws:
        ws.create("patent", 2022, {"patent": {"title": "不能丢的申报"}})
        before = snapshot(ws)
    code, _, err = run("restore", _tampered(tmp_path / "bad.zhutui"), "--into", target)
    assert code == 2 and "与清单不符" in err
    backup = make_backup(demo, tmp_path / "b", now=NOW).path
    import zhutui.bundle.backup as backup_module

    real = backup_module.os.replace

    def swap_fails(src, dst):
        if Path(src).name.startswith(".ws.restoring"):  # the new workspace can't be moved in
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(backup_module.os, "replace", swap_fails)
    code, _, err = run("restore", backup, "--into", target)
    assert code == 2 and "当前工作区未改动" in err
    with Workspace(target) as ws:
        assert snapshot(ws) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ws.lock", "b", "bad.zhutui", "ws"]


def test_backup_command(demo, tmp_path, run):
    code, out, _ = run("backup", "--workspace", demo.folder, "--out", tmp_path)
    assert code == 0 and "已备份 4 份申报" in out
    (made,) = list_backups(tmp_path)
    with pytest.raises(archive.PasswordNeeded):  # sealed with the workspace's key, like the workspace
        open_bundle(made)
    with open_bundle(made, passwords=[demo.vault.bundle_password()]) as bundle:
        assert bundle.manifest["purpose"] == "backup"


def test_manifest_bytes_are_read_with_a_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MANIFEST", 10)
    bundle = write_zip(tmp_path / "m.zhutui", good_members(), manifest_for(good_members()))
    with pytest.raises(BundleError, match="清单文件过大"):
        open_bundle(bundle)


def test_writer_leaves_nothing_when_it_fails(tmp_path, demo, monkeypatch):
    target = tmp_path / "x.zhutui"

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive.os, "replace", boom)
    with pytest.raises(Exception, match="No space left|磁盘"):
        export_bundle(demo, [r.id for r in demo.records()], target, created_by="甲")
    assert list(tmp_path.iterdir()) == []
