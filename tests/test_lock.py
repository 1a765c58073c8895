"""One writer per workspace: the lock beside it, held by another process, refuses the CLI's
writing commands with who holds it; a killed holder leaves nothing locked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import make_scans
from tests.gui_support import import_apps
from zhutui.bundle.exchange import export_bundle
from zhutui.errors import InputError
from zhutui.workspace.lock import WINDOW, WorkspaceBusy, WorkspaceLock, lock_path, read_holder
from zhutui.workspace.store import Workspace

HOLD = textwrap.dedent("""
    import sys, time
    from zhutui.workspace.lock import WorkspaceLock
    lock = WorkspaceLock(sys.argv[1], sys.argv[2]).acquire()
    print("held", flush=True)
    time.sleep(120)
""")


@pytest.fixture
def holder(tmp_path):
    """Another process holding the lock of ``tmp_path / 'ws'`` as the desktop app would."""
    folder = tmp_path / "ws"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), WINDOW], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    yield folder, proc
    proc.kill()
    proc.wait()


def test_a_second_process_is_refused_with_who_holds_it(holder):
    folder, proc = holder
    with pytest.raises(WorkspaceBusy) as exc:
        WorkspaceLock(folder, "zhutui bundle import", "请关闭窗口后再试。").acquire()
    message = str(exc.value)
    assert str(folder) in message and "职工创新助推申报助手的窗口" in message
    assert f"进程 {proc.pid}" in message and "起" in message and message.endswith("请关闭窗口后再试。")
    assert read_holder(folder)["pid"] == proc.pid


def test_a_killed_holder_leaves_the_workspace_free(holder):
    folder, proc = holder
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with WorkspaceLock(folder, "zhutui restore") as lock:
        assert lock.held and read_holder(folder)["program"] == "zhutui restore"
    assert read_holder(folder) is None  # released: the file says nobody
    assert lock_path(folder).exists()  # never deleted (see lock.py)


def test_the_same_process_may_take_its_own_lock_again(tmp_path):
    folder = tmp_path / "ws"
    with WorkspaceLock(folder, WINDOW):
        with WorkspaceLock(folder, "import") as inner:
            assert inner.held
        assert read_holder(folder)["program"] == WINDOW  # the inner release did not free it


def test_the_lock_sits_beside_the_workspace_not_inside(tmp_path):
    assert lock_path(tmp_path / "workspace") == tmp_path / ".workspace.lock"


def _bundle(tmp_path: Path, patent) -> Path:
    make_scans(tmp_path / "src")
    with Workspace(tmp_path / "src" / "ws") as ws:
        ids = import_apps(ws, tmp_path / "src", patent)
        export_bundle(ws, ids, tmp_path / "甲.zhutui", created_by="北京精工机床有限公司工会")
    return tmp_path / "甲.zhutui"


def test_cli_import_and_restore_refuse_while_the_app_holds_the_workspace(holder, tmp_path, patent, run):
    folder, proc = holder
    bundle = _bundle(tmp_path, patent)
    code, out, err = run("bundle", "import", bundle, "--into", folder)
    assert code == 2 and "工作区正在被职工创新助推申报助手的窗口使用" in err and f"进程 {proc.pid}" in err
    assert "交接" in err  # says where to do it instead
    code, out, err = run("restore", bundle, "--into", folder)
    assert code == 2 and "备份与恢复" in err
    assert not (folder / "workspace.db").exists()  # nothing was written
    proc.kill()
    proc.wait()
    code, out, err = run("bundle", "import", bundle, "--into", folder)
    assert code == 0, err
    with Workspace(folder) as ws:
        assert len(ws.records()) == 1


def test_reading_a_held_workspace_is_allowed(holder, tmp_path, patent, run):
    folder, proc = holder
    make_scans(tmp_path / "src2")
    with Workspace(folder) as ws:
        import_apps(ws, tmp_path / "src2", patent)
    code, out, err = run("check", folder, "--today", "2022-10-10")
    assert code == 0, err
    assert proc.poll() is None  # the holder goes on


def test_a_garbled_lock_file_still_refuses_and_names_no_one(holder):
    folder, proc = holder
    lock_path(folder).write_bytes(b"\xff\xfe not json")
    with pytest.raises(WorkspaceBusy) as exc:
        WorkspaceLock(folder, "zhutui restore").acquire()
    assert "另一个程序" in str(exc.value)


def test_a_lock_that_cant_be_made_is_a_clear_input_error(tmp_path):
    folder = tmp_path / "ws"
    lock_path(folder).mkdir(parents=True)  # something in the way of the lock file
    with pytest.raises(InputError) as exc:
        WorkspaceLock(folder, "zhutui restore").acquire()
    assert str(lock_path(folder)) in str(exc.value) and "无法建立工作区的锁文件" in str(exc.value)
