"""Benchmark: the frozen bundle's size and its start-up against the source checkout's.

* ``size``: the bundle folder (files, bytes as stored, symlinks not followed) and compressed as
  users would receive it: ``.tar.gz`` (gzip -6), ``.zip`` (deflate) and ``.tar.xz`` (LZMA, as the
  Windows installer's lzma2 compresses it).
* ``start-up``: from starting the command to the window shown (``ZHUTUI_QUIT_WHEN_SHOWN``), on
  a workspace holding the 50 + 5 demo batch, for ``dist/zhutui/zhutui`` and for ``python -m
  zhutui`` from the checkout: ``cold`` after the page cache was dropped (as root), ``warm`` the
  median of the next starts; and the command line's ``--version`` and ``plans`` (warm medians).

Run:  bash installer/build.sh --no-smoke    # once, to have dist/zhutui
      QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_bundle.py [--bundle dist/zhutui] [--starts 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

from bench_gui import ROOT, build_workspace, drop_caches, start_once

MB = 1024 * 1024


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return len(files), sum(p.stat().st_size for p in files)


def compressed_sizes(folder: Path, work: Path) -> dict[str, int]:
    sizes = {}
    for mode, name in (("w:gz", "zhutui.tar.gz"), ("w:xz", "zhutui.tar.xz")):
        target = work / name
        with tarfile.open(target, mode) as tar:
            tar.add(folder, arcname=folder.name)
        sizes[name] = target.stat().st_size
    target = work / "zhutui.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                zf.write(path, (Path(folder.name) / path.relative_to(folder)).as_posix())
    sizes["zhutui.zip"] = target.stat().st_size
    return sizes


def cli_time(command: list[str], args: list[str], data_dir: Path, runs: int) -> float:
    env = dict(os.environ, ZHUTUI_DATA_DIR=str(data_dir))
    times = []
    for _ in range(runs + 1):  # the first run warms the cache
        start = time.perf_counter()
        subprocess.run([*command, *args], env=env, capture_output=True, check=True, cwd=data_dir)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def start_times(command: list[str], data_dir: Path, platform: str, starts: int) -> tuple[float, bool, float]:
    dropped = drop_caches()
    cold = start_once(data_dir, platform, command)
    warm = statistics.median(start_once(data_dir, platform, command) for _ in range(starts))
    return cold, dropped, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "zhutui")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args()
    frozen = args.bundle / "zhutui"
    if not frozen.exists():
        raise SystemExit(f"no bundle at {args.bundle}: build it with bash installer/build.sh --no-smoke")
    commands = {"frozen bundle": [str(frozen)], "source checkout": [sys.executable, "-m", "zhutui"]}
    with tempfile.TemporaryDirectory(prefix="zhutui-bench-bundle-") as tmp:
        work = Path(tmp)
        n_files, size = folder_size(args.bundle)
        print(f"bundle {args.bundle}: {n_files} files, {size / MB:.1f} MB")
        for name, packed in compressed_sizes(args.bundle, work).items():
            print(f"  {name}: {packed / MB:.1f} MB ({packed / size:.0%})")
        data_dir = work / "data"
        build_workspace(data_dir)
        print(f"start-up to the window shown ({args.platform}, 50 + 5 applications in the workspace):")
        for name, command in commands.items():
            cold, dropped, warm = start_times(command, data_dir, args.platform, args.starts)
            print(
                f"  {name:16s} cold {cold:.2f} s{'' if dropped else ' (cache not dropped: not root)'}, "
                f"warm median {warm:.2f} s of {args.starts}"
            )
        print("command line (warm median of 5):")
        for name, command in commands.items():
            version = cli_time(command, ["--version"], data_dir, 5)
            plans = cli_time(command, ["plans"], data_dir, 5)
            print(f"  {name:16s} --version {version:.2f} s, plans {plans:.2f} s")


if __name__ == "__main__":
    main()
