"""The ``zhutui`` contract: exit statuses, stderr messages, folders as batches, ``plans``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_json
from zhutui import cli

ROOT = Path(__file__).resolve().parent.parent


def test_exit_0_text_output(run, workdir, patent):
    path = write_json(workdir, "a.json", patent)
    status, out, err = run("check", path, "--today", "2022-10-10")
    assert status == 0 and err == ""
    assert "检查了 1 份申报：0 个错误，0 个警告，0 条提示。" in out


def test_exit_1_lists_findings(run, workdir, patent):
    patent["inventor"]["frontline"] = False
    path = write_json(workdir, "a.json", patent)
    status, out, _ = run("check", path, "--today", "2022-10-10")
    assert status == 1
    assert f"{path}\n  错误 P005 inventor.frontline：" in out


def test_json_output_shape(run, workdir, patent):
    patent["patent"]["field"] = "其他"
    status, out, _ = run("check", write_json(workdir, "a.json", patent), "--format", "json", "--today", "2022-11-02")
    doc = json.loads(out)
    assert status == 0
    assert doc["counts"] == {"error": 0, "warning": 1, "info": 1}
    assert {f["code"] for f in doc["findings"]} == {"P021", "D001"}
    assert all(set(f) == {"file", "code", "severity", "path", "message"} for f in doc["findings"])


def test_folder_is_one_batch(run, workdir, patent):
    (workdir / "sub").mkdir()
    write_json(workdir, "a.json", patent)
    for a in patent["attachments"]:
        a["file"] = "../" + a["file"]
    write_json(workdir / "sub", "b.json", patent)
    (workdir / ".hidden").mkdir()
    (workdir / ".hidden" / "x.json").write_text("not json")
    status, findings = run.check(workdir)
    assert status == 1
    assert {f["code"] for f in findings} == {"P008", "P009"}
    assert {Path(f["file"]).name for f in findings} == {"a.json", "b.json"}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{broken", "第1行第2列"),
        ('{"form": "patent", "plan_year": 2022, "patent": {"titel": "x"}}', "patent.titel"),
        ('{"form": "patent", "plan_year": 2035}', "plan_year"),
        ('{"plan_year": 2022}', "form"),
    ],
)
def test_exit_2_names_file_and_key(run, workdir, patent, content, words):
    good = write_json(workdir, "good.json", patent)
    bad = workdir / "bad.json"
    bad.write_text(content, encoding="utf-8")
    status, out, err = run("check", good, bad)
    assert status == 2 and out == ""
    assert str(bad) in err and words in err
    assert "Traceback" not in err


def test_exit_2_for_paths_and_arguments(run, workdir):
    status, _, err = run("check", workdir / "missing.json")
    assert status == 2 and "路径不存在" in err
    (workdir / "empty").mkdir()
    status, _, err = run("check", workdir / "empty")
    assert status == 2 and "没有申报文件" in err
    status, _, err = run("check", workdir, "--today", "2022-13-01")
    assert status == 2 and "YYYY-MM-DD" in err


def test_plans_lists_shipped_and_user_plans(run):
    status, out, _ = run("plans")
    assert status == 0
    assert "2022  2022-11-01  已确认" in out and "2021  2021-11-15" in out
    status, out, _ = run("plans", "new", "2023")
    assert status == 0 and "2023-11-01" in out
    status, out, _ = run("plans")
    assert "2023  2023-11-01  待核对  用户" in out
    status, _, err = run("plans", "new", "2023")
    assert status == 2 and "已存在" in err


def test_internal_error_shows_no_traceback(run, monkeypatch, workdir, patent):
    from zhutui import checks

    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(checks, "check_batch", boom)
    status, _, err = run("check", write_json(workdir, "a.json", patent))
    assert status == 3 and "内部错误" in err and "Traceback" not in err
    log = Path(os.environ["ZHUTUI_DATA_DIR"]) / "logs" / "zhutui-error.log"
    assert "RuntimeError: bug" in log.read_text(encoding="utf-8")


def test_console_script_and_module_agree(workdir, patent):
    path = write_json(workdir, "a.json", patent)
    env = dict(os.environ)
    bindir = Path(sys.executable).parent
    a = subprocess.run(
        [bindir / "zhutui", "check", path, "--today", "2022-10-10"], capture_output=True, text=True, env=env
    )
    b = subprocess.run(
        [sys.executable, "-m", "zhutui", "check", path, "--today", "2022-10-10"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout


def test_core_imports_no_qt():
    code = (
        "import sys, pkgutil, importlib, zhutui\n"
        "for m in pkgutil.walk_packages(zhutui.__path__, 'zhutui.'):\n"
        "    if not m.name.startswith('zhutui.gui') and not m.name.endswith('.__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "from zhutui import cli; cli.main(['plans'])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    import importlib.util

    assert importlib.util.find_spec("PySide6") is not None  # the test means something


def test_text_output_prints_a_batch_wide_deadline_once(run, workdir, patent):
    a = write_json(workdir, "a.json", patent)
    other = dict(
        patent,
        patent=dict(patent["patent"], number="ZL201410026192.3"),
        inventor=dict(patent["inventor"], id_number="110105198001010139", gender="男"),
    )
    b = write_json(workdir, "b.json", other)
    status, out, _ = run("check", a, b, "--today", "2022-11-02")
    assert status == 0
    assert out.count("D001") == 1 and out.startswith("全部 2 份申报：警告 D001：")
    assert "0 个错误，2 个警告" in out


def test_about_names_version_folders_fonts_and_licences(run):
    from zhutui import __version__

    status, out, _ = run("about")
    assert status == 0
    assert f"职工创新助推申报助手 {__version__}" in out
    assert f"数据文件夹：{os.environ['ZHUTUI_DATA_DIR']}" in out and "日志文件夹：" in out
    assert "PDF字体：宋体（正文）：" in out and "系统密码保管库：" in out
    assert "Windows" in out.split("已包含的保管库后端：")[1].splitlines()[0]
    assert "Qt / PySide6" in out and "LGPL-3.0-only" in out and "ReportLab" in out


def test_version_is_the_packages_one_version(run, capsys):
    from zhutui import __version__

    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.strip() == f"zhutui {__version__}"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["交接包.zhutui"], ["gui", "交接包.zhutui"]),
        (["--data-dir", "D", "甲.ZHUTUI"], ["--data-dir", "D", "gui", "甲.ZHUTUI"]),
        (["申报.json"], ["gui", "申报.json"]),
        (["check", "a.json"], ["check", "a.json"]),
        (["chek"], ["chek"]),  # a mistyped command stays an error, not a file to open
        (["--version"], ["--version"]),
        ([], []),
    ],
)
def test_a_file_without_a_command_opens_in_the_window(argv, expected):
    names = list(cli.COMMANDS)
    assert "gui" in names and "about" in names
    assert cli.with_gui_command(argv, names) == expected


def test_an_existing_folder_without_a_command_opens_in_the_window(tmp_path):
    names = list(cli.COMMANDS)
    assert cli.with_gui_command([str(tmp_path)], names) == ["gui", str(tmp_path)]


def test_a_mistyped_command_is_named_in_chinese(run, capsys):
    status, _, err = run("chek", "a.json")
    assert status == 2 and "无效的选择：'chek'" in err and "'check'" in err
    status, _, err = run("render", "a.json")
    assert status == 2 and "缺少必需的参数：--out" in err
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    help_text = capsys.readouterr().out
    assert help_text.startswith("用法：zhutui") and "显示本帮助并退出" in help_text and "usage" not in help_text


def test_no_desktop_means_a_message_not_a_qt_abort(run, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    status, _, err = run("gui")
    assert status == 2 and "没有图形桌面" in err and "xvfb-run" in err
