"""Benchmark of photo to scan (issue 20): per phone photo of a demo batch, the time of the clean-up
and of OCR, and legibility (OCR character accuracy against the text the demo drew) and bytes, for
the original photo, the old mail copy (whitening only), the new cleaned copy and Ghostscript's
/ebook. Prints figures, checks nothing.

    .venv/bin/python bench/bench_scan.py [--patents 6] [--projects 1] [--seed 2022] [--pages 8]

Legibility by our engine (``zhutui.ocr.read_lines``) and, when installed, tesseract chi_sim
(helpers shared with ``bench_package.py``). Works with whatever photos ``zhutui demo`` makes.
OCRmyPDF's optimiser is not measured (not installed in the venv; see the report).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_package import chars, edit_distance, gs_ebook, missing, ocr, page_image, truth_texts  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402

from zhutui.mailpack.convert import MARGIN  # noqa: E402
from zhutui.outputs.images import MAIL, MAIL_DPI, Encoding, prepare_image  # noqa: E402

OLD_MAIL = Encoding(quality=60, clean=True, min_dpi=150, scan=False)  # what the mail package did before
A4_BOX = (595.2756 - 2 * MARGIN, 841.8898 - 2 * MARGIN)


def accuracy(got: str, want: str) -> float:
    return max(0.0, 1 - edit_distance(chars(got), want) / max(1, len(want)))


def ours(image: Image.Image) -> tuple[str, float]:
    from zhutui.ocr import read_lines

    start = time.perf_counter()
    text = " ".join(line.text for line in read_lines(image))
    return text, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=6)
    parser.add_argument("--projects", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--pages", type=int, default=8, help="photos to measure")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    os.environ.setdefault("ZHUTUI_DATA_DIR", str(work / "userdata"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    from zhutui.demo import generate
    from zhutui.ocr import load_models

    demo = work / "demo"
    generate(demo, patents=args.patents, projects=args.projects, with_errors=False, seed=args.seed)
    truth = truth_texts(args.seed, args.patents, args.projects)
    photos = sorted(p for p in demo.rglob("*.jpg") if p.relative_to(demo).as_posix() in truth)
    photos = random.Random(args.seed).sample(photos, min(args.pages, len(photos)))
    has_gs = missing(["gs", "--version"], ".", "ghostscript") is None
    has_tess = missing(["tesseract", "--list-langs"], "chi_sim", "tesseract-ocr-chi-sim") is None
    (work / "gs").mkdir()
    load_models()  # loaded before timing
    prepare_image(photos[0], *A4_BOX, max_dpi=MAIL_DPI, encoding=MAIL, turnable_box=True)  # quarter_turns' engine
    rows = []
    for n, photo in enumerate(photos):
        want = chars(truth[photo.relative_to(demo).as_posix()][0])
        with Image.open(photo) as im:
            variants = {"original": (ImageOps.exif_transpose(im).convert("RGB"), photo.stat().st_size)}
        start = time.perf_counter()
        (old,) = prepare_image(photo, *A4_BOX, max_dpi=MAIL_DPI, encoding=OLD_MAIL)
        old_s = time.perf_counter() - start
        start = time.perf_counter()
        (new,) = prepare_image(photo, *A4_BOX, max_dpi=MAIL_DPI, encoding=MAIL, turnable_box=True)
        new_s = time.perf_counter() - start
        variants["old mail"] = (Image.open(io.BytesIO(old.data)), len(old.data))
        variants["cleaned"] = (Image.open(io.BytesIO(new.data)), len(new.data))
        if has_gs:
            out, size, pages = gs_ebook(photo, work / "gs")
            gs_page = page_image(out, 0)
            with Image.open(photo) as im:
                gs_page.getexif()[0x0112] = im.getexif().get(0x0112, 1)
            variants["gs /ebook"] = (ImageOps.exif_transpose(gs_page), size // pages)
        row = {"file": photo.relative_to(demo).as_posix(), "chars": len(want), "old_s": old_s, "new_s": new_s}
        for name, (image, size) in variants.items():
            text, seconds = ours(image)
            row[name] = {"bytes": size, "ours": accuracy(text, want), "ocr_s": seconds, "px": image.size}
            if has_tess:
                row[name]["tess"] = accuracy(ocr(image, work / f"{n}.png"), want)
        rows.append(row)
        print(f"  {row['file']}: {len(want)} chars, clean-up old {old_s:.2f} s, new {new_s:.2f} s", flush=True)
    report(rows, has_gs, has_tess)


def report(rows: list[dict], has_gs: bool, has_tess: bool) -> None:
    print(f"\n{len(rows)} demo phone photos on {os.cpu_count()} cores")
    print(f"  clean-up per page: old (whitening) median {statistics.median(r['old_s'] for r in rows):.2f} s,")
    print(f"                     new (photo to scan) median {statistics.median(r['new_s'] for r in rows):.2f} s")
    names = ["original", "old mail", "cleaned"] + (["gs /ebook"] if has_gs else [])
    head = "  variant      KB/page    PP-OCR " + ("   tesseract" if has_tess else "") + "   OCR s/page   pixels"
    print(head)
    for name in names:
        got = [r[name] for r in rows]
        line = (
            f"  {name:<11}{statistics.mean(g['bytes'] for g in got) / 1024:9.0f}"
            f"{statistics.mean(g['ours'] for g in got):10.1%}"
        )
        if has_tess:
            line += f"{statistics.mean(g['tess'] for g in got):12.1%}"
        line += f"{statistics.median(g['ocr_s'] for g in got):12.2f}   {got[0]['px'][0]}×{got[0]['px'][1]}"
        print(line)
    if not has_gs:
        print("  Ghostscript not found: apt-get install ghostscript")
    if not has_tess:
        print("  tesseract chi_sim not found: apt-get install tesseract-ocr tesseract-ocr-chi-sim")


if __name__ == "__main__":
    main()
