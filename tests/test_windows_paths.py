"""The Windows code paths, exercised on Linux by parameterising them: fonts under %WINDIR%\\Fonts,
the keyring backend, the data folder under %LOCALAPPDATA%, output paths under the 260-character
limit with long Chinese names, no reserved device names, and .txt files Notepad reads."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from keyring.backends import fail

from tests.conftest import TODAY, VALID_PATENT, VALID_PROJECT, make_scans, write_json
from zhutui import appfile, fonts, winpath
from zhutui.mailpack import secrets
from zhutui.mailpack.package import build_package
from zhutui.naming import safe_name
from zhutui.outputs.render import render_batch
from zhutui.outputs.summary import write_summaries
from zhutui.paths import platform_data_dir
from zhutui.plans import load_plans
from zhutui.workspace.store import Workspace

SYSTEM_FONTS = Path("/usr/share/fonts/truetype")


# --------------------------------------------------------------------------- fonts


def _fake_windows(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A Windows folder with SimSun, SimHei and FangSong (stand-ins: the Debian fonts under the
    Windows file names) and a user's own font folder."""
    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    song = SYSTEM_FONTS / "arphic" / "uming.ttc"
    hei = SYSTEM_FONTS / "wqy" / "wqy-zenhei.ttc"
    assert song.exists() and hei.exists(), "installer/setup.sh installs fonts-arphic-uming and fonts-wqy-zenhei"
    (windir / "Fonts" / "simsun.ttc").symlink_to(song)
    (windir / "Fonts" / "simhei.ttf").symlink_to(hei)
    (windir / "Fonts" / "simfang.ttf").symlink_to(song)
    local = tmp_path / "张三" / "AppData" / "Local"
    (local / "Microsoft" / "Windows" / "Fonts").mkdir(parents=True)
    return {"WINDIR": str(windir), "LOCALAPPDATA": str(local)}, windir


def test_windows_fonts_come_from_windir_first(tmp_path):
    env, windir = _fake_windows(tmp_path)
    dirs = fonts.search_dirs("win32", env, home=tmp_path / "张三")
    assert dirs[:2] == [windir / "Fonts", Path(env["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts"]
    assert not any(str(d).startswith("/usr/share") for d in dirs)  # no Linux folders on Windows
    chosen = fonts._find_fonts(tuple(dirs))
    assert {role: f.path.name for role, f in chosen.items()} == {
        "song": "simsun.ttc",
        "hei": "simhei.ttf",
        "fang": "simfang.ttf",
    }
    assert all(f.path.parent == windir / "Fonts" for f in chosen.values())


def test_windows_without_chinese_fonts_says_what_to_install(tmp_path):
    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    dirs = fonts.search_dirs("win32", {"WINDIR": str(windir), "LOCALAPPDATA": str(tmp_path / "L")}, tmp_path)
    with pytest.raises(fonts.FontError) as exc:
        fonts._find_fonts(tuple(d for d in dirs if "resources" not in str(d)))
    assert "simsun.ttc" in exc.value.message and "C:\\Windows\\Fonts" in exc.value.message


def test_a_users_own_font_folder_counts_on_windows(tmp_path):
    env, windir = _fake_windows(tmp_path)
    for f in (windir / "Fonts").iterdir():
        f.unlink()
    user_fonts = Path(env["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts"
    (user_fonts / "simsun.ttc").symlink_to(SYSTEM_FONTS / "arphic" / "uming.ttc")
    chosen = fonts._find_fonts(tuple(fonts.search_dirs("win32", env, tmp_path)))
    assert chosen["song"].path == user_fonts / "simsun.ttc"


# --------------------------------------------------------------------------- keyring


@pytest.mark.parametrize(
    ("platform", "module", "cls"),
    [
        ("win32", "keyring.backends.Windows", "WinVaultKeyring"),
        ("darwin", "keyring.backends.macOS", "Keyring"),
    ],
)
def test_the_platforms_own_secret_store_is_asked_for_by_name(platform, module, cls):
    import importlib

    name = secrets.preferred_backend(platform)
    assert name == f"{module}.{cls}"
    assert module in secrets.BACKEND_MODULES
    assert isinstance(getattr(importlib.import_module(module), cls), type)


def test_linux_keeps_keyrings_own_choice():
    assert secrets.preferred_backend("linux") is None


def test_without_a_usable_store_the_fail_backend_stays(monkeypatch):
    """On Linux the Windows store can't load: the app says there is no store (not a crash)."""
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
        assert isinstance(secrets.backend("win32"), fail.Keyring)
        with pytest.raises(secrets.NoSecretStore):
            secrets.get_secret("someone@163.com")
    finally:
        keyring.set_keyring(previous)


# --------------------------------------------------------------------------- data folder


def test_windows_data_folder_is_local_appdata(monkeypatch):
    local = r"C:\Users\张三\AppData\Local"
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", local)  # platformdirs' own override
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", r"C:\Users\张三\AppData\Roaming")
    folder = str(platform_data_dir("win32"))
    assert folder.startswith(local) and "Roaming" not in folder
    assert folder.replace("\\", "/").endswith("Local/zhutui/zhutui")


def test_linux_data_folder_is_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert platform_data_dir("linux") == tmp_path / "share" / "zhutui"


# --------------------------------------------------------------------------- path limit

LONG_UNION = "北京市朝阳区某某高新技术产业开发区精密机械装备制造集团有限公司第一分公司数控加工中心联合工会委员会"
LONG_STUDIO = "北京市朝阳区某某高新技术产业开发区精密机械装备制造集团有限公司第一分公司王建国劳模创新工作室"


def _deep_folder(tmp_path: Path, total: int) -> Path:
    """A folder whose absolute path is about ``total`` characters long (Chinese names)."""
    folder = tmp_path
    while winpath.units(str(folder.absolute())) < total - 20:
        folder = folder / "二〇二二年职工创新助推申报材料"
    return folder


def _long_batch(folder: Path) -> list[Path]:
    make_scans(folder)
    patent = copy.deepcopy(VALID_PATENT)
    patent["unit_union"]["name"] = LONG_UNION
    patent["inventor"]["name"] = patent["patent"]["inventors"][0] = "欧阳王建国"
    project = copy.deepcopy(VALID_PROJECT)
    project["unit_union"]["name"] = LONG_UNION
    project["studio"]["name"] = LONG_STUDIO
    return [write_json(folder, "a.json", patent), write_json(folder, "b.json", project)]


def _every_path(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*")]


@pytest.mark.parametrize("depth", [120, 180])
def test_outputs_stay_under_windows_path_limit_with_long_chinese_names(tmp_path, depth):
    source = tmp_path / "源"
    source.mkdir()
    plans = load_plans()
    apps = [appfile.load(p, plans) for p in _long_batch(source)]
    out = _deep_folder(tmp_path / "出", depth)
    render = render_batch(apps, out / "打印", TODAY)
    tables = write_summaries(apps, out / "打印", TODAY)
    package = build_package(apps, out / "邮件", TODAY)
    with Workspace(tmp_path / "ws") as ws:
        exported = [ws.export_into(ws.import_file(p), out / "导出") for p in _long_batch(tmp_path / "源2")]
    written = _every_path(out)
    assert len(render.forms) == 2 and len(tables) == 2 and package.folder and len(exported) == 2
    too_long = [(winpath.path_units(p), p) for p in written if winpath.path_units(p) > winpath.MAX_PATH]
    assert not too_long, too_long
    # The names were shortened, not dropped: each still says what it is.
    names = {p.name for p in written}
    assert any(n.startswith("附件1_") and n.endswith(".pdf") for n in names)
    assert any(n.startswith("附件4_") and n.endswith(".xlsx") for n in names)
    assert package.folder.name.startswith("2022年职工创新助推_北京市")


def test_the_same_batch_in_a_short_folder_keeps_its_full_names(tmp_path):
    source = tmp_path / "源"
    source.mkdir()
    plans = load_plans()
    apps = [appfile.load(p, plans) for p in _long_batch(source)]
    tables = write_summaries(apps, tmp_path / "出", TODAY)
    assert tables[0].name == f"附件2_职工创新发明专利助推汇总表_{safe_name(LONG_UNION)}.xlsx"


def test_fit_name_counts_utf16_units_and_keeps_a_minimum(tmp_path):
    folder = tmp_path / ("长" * 40)
    name = winpath.fit_name(folder, "附件1_" + "𠀀" * 300, ".pdf")  # outside the BMP: 2 units each
    assert winpath.path_units(folder / name) <= winpath.MAX_PATH and name.endswith(".pdf")
    hopeless = Path("/" + "深" * 300)
    assert winpath.fit_name(hopeless, "附件1_职工创新发明专利助推申报表", ".pdf") == "附件1_职工.pdf"


# --------------------------------------------------------------------------- reserved names


@pytest.mark.parametrize(
    "text",
    [
        "CON",
        "con",
        "PRN",
        "AUX",
        "NUL",
        "nul.txt",
        "COM1",
        "com9.pdf",
        "LPT1",
        "LPT¹",
        "CON.",
        "CON ",
        " AUX ",
        "conin$",
    ],
)
def test_no_reserved_device_name_from_user_text(text):
    name = safe_name(text)
    assert not winpath.is_reserved(name), name
    assert not name.endswith((".", " "))
    assert name.split(".")[0].upper().rstrip("_") == text.strip(" .").split(".")[0].upper()


@pytest.mark.parametrize("text", ["CONSOLE", "COM10", "LPT0", "北京CON", "AUXILIARY.txt"])
def test_ordinary_names_that_look_alike_are_kept(text):
    assert safe_name(text) == text


def test_an_application_named_con_exports_and_its_package_folder_is_not_a_device(tmp_path, workdir):
    patent = copy.deepcopy(VALID_PATENT)
    patent["unit_union"]["name"] = "NUL"
    path = write_json(workdir, "nul.json", patent)
    with Workspace(tmp_path / "ws") as ws:
        app_id = ws.import_file(path)
        target = ws.export_into(app_id, tmp_path / "导出")
    assert not winpath.is_reserved(target.name)
    package = build_package([appfile.load(path, load_plans())], tmp_path / "邮件", TODAY)
    assert all(not winpath.is_reserved(p.name) for p in _every_path(tmp_path / "邮件"))
    assert package.folder is not None


def test_trailing_dots_and_spaces_are_removed():
    assert safe_name("北京精工机床有限公司工会. . ") == "北京精工机床有限公司工会"
    assert winpath.fit_name(Path("/x"), "附件1_" + "名" * 300 + ".", "").endswith("名")


# --------------------------------------------------------------------------- Notepad


def test_txt_outputs_are_utf8_with_bom_and_crlf(tmp_path, workdir):
    path = write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT))
    package = build_package([appfile.load(path, load_plans())], tmp_path / "邮件", TODAY)
    raw = (package.folder / "邮件正文.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") > 5 and raw.count(b"\n") == raw.count(b"\r\n")
    assert b"\r\r" not in raw
    assert "收件人：jscxfwb@163.com" in raw.decode("utf-8-sig")


def test_notepad_bytes_normalises_any_line_ends():
    assert winpath.notepad_bytes("一\n二\r\n三\r四") == "\ufeff一\r\n二\r\n三\r\n四".encode()
