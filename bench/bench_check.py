"""Benchmark: checking 1,000 applications (issue: under 1 s).

Builds a batch of N applications from a ``zhutui demo`` batch: the demo's applications are
cloned with fresh valid identifiers (ID, patent and card numbers, studio names) so that the
batch is valid and every clone still opens its real phone-photo scans and PDFs. Then it times:

* ``load``: reading and normalising every file,
* ``check``: every check including the batch rules and opening every attachment,
* ``zhutui check DIR``: the whole command in a fresh process (Python start-up included).

Run:  .venv/bin/python bench/bench_check.py [--n 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhutui import appfile, identifiers  # noqa: E402
from zhutui.checks import check_batch, count  # noqa: E402
from zhutui.checks.attachments import _inspect_cached  # noqa: E402
from zhutui.demo import generate  # noqa: E402
from zhutui.plans import load_plans  # noqa: E402

TODAY = dt.date(2022, 10, 20)


def build_batch(folder: Path, n: int) -> list[Path]:
    demo = folder / "demo"
    generate(demo, patents=50, projects=5, with_errors=False, seed=7)
    sources = sorted(demo.rglob("*.json"))
    out = folder / "batch"
    paths = []
    for i in range(n):
        src = sources[i % len(sources)]
        data = json.loads(src.read_text(encoding="utf-8"))
        data = copy.deepcopy(data)
        # Each clone gets its own attachment paths (hard links: no extra disk), so that every
        # application's files are inspected as they would be in a real batch.
        own = out / f"{i:04d}"
        for k, att in enumerate(data.get("attachments", [])):
            target = own / f"{k}{Path(att['file']).suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(src.parent / att["file"], target)
            att["file"] = f"{own.name}/{target.name}"
        if data["form"] == "patent":
            inv = data["inventor"]
            male = inv["gender"] == "男"
            inv["id_number"] = identifiers.make_id_number(
                "110105", dt.date(1970, 1, 1) + dt.timedelta(days=i), i % 50, male
            )
            inv["union_card_no"] = identifiers.make_card_no("621468", 19, 1000000 + i)
            data["patent"]["number"] = identifiers.make_patent_number(2019, 1, 1000000 + i)
        else:
            data["studio"]["name"] = f"{data['studio']['name']}{i}"
        path = out / f"{i:04d}.json"
        paths.append(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return paths


def timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["ZHUTUI_DATA_DIR"] = str(folder / "userdata")
        start = time.perf_counter()
        paths = build_batch(folder, args.n)
        print(
            f"batch: {len(paths)} applications built in {time.perf_counter() - start:.1f} s "
            f"(from a 50 + 5 demo batch with phone-photo scans)"
        )

        plans = load_plans()
        t_load, t_load_min, apps = timed(lambda: [appfile.load(p, plans) for p in paths], args.repeat)

        def check_cold():
            _inspect_cached.cache_clear()  # every attachment inspected again, as in a new process
            return check_batch(apps, TODAY)

        t_check, t_check_min, findings = timed(check_cold, args.repeat)
        counts = count(findings)
        assert counts["error"] == 0, [f for f in findings if f.severity == "error"][:3]
        attachments = sum(len(a.data.get("attachments", [])) for a in apps)
        print(f"load   {args.n} files: median {t_load * 1000:7.1f} ms  (min {t_load_min * 1000:.1f})")
        print(
            f"check  {args.n} apps:  median {t_check * 1000:7.1f} ms  (min {t_check_min * 1000:.1f}),"
            f" {attachments} attachment files opened, findings {counts}"
        )
        print(f"load + check:          median {(t_load + t_check) * 1000:7.1f} ms")

        cmd = [sys.executable, "-m", "zhutui", "check", str(folder / "batch"), "--today", TODAY.isoformat()]
        t_cli, t_cli_min, proc = timed(lambda: subprocess.run(cmd, capture_output=True, cwd=ROOT), args.repeat)
        print(
            f"zhutui check DIR (new process, {args.n} apps): median {t_cli * 1000:.0f} ms "
            f"(min {t_cli_min * 1000:.0f}), exit {proc.returncode}"
        )
        start_cmd = [sys.executable, "-m", "zhutui", "plans"]
        t_start, _, _ = timed(lambda: subprocess.run(start_cmd, capture_output=True, cwd=ROOT), args.repeat)
        print(f"  of which process start-up (zhutui plans): median {t_start * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
