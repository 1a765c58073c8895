"""One window per workspace (a second launch hands its files to the first), files opened from
the command line, and Qt's own texts in Chinese."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QMessageBox

from tests.conftest import make_scans
from tests.gui_support import import_apps, make_window
from zhutui.bundle.exchange import export_bundle
from zhutui.gui import handover, instance
from zhutui.gui.main import application
from zhutui.workspace.lock import read_holder
from zhutui.workspace.store import Workspace

FORWARD = (
    "import sys\n"
    "from PySide6.QtCore import QCoreApplication\n"
    "from zhutui.gui import instance\n"
    "app = QCoreApplication([])\n"
    "print(instance.forward(sys.argv[1], sys.argv[2:]))\n"
)


def _env(tmp_path, **extra):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ZHUTUI_DATA_DIR=str(tmp_path / "数据"), **extra)
    env.pop("ZHUTUI_QUIT_WHEN_SHOWN", None)
    return env


def _bundle(tmp_path, patent):
    make_scans(tmp_path / "src")
    with Workspace(tmp_path / "src" / "ws") as ws:
        ids = import_apps(ws, tmp_path / "src", patent)
        export_bundle(ws, ids, tmp_path / "甲.zhutui", created_by="北京精工机床有限公司工会")
    return tmp_path / "甲.zhutui"


@pytest.fixture
def server(qtbot, tmp_path):
    """A window's listening end, on its own name."""
    application()
    server = instance.InstanceServer(instance.server_name(tmp_path / "workspace"))
    assert server.listen()
    yield server
    server.close()


def test_the_server_receives_what_a_second_launch_hands_over(qtbot, tmp_path, server):
    with qtbot.waitSignal(server.paths_received, timeout=20_000) as got:
        child = subprocess.Popen(
            [sys.executable, "-c", FORWARD, server.name, "甲.zhutui", "申报"],
            cwd=tmp_path,
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            text=True,
        )
    out, _ = child.communicate(timeout=30)
    assert got.args[0] == [str(tmp_path / "甲.zhutui"), str(tmp_path / "申报")]  # made absolute
    assert out.strip() == "True"


def test_no_window_listening_means_no_hand_over(qtbot, tmp_path):
    application()
    assert instance.forward(instance.server_name(tmp_path / "nobody"), [], timeout_ms=200) is False


def test_names_differ_per_workspace_and_stay_the_same_per_folder(tmp_path):
    a, b = instance.server_name(tmp_path / "a"), instance.server_name(tmp_path / "b")
    assert a != b and a == instance.server_name(tmp_path / "a") and len(a) < 100


def test_a_second_launch_reaches_the_first_window_and_quits(tmp_path, patent):
    bundle = _bundle(tmp_path, patent)
    env = _env(tmp_path)
    first = subprocess.Popen(
        [sys.executable, "-m", "zhutui"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        workspace = tmp_path / "数据" / "workspace"
        while (read_holder(workspace) or {}).get("pid") != first.pid:
            assert first.poll() is None and time.monotonic() < deadline, first.stdout.read()
            time.sleep(0.1)
        second = subprocess.run(
            [sys.executable, "-m", "zhutui", str(bundle)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert first.poll() is None  # the first window stays, with the bundle in its import preview
        # The CLI's writing commands refuse while the window is open.
        cli = subprocess.run(
            [sys.executable, "-m", "zhutui", "bundle", "import", str(bundle)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert cli.returncode == 2 and "职工创新助推申报助手的窗口" in cli.stderr and str(first.pid) in cli.stderr
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_a_bundle_given_to_the_window_opens_the_import_preview(qtbot, tmp_path, patent, monkeypatch):
    bundle = _bundle(tmp_path, patent)
    window, session = make_window(qtbot, tmp_path / "app")
    shown = []
    monkeypatch.setattr(
        handover.ImportDialog, "exec", lambda dialog: shown.append(dialog.plan) or QDialog.DialogCode.Rejected
    )
    window.open_paths([str(bundle)])
    assert window.stack.currentWidget() is window.handover
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert len(shown[0].items) == 1 and session.records() == []  # nothing imported until confirmed


def test_application_files_given_to_the_window_are_imported(qtbot, tmp_path, patent, monkeypatch):
    make_scans(tmp_path / "申报")
    (tmp_path / "申报" / "王建国.json").write_text(json.dumps(patent, ensure_ascii=False), encoding="utf-8")
    window, session = make_window(qtbot, tmp_path / "app")
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    window.open_paths([str(tmp_path / "申报")])
    qtbot.waitUntil(lambda: bool(told), timeout=30_000)
    assert "已导入 1 份申报" in told[0] and len(session.records()) == 1


def test_a_file_that_cant_be_opened_is_named(qtbot, tmp_path, monkeypatch):
    window, session = make_window(qtbot, tmp_path / "app")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    window.open_paths([str(tmp_path / "照片.jpg")])
    assert warned and "照片.jpg" in warned[0] and "交接包" in warned[0]


@pytest.mark.parametrize(
    ("buttons", "texts"),
    [
        (QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, {"是", "否"}),
        (QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, {"确定", "取消"}),
        (
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Close,
            {"保存", "丢弃", "关闭"},
        ),
    ],
)
def test_qts_standard_buttons_are_chinese(qtbot, buttons, texts):
    application()
    box = QMessageBox(QMessageBox.Icon.Question, "标题", "内容", buttons)
    qtbot.addWidget(box)
    assert {b.text().split("(")[0] for b in box.buttons()} == texts


def test_qts_dialog_buttons_and_context_menus_are_chinese(qtbot):
    application()
    bar = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(bar)
    assert {b.text() for b in bar.buttons()} == {"确定", "取消"}
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    items = [a.text().split("(")[0].split("\t")[0] for a in menu.actions() if a.text()]
    assert {"撤消", "重做", "剪切", "复制", "粘贴", "删除", "全选"} <= set(items)


def test_about_shows_version_folders_and_licences(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication, QLabel

    from zhutui import __version__, about

    window, session = make_window(qtbot, tmp_path / "app")
    box = window.settings.about
    assert any(f"版本 {__version__}" in label.text() for label in box.findChildren(QLabel))
    dialog = box.show_about()
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(__version__ in t for t in texts) and os.environ["ZHUTUI_DATA_DIR"] in texts
    table = dialog.components
    rows = {
        table.item(r, 0).text().split("（")[0]: (table.item(r, 1).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    }
    assert rows["Qt / PySide6"][1] == "LGPL-3.0-only" and rows["ReportLab"][1] == "BSD-3-Clause"
    assert all(version and version != "未安装" for version, _ in rows.values())
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert copied == about.report() and f"职工创新助推申报助手 {__version__}" in copied
    assert "日志文件夹：" in copied


RAW = (
    "import socket, sys, time\n"
    "from PySide6.QtCore import QCoreApplication\n"
    "from PySide6.QtNetwork import QLocalSocket\n"
    "app = QCoreApplication([])\n"
    "s = QLocalSocket(); s.connectToServer(sys.argv[1]); assert s.waitForConnected(5000)\n"
    "s.write(sys.stdin.buffer.read()); s.flush(); s.waitForBytesWritten(5000)\n"
    "s.waitForReadyRead(3000); print(bytes(s.readAll().data()))\n"
)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"\xff\xfe not json\n", []),
        (b'{"paths": "not a list"}\n', []),
        (b'{"paths": ["/a.zhutui", 3, null]}\n', ["/a.zhutui"]),
    ],
)
def test_a_stranger_on_the_socket_hands_over_nothing_harmful(qtbot, tmp_path, server, payload, expected):
    with qtbot.waitSignal(server.paths_received, timeout=20_000) as got:
        child = subprocess.Popen(
            [sys.executable, "-c", RAW, server.name], env=_env(tmp_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        child.stdin.write(payload)
        child.stdin.close()
    child.wait(timeout=30)
    assert got.args[0] == expected


def test_an_endless_message_is_cut_off(qtbot, tmp_path, server):
    received = []
    server.paths_received.connect(received.append)
    child = subprocess.Popen(
        [sys.executable, "-c", RAW, server.name],
        env=_env(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    child.stdin.write("x" * (instance.MAX_MESSAGE + 10))
    child.stdin.close()
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=30_000)
    assert received == [] and child.stdout.read().strip() == "b''"  # hung up, no answer


def test_an_import_finishing_after_the_window_closed_is_quiet(qtbot, tmp_path, patent, monkeypatch):
    window, session = make_window(qtbot, tmp_path / "app")
    page = next(iter(window.form_pages.values()))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a))
    window.close()
    page._imported(([1], []))  # what a late import job's result does: no closed-database error
    assert session.closed and told == []


def test_the_shipped_style_sheet_and_icon_are_applied(qtbot):
    from zhutui.paths import asset

    qapp = application()
    assert qapp.styleSheet() == asset("resources", "styles", "app.qss").read_text(encoding="utf-8")
    assert not qapp.windowIcon().isNull()
