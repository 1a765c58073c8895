"""Distribution, proven by running it: the wheel installed into a fresh virtual environment and
used from another folder; the frozen bundle built by installer/build.sh and run by its smoke
test; the PyInstaller spec and the Windows installer script agreeing with the repository and
with each other; one version number."""

from __future__ import annotations

import ast
import importlib
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from zhutui import __version__
from zhutui.background import CLI_EXECUTABLE
from zhutui.bundle.archive import SUFFIX
from zhutui.mailpack.secrets import BACKEND_MODULES, PREFERRED_BACKENDS
from zhutui.paths import APP_TITLE, data_roots
from zhutui.rulesets import RULE_SETS

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "zhutui.spec"
ISS = ROOT / "installer" / "windows" / "zhutui.iss"
PS1 = ROOT / "installer" / "windows" / "build.ps1"
TODAY = "2022-10-10"


def spec_value(name: str):
    """A top-level literal assignment of the spec (its lists are plain literals on purpose)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned in {SPEC}")


def iss_defines() -> dict[str, str]:
    text = ISS.read_text(encoding="utf-8-sig")
    return dict(re.findall(r'^\s*#define\s+(\w+)\s+"([^"]*)"', text, flags=re.MULTILINE))


def iss_section(name: str) -> list[str]:
    text = ISS.read_text(encoding="utf-8-sig")
    match = re.search(rf"^\[{name}\]\s*$(.*?)(?=^\[|\Z)", text, flags=re.MULTILINE | re.DOTALL)
    assert match, f"no [{name}] in {ISS}"
    return [line for line in match.group(1).splitlines() if line.strip() and not line.lstrip().startswith(";")]


def iss_setup() -> dict[str, str]:
    return dict(line.split("=", 1) for line in iss_section("Setup"))


def expand(text: str) -> str:
    defines = iss_defines()
    return re.sub(r"\{#(\w+)\}", lambda m: defines[m.group(1)], text)


# --------------------------------------------------------------------------- the spec


def test_the_spec_ships_the_data_where_the_wheel_has_it():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = pyproject["tool"]["setuptools"]["package-dir"]
    for source, dest in spec_value("DATA"):
        assert (ROOT / source).is_dir()
        assert mapping[dest.replace("/", ".")] == source  # zhutui/forms <- forms/, as in the wheel
    assert (ROOT / spec_value("ENTRY")).is_file() and (ROOT / spec_value("ICON")).is_file()
    # The frozen layout is the first place the one resource lookup looks.
    assert data_roots(Path("/pkg"), frozen="/bundle")[0] == Path("/bundle/zhutui")


def test_the_spec_carries_every_keyring_backend_and_its_metadata():
    hidden = set(spec_value("HIDDEN_IMPORTS"))
    assert set(BACKEND_MODULES) <= hidden
    assert {rule_set.module for rule_set in RULE_SETS.values()} <= hidden  # loaded by name too
    assert {name.rsplit(".", 1)[0] for name in PREFERRED_BACKENDS.values()} <= hidden
    for module in hidden:
        importlib.import_module(module)  # each exists in the environment the bundle is built from
    packages = spec_value("METADATA")
    assert "keyring" in packages  # its backends are found through entry points
    for dist in packages:
        metadata.version(dist)


def test_the_spec_excludes_nothing_the_app_imports():
    used = set()
    for path in (ROOT / "app").rglob("*.py"):
        used |= set(re.findall(r"^\s*from (PySide6\.\w+) import", path.read_text(encoding="utf-8"), re.MULTILINE))
    assert {"PySide6.QtNetwork", "PySide6.QtPdf", "PySide6.QtPrintSupport"} <= used
    assert not used & set(spec_value("EXCLUDES"))
    assert {"PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtQuick", "tkinter"} <= set(spec_value("EXCLUDES"))


def test_the_spec_and_the_app_agree_on_the_executables():
    assert spec_value("NAME") == "zhutui"
    assert spec_value("CLI_NAME") + ".exe" == CLI_EXECUTABLE  # the console twin runs background work


# --------------------------------------------------------------------------- Windows installer


def test_the_windows_scripts_are_utf8_with_bom_and_crlf():
    for path in (ISS, PS1):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{path}: Windows tools read it as ANSI without the BOM"
        assert raw.count(b"\n") == raw.count(b"\r\n"), f"{path}: CRLF line ends"


def test_the_iss_agrees_with_the_spec_and_the_app():
    defines = iss_defines()
    setup = iss_setup()
    assert defines["AppName"] == APP_TITLE
    assert defines["AppExeName"] == spec_value("NAME") + ".exe"
    assert defines["CliExeName"] == spec_value("CLI_NAME") + ".exe"
    assert defines["BundleExt"] == SUFFIX
    assert defines["SourceDir"].replace("\\", "/") == f"../../dist/{spec_value('NAME')}"
    # One version number: none written here, the package's passed in by build.ps1.
    assert setup["AppVersion"] == "{#AppVersion}" and "#error" in ISS.read_text(encoding="utf-8-sig")
    assert not re.search(r"\b\d+\.\d+\.\d+\b", ISS.read_text(encoding="utf-8-sig"))
    # Per user, no administrator rights, under %LOCALAPPDATA%\Programs.
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"].startswith("{localappdata}\\Programs\\")
    assert (ISS.parent / setup["SetupIconFile"].replace("\\", "/")).resolve() == (ROOT / spec_value("ICON")).resolve()
    assert setup["ChangesAssociations"] == "yes"
    assert any('MessagesFile: "compiler:Languages\\ChineseSimplified.isl"' in line for line in iss_section("Languages"))


def test_the_iss_makes_both_shortcuts_and_opens_bundles_with_the_app():
    icons = [expand(line) for line in iss_section("Icons")]
    assert any(line.startswith(f'Name: "{{autoprograms}}\\{APP_TITLE}"') for line in icons)
    assert any(line.startswith(f'Name: "{{autodesktop}}\\{APP_TITLE}"') for line in icons)
    assert all('Filename: "{app}\\zhutui.exe"' in line for line in icons)
    registry = [expand(line) for line in iss_section("Registry")]
    assert all(line.startswith("Root: HKA;") for line in registry)  # the user's own hive: no admin
    assert any(f'Subkey: "Software\\Classes\\{SUFFIX}"' in line for line in registry)
    command = next(line for line in registry if "shell\\open\\command" in line)
    assert 'ValueData: """{app}\\zhutui.exe"" ""%1"""' in command  # zhutui FILE.zhutui: the import preview


def test_the_uninstaller_keeps_the_users_workspace():
    data = iss_defines()["DataFolder"]
    assert data == "{localappdata}\\zhutui\\zhutui"  # platformdirs' folder on Windows (paths.py)
    for section in ("UninstallDelete", "InstallDelete"):
        for line in iss_section(section):
            assert "{app}" in line and "{localappdata}\\zhutui" not in expand(line), line


def test_build_ps1_uses_the_spec_the_iss_and_the_packages_version():
    text = PS1.read_text(encoding="utf-8-sig")
    assert "installer\\zhutui.spec" in text and "installer\\windows\\zhutui.iss" in text
    assert "zhutui.__version__" in text and '"/DAppVersion=$version"' in text
    assert "installer\\smoke_test.py" in text and "zhutui-cli.exe" in text


# --------------------------------------------------------------------------- one version


def test_one_version_number():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "zhutui.__version__"}
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## (\S+)", changelog, flags=re.MULTILINE)
    assert first and first.group(1) == __version__  # the newest entry is this version


# --------------------------------------------------------------------------- the wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONWARNINGS="ignore"),
    )
    (path,) = out.glob("zhutui-*.whl")
    return path


def test_the_wheel_holds_one_package_with_its_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"zhutui", f"zhutui-{__version__}.dist-info"}  # no top-level "app"
    for shipped in (
        "forms/patent.yaml",
        "forms/project.yaml",
        "forms/rules.yaml",
        "forms/plans/2022.yaml",
        "resources/styles/app.qss",
        "resources/icons/zhutui.png",
    ):
        assert f"zhutui/{shipped}" in names
    packaged = {n.rsplit("/", 1)[0] for n in names if n.endswith("/__init__.py")}
    in_repo = {
        ("zhutui/" + p.parent.relative_to(ROOT / "app").as_posix()).rstrip("/.")
        for p in (ROOT / "app").rglob("__init__.py")
    }
    assert packaged == in_repo  # every subpackage listed in pyproject.toml


def test_the_installed_wheel_works_from_another_folder(wheel, tmp_path):
    """A fresh virtual environment, the wheel installed (not editable) with its dependencies,
    used from a folder that is not the checkout: the plans, a demo batch to PDFs, tables, a mail
    package and a bundle, and the window."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    assert not (site / "app").exists() and (site / "zhutui" / "forms" / "patent.yaml").is_file()
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZHUTUI_WORKSPACE")}
    env.update(ZHUTUI_DATA_DIR=str(tmp_path / "数据"), QT_QPA_PLATFORM="offscreen")
    zhutui = venv / "bin" / "zhutui"

    def run(*args, expect=0):
        proc = subprocess.run([str(zhutui), *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == expect, f"zhutui {args}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        return proc.stdout

    assert run("--version").strip() == f"zhutui {__version__}"
    plans = run("plans")
    assert "2021" in plans and "2022  2022-11-01" in plans
    assert f"表单定义：{site / 'zhutui' / 'forms'}" in run("about")
    run("demo", "批次", "--patents", "2", "--projects", "1")
    run("check", "批次", "--today", TODAY)
    run("render", "批次", "--out", "打印", "--today", TODAY)
    run("summary", "批次", "--out", "打印", "--today", TODAY)
    run("package", "批次", "--out", "邮件", "--today", TODAY)
    run("bundle", "export", "批次", "--out", "交接包.zhutui")
    assert (elsewhere / "打印" / "打印全部.pdf").is_file() and list((elsewhere / "邮件").glob("*.zip"))
    assert len(list((elsewhere / "打印").glob("附件[24]_*.xlsx"))) == 2
    module = subprocess.run(
        [str(python), "-m", "zhutui", "--version"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert module.stdout.strip() == f"zhutui {__version__}"
    shown = subprocess.run(
        [str(zhutui)],
        cwd=elsewhere,
        env=dict(env, ZHUTUI_QUIT_WHEN_SHOWN="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0 and "shown" in shown.stdout, shown.stderr


# --------------------------------------------------------------------------- the frozen bundle


def test_the_frozen_bundle_is_built_and_proven_by_running_it(tmp_path):
    """installer/build.sh (set-up skipped: the suite's own set-up did it), which runs
    installer/smoke_test.py on the result: every step of the pipeline, the background child,
    the keyring backends, the window on Xvfb and a second launch."""
    dist, shot = tmp_path / "dist", tmp_path / "窗口.png"
    proc = subprocess.run(
        [
            "bash",
            str(ROOT / "installer" / "build.sh"),
            "--no-setup",
            "--dist",
            str(dist),
            "--work",
            str(tmp_path / "build"),
            "--shot",
            str(shot),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "the bundle works" in proc.stdout and shot.is_file()
    bundle = dist / "zhutui"
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*")]
    assert "_internal/zhutui/forms/plans/2022.yaml" in files and "_internal/zhutui/resources/icons/zhutui.png" in files
    assert any(f.endswith("translations/qtbase_zh_CN.qm") for f in files)
    assert not [f for f in files if f.endswith(".qm") and "_zh_CN" not in f]  # Chinese only
    unwanted = [f for f in files if re.search(r"libgtk-3|libqgtk3|WebEngine|libQt6Qml|libQt6Quick", f)]
    assert not unwanted, unwanted
