"""Benchmark: instructions (not seconds) of a keystroke's save and live check, and of checking a batch.

Wall-clock figures on a shared 2-core machine vary by a third from run to run; instruction
counts under ``valgrind --tool=callgrind`` are the same twice for the same code and input. So
this bench answers "is it slower than before?" exactly:

* ``keystroke``: what typing one character into a field costs outside Qt: ``Workspace.set_field``
  (the save), ``application_lenient`` (the application as checked), ``check_application`` with
  its files and ``batch_findings_of`` against the 54 others of a 50 + 5 demo workspace; the
  instructions of N keystrokes minus those of none, divided by N;
* ``check``: ``zhutui check DIR`` of N application files (a demo batch cloned as bench_check.py
  does), the whole process, start-up included.

``--against DIR`` runs the same on another checkout's ``app/`` (e.g. a ``git worktree`` of an
older commit) and prints both, so a change can be judged before and after on one machine.

Run:  .venv/bin/python bench/bench_instructions.py [--keystrokes 100] [--n 1000] [--against /tmp/old]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IMPORT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from zhutui.workspace.store import Workspace

    with Workspace(Path(sys.argv[1])) as ws:
        for path in sorted(Path(sys.argv[2]).glob("*.json")):
            ws.import_file(path)
    """
)

KEYSTROKES = textwrap.dedent(
    """
    import datetime as dt, sys
    from pathlib import Path
    from zhutui.checks import batch_findings_of, check_application
    from zhutui.workspace.store import Workspace

    ws = Workspace(Path(sys.argv[1]))
    ids = [r.id for r in ws.records()]
    others = [ws.application(i) for i in ids[1:]]
    today = dt.date(2022, 10, 10)
    for i in range(int(sys.argv[2])):
        ws.set_field(ids[0], "patent.title", "一种数控车床刀具快速定位装置" + "甲乙丙丁"[: i % 4 + 1])
        app, problems = ws.application_lenient(ids[0])
        check_application(app, today, files=True)
        batch_findings_of(app, others, today)
    """
)


def package_path(checkout: Path, scratch: Path) -> str:
    """A folder where ``import zhutui`` finds ``checkout``'s ``app/``."""
    folder = scratch / f"path-{abs(hash(str(checkout)))}"
    folder.mkdir(exist_ok=True)
    link = folder / "zhutui"
    if not link.exists():
        link.symlink_to(checkout / "app", target_is_directory=True)
    return str(folder)


def instructions(args: list[str], env: dict[str, str]) -> int:
    """What callgrind counts for ``python args…`` (the whole process)."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode not in (0, 1) or not found:
        raise SystemExit(f"valgrind failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def prepare(scratch: Path, n: int) -> tuple[Path, Path]:
    """A 50 + 5 demo batch (for the keystrokes' workspace) and a batch of ``n`` application files."""
    from bench_check import build_batch

    from zhutui.demo import generate

    made = generate(scratch / "demo", patents=50, projects=5, with_errors=False, seed=3)
    build_batch(scratch / "files", n)
    return made.applications[0].parent, scratch / "files" / "batch"


def measure(
    checkout: Path, scratch: Path, demo: Path, batch: Path, keystrokes: int, only: str | None
) -> dict[str, float]:
    env = {
        **os.environ,
        "PYTHONPATH": package_path(checkout, scratch),
        "ZHUTUI_DATA_DIR": str(scratch / f"data-{abs(hash(str(checkout)))}"),
        "ZHUTUI_FORMS_DIR": str(checkout / "forms"),
    }
    # Each checkout makes its own workspace: an older schema must not open a newer one.
    copy = scratch / f"ws-{abs(hash(str(checkout)))}"
    (scratch / "import.py").write_text(IMPORT, encoding="utf-8")
    subprocess.run([sys.executable, str(scratch / "import.py"), str(copy), str(demo)], env=env, check=True)
    script = scratch / "keystrokes.py"
    script.write_text(KEYSTROKES, encoding="utf-8")
    figures = {}
    if only in (None, "keystroke"):
        none = instructions([str(script), str(copy), "0"], env)
        some = instructions([str(script), str(copy), str(keystrokes)], env)
        figures["keystroke"] = (some - none) / keystrokes
    if only in (None, "check"):
        figures["check"] = instructions(["-m", "zhutui", "check", str(batch), "--today", "2022-10-20"], env)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keystrokes", type=int, default=100)
    parser.add_argument("--n", type=int, default=1000, help="applications checked by zhutui check")
    parser.add_argument("--against", type=Path, help="another checkout to measure the same way")
    parser.add_argument("--only", choices=("keystroke", "check"), help="measure only this")
    args = parser.parse_args()
    os.environ.setdefault("ZHUTUI_DATA_DIR", tempfile.mkdtemp(prefix="zhutui-bench-"))
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        demo, batch = prepare(scratch, args.n if args.only != "keystroke" else 1)
        runs = [("this checkout", ROOT)] + ([("--against", args.against.resolve())] if args.against else [])
        for label, checkout in runs:
            figures = measure(checkout, scratch, demo, batch, args.keystrokes, args.only)
            shown = []
            if "keystroke" in figures:
                shown.append(f"keystroke {figures['keystroke'] / 1e6:.2f} M instructions")
            if "check" in figures:
                shown.append(f"zhutui check of {args.n} applications {figures['check'] / 1e9:.3f} G instructions")
            print(f"{label} ({checkout}): " + "; ".join(shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
