"""Benchmark: two writers on one workspace, as a second window, the CLI or a worker would be.

Each of two processes makes ``--edits`` edits to the same application, each to its own field,
appending to the list it reads back first; both start at the same moment. An edit that the
other writer's rewrite of the record undid leaves its list short: ``lost`` counts them. Every
edit is a read-modify-write in one ``BEGIN IMMEDIATE`` transaction (workspace/store.py), so
the expected figure is 0 in every run. Also reports the time per run and edits per second.

Run:  .venv/bin/python bench/bench_concurrency.py [--runs 10] [--edits 500]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_concurrency import race  # noqa: E402 - the test's race, run more often
from zhutui.workspace.store import Workspace  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--edits", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhutui-bench-race-") as tmp:
        work = Path(tmp)
        with Workspace(work / "ws") as ws:
            app_id = ws.create("patent", 2022, {"patent": {"title": "一种数控车床刀具快速定位装置"}})
        total_lost = 0
        for run in range(args.runs):
            names = (f"a{run}", f"b{run}")
            started = time.perf_counter()
            fields = race(work / "ws", app_id, args.edits, work, names)
            took = time.perf_counter() - started
            lost = sum(args.edits - len(fields[n] or []) for n in names)
            gaps = sum(fields[n] != list(range(args.edits)) for n in names)
            total_lost += lost
            print(
                f"run {run + 1}: 2 × {args.edits} edits in {took:.1f} s ({2 * args.edits / took:.0f} edits/s), "
                f"lost {lost}, fields with a gap {gaps}"
            )
        with Workspace(work / "ws") as ws:
            integrity = ws.con.execute("PRAGMA integrity_check").fetchone()[0]
        print(f"{args.runs} runs: {total_lost} edits lost; integrity_check {integrity}")


if __name__ == "__main__":
    main()
