"""Prove a built bundle by running it, as a user would, from another folder on a fresh data folder.

    .venv/bin/python installer/smoke_test.py dist/zhutui/zhutui [--shot FILE.png] [--keep DIR]

Runs the frozen executable (or any ``zhutui`` command given, e.g. an installed wheel's): the
plans, ``about`` (which must find the forms inside the bundle), a demo batch through check, ocr
(the OCR engine and its models), render, summary, package, bundle export and import, the
background child the window renders in, the keyring backends (under a D-Bus session with
gnome-keyring where installed), and the window on a virtual screen (Xvfb on Linux), whose
screenshot it saves; then a second launch, which must hand its bundle to the first window and
quit. Every step must exit 0. Prints one line per step; exits 1 with the step's output when one
fails. installer/build.sh runs it after each build; tests/test_installer.py runs build.sh.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2022-10-10"
TIMEOUT = 300


class StepFailed(Exception):
    pass


class Smoke:
    def __init__(self, command: list[str], work: Path, shot: Path | None):
        self.command = command
        self.work = work
        self.shot = shot
        self.env = dict(os.environ, ZHUTUI_DATA_DIR=str(work / "数据"), LANG="C.UTF-8")
        for key in (
            "ZHUTUI_WORKSPACE",
            "PYTHONPATH",
            "ZHUTUI_QUIT_WHEN_SHOWN",
            "ZHUTUI_SCREENSHOT",
            "PYTHON_KEYRING_BACKEND",
        ):
            self.env.pop(key, None)

    def run(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        wrap: list[str] | None = None,
        expect: int = 0,
        stdin: str | None = None,
    ) -> subprocess.CompletedProcess:
        started = time.monotonic()
        proc = subprocess.run(
            [*(wrap or []), *self.command, *args],
            cwd=self.work,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            input=stdin,
        )
        took = time.monotonic() - started
        if proc.returncode != expect:
            raise StepFailed(
                f"zhutui {' '.join(args)}: exit {proc.returncode} (expected {expect})\n"
                f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
            )
        print(f"ok  zhutui {' '.join(args)[:70]}  ({took:.1f} s)", flush=True)
        return proc

    def check(self, condition: bool, what: str) -> None:
        if not condition:
            raise StepFailed(what)

    # ------------------------------------------------------------------ steps

    def pipeline(self) -> None:
        version = self.run("--version").stdout
        self.check(version.startswith("zhutui "), f"--version printed {version!r}")
        plans = self.run("plans").stdout
        self.check("2021" in plans and "2022" in plans, f"plans lists no shipped plan:\n{plans}")
        about = self.run("about").stdout
        forms_line = next((line for line in about.splitlines() if line.startswith("表单定义：")), "")
        self.check(bool(forms_line), f"about names no forms folder:\n{about}")
        self.run("demo", "批次", "--patents", "3", "--projects", "1")
        self.run("check", "批次", "--today", TODAY)
        # The OCR engine and its models inside the bundle, offline: the demo's first certificate.
        certificate = sorted((self.work / "批次").glob("发明专利/*/专利证书.*"))[0]
        read = self.run("ocr", str(certificate), "--format", "json").stdout
        self.check('"patent.number"' in read and '"ZL' in read, f"ocr read no patent number:\n{read}")
        self.run("check", "批次", "--today", TODAY, "--read-certificates")
        self.run("render", "批次", "--out", "打印", "--today", TODAY, "--docx")
        combined = self.work / "打印" / "打印全部.pdf"
        self.check(combined.is_file() and combined.stat().st_size > 10_000, f"no {combined}")
        # python-docx builds on its template (word/document.xml …) inside the bundle.
        self.check(len(list((self.work / "打印").glob("附件*.docx"))) == 4, "render --docx wrote no Word files")
        self.run("summary", "批次", "--out", "打印", "--today", TODAY)
        self.check(len(list((self.work / "打印").glob("附件[24]_*.xlsx"))) == 2, "summary wrote no 附件2 / 附件4")
        self.run("package", "批次", "--out", "邮件", "--today", TODAY)
        self.check(bool(list((self.work / "邮件").glob("*/*.eml"))), "package wrote no .eml")
        self.check(bool(list((self.work / "邮件").glob("*.zip"))), "package wrote no .zip")
        self.run("bundle", "export", "批次", "--out", "交接包.zhutui")
        self.run("bundle", "import", "交接包.zhutui")
        self.run("check", str(self.work / "数据" / "workspace"), "--today", TODAY)
        # Sealing (cryptography: a bundle is checked in a temporary, encrypted workspace) and
        # WinZip AES (pyzipper): both must be in the bundle.
        self.run("bundle", "export", "批次", "--out", "有密码.zhutui", "--password-stdin", stdin="区总工会2022\n")
        self.run("check", "有密码.zhutui", "--today", TODAY, env=dict(self.env, ZHUTUI_BUNDLE_PASSWORD="区总工会2022"))

    def background_child(self) -> None:
        """The window renders in a child process: in a bundle, the bundle itself with a flag."""
        try:
            from zhutui.background import CHILD_FLAG, run_in_process
            from zhutui.pipeline import render_workspace
            from zhutui.workspace.store import Workspace
        except ImportError:
            print("--  background child: zhutui is not importable here, not checked", flush=True)
            return
        folder = self.work / "数据" / "workspace"
        # This process opens the bundle's workspace too: with the secret store the bundle sees
        # (keyring's own choice here, as in self.env), or it would seal it with a key the
        # bundle can't reach.
        os.environ.pop("PYTHON_KEYRING_BACKEND", None)
        os.environ["ZHUTUI_DATA_DIR"] = self.env["ZHUTUI_DATA_DIR"]
        with Workspace(folder) as ws:
            ids = [r.id for r in ws.records()]
        out = self.work / "窗口打印"
        started = time.monotonic()
        result, tables = run_in_process(
            render_workspace,
            (folder, ids, out, _date(TODAY), False),
            progress=lambda *a: None,
            cancelled=lambda: False,
            command=[*self.command, CHILD_FLAG],
        )
        self.check(
            len(result.forms) == len(ids) and (out / "打印全部.pdf").is_file() and tables,
            f"the background child rendered {len(result.forms)} of {len(ids)}",
        )
        print(
            f"ok  background child rendered {len(ids)} applications  ({time.monotonic() - started:.1f} s)", flush=True
        )

    def keyring(self) -> None:
        out = self.run("about").stdout
        line = next((line for line in out.splitlines() if line.startswith("已包含的保管库后端：")), "")
        missing = [b for b in ("Windows", "macOS", "SecretService", "libsecret", "kwallet") if b not in line]
        self.check(not missing, f"keyring backends missing from the bundle: {missing}\n{out}")
        if sys.platform != "linux" or not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
            print("--  Secret Service: no dbus-run-session / gnome-keyring here, not checked", flush=True)
            return
        script = "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec " + " ".join(
            _quote(c) for c in [*self.command, "about"]
        )
        out = self.run("about", wrap=["dbus-run-session", "--", "sh", "-c", script, "sh"]).stdout
        self.check(
            "keyring.backends.SecretService.Keyring（可用）" in out,
            f"keyring found no Secret Service in the bundle (entry points missing?):\n{out}",
        )

    def window(self) -> None:
        with virtual_screen() as env_display:
            env = dict(self.env, **env_display)
            shot = self.shot or self.work / "窗口.png"
            out = self.run(env=dict(env, ZHUTUI_SCREENSHOT=str(shot))).stdout
            self.check("screenshot" in out and shot.is_file(), f"no screenshot: {out}")
            self.check(_colours(shot) > 16, f"the screenshot {shot} is blank")
            print(f"ok  window shown and saved: {shot}", flush=True)
            # A second launch hands its file to the first window and quits.
            first = subprocess.Popen(
                self.command, cwd=self.work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            try:
                time.sleep(1)
                deadline = time.monotonic() + 30
                while True:
                    proc = subprocess.run(
                        [*self.command, "交接包.zhutui"],
                        cwd=self.work,
                        env=env,
                        capture_output=True,
                        text=True,
                        timeout=60,
                    )
                    if proc.returncode == 0 or time.monotonic() > deadline:
                        break
                    time.sleep(0.5)
                self.check(proc.returncode == 0, f"second launch: exit {proc.returncode}\n{proc.stdout}{proc.stderr}")
                self.check(first.poll() is None, "the first window quit when the second launch arrived")
                print("ok  second launch handed its bundle to the first window", flush=True)
            finally:
                first.terminate()
                first.wait(timeout=30)


def _date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _colours(png: Path) -> int:
    try:
        from PIL import Image
    except ImportError:
        return 1000
    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=100_000)
    return len(colours) if colours is not None else 100_000


class virtual_screen:  # noqa: N801 - used as a context manager
    """An Xvfb display at 1366×768 (a common office laptop) on Linux; nothing elsewhere."""

    def __enter__(self) -> dict[str, str]:
        self.proc = None
        if sys.platform != "linux":
            return {}
        if not shutil.which("Xvfb"):
            raise StepFailed("Xvfb is missing: bash installer/setup.sh build installs it")
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as fh:
            number = fh.readline().strip()
        if not number:
            raise StepFailed("Xvfb did not start")
        return {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("executable", help="the bundle's zhutui (or any zhutui command)")
    parser.add_argument("--shot", type=Path, help="where to save the window's screenshot")
    parser.add_argument("--keep", type=Path, help="work in this (new) folder and keep it")
    args = parser.parse_args(argv)
    executable = Path(args.executable).absolute()
    if not executable.exists():
        print(f"no such executable: {executable}", file=sys.stderr)
        return 1
    work = args.keep or Path(tempfile.mkdtemp(prefix="zhutui-smoke-"))
    work.mkdir(parents=True, exist_ok=True)
    smoke = Smoke([str(executable)], work.absolute(), args.shot and args.shot.absolute())
    try:
        smoke.pipeline()
        smoke.background_child()
        smoke.keyring()
        smoke.window()
    except (StepFailed, subprocess.TimeoutExpired) as exc:
        print(f"FAILED  {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"the bundle works: {executable}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
