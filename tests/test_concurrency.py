"""Two writers on one workspace lose no edit; a workspace replaced underneath refuses edits.

The writers are real processes with their own connections (as a second window, the CLI, or
a worker of the window's would be). Each owns one field and appends to it by reading it back
first: an edit that a whole-record rewrite by the other writer undid leaves a gap for good.
bench/bench_concurrency.py runs the same race 10 times and reports the figures.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import make_scans
from tests.gui_support import import_apps
from zhutui.bundle.backup import make_backup, restore
from zhutui.workspace.db import WorkspaceReplaced
from zhutui.workspace.store import Workspace

WRITER = textwrap.dedent("""
    import os, sys, time
    from zhutui.workspace.store import Workspace
    folder, app_id, name, edits, start = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
    ws = Workspace(folder)
    while not os.path.exists(start):
        time.sleep(0.001)
    for i in range(edits):
        mine = ws.record(app_id).data.get("race", {}).get(name, [])
        ws.set_field(app_id, f"race.{name}", mine + [i])
    print("done", flush=True)
""")


def race(folder, app_id, edits: int, tmp_path, names=("a", "b")) -> dict[str, list[int]]:
    """Two writers of ``edits`` edits each, started at the same moment, each appending to its
    own field of ``race``; those fields after."""
    start = tmp_path / "start"
    start.unlink(missing_ok=True)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), str(app_id), name, str(edits), str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    time.sleep(0.3)  # both connections open
    start.touch()
    for w in writers:
        out, err = w.communicate(timeout=300)
        assert w.returncode == 0 and out.strip() == "done", err
    with Workspace(folder) as ws:
        return {name: ws.record(app_id).data["race"].get(name) for name in names}


def test_two_writers_lose_no_edit(tmp_path, patent):
    make_scans(tmp_path)
    with Workspace(tmp_path / "ws") as ws:
        (app_id,) = import_apps(ws, tmp_path, patent)
    for run in range(3):  # bench/bench_concurrency.py: 10 runs of 2 × 500
        names = (f"a{run}", f"b{run}")
        fields = race(tmp_path / "ws", app_id, 300, tmp_path, names)
        assert fields == {name: list(range(300)) for name in names}
    with Workspace(tmp_path / "ws") as ws:
        assert ws.record(app_id).data["patent"] == patent["patent"]  # the rest untouched
        assert ws.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_workspace_replaced_underneath_refuses_edits(tmp_path, patent):
    make_scans(tmp_path)
    folder = tmp_path / "ws"
    with Workspace(folder) as ws:
        (app_id,) = import_apps(ws, tmp_path, patent)
        backup = make_backup(ws, tmp_path / "备份").path
    stale = Workspace(folder)  # a second window that stays open
    stale.set_field(app_id, "patent.title", "恢复前改的名称")
    restore(backup, folder)  # another process restores (the lock keeps the CLI out of an open window's)
    for edit in (
        lambda: stale.set_field(app_id, "patent.title", "恢复后改的名称"),
        lambda: stale.delete(app_id),
        lambda: stale.set_setting("union", {}),
        lambda: stale.create("patent", 2022),
    ):
        with pytest.raises(WorkspaceReplaced) as exc:
            edit()
        assert "已被替换" in str(exc.value) and "刚才的修改没有保存" in str(exc.value)
    stale.close()
    with Workspace(folder) as ws:  # reopened: the restored workspace, untouched by the stale one
        (record,) = ws.records()
        assert record.data["patent"]["title"] == patent["patent"]["title"]


def test_a_workspace_moved_away_refuses_edits(tmp_path, patent):
    make_scans(tmp_path)
    folder = tmp_path / "ws"
    ws = Workspace(folder)
    (app_id,) = import_apps(ws, tmp_path, patent)
    folder.rename(tmp_path / "别处")
    with pytest.raises(WorkspaceReplaced):
        ws.set_field(app_id, "patent.title", "x")
    ws.close()


def test_nested_transactions_are_one(tmp_path, patent):
    make_scans(tmp_path)
    with Workspace(tmp_path / "ws") as ws:
        (app_id,) = import_apps(ws, tmp_path, patent)
        with pytest.raises(RuntimeError), ws.transaction():
            ws.set_field(app_id, "patent.title", "改了")  # its own transaction joins the outer one
            ws.duplicate(app_id)
            raise RuntimeError("abandon")
        assert len(ws.records()) == 1 and ws.record(app_id).data["patent"]["title"] == patent["patent"]["title"]
