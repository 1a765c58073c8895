"""Personal data at rest: sealed in the workspace and its backups, a password on hand-over
bundles when wanted, private files, deleted applications purged; and every file the app wrote
searched for the ID, card and phone numbers it was given."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests import keyring_file
from tests.conftest import VALID_PATENT, VALID_PROJECT, make_scans, write_json
from zhutui.bundle.archive import BundleError, PasswordNeeded, open_bundle
from zhutui.bundle.backup import list_backups, make_backup, restore
from zhutui.bundle.exchange import export_bundle
from zhutui.workspace import db, recovery, vault
from zhutui.workspace.store import Workspace

ID = VALID_PATENT["inventor"]["id_number"]
CARD = VALID_PATENT["inventor"]["union_card_no"]
PHONE = VALID_PROJECT["studio"]["leader"]["phone"]
SECRETS = [ID, CARD, PHONE, "王建国"]


def secrets_in(root: Path, secrets=SECRETS) -> list[tuple[Path, str]]:
    """Each (file, secret) where a file under ``root`` holds the secret, in UTF-8 or UTF-16."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            raw = path.read_bytes()
            found += [(path, s) for s in secrets if s.encode() in raw or s.encode("utf-16-le") in raw]
    return found


@pytest.fixture
def no_store():
    """A machine without a secret store (a bare Linux); this process forgets the keys it had."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    vault._KEYS.clear()
    yield
    keyring.set_keyring(previous)


def _filled(folder: Path, workdir: Path) -> Workspace:
    ws = Workspace(folder)
    ws.import_file(write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)))
    ws.import_file(write_json(workdir, "b.json", copy.deepcopy(VALID_PROJECT)))
    ws.set_setting("union", {"unit_union.phone": PHONE})
    return ws


def test_a_workspace_keeps_its_personal_data_sealed_with_the_key_in_the_secret_store(tmp_path, workdir):
    with _filled(tmp_path / "ws", workdir) as ws:
        assert ws.vault.mode == vault.KEYRING and ws.vault.warning is None
        assert ws.attachments(ws.records()[0].id)[0].original_name == "cert.jpg"
        raw = ws.con.execute("SELECT data FROM applications").fetchone()[0]
        assert raw.startswith(vault.PREFIX)
        key_id = ws.vault.key_id
    assert secrets_in(tmp_path / "ws") == []
    assert keyring_file.FileKeyring().get_password(vault.SERVICE, key_id)  # the key: only there
    vault._KEYS.clear()  # another process: the key comes from the store
    with Workspace(tmp_path / "ws") as ws:
        assert ws.records()[0].data["inventor"]["id_number"] == ID
        assert ws.setting("union") == {"unit_union.phone": PHONE}


def test_a_value_moved_to_another_column_or_changed_is_refused_not_read(tmp_path, workdir):
    with _filled(tmp_path / "ws", workdir) as ws:
        sealed = ws.con.execute("SELECT value FROM settings").fetchone()[0]
        ws.con.execute("UPDATE applications SET data = ? WHERE id = 1", (sealed,))
        with pytest.raises(Exception, match="已损坏"):
            ws.record(1)


def test_an_unencrypted_workspace_is_sealed_when_a_store_appears_and_no_old_copy_remains(tmp_path, workdir, no_store):
    folder = tmp_path / "ws"
    with _filled(folder, workdir) as ws:
        assert ws.vault.mode is None and "未加密" in ws.vault.warning
    assert secrets_in(folder)  # said plainly, and true
    shutil.copy(folder / db.DB_NAME, folder / f"{db.DB_NAME}.v1-20221001-000000.bak")  # an old migration copy
    keyring.set_keyring(keyring_file.FileKeyring())
    with Workspace(folder) as ws:
        assert ws.vault.mode == vault.KEYRING
        assert ws.records()[0].data["inventor"]["union_card_no"] == CARD
    assert secrets_in(folder) == []  # vacuumed: not in a free page, the journal or a copy


def test_a_passphrase_protects_it_where_there_is_no_store(tmp_path, workdir, no_store, run):
    folder = tmp_path / "ws"
    with _filled(folder, workdir) as ws:
        with pytest.raises(ValueError):
            ws.protect(vault.PASSPHRASE, "短")
        assert ws.protect(vault.PASSPHRASE, "职工创新2022") and ws.vault.warning is None
    assert secrets_in(folder) == []
    vault._KEYS.clear()
    with pytest.raises(vault.NeedPassphrase, match="请输入口令"):
        Workspace(folder)
    with pytest.raises(vault.NeedPassphrase, match="口令不对"):
        Workspace(folder, passphrase="职工创新2021")
    code, _, err = run("backup", "--workspace", folder, "--out", tmp_path / "b")
    assert code == 2 and "ZHUTUI_PASSPHRASE" in err
    os.environ[vault.PASSPHRASE_ENV] = "职工创新2022"
    try:
        code, out, err = run("backup", "--workspace", folder, "--out", tmp_path / "b")
    finally:
        del os.environ[vault.PASSPHRASE_ENV]
    assert code == 0, err
    assert secrets_in(tmp_path / "b") == []


def test_without_a_store_the_command_line_says_the_data_is_not_encrypted(tmp_path, workdir, no_store, run):
    with _filled(tmp_path / "ws", workdir):
        pass
    code, _, err = run("backup", "--workspace", tmp_path / "ws", "--out", tmp_path / "b")
    assert code == 0 and "未加密保存" in err
    with Workspace(tmp_path / "ws") as ws:
        ws.protect(vault.PLAIN)
    code, _, err = run("backup", "--workspace", tmp_path / "ws", "--out", tmp_path / "b")
    assert code == 0 and "您选择了不加密" in err


def test_a_lost_key_is_said_and_nothing_is_changed(tmp_path, workdir, run):
    with _filled(tmp_path / "ws", workdir) as ws:
        key_id = ws.vault.key_id
    before = (tmp_path / "ws" / db.DB_NAME).read_bytes()
    keyring_file.FileKeyring().delete_password(vault.SERVICE, key_id)
    vault._KEYS.clear()
    code, _, err = run("backup", "--workspace", tmp_path / "ws", "--out", tmp_path / "b")
    assert code == 2 and "找不到它的密钥" in err and "Traceback" not in err
    assert (tmp_path / "ws" / db.DB_NAME).read_bytes() == before


def test_backups_are_sealed_and_restore_even_into_a_new_workspace(tmp_path, workdir):
    folder = tmp_path / "ws"
    with _filled(folder, workdir) as ws:
        backup = make_backup(ws, tmp_path / "b").path
    assert secrets_in(tmp_path / "b") == []
    with pytest.raises(PasswordNeeded):
        open_bundle(backup)  # not even the manifest without the key
    shutil.rmtree(folder)  # the workspace is gone; its key is still in the store
    vault._KEYS.clear()
    result = restore(backup, folder, backups=tmp_path / "b")
    assert result.applications == 2
    with Workspace(folder) as ws:
        assert ws.vault.mode == vault.KEYRING
        assert ws.records()[0].data["inventor"]["id_number"] == ID
    assert secrets_in(folder) == []


def test_a_hand_over_bundle_can_carry_a_password(tmp_path, workdir, run):
    with _filled(tmp_path / "ws", workdir):
        pass
    out = tmp_path / "交接" / "给区总工会.zhutui"
    code, said, err = run("bundle", "export", tmp_path / "ws", "--out", out, "--password-stdin", stdin="区总工会2022\n")
    assert code == 0 and "已设密码" in said, err
    assert secrets_in(out.parent) == []
    into = tmp_path / "上级"
    code, _, err = run("bundle", "import", out, "--into", into)
    assert code == 2 and "设有密码" in err
    code, _, err = run("bundle", "import", out, "--into", into, "--password-stdin", stdin="区总工会2021\n")
    assert code == 2 and "密码不对" in err
    code, said, err = run("bundle", "import", out, "--into", into, "--password-stdin", stdin="区总工会2022\n")
    assert code == 0, err
    with Workspace(into) as ws:
        assert len(ws.records()) == 2
    os.environ["ZHUTUI_BUNDLE_PASSWORD"] = "区总工会2022"
    try:
        code, said, err = run("check", out, "--format", "json")
    finally:
        del os.environ["ZHUTUI_BUNDLE_PASSWORD"]
    assert code in (0, 1), err


def test_a_bundle_partly_encrypted_is_refused(tmp_path, workdir):
    import pyzipper

    with _filled(tmp_path / "ws", workdir) as ws:
        mixed = export_bundle(ws, [r.id for r in ws.records()], tmp_path / "a.zhutui", created_by="x").path
    with pyzipper.AESZipFile(mixed, "a", encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(b"12345678")
        zf.writestr("extra.txt", b"hidden")
    with pytest.raises(BundleError, match="只有部分文件加密"):
        open_bundle(mixed, passwords=[b"12345678"])


def test_deleted_applications_are_purged_after_the_window_that_deleted_them(tmp_path, workdir):
    folder = tmp_path / "ws"
    with _filled(folder, workdir) as ws:
        gone = ws.records()[0].id
        ws.delete(gone)
    window_start = (dt.datetime.now().astimezone() + dt.timedelta(seconds=1)).isoformat(timespec="seconds")
    assert recovery.purge_deleted(folder, window_start) == 1
    with Workspace(folder) as ws:
        assert [r.id for r in ws.records()] != [gone]
        assert ws.con.execute("SELECT COUNT(*) FROM applications WHERE id = ?", (gone,)).fetchone()[0] == 0
        assert ws.con.execute("SELECT COUNT(*) FROM attachments WHERE application_id = ?", (gone,)).fetchone()[0] == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_everything_the_app_keeps_is_private(tmp_path, workdir, run):
    data = Path(os.environ["ZHUTUI_DATA_DIR"])
    with _filled(data / "workspace", workdir) as ws:
        make_backup(ws)
    from zhutui.private import append_error_log

    append_error_log("Traceback: 王建国.jpg")
    for path in [data, *data.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o700, (path, oct(mode))
        elif not path.name.endswith(".lock"):
            assert mode & 0o077 == 0, (path, oct(mode))
    assert list_backups()


def test_grep_everything_the_app_wrote_finds_no_personal_number(tmp_path, workdir, run, qtbot):
    """A day's work through the command line and the window: every file in the data folder,
    the backups, the bundles and the temporary folders, searched for the numbers typed."""
    from tests.gui_support import make_window

    data = Path(os.environ["ZHUTUI_DATA_DIR"])
    make_scans(workdir)
    files = [
        write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT)),
        write_json(workdir, "b.json", copy.deepcopy(VALID_PROJECT)),
    ]
    window, session = make_window(qtbot, data)
    for path in files:
        session.ws.import_file(path)
    first = session.ws.records()[0].id
    session.set_field(first, "inventor.phone", "13912345678")
    session.ws.delete(session.ws.records()[1].id)
    make_backup(session.ws)
    window.close()
    temp = tmp_path / "tmp"
    temp.mkdir()
    env_tmp = {"TMPDIR": str(temp)}
    bundle = tmp_path / "out" / "交接.zhutui"
    assert (
        run("bundle", "export", data / "workspace", "--out", bundle, "--password-stdin", stdin="区总工会2022\n")[0] == 0
    )
    proc = subprocess.run(
        [sys.executable, "-m", "zhutui.cli", "check", str(bundle)],
        capture_output=True,
        text=True,
        env={**os.environ, **env_tmp, "ZHUTUI_BUNDLE_PASSWORD": "区总工会2022"},
    )
    assert proc.returncode in (0, 1), proc.stderr
    written = secrets_in(data, [*SECRETS, "13912345678"]) + secrets_in(bundle.parent) + secrets_in(temp)
    assert written == []
    assert json.loads((workdir / "a.json").read_text("utf-8"))["inventor"]["id_number"] == ID  # the user's own file


def test_a_real_secret_service_holds_the_key(tmp_path, workdir):
    """The same through gnome-keyring (the Secret Service), as Windows' Credential Manager is used."""
    if not shutil.which("dbus-run-session") or not shutil.which("gnome-keyring-daemon"):
        pytest.fail("gnome-keyring and dbus are installed by installer/setup.sh test")
    src = write_json(workdir, "a.json", copy.deepcopy(VALID_PATENT))
    make_scans(workdir)
    home, data = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "ZHUTUI_DATA_DIR": str(data),
        "LANG": "C.UTF-8",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    python = sys.executable
    code = (
        "import sys; from pathlib import Path; from zhutui.workspace.store import Workspace;"
        "from zhutui.bundle.backup import make_backup;"
        "ws = Workspace(Path(sys.argv[1])); ws.import_file(Path(sys.argv[2])); make_backup(ws);"
        "print(ws.vault.mode); ws.close();"
        "from zhutui.workspace import vault; vault._KEYS.clear();"
        "print(Workspace(Path(sys.argv[1])).records()[0].data['inventor']['id_number'])"
    )
    script = tmp_path / "run.sh"
    script.write_text(
        "set -e\nprintf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n"
        f"'{python}' -c \"{code}\" '{data / 'workspace'}' '{src}'\n"
    )
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["keyring", ID]
    assert secrets_in(data) == []
    with sqlite3.connect(data / "workspace" / db.DB_NAME) as con:
        assert dict(con.execute("SELECT name, value FROM vault"))["mode"] == "keyring"
