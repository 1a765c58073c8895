"""Benchmark of reading certificates (issue 20): on the demo's own certificate photos, how many of
the fields ``zhutui ocr`` reports are exactly what the application file says, and how long each
certificate takes; plus fresh ``zhutui ocr`` processes (start, engine load, read) for the time a
user waits at the command line. Prints figures, checks nothing.

    .venv/bin/python bench/bench_ocr.py [--patents 30] [--seeds 2022 1 2 3 4] [--folder DIR]

The demo draws each seed's photos differently (sheet size, slant, light, blur): one seed's 30
certificates can hang on one bad photo, so several seeds are read (150 certificates by default).

``--folder`` reads certificates drawn by someone else instead: a folder with ``expected.json``
(``{"file name": {"patent.title": …, …}}``, values as the application file stores them).
"""

from __future__ import annotations

import argparse
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

from zhutui.appfile import load  # noqa: E402
from zhutui.certfile import read_certificate_file  # noqa: E402
from zhutui.demo import generate  # noqa: E402
from zhutui.ocr import load_models  # noqa: E402

FIELDS = ("patent.title", "patent.number", "patent.inventors", "patent.patentee", "patent.grant_date")


def demo_cases(patents: int, seed: int, out: Path) -> list[tuple[Path, dict]]:
    made = generate(out / "batch", patents=patents, projects=0, with_errors=False, seed=seed)
    cases = []
    for path in made.applications:
        app = load(path)
        entry = next(a for a in app.data["attachments"] if a["kind"] == "patent_certificate")
        file = app.attachment_file(entry)
        if file is not None:
            cases.append((file, {key: app.get(key) for key in FIELDS}))
    return cases


def folder_cases(folder: Path) -> list[tuple[Path, dict]]:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    cases = []
    for name, want in expected.items():
        path = next(folder.rglob(name), None)
        if path is not None and isinstance(want, dict) and want:
            cases.append((path, want))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=30)
    parser.add_argument("--seeds", type=int, nargs="+", default=[2022, 1, 2, 3, 4])
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--processes", type=int, default=10, help="certificates timed as a fresh zhutui ocr process")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.folder:
            cases = folder_cases(args.folder)
        else:
            cases = [c for seed in args.seeds for c in demo_cases(args.patents, seed, Path(tmp) / str(seed))]
        started = time.perf_counter()
        load_models()
        print(f"engine load: {time.perf_counter() - started:.2f} s")
        hits = total = 0
        per_field = dict.fromkeys(FIELDS, 0)
        times, misses = [], []
        for path, want in cases:
            started = time.perf_counter()
            reading = read_certificate_file(path)
            times.append(time.perf_counter() - started)
            got = reading.values(0)
            for key, value in want.items():
                if key not in FIELDS:
                    continue
                total += 1
                if got.get(key) == value:
                    hits += 1
                    per_field[key] += 1
                else:
                    where = path.name if args.folder else f"seed {path.parts[-5]} {path.parent.name}"
                    misses.append(f"  {where}: {key} read {got.get(key)!r}, is {value!r}")
        print(f"certificates: {len(cases)}, fields exact: {hits}/{total} = {100 * hits / max(total, 1):.1f} %")
        for key, n in per_field.items():
            print(f"  {key}: {n}/{len(cases)}")
        print(
            f"read time per certificate (engine loaded): median {statistics.median(times):.2f} s, "
            f"max {max(times):.2f} s"
        )
        print("misses:" if misses else "misses: none", *misses, sep="\n")
        zhutui = Path(sys.executable).with_name("zhutui")
        whole = []
        for path, _want in cases[: args.processes]:
            started = time.perf_counter()
            subprocess.run([str(zhutui), "ocr", str(path), "--format", "json"], capture_output=True, check=False)
            whole.append(time.perf_counter() - started)
        print(
            f"fresh `zhutui ocr` process per certificate (start, load, read), {len(whole)} certificates: "
            f"median {statistics.median(whole):.2f} s, max {max(whole):.2f} s"
        )


if __name__ == "__main__":
    main()
