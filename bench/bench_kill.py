"""Benchmark: kill -9 at random moments, then count what was lost.

Three campaigns, each against a real workspace (encrypted, with a key in the suite's secret
store, as on a user's PC):

* store: a process edits one application through ``Workspace`` (each edit appends its number to a
  list, and a new application is created every tenth edit) and prints each number once the edit
  returned (it is committed then). It is killed (SIGKILL) at a random moment. Every edit printed
  must be there after reopening; at most the one in flight may be there unprinted.
* window: the real window (offscreen) makes the same edits through its session, on a timer, and
  is killed the same way.
* restore: a restore of a backup is killed at a random moment; the next start (``recovery``)
  must find either the old workspace or the restored one, whole.

After every kill: ``PRAGMA integrity_check`` is ok and the workspace opens. Prints, per campaign:
kills, edits saved and found, lost, extra (committed but killed before it was printed), and for
restore how often the old or the new workspace was found.

Run:  .venv/bin/python bench/bench_kill.py [--store 200] [--window 20] [--restore 50] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tests.conftest  # noqa: E402, F401 - the suite's secret store, shared with the children
from tests.conftest import VALID_PATENT, make_scans, write_json  # noqa: E402
from zhutui.bundle.backup import make_backup  # noqa: E402
from zhutui.workspace import recovery  # noqa: E402
from zhutui.workspace.store import Workspace  # noqa: E402

STORE_EDITOR = textwrap.dedent("""
    import sys
    from zhutui.workspace.store import Workspace
    folder, app_id, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ws = Workspace(folder)
    print("ready", flush=True)
    done = ws.record(app_id).data.get("kill", {}).get("n", [])
    for i in range(start, start + 100000):
        done = done + [i]
        ws.set_field(app_id, "kill.n", done)
        if i % 10 == 0:
            ws.create("patent", 2022, {"kill": {"made": i}})
        print(i, flush=True)
""")

WINDOW_EDITOR = textwrap.dedent("""
    import datetime as dt, sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from zhutui.gui.main import application, build
    folder, app_id, start = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    qapp = application()
    window, session = build(dt.date(2022, 10, 10), folder)
    window.show()
    state = {"i": start, "done": session.ws.record(app_id).data.get("kill", {}).get("n", [])}
    print("ready", flush=True)

    def edit():
        i = state["i"]
        state["done"] = state["done"] + [i]
        session.set_field(app_id, "kill.n", state["done"])
        print(i, flush=True)
        state["i"] += 1

    timer = QTimer()
    timer.timeout.connect(edit)
    timer.start(0)
    qapp.exec()
""")

RESTORER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from zhutui.bundle.backup import restore
    print("ready", flush=True)
    restore(Path(sys.argv[1]), Path(sys.argv[2]), backups=Path(sys.argv[3]))
    print("restored", flush=True)
""")


def _run_and_kill(
    script: str, args: list[str], rng: random.Random, window_s: float, env: dict[str, str] | None = None
) -> list[str]:
    """Start ``script``; once it says ready, let it work for a random time, then SIGKILL it.
    Returns the lines it printed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not ready.wait(60):
        proc.kill()
        raise SystemExit(f"the child never started: {proc.stderr.read() if proc.stderr else ''}")
    time.sleep(rng.uniform(0, window_s))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    reader.join(5)
    return [x for x in lines if x != "ready"]


def _check(folder: Path) -> tuple[bool, list[int], set[int]]:
    """Integrity, the appended numbers of application 1 and the ``made`` marks of the others."""
    with Workspace(folder) as ws:
        ok = ws.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        records = ws.records()
        numbers = next(r for r in records if r.id == 1).data.get("kill", {}).get("n", [])
        made = {r.data["kill"]["made"] for r in records if r.id != 1 and "made" in r.data.get("kill", {})}
    return ok, numbers, made


def edit_campaign(
    name: str,
    script: str,
    kills: int,
    folder: Path,
    rng: random.Random,
    window_s: float,
    env: dict[str, str] | None = None,
) -> dict[str, int]:
    figures = dict(kills=0, saved=0, found=0, lost=0, extra=0, integrity_failures=0)
    start = 0
    for _ in range(kills):
        printed = [
            int(x) for x in _run_and_kill(script, [str(folder), "1", str(start)], rng, window_s, env) if x.isdigit()
        ]
        ok, numbers, made = _check(folder)
        figures["kills"] += 1
        figures["integrity_failures"] += not ok
        expected = set(range(0, printed[-1] + 1)) if printed else set(range(start))
        present = set(numbers)
        figures["saved"] += len(printed)
        figures["found"] += len(present & set(printed))
        figures["lost"] += len(expected - present)
        figures["extra"] += len(present - expected)
        if name == "store":
            figures["lost"] += len({i for i in printed if i % 10 == 0} - made)
        start = max(numbers, default=-1) + 1
    return figures


def restore_campaign(kills: int, base: Path, rng: random.Random) -> dict[str, int]:
    figures = dict(kills=0, old=0, new=0, neither=0, integrity_failures=0)
    src = base / "src"
    make_scans(src)
    folder, backups = base / "restore-ws", base / "restore-backups"
    with Workspace(folder) as ws:
        ws.import_file(write_json(src, "a.json", VALID_PATENT))
        for i in range(20):
            ws.create("patent", 2022, {"kill": {"made": i}})
        backup = make_backup(ws, base / "restore-source").path  # 21 applications
    with Workspace(folder) as ws:
        for record in ws.records()[1:]:
            ws.delete(record.id)  # the old workspace: 1 application
    old_count = 1
    for _ in range(kills):
        _run_and_kill(RESTORER, [str(backup), str(folder), str(backups)], rng, 1.0)
        recovery.recover(folder)  # what the next start does
        with Workspace(folder) as ws:
            count = len(ws.records())
            ok = ws.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        figures["kills"] += 1
        figures["integrity_failures"] += not ok
        key = "old" if count == old_count else "new" if count == 21 else "neither"
        figures[key] += 1
        if key == "new":  # back to the old state for the next round
            with Workspace(folder) as ws:
                for record in ws.records()[1:]:
                    ws.delete(record.id)
        shutil.rmtree(backups, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=int, default=200)
    parser.add_argument("--window", type=int, default=20)
    parser.add_argument("--restore", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="zhutui-kill-") as tmp:
        base = Path(tmp)
        os.environ["ZHUTUI_DATA_DIR"] = str(base / "data")
        results = {}
        for name, script, kills, window_s, env in (
            ("store", STORE_EDITOR, args.store, 0.3, None),
            ("window", WINDOW_EDITOR, args.window, 1.0, dict(os.environ, QT_QPA_PLATFORM="offscreen")),
        ):
            folder = base / f"{name}-ws"
            make_scans(base / name)
            with Workspace(folder) as ws:
                ws.import_file(write_json(base / name, "a.json", VALID_PATENT))
            started = time.monotonic()
            results[name] = edit_campaign(name, script, kills, folder, rng, window_s, env)
            results[name]["seconds"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        results["restore"] = restore_campaign(args.restore, base, rng)
        results["restore"]["seconds"] = round(time.monotonic() - started, 1)
    for name, figures in results.items():
        print(f"{name:8s} " + "  ".join(f"{k} {v}" for k, v in figures.items()))
    bad = sum(r.get("lost", 0) + r.get("integrity_failures", 0) + r.get("neither", 0) for r in results.values())
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
