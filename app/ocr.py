"""Text on a scan, read offline: rapidocr (PP-OCR models inside its wheel) on onnxruntime.

Nothing is downloaded and nothing is sent: the models ship in the ``rapidocr`` wheel, and
onnxruntime's own telemetry is switched off before it is first imported (``ORT_DISABLE_TELEMETRY``
for its 1DS events, ``disable_telemetry_events()`` for Windows' ETW). The engine is loaded on first
use (about a second) and kept per thread: one engine must not serve two threads at once.

Pages are read at most ``MAX_SIDE`` pixels on their longer side: a 12-megapixel phone photo reads
as well at 1280 pixels as at full size, in a third of the time (measured on the demo
certificates, see ``bench/bench_scan.py``).

``read_lines(image)`` gives the lines in reading order with their confidence and box;
``quarter_turns(image)`` says how a page must be turned to stand upright, from the direction of its
text lines (detected, then each line's 0°/180° classifier), for a photo whose EXIF says nothing.
It runs on a small copy (``TURN_SIDE``) with its own engines, whose detector works at
``TURN_DET_SIDE`` pixels on the shorter side (the default 736 is for reading, not for finding
which way lines run), detects once (a page lying on its side has its boxes turned, not detected
again) and classifies the longest lines in one batch. Its engines are shared by every thread, one
call at a time each, and kept for the process: the render's worker threads come and go, and an
engine takes 2–3 s to load. About 0.3 s a page on two cores, where it took 1–1.7 s.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from PIL import Image

MAX_SIDE = 1280
# The text detector looks at the page this size at most (its own default, at least 736 on the
# shorter side, is for small print): a certificate's lines are found as well at 800, in 40 % of
# the time (bench/bench_ocr.py). The lines are then read from the page at MAX_SIDE.
DET_SIDE = 800
TURN_SIDE = 800  # quarter_turns looks at a copy this size at most
TURN_DET_SIDE = 480
# Lines looked at to tell a page from one turned upside down: the longest ones (a long line's
# direction is clear; a two-character box can be either).
ORIENTATION_LINES = 16

# The window reads attached certificates unless this is "0" (README: a slow PC, the tests).
READ_SCANS_ENV = "ZHUTUI_READ_SCANS"

_local = threading.local()
_idle: list[Any] = []  # quarter_turns' engines not in use
_idle_lock = threading.Lock()


def reading_on() -> bool:
    """Whether the window reads attached scans by itself (``ZHUTUI_READ_SCANS``, default on)."""
    return os.environ.get(READ_SCANS_ENV, "1") != "0"


class OcrUnavailable(Exception):
    """The OCR engine is not installed or can't load its models; the message is Chinese."""


@dataclass(frozen=True)
class OcrLine:
    """One line of text read on a page: its text, the engine's confidence (0..1) and its box
    (four corners, clockwise from the upper left, in pixels of the page as given)."""

    text: str
    score: float
    box: tuple[tuple[float, float], ...]


def engine() -> Any:
    """This thread's OCR engine, loaded on first use. Raises ``OcrUnavailable``."""
    loaded = getattr(_local, "engine", None)
    if loaded is not None:
        return loaded
    loaded = _load({"Global.max_side_len": MAX_SIDE, "Det.limit_type": "max", "Det.limit_side_len": DET_SIDE})
    _local.engine = loaded
    return loaded


def _load(params: dict[str, Any]) -> Any:
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")  # before onnxruntime is first imported
    try:
        import onnxruntime

        onnxruntime.disable_telemetry_events()
        from rapidocr import RapidOCR

        # onnxruntime's memory arena on: rapidocr turns it off, and each line's recognition then
        # allocates afresh (a certificate's lines read in 1.0 s instead of 1.4 s); the process
        # is short-lived (the command, the window's background process).
        return RapidOCR(
            params={"Global.log_level": "error", "EngineConfig.onnxruntime.enable_cpu_mem_arena": True, **params}
        )
    except Exception as exc:  # noqa: BLE001 - an ImportError, a missing model, a DLL that won't load
        raise OcrUnavailable(f"文字识别组件无法加载（{type(exc).__name__}: {exc}），请重新安装本软件。") from exc


@contextlib.contextmanager
def _turn_engine() -> Iterator[Any]:
    """An idle engine for quarter_turns (loaded when none is idle), given back afterwards."""
    with _idle_lock:
        loaded = _idle.pop() if _idle else None
    if loaded is None:
        loaded = _load({"Global.max_side_len": TURN_SIDE, "Det.limit_side_len": TURN_DET_SIDE})
    try:
        yield loaded
    finally:
        with _idle_lock:
            _idle.append(loaded)


def engine_name() -> str:
    """The engine and its version, as a reading records it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"rapidocr {version('rapidocr')}, onnxruntime {version('onnxruntime')}"
    except PackageNotFoundError:  # a frozen bundle without the distributions' metadata
        return "rapidocr"


def _rgb(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGB" else image.convert("RGB")


def read_lines(image: Image.Image) -> list[OcrLine]:
    """The text lines on ``image`` in reading order (top to bottom, left to right); [] when there
    is no text."""
    result = engine()(_rgb(image), use_det=True, use_cls=True, use_rec=True)
    if getattr(result, "txts", None) is None:
        return []
    return [
        OcrLine(str(text), float(score), tuple((float(x), float(y)) for x, y in box))
        for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True)
        if str(text).strip()
    ]


def _side(box: Any) -> tuple[float, float]:
    """A box's extent along x and along y."""
    xs, ys = [float(p[0]) for p in box], [float(p[1]) for p in box]
    return max(xs) - min(xs), max(ys) - min(ys)


def _upside_down(ocr: Any, image: Image.Image, boxes: list[Any]) -> bool | None:
    """Whether the (horizontal) lines in ``boxes`` read upside down, by the engine's 0°/180°
    classifier on the longest of them, in one batch; None when it can't tell."""
    import numpy as np

    longest = sorted(boxes, key=lambda b: _side(b)[0], reverse=True)[:ORIENTATION_LINES]
    crops = []
    for box in longest:
        xs, ys = [float(p[0]) for p in box], [float(p[1]) for p in box]
        crop = image.crop((int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1))
        if crop.width >= 8 and crop.height >= 8:
            crops.append(np.ascontiguousarray(np.asarray(crop)[:, :, ::-1]))
    if not crops:
        return None
    classify = getattr(ocr, "_load_cls_model", None)
    if classify is not None:  # rapidocr's classifier on the whole batch
        results = list(classify()(crops).cls_res or ())
    else:
        results = [r for c in crops for r in getattr(ocr(c, use_det=False, use_cls=True, use_rec=False), "cls_res", ())]
    votes = sum(float(score) if str(label) == "180" else -float(score) for label, score in results)
    return None if votes == 0 else votes > 0


def _turned(box: Any, width: int) -> list[tuple[float, float]]:
    """A box's corners once its ``width``-pixel-wide image is turned a quarter counter-clockwise."""
    return [(float(y), width - float(x)) for x, y in box]


def quarter_turns(image: Image.Image) -> int:
    """How many quarter turns counter-clockwise (``image.rotate(90 * n, expand=True)``) make the
    page's text stand upright: 0–3; 0 when there is too little text to tell."""
    small = _rgb(image)
    scale = TURN_SIDE / max(small.size)
    if scale < 1:
        small = small.resize((round(small.width * scale), round(small.height * scale)), Image.Resampling.BILINEAR)
    with _turn_engine() as ocr:
        result = ocr(small, use_det=True, use_cls=False, use_rec=False)
        boxes = [] if getattr(result, "boxes", None) is None else list(result.boxes)
        wide = sum(w for w, h in map(_side, boxes) if w > 2 * h)
        tall = sum(h for w, h in map(_side, boxes) if h > 2 * w)
        turns = 0
        if tall > 2 * wide:  # the lines run up and down: turn a quarter, and the boxes with it
            boxes = [_turned(b, small.width) for b in boxes]
            small = small.rotate(90, expand=True)
            turns = 1
        boxes = [b for b in boxes if _side(b)[0] > 2 * _side(b)[1]]
        flipped = _upside_down(ocr, small, boxes) if boxes else None
    return (turns + 2) % 4 if flipped else turns
