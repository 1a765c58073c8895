"""Benchmark of the mail package (``zhutui package``) of a demo batch: time, memory, sizes, bytes
per scanned page next to Ghostscript's /ebook, and legibility by OCR. Prints figures, checks nothing.

    .venv/bin/python bench/bench_package.py [--patents 50] [--projects 5] [--seed 2022]
                                            [--repeat 3] [--ocr-pages 8] [--json]

1. The ``zhutui demo`` batch (not timed), then ``build_package`` in a fresh process per run: wall
   time of the call and of the whole process, peak RSS as the child's own VmHWM (not ru_maxrss of
   RUSAGE_CHILDREN: that is the maximum over every child so far, and Linux carries this process's
   peak into a child at exec).
2. The package: each message against the 35 MB budget (attachment and .eml bytes), package and zip
   size, scanned pages, bytes per scanned page (``scan_bytes / scanned_pages`` of each file).
3. The same sources through ``gs -sDEVICE=pdfwrite -dPDFSETTINGS=/ebook`` (2 threads, not timed
   with the package): a PDF scan as it is, a photo wrapped unchanged (its JPEG passed through) into
   an A4 page with our 10 mm margin. Per file, PDF bytes per page of ours against gs's.
4. OCR (``tesseract -l chi_sim --psm 6``) of a sample of scanned pages (half photos, half PDF scan
   pages), three ways: the original (upright), our mail page, the gs page; character accuracy
   (1 − edit distance / length, over CJK characters and digits) against the text the demo drew
   (``app.demo.documents.pages_for``; seal rings left out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageOps  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from zhutui import appfile  # noqa: E402
from zhutui.mailpack.package import DEFAULT_BUDGET_MB, build_package  # noqa: E402

TODAY = dt.date(2022, 10, 25)
KB, MB = 1024, 1024 * 1024  # as the package's budget (and the tests' 250 KB per page) count them
PAGE_LIMIT = 250 * KB
GS = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dPDFSETTINGS=/ebook"]
_KEEP = re.compile(r"[\u4e00-\u9fff0-9]")


def child(demo: Path, out: Path) -> None:
    """``--child``: package the batch in this fresh process, print the figures as JSON."""
    apps = [appfile.load(p) for p in sorted(demo.rglob("*.json"))]
    start = time.perf_counter()
    result = build_package(apps, out, today=TODAY)
    seconds = time.perf_counter() - start
    if result.folder is None:
        raise SystemExit(f"not packaged: {[f.message for f in result.errors][:3]}")
    with open("/proc/self/status") as status:
        hwm = int(next(line.split()[1] for line in status if line.startswith("VmHWM")))
    print(
        json.dumps(
            {
                "seconds": seconds,
                "hwm_kib": hwm,
                "folder": str(result.folder),
                "zip_bytes": result.zip_path.stat().st_size,
                "files": [asdict(f) for f in result.files],
                "messages": [asdict(m) for m in result.messages],
            },
            ensure_ascii=False,
        )
    )


def run_package(demo: Path, work: Path, repeat: int) -> list[dict]:
    runs = []
    for n in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(demo), str(work / f"out{n}")],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if proc.returncode:
            raise SystemExit(f"package run failed ({proc.returncode}):\n{proc.stderr}")
        runs.append({**json.loads(proc.stdout.splitlines()[-1]), "process": time.perf_counter() - start})
    return runs


def mailed(apps: list, files: list[dict]) -> list[tuple[Path, dict]]:
    """(source file, its package file) for every attachment, in package order (as build_package:
    applications by 附件 number, the form first, then the printed attachments in order)."""
    pairs = []
    for group, app in enumerate(sorted(apps, key=lambda a: a.form.attachment_no), 1):
        entries = [
            e
            for e in app.data.get("attachments", [])
            if e.get("file")
            and e.get("kind") != "stamped_form"
            and getattr(app.form.attachment_kind(e["kind"]), "printed", True)
        ]
        own = [f for f in files if f["group"] == group][1:]
        pairs += [(app.base_dir / e["file"], f) for e, f in zip(entries, own, strict=True)]
    return pairs


def gs_ebook(source: Path, folder: Path) -> tuple[Path, int, int]:
    """``source`` through gs /ebook: (output PDF, bytes, pages)."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from zhutui.mailpack.convert import MARGIN
    from zhutui.outputs.images import jpeg_reader

    stem = folder / re.sub(r"[/\\]", "_", str(source.relative_to(source.parents[2])))
    given = source
    if source.suffix.lower() != ".pdf":
        rl_config.useA85 = 0
        with Image.open(source) as im:  # stored pixels, EXIF orientation not applied: the JPEG is as is
            w, h = im.size
        page_w, page_h = landscape(A4) if w > h else A4
        scale = min((page_w - 2 * MARGIN) / w, (page_h - 2 * MARGIN) / h)
        given = stem.with_suffix(".in.pdf")
        canvas = Canvas(str(given), pagesize=(page_w, page_h), pageCompression=1, invariant=1)
        canvas.drawImage(
            jpeg_reader(source.read_bytes()), (page_w - w * scale) / 2, (page_h - h * scale) / 2, w * scale, h * scale
        )
        canvas.showPage()
        canvas.save()
    out = stem.with_suffix(".gs.pdf")
    subprocess.run([*GS, f"-sOutputFile={out}", str(given)], check=True, capture_output=True)
    return out, out.stat().st_size, len(PdfReader(out).pages)


def truth_texts(seed: int, patents: int, projects: int) -> dict[str, list[str]]:
    """What the demo drew on each page of each attachment (seal rings left out), by path."""
    from zhutui.demo import prepare
    from zhutui.demo.documents import pages_for
    from zhutui.plans import get_plan

    batch, _ = prepare(get_plan(2022), patents=patents, projects=projects, with_errors=False, seed=seed)
    texts = {}
    for app in batch.apps:
        for spec in app.attachments:
            pages = pages_for(spec, app, random.Random(spec.seed))  # render() draws with this same rng
            # Everything on the page, the certificate's number at its top left included (Page.text).
            texts[f"{app.folder}/{app.stem}/{spec.name}"] = [p.text() for p in pages]
    return texts


def chars(text: str) -> str:
    return "".join(_KEEP.findall(unicodedata.normalize("NFKC", text)))


def edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def ocr(image: Image.Image, png: Path) -> str:
    image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode).save(png, compress_level=1)
    proc = subprocess.run(
        ["tesseract", str(png), "stdout", "-l", "chi_sim", "--psm", "6"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return proc.stdout


def page_image(pdf: Path, page: int) -> Image.Image:
    return PdfReader(pdf).pages[page].images[0].image


def ocr_sample(
    items: list[dict], truth: dict[str, list[str]], demo: Path, k: int, seed: int, folder: Path
) -> list[dict]:
    """Accuracy of OCR of ``k`` scanned pages (half photos, half PDF scan pages): original, ours, gs."""
    pages = [(it, p) for it in items for p in range(it["pages"])]
    rng = random.Random(seed)
    photos = [x for x in pages if not x[0]["pdf"]]
    scans = [x for x in pages if x[0]["pdf"]]
    sample = rng.sample(photos, min(len(photos), k - k // 2)) + rng.sample(scans, min(len(scans), k // 2))

    def one(n: int, item: dict, page: int) -> dict:
        source = Path(item["source"])
        gs_page = page_image(Path(item["gs_pdf"]), page)
        if item["pdf"]:
            original = page_image(source, page)
        else:  # the photo and its gs page (the JPEG's stored pixels) turned upright by the photo's EXIF
            with Image.open(source) as im:
                gs_page.getexif()[0x0112] = im.getexif().get(0x0112, 1)
                original, gs_page = ImageOps.exif_transpose(im), ImageOps.exif_transpose(gs_page)
        want = chars(truth[source.relative_to(demo).as_posix()][page])
        row = {"file": item["name"], "page": page + 1, "truth_chars": len(want)}
        for variant, image in (
            ("original", original),
            ("ours", page_image(Path(item["ours_pdf"]), page)),
            ("gs", gs_page),
        ):
            got = chars(ocr(image, folder / f"{n}-{variant}.png"))
            row[variant] = max(0.0, 1 - edit_distance(got, want) / max(1, len(want)))
            row[f"{variant}_px"] = f"{image.width}×{image.height}"
        return row

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda x: one(x[0], *x[1]), enumerate(sample)))


def missing(check: list[str], needle: str, package: str) -> str | None:
    """None when ``check`` runs and prints ``needle``, else how to install ``package``."""
    proc = shutil.which(check[0]) and subprocess.run(check, capture_output=True, text=True)
    return None if proc and needle in proc.stdout + proc.stderr else f"apt-get install {package}"


def spread(values: list[float]) -> dict:
    return {"min": min(values), "median": statistics.median(values)}


def mean_max(pairs: list[tuple[float, int]]) -> dict:
    """Mean and max bytes per page of (bytes per page, pages) pairs, the mean weighted by pages."""
    return {"mean": sum(b * n for b, n in pairs) / sum(n for _, n in pairs), "max": max(b for b, _ in pairs)}


def measure(args: argparse.Namespace, work: Path) -> dict:
    from zhutui.demo import generate

    demo = work / "demo"
    generate(demo, patents=args.patents, projects=args.projects, with_errors=False, seed=args.seed)
    apps = [appfile.load(p) for p in sorted(demo.rglob("*.json"))]
    runs = run_package(demo, work, args.repeat)
    files, folder = runs[-1]["files"], Path(runs[-1]["folder"])
    scanned = [(f["scan_bytes"] / f["scanned_pages"], f["scanned_pages"]) for f in files if f["scanned_pages"]]
    fig: dict = {
        "applications": len(apps),
        "repeat": args.repeat,
        "cores": os.cpu_count(),
        "package_s": spread([r["seconds"] for r in runs]),
        "process_s": spread([r["process"] for r in runs]),
        "peak_rss_mib": spread([r["hwm_kib"] / KB for r in runs]),
        "budget_bytes": DEFAULT_BUDGET_MB * MB,
        "messages": [
            {"eml": m["eml"], "files": len(m["files"]), "files_bytes": m["files_bytes"], "eml_bytes": m["size"]}
            for m in runs[-1]["messages"]
        ],
        "package_bytes": sum(f["size"] for f in files),
        "zip_bytes": runs[-1]["zip_bytes"],
        "scanned_pages": sum(n for _, n in scanned),
        "scan_bytes_per_page": mean_max(scanned),
        "pages_over_250kb": sum(n for b, n in scanned if b > PAGE_LIMIT),
    }
    items = [
        {
            "source": str(src),
            "name": f["name"],
            "pdf": src.suffix.lower() == ".pdf",
            "pages": f["pages"],
            "ours_pdf": str(folder / f["name"]),
            "ours_per_page": f["size"] / f["pages"],
        }
        for src, f in mailed(apps, files)
        if f["scanned_pages"]
    ]
    if problem := missing(["gs", "--version"], ".", "ghostscript"):
        return {**fig, "gs": {"skipped": problem}}
    (work / "gs").mkdir()
    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        done = pool.map(lambda it: gs_ebook(Path(it["source"]), work / "gs"), items)
        for item, (out, size, pages) in zip(items, done, strict=True):
            item.update(gs_pdf=str(out), gs_pages=pages, gs_per_page=size / pages)
    bigger = [it for it in items if it["ours_per_page"] > it["gs_per_page"]]
    fig["gs"] = {
        "seconds": time.perf_counter() - start,
        "files": len(items),
        "pages": sum(it["gs_pages"] for it in items),
        "bytes_per_page": mean_max([(it["gs_per_page"], it["gs_pages"]) for it in items]),
        "ours_pdf_bytes_per_page": mean_max([(it["ours_per_page"], it["pages"]) for it in items]),
        "ours_bigger": {
            "files": len(bigger),
            "pages": sum(it["pages"] for it in bigger),
            "list": [
                {"file": it["name"], "ours": round(it["ours_per_page"]), "gs": round(it["gs_per_page"])}
                for it in bigger
            ],
        },
    }
    if problem := missing(["tesseract", "--list-langs"], "chi_sim", "tesseract-ocr tesseract-ocr-chi-sim"):
        return {**fig, "ocr": {"skipped": problem}}
    (work / "ocr").mkdir()
    truth = truth_texts(args.seed, args.patents, args.projects)
    start = time.perf_counter()
    rows = ocr_sample(items, truth, demo, args.ocr_pages, args.seed, work / "ocr")
    fig["ocr"] = {
        "seconds": time.perf_counter() - start,
        "pages": rows,
        "mean": {v: statistics.mean(r[v] for r in rows) for v in ("original", "ours", "gs")},
    }
    return fig


def _kb(n: float) -> str:
    return f"{n / KB:.0f} KB"


def _cols(text: str) -> int:
    return len(text) + sum(not c.isascii() for c in text)  # terminal columns: a Chinese character takes two


def _pad(text: str, width: int) -> str:
    return text + " " * max(1, width - _cols(text))


def report(fig: dict, args: argparse.Namespace) -> None:
    print(
        f"Mail package of the demo batch ({args.patents} patents + {args.projects} projects, seed {args.seed}:"
        f" {fig['applications']} applications), {fig['repeat']} fresh processes on {fig['cores']} cores"
    )
    for label, key, unit in (
        ("build_package", "package_s", "s"),
        ("whole process", "process_s", "s"),
        ("peak RSS", "peak_rss_mib", "MiB"),
    ):
        print(f"  {label:<14} min {fig[key]['min']:6.1f} {unit:<4} median {fig[key]['median']:6.1f} {unit}")
    budget = fig["budget_bytes"]

    def share(n: int) -> str:
        return f"{n / MB:5.1f} MB ({n / budget:4.0%})"

    print(f"\n{len(fig['messages'])} message(s), budget {budget / MB:.0f} MB each:")
    for m in fig["messages"]:
        print(f"  {_pad(m['eml'], 18)}{m['files']:3d} files {share(m['files_bytes'])}   .eml {share(m['eml_bytes'])}")
    print(f"  package {fig['package_bytes'] / MB:.1f} MB, zip {fig['zip_bytes'] / MB:.1f} MB")
    per = fig["scan_bytes_per_page"]
    print(
        f"\n{fig['scanned_pages']} scanned pages, image bytes per page: {_kb(per['mean'])} mean,"
        f" {_kb(per['max'])} max (file page), {fig['pages_over_250kb']} pages over 250 KB"
    )
    gs = fig["gs"]
    if "skipped" in gs:
        return print(f"\nGhostscript comparison skipped, gs not found: {gs['skipped']}")
    print(f"\nSame {gs['files']} sources through gs /ebook ({gs['seconds']:.0f} s, 2 threads), bytes per page:")
    for label, v in (
        ("ours, images only", per),
        ("ours, PDF", gs["ours_pdf_bytes_per_page"]),
        ("gs /ebook, PDF", gs["bytes_per_page"]),
    ):
        print(f"  {label:<18} mean {_kb(v['mean']):>7}   max {_kb(v['max']):>7}")
    print(
        f"  ours bigger than gs for {gs['ours_bigger']['files']} of {gs['files']} files"
        f" ({gs['ours_bigger']['pages']} of {gs['pages']} pages)"
    )
    width = max((_cols(b["file"]) + 2 for b in gs["ours_bigger"]["list"]), default=0)
    for b in gs["ours_bigger"]["list"]:
        print(f"    {_pad(b['file'], width)}ours {_kb(b['ours']):>7}, gs {_kb(b['gs']):>7} per page")
    o = fig["ocr"]
    if "skipped" in o:
        return print(f"\nOCR skipped, tesseract with chi_sim not found: {o['skipped']}")
    print(
        f"\nOCR character accuracy (tesseract chi_sim --psm 6, CJK + digits against the drawn text),"
        f" {len(o['pages'])} pages, {o['seconds']:.0f} s:"
    )
    width = max(_cols(r["file"]) + 2 for r in o["pages"])
    print(f"  {_pad('file', width)}page chars original   ours     gs   pixels (original / ours / gs)")
    for r in o["pages"]:
        print(
            f"  {_pad(r['file'], width)}{r['page']:4d}{r['truth_chars']:6d}{r['original']:9.1%}{r['ours']:7.1%}"
            f"{r['gs']:7.1%}   {r['original_px']} / {r['ours_px']} / {r['gs_px']}"
        )
    m = o["mean"]
    print(f"  {_pad('mean', width + 10)}{m['original']:9.1%}{m['ours']:7.1%}{m['gs']:7.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=50)
    parser.add_argument("--projects", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=3, help="package runs (fresh processes)")
    parser.add_argument("--ocr-pages", type=int, default=8, help="scanned pages to OCR")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", nargs=2, type=Path, metavar=("DEMO", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    work = Path(tempfile.mkdtemp(prefix="bench-package-"))
    os.environ.setdefault("ZHUTUI_DATA_DIR", str(work / "userdata"))
    try:
        figures = measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        report(figures, args)


if __name__ == "__main__":
    main()
