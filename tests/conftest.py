"""Shared fixtures: an isolated user data folder, valid applications, and running ``zhutui``."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import sys
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from zhutui import cli

# A day inside the 2022 plan, well before its deadline: no deadline finding.
TODAY = dt.date(2022, 10, 10)

VALID_PATENT = {
    "form": "patent",
    "plan_year": 2022,
    "patent": {
        "title": "一种数控车床刀具快速定位装置",
        "number": "ZL201810053768.3",
        "grant_date": "2021-06-15",
        "patentee": "北京精工机床有限公司",
        "inventors": ["王建国", "李四"],
        "field": "智能装备",
        "applied_since": "2021-08-01",
        "application_summary": "该装置已在公司数控车间三条生产线应用，换刀定位时间缩短40%。",
        "abstract": "本发明公开了一种数控车床刀具快速定位装置。",
    },
    "inventor": {
        "name": "王建国",
        "gender": "女",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
        "employer": "北京精工机床有限公司",
        "employer_uscc": "91350100M000100Y43",
        "post": "数控车工",
        "frontline": True,
        "union_card_no": "6214680000012345672",
    },
    "unit_union": {"name": "北京精工机床有限公司工会", "contact": "赵敏", "phone": "010-83570885"},
    "superior_union": {"name": "北京市朝阳区总工会"},
    "attachments": [
        {"kind": "patent_certificate", "file": "scans/cert.jpg"},
        {"kind": "application_proof", "file": "scans/proof.pdf"},
    ],
}

VALID_PROJECT = {
    "form": "project",
    "plan_year": 2022,
    "studio": {
        "name": "王建国创新工作室",
        "level": "municipal_demo",
        "recognized_year": 2019,
        "enterprise": "北京精工机床有限公司",
        "enterprise_uscc": "91350100M000100Y43",
        "leader": {
            "name": "王建国",
            "gender": "男",
            "phone": "13800138000",
            "post": "高级技师",
            "honors": "北京市劳动模范",
        },
        "has_unfinished_funded_project": False,
    },
    "project": {
        "name": "大型曲轴磨削变形控制技术攻关",
        "field": "智能装备",
        "kind": "技术攻关",
        "approved_on": "2022-03-01",
        "startup_funds": 200000,
        "startup_funds_date": "2022-03-15",
        "planned_completion": "2023-12-31",
        "total_budget": 400000,
        "requested_tier": 100000,
        "background": "曲轴磨削过程中热变形导致尺寸超差。",
        "content": "建立磨削温度场模型。",
        "innovation": "首次将在线测温用于曲轴磨削补偿。",
        "goals": "废品率降低50%。",
        "talent_plan": "培养高级技师3名。",
        "foundation": "工作室已完成前期试验。",
        "milestones": [
            {"start": "2022-03-01", "end": "2022-08-31", "task": "方案设计与试验台搭建"},
            {"start": "2022-09-01", "end": "2023-06-30", "task": "工艺试验与模型验证"},
            {"start": "2023-07-01", "end": "2023-12-31", "task": "生产线推广与总结"},
        ],
        "budget": [
            {"item": "材料费", "amount": 150000, "source": "enterprise"},
            {"item": "设备改造费", "amount": 150000, "source": "enterprise"},
            {"item": "测试加工费", "amount": 100000, "source": "boost"},
        ],
        "team": [
            {"name": "李梅", "gender": "女", "birth_year": 1988, "post": "磨工", "title": "技师", "role": "工艺试验"},
        ],
    },
    "unit_union": {"name": "北京精工机床有限公司工会", "contact": "赵敏", "phone": "13912345678"},
    "superior_union": {"name": "北京市朝阳区总工会"},
    "attachments": [
        {"kind": "approval_document", "file": "scans/approval.pdf"},
        {"kind": "fund_proof", "file": "scans/fund.jpg"},
    ],
}


def _test_secret_store() -> None:
    """Never touch the real secret store: the suite's own (``keyring_file``), in this process
    and in every ``zhutui`` it runs, for the whole session (module fixtures make workspaces too).
    Subprocesses find the backend in a folder of its own on PYTHONPATH (not the checkout: pip
    would take the checkout's egg-info for an installed zhutui)."""
    import shutil
    import tempfile

    import keyring

    from tests import keyring_file

    if keyring_file.ENV not in os.environ:  # a zhutui the suite runs imports this too: it shares the store
        folder = Path(tempfile.mkdtemp(prefix="zhutui-test-keyring-"))
        shutil.copy(keyring_file.__file__, folder / f"{keyring_file.MODULE}.py")
        os.environ[keyring_file.ENV] = str(folder / "keyring.json")
        os.environ["PYTHON_KEYRING_BACKEND"] = f"{keyring_file.MODULE}.FileKeyring"
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    keyring.set_keyring(keyring_file.FileKeyring())


_test_secret_store()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Never touch the real user data folder (user plans, logs)."""
    monkeypatch.setenv("ZHUTUI_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))
    # The window reads an attached certificate in a background process (engine and models: a
    # few seconds of CPU each time); the tests of that feature turn it back on.
    monkeypatch.setenv("ZHUTUI_READ_SCANS", "0")


def make_scans(folder: Path) -> None:
    """Small real attachment files at the paths the valid applications name."""
    scans = folder / "scans"
    scans.mkdir(parents=True, exist_ok=True)
    page = Image.new("RGB", (1300, 1800), "white")  # 156 dpi at A4
    for name in ("cert.jpg", "fund.jpg"):
        page.save(scans / name, quality=60)
    for name in ("proof.pdf", "approval.pdf"):
        c = canvas.Canvas(str(scans / name))
        c.drawString(100, 700, "proof")
        c.save()


@pytest.fixture
def patent() -> dict:
    return copy.deepcopy(VALID_PATENT)


@pytest.fixture
def project() -> dict:
    return copy.deepcopy(VALID_PROJECT)


@pytest.fixture
def workdir(tmp_path) -> Path:
    make_scans(tmp_path)
    return tmp_path


@pytest.fixture
def window_of(qtbot, workdir):
    """``window_of(*datas)``: the main window on a workspace holding those applications (files
    written into ``workdir`` next to its scans, then imported): (window, session, ids)."""
    from tests.gui_support import import_apps, make_window
    from zhutui.workspace.store import Workspace

    opened = []

    def make(*datas):
        with Workspace(workdir / "workspace") as ws:
            ids = import_apps(ws, workdir, *datas)
        window, session = make_window(qtbot, workdir)
        opened.append(window)
        return window, session, ids

    yield make
    for window in opened:
        window.close()


def write_json(folder: Path, name: str, data: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


class Run:
    """Runs ``zhutui`` in-process and returns exit status, stdout, stderr, and parsed JSON."""

    def __init__(self, capsys):
        self.capsys = capsys

    def __call__(self, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
        saved = sys.stdin
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        try:
            status = cli.main([str(a) for a in args])
        finally:
            sys.stdin = saved
        out, err = self.capsys.readouterr()
        return status, out, err

    def check(self, *paths, today: dt.date | None = TODAY) -> tuple[int, list[dict]]:
        args = ["check", *paths, "--format", "json"]
        if today is not None:
            args += ["--today", today.isoformat()]
        status, out, err = self(*args)
        assert status != 2, err
        return status, json.loads(out)["findings"]


@pytest.fixture
def run(capsys) -> Run:
    return Run(capsys)


DELETE = object()


def set_path(data: dict, key: str, value) -> None:
    """Set (or with ``DELETE`` remove) the value at a dotted key such as ``inventor.phone``."""
    *parents, leaf = key.split(".")
    node = data
    for part in parents:
        node = node[part]
    if value is DELETE:
        del node[leaf]
    else:
        node[leaf] = value


def codes(findings: list[dict]) -> set[tuple[str, str]]:
    return {(f["code"], f["path"]) for f in findings}


def bundle_members(path: Path, ws=None) -> dict[str, bytes]:
    """Every member of the bundle ``path`` (a backup of ``ws`` is opened with its key)."""
    from zhutui.bundle.archive import MANIFEST, open_bundle

    password = ws.vault.bundle_password() if ws is not None else None
    with open_bundle(path, passwords=[password] if password else []) as bundle:
        members = {name: bundle.read_member(name) for name in bundle.members}
        members[MANIFEST] = bundle._zip.read(MANIFEST)
    return members
