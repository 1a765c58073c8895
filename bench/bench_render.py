"""Benchmark of the print PDFs: prints time, size and memory figures.

    .venv/bin/python bench/bench_render.py [--patents 50] [--projects 5] [--keep DIR]

1. One patent form with two phone-photo scans (3000–4000 px JPEGs from the demo generator):
   time to render in-process (fonts loaded) and as a fresh ``zhutui render`` process, PDF size.
2. The batch of ``zhutui demo --patents 50 --projects 5``: ``zhutui render`` and ``zhutui summary``
   as fresh processes: wall time, peak memory (max RSS), total bytes, bytes per scanned page
   (the image streams on the appended pages).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from zhutui import appfile  # noqa: E402
from zhutui.demo import generate  # noqa: E402
from zhutui.outputs.render import render_batch  # noqa: E402

TODAY = dt.date(2022, 10, 20)
# ``zhutui`` in a fresh process that reports its own peak memory (VmHWM, which starts afresh at
# exec; ru_maxrss would carry over this big benchmark process's peak through fork).
_CHILD = """
import atexit, os, sys
def _report():
    with open("/proc/self/status") as status, open(os.environ["BENCH_HWM_FILE"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM")))
atexit.register(_report)
from zhutui.cli import main
sys.exit(main(sys.argv[1:]))
"""
ZHUTUI = [sys.executable, "-c", _CHILD]


def run_child(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of a fresh ``zhutui`` process."""
    with tempfile.NamedTemporaryFile(suffix=".hwm") as hwm:
        start = time.perf_counter()
        proc = subprocess.run(
            args, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "BENCH_HWM_FILE": hwm.name}
        )
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            raise SystemExit(f"zhutui {' '.join(args[3:])} failed ({proc.returncode}):\n{proc.stderr}")
        return elapsed, int(Path(hwm.name).read_text() or 0) / 1024


def scan_bytes(pdf: Path, first_scan_page: int) -> tuple[int, int]:
    """(bytes of image streams, pages) on the appended scan pages of ``pdf``."""
    total, pages = 0, 0
    for page in PdfReader(pdf).pages[first_scan_page:]:
        pages += 1
        for image in page.images:
            total += len(image.indirect_reference.get_object().get_data()) if image.indirect_reference else 0
    return total, pages


def phone_photos(work: Path) -> list[Path]:
    demo = generate(work / "photos", patents=8, projects=0, with_errors=False, seed=11)
    from PIL import Image

    found = []
    for app_path in demo.applications:
        for jpg in app_path.parent.glob(f"{app_path.stem}/*.jpg"):
            with Image.open(jpg) as im:
                if max(im.size) >= 3000:
                    found.append(jpg)
    if len(found) < 2:
        raise SystemExit("the demo produced fewer than two phone photos")
    return found[:2]


def bench_single(work: Path) -> None:
    photos = phone_photos(work)
    folder = work / "single"
    folder.mkdir()
    data = json.loads(next((work / "photos" / "发明专利").glob("*.json")).read_text(encoding="utf-8"))
    for i, photo in enumerate(photos):
        shutil.copy(photo, folder / f"scan{i}.jpg")
    data["attachments"] = [
        {"kind": "patent_certificate", "file": "scan0.jpg"},
        {"kind": "application_proof", "file": "scan1.jpg"},
    ]
    path = folder / "patent.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    app = appfile.load(path)
    times = []
    for n in range(5):
        out = work / f"single-out-{n}"
        start = time.perf_counter()
        result = render_batch([app], out, TODAY)
        times.append(time.perf_counter() - start)
    form = result.forms[0]
    size = form.path.stat().st_size
    images, pages = scan_bytes(form.path, form.form_pages)
    cold, rss = run_child(
        [*ZHUTUI, "render", str(path), "--out", str(work / "single-cli"), "--today", TODAY.isoformat()]
    )
    photo_mb = sum(p.stat().st_size for p in photos) / 1e6
    print(
        "One patent form with two phone-photo scans "
        f"({photo_mb:.1f} MB of JPEG, {', '.join(_dims(p) for p in photos)}):"
    )
    print(
        f"  render in-process (fonts loaded), median of 5: {statistics.median(times) * 1000:.0f} ms"
        f" (form + 材料清单 + 打印全部)"
    )
    print(f"  zhutui render, fresh process:                 {cold * 1000:.0f} ms, peak RSS {rss:.0f} MiB")
    print(
        f"  form PDF: {size / 1e6:.2f} MB, {form.pages} pages ({form.form_pages} form + {pages} scans),"
        f" {images / pages / 1e3:.0f} KB per scanned page"
    )


def _dims(path: Path) -> str:
    from PIL import Image

    with Image.open(path) as im:
        return f"{im.width}×{im.height}"


def bench_batch(work: Path, patents: int, projects: int) -> None:
    demo_dir = work / "batch"
    start = time.perf_counter()
    generate(demo_dir, patents=patents, projects=projects, with_errors=False, seed=2022)
    made = time.perf_counter() - start
    inputs = sum(p.stat().st_size for p in demo_dir.rglob("*") if p.is_file())
    out = work / "batch-out"
    elapsed, rss = run_child([*ZHUTUI, "render", str(demo_dir), "--out", str(out), "--today", TODAY.isoformat()])
    s_elapsed, s_rss = run_child([*ZHUTUI, "summary", str(demo_dir), "--out", str(out), "--today", TODAY.isoformat()])
    apps = [appfile.load(p) for p in sorted(demo_dir.rglob("*.json"))]
    pdfs = sorted(out.glob("附件*.pdf"))
    total_pages = sum(len(PdfReader(p).pages) for p in pdfs)
    image_bytes, scan_pages = 0, 0
    for pdf in pdfs:
        first = _first_scan_page(pdf)
        b, n = scan_bytes(pdf, first)
        image_bytes += b
        scan_pages += n
    forms_size = sum(p.stat().st_size for p in pdfs)
    combined = out / "打印全部.pdf"
    print(
        f"\nBatch of zhutui demo --patents {patents} --projects {projects} "
        f"({len(apps)} applications, {inputs / 1e6:.0f} MB of inputs, generated in {made:.1f} s):"
    )
    print(f"  zhutui render:  {elapsed:.1f} s wall, peak RSS {rss:.0f} MiB, {os.cpu_count()} cores")
    print(f"  zhutui summary: {s_elapsed:.2f} s wall, peak RSS {s_rss:.0f} MiB")
    print(
        f"  {len(pdfs)} form PDFs, {total_pages} pages, {forms_size / 1e6:.1f} MB;"
        f" 打印全部.pdf {combined.stat().st_size / 1e6:.1f} MB"
    )
    print(f"  {scan_pages} scanned pages: {image_bytes / scan_pages / 1e3:.0f} KB per scanned page (image data)")


def _first_scan_page(pdf: Path) -> int:
    for i, page in enumerate(PdfReader(pdf).pages):
        if "附：" in (page.extract_text() or ""):
            return i
    return len(PdfReader(pdf).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=50)
    parser.add_argument("--projects", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    os.environ.setdefault("ZHUTUI_DATA_DIR", str(work / "userdata"))
    try:
        bench_single(work)
        bench_batch(work, args.patents, args.projects)
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
