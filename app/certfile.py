"""A patent certificate read from its file: a photo, a scan or a PDF (issue 20).

``read_certificate_file(path)`` checks the file as an attachment is checked (``scans``: missing,
empty, not an image, corrupt, encrypted: ``InputError`` naming the file), takes its first page
(an image's first frame turned by its EXIF orientation, decoded at about the size the engine reads;
a PDF's text layer, or the largest image on its first page), reads its text (``zhutui.ocr``, one
pass), puts the lines in reading order for the way the page is turned, and finds the fields
(``zhutui.certificate``).

Which way up: the engine reads a line the right way round whichever way the page lies (it turns
each line's crop), but the order of the lines depends on it. The page is read once; the lines'
boxes are then looked at in each of the four quarter turns, and the turn where the lines run
across and the certificate's labels come in their printed order (发明名称 above 专利号 above 授权公告日 …)
is the page's. No second pass of the engine.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from zhutui.certificate import LABELS, Field, Line, is_certificate, read_certificate
from zhutui.errors import InputError
from zhutui.ocr import MAX_SIDE, Box, OcrLine, OcrUnavailable, engine_name, find_text, load_models
from zhutui.photoscan import Found, to_scan
from zhutui.scans import inspect_file

# A photo is decoded at about this size (JPEG's draft): enough for the sheet to be read at
# MAX_SIDE when it fills two thirds of the picture.
DECODE_SIDE = 2000
# A field read with less confidence than this (its least sure character's probability) is neither
# filled in nor compared: a blurred photo must not raise warnings about the user's correct typing.
# On the demo's certificates (bench/bench_ocr.py, 60 certificates of two seeds) no field read
# right was below 0.51, and every field of a strongly shaken photo read wrong was below 0.28.
MIN_CONFIDENCE = 0.5
# How much of a page is read first (in reading order), and how many lines more at a time, until
# the certificate's fields are all found (read_page).
FIRST_PART = 0.6
STEP = 3
# The labels in the order a certificate prints them, top to bottom.
_ORDER = ("发明名称", "发明人", "专利号", "专利申请日", "专利权人", "授权公告日")


@dataclass(frozen=True)
class CertificateReading:
    """What was read: the fields found (none when the page is not a certificate), every line in
    reading order, the page's quarter turns counter-clockwise to stand upright, the time taken."""

    is_certificate: bool
    fields: dict[str, Field] = field(default_factory=dict)
    lines: tuple[Line, ...] = ()
    turns: int = 0
    seconds: float = 0.0

    def values(self, min_confidence: float = MIN_CONFIDENCE) -> dict[str, Any]:
        """The values read with at least ``min_confidence``: what is compared and filled in."""
        return {key: f.value for key, f in self.fields.items() if f.confidence >= min_confidence}


def first_page(path: Path) -> Image.Image | list[Line]:
    """The first page of an attachment file: an upright RGB image about the size the engine
    reads, or the lines of a PDF's text layer. Raises ``InputError`` for an unusable file."""
    info = inspect_file(path)
    if info.problem is not None:
        raise InputError(path, "", info.detail)
    if info.kind == "pdf":
        return _pdf_page(path)
    try:
        with Image.open(path) as im:
            if im.format == "JPEG":  # decode straight at a reduced scale: a 12-MP photo in a third of the time
                # (the draft is at least the size asked for on both sides: asked in the photo's
                # own proportions, a 3000 × 4000 photo decodes at 1500 × 2000)
                scale = DECODE_SIDE / max(im.size)
                im.draft("RGB", (round(im.width * scale), round(im.height * scale)))
            im.seek(0)
            upright = ImageOps.exif_transpose(im)
            page = (upright if upright is not None else im).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(path, "", f"无法读取图片（{exc}），请重新扫描或拍照") from exc
    return sheet_of(page)


def sheet_of(photo: Image.Image) -> Image.Image:
    """The sheet alone when the photo shows it on a desk (``photoscan``: perspective and tilt
    corrected, at most ``MAX_SIDE`` pixels), so that the engine reads the certificate at its
    resolution rather than the desk's; the photo as it is otherwise (a scan, no edge found)."""

    def size_for(w: float, h: float) -> tuple[int, int]:
        scale = min(1.0, MAX_SIDE / max(w, h))
        return max(1, round(w * scale)), max(1, round(h * scale))

    scanned = to_scan(photo, size_for, flatten=False)
    if scanned is None or scanned.found is not Found.SHEET:
        return photo
    return scanned.image.convert("RGB")


def _pdf_page(path: Path) -> Image.Image | list[Line]:
    from pypdf import PdfReader

    from zhutui.scanpdf import quiet_pypdf

    try:
        with quiet_pypdf(), path.open("rb") as fh:
            page = PdfReader(fh, strict=False).pages[0]
            text = page.extract_text() or ""
            if is_certificate([Line(text)]):
                return [Line(t) for t in text.splitlines() if t.strip()]
            images = [(img.image.width * img.image.height, img.image) for img in page.images if img.image is not None]
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a damaged file
        raise InputError(path, "", f"无法读取PDF的第1页（{type(exc).__name__}），请重新导出或扫描") from exc
    if not images:
        return []
    return max(images, key=lambda pair: pair[0])[1].convert("RGB")


def read_certificate_file(path: Path | str) -> CertificateReading:
    """The certificate's fields read from ``path``; ``is_certificate`` False when the file is
    readable but shows no patent certificate. Raises ``InputError`` (unusable file) and
    ``zhutui.ocr.OcrUnavailable``."""
    started = time.perf_counter()
    path = Path(path)
    # The models load (onnxruntime, in C++) while the photo is decoded and its sheet found.
    loading = _Loading()
    try:
        page = first_page(path)
    finally:
        loading.join()
    lines, turns = (tuple(page), 0) if isinstance(page, list) else read_page(page)
    fields = read_certificate(lines)
    return CertificateReading(fields is not None, fields or {}, lines, turns, time.perf_counter() - started)


class _Loading(threading.Thread):
    """The OCR models loaded in the background; an error is left for their first use to raise."""

    def __init__(self) -> None:
        super().__init__(name="ocr-models", daemon=True)
        self.start()

    def run(self) -> None:
        with contextlib.suppress(OcrUnavailable):
            load_models()


def read_page(page: Image.Image) -> tuple[tuple[Line, ...], int]:
    """The lines of a certificate's page in reading order, and the quarter turns that stand it
    upright. A certificate prints its fields above its legal text, and reading a line costs
    about as much as finding all of them: the lines are read from the top, ``FIRST_PART`` of
    them first and ``STEP`` more at a time, until every field is found and two lines past the
    last one a field was read from (a value may wrap onto the next line); the legal text below
    is not read. When that never happens (a page that is no certificate, one whose turn the
    classifier got wrong) every line is read and ordered by ``in_reading_order``."""
    text = find_text(page)
    order = _order(text.boxes, text.slant / 90)
    read = math.ceil(len(order) * FIRST_PART)
    while read < len(order):
        lines = tuple(Line(line.text, line.score) for line in text.lines(order[:read]))
        fields = read_certificate(lines)
        if (
            fields is not None
            and len(fields) == len(LABELS)
            and max(f.last_line for f in fields.values()) + 2 < len(lines)
        ):
            return lines, text.turns
        read += STEP
    return in_reading_order(text.lines(), text.slant)


def _turned(box: Box, turns: float) -> list[tuple[float, float]]:
    """The box's corners in the frame of the page turned ``turns`` quarter turns counter-clockwise,
    a fraction of one for a page lying at a slant (no page size needed: only the order of
    positions matters)."""
    # Rounded: whole quarter turns exactly (0 and ±1), as in_reading_order compares them.
    cos, sin = round(math.cos(math.pi / 2 * turns), 12), round(math.sin(math.pi / 2 * turns), 12)
    return [(x * cos + y * sin, y * cos - x * sin) for x, y in box]


def _rows(boxes: Sequence[Box], turns: float) -> list[tuple[float, float, float, int]]:
    """Each box's top, bottom and left in the turned page, and its index."""
    out = []
    for i, box in enumerate(boxes):
        pts = _turned(box, turns)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        out.append((min(ys), max(ys), min(xs), i))
    return out


def _order(boxes: Sequence[Box], turns: float) -> list[int]:
    """The boxes' indices in reading order once the page is turned: top to bottom; boxes whose
    middles are within half a line of each other form one row, read left to right."""
    rows: list[list[tuple[float, float, float, int]]] = []
    for box in sorted(_rows(boxes, turns), key=lambda b: (b[0] + b[1]) / 2):
        middle, height = (box[0] + box[1]) / 2, box[1] - box[0]
        if rows:
            last = rows[-1][0]
            if abs(middle - (last[0] + last[1]) / 2) < max(height, last[1] - last[0]) / 2:
                rows[-1].append(box)
                continue
        rows.append([box])
    return [b[3] for row in rows for b in sorted(row, key=lambda b: b[2])]


def _ordered(lines: Sequence[OcrLine], turns: float) -> list[OcrLine]:
    return [lines[i] for i in _order([line.box for line in lines], turns)]


def _across(lines: Sequence[OcrLine], turns: int) -> float:
    """How much the text runs across in this turn: total width of wide boxes minus tall ones."""
    score = 0.0
    for y0, y1, _x0, i in _rows([line.box for line in lines], turns):
        xs = [p[0] for p in _turned(lines[i].box, turns)]
        w, h = max(xs) - min(xs), y1 - y0
        score += w if w > 1.5 * h else -h if h > 1.5 * w else 0
    return score


def _label_order(lines: Sequence[OcrLine]) -> int:
    """How many pairs of the certificate's labels come in their printed order, minus those that don't."""
    seen = []
    for line in lines:
        for i, label in enumerate(_ORDER):
            if label in line.text.replace(" ", "") and not (label == "发明人" and "发明名称" in line.text):
                seen.append(i)
                break
    return sum((1 if a < b else -1) for n, a in enumerate(seen) for b in seen[n + 1 :] if a != b)


def in_reading_order(lines: Sequence[OcrLine], slant: float | None = None) -> tuple[tuple[Line, ...], int]:
    """The lines as ``certificate.Line`` in reading order, and the quarter turns (counter-clockwise)
    that make the page upright. Of the two turns in which the text runs across, the one whose
    labels come in printed order; upright when nothing tells. ``slant`` (the degrees the text
    runs at, ``PageText.slant``) adds the two exact turns of a page photographed at a slant,
    preferred when their labels are as well in order."""
    if not lines:
        return (), 0
    upright = 0 if _across(lines, 0) >= _across(lines, 1) else 1
    candidates: list[float] = [] if slant is None else [slant / 90, slant / 90 + 2]
    candidates += [upright, upright + 2]
    orders = [_ordered(lines, t) for t in candidates]
    best = max(range(len(candidates)), key=lambda i: (_label_order(orders[i]), -i))
    return tuple(Line(line.text, line.score) for line in orders[best]), round(candidates[best]) % 4


def reading_record(path: str, *, progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]) -> dict:
    """What the workspace keeps of a certificate's reading (``Workspace.set_reading``): whether
    it is one, the values confident enough to fill in and compare, each field with its
    confidence, the page's turns and the engine. Runs in the window's background process."""
    progress(0, 1, "正在识别专利证书…")
    reading = read_certificate_file(path)
    progress(1, 1, "")
    return {
        "certificate": reading.is_certificate,
        "values": reading.values(),
        "fields": {key: {"value": f.value, "confidence": f.confidence} for key, f in reading.fields.items()},
        "turns": reading.turns,
        "engine": engine_name(),
    }
