"""Text on a scan, read offline: PP-OCR models (inside the ``rapidocr`` wheel) on onnxruntime.

Nothing is downloaded and nothing is sent: the models ship in the ``rapidocr`` wheel and run in
``zhutui.ppocr``; onnxruntime's own telemetry is switched off before it is first imported
(``ORT_DISABLE_TELEMETRY`` for its 1DS events, ``disable_telemetry_events()`` for Windows' ETW).
Each model is loaded on first use (about 0.1–0.2 s) and shared by every thread of the process.

Pages are read at most ``MAX_SIDE`` pixels on their longer side: a 12-megapixel phone photo reads
as well at 1280 pixels as at full size, in a third of the time (measured on the demo
certificates, see ``bench/bench_scan.py``); the detector looks at them at ``DET_SIDE``.

``find_text(image)`` finds the lines and turns each the right way round, without reading them;
``PageText.lines(indices)`` reads those asked for (each once), so that a caller that knows which
lines it needs (the certificate's fields, above its legal text) reads only those.
``read_lines(image)`` reads them all. ``quarter_turns(image)`` says how a page must be turned to
stand upright, from the direction of its text lines (detected, then the longest lines' 0°/180°
classifier), for a photo whose EXIF says nothing: on a small copy (``TURN_SIDE``), detected at
``TURN_DET_SIDE``, no recogniser loaded.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

MAX_SIDE = 1280
# The text detector looks at the page this size at most (PaddleOCR's default, at least 736 on the
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

Box = tuple[tuple[float, float], ...]


def reading_on() -> bool:
    """Whether the window reads attached scans by itself (``ZHUTUI_READ_SCANS``, default on)."""
    return os.environ.get(READ_SCANS_ENV, "1") != "0"


class OcrUnavailable(Exception):
    """The OCR engine is not installed or can't load its models; the message is Chinese."""


@dataclass(frozen=True)
class OcrLine:
    """One line of text read on a page: its text, the engine's confidence (0..1) and its box
    (four corners, clockwise from the upper left, in pixels of the page as given). The
    confidence is that of the line's least sure character: one character misread in a line of
    twenty (件 read 伴) hardly moves the mean of their probabilities (0.98), its own is 0.69."""

    text: str
    score: float
    box: Box


def _ppocr() -> Any:
    """The inference module, imported on first use (numpy, OpenCV, onnxruntime)."""
    try:
        from zhutui import ppocr

        return ppocr
    except Exception as exc:  # noqa: BLE001 - an ImportError, a DLL that won't load
        raise OcrUnavailable(f"文字识别组件无法加载（{type(exc).__name__}: {exc}），请重新安装本软件。") from exc


def _session(task: str) -> None:
    ppocr = _ppocr()
    try:
        ppocr.session(task)
    except Exception as exc:  # noqa: BLE001 - a missing or damaged model file, onnxruntime's own errors
        raise OcrUnavailable(f"文字识别组件无法加载（{type(exc).__name__}: {exc}），请重新安装本软件。") from exc


def load_models(tasks: Iterable[str] = ("det", "cls", "rec")) -> None:
    """Load the models now (else on first use). Raises ``OcrUnavailable``."""
    for task in tasks:
        _session(task)


def engine_name() -> str:
    """The models and the runtime with their versions, as a reading records them."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"PP-OCRv6 (rapidocr {version('rapidocr')}), onnxruntime {version('onnxruntime')}"
    except PackageNotFoundError:  # a frozen bundle without the distributions' metadata
        return "PP-OCRv6"


def _bgr(image: Image.Image, side: int) -> tuple[Any, float]:
    """``image`` as BGR pixels at most ``side`` pixels on its longer side, and the factor back to
    its own pixels."""
    import numpy as np

    rgb = image if image.mode == "RGB" else image.convert("RGB")
    scale = min(1.0, side / max(rgb.size))
    if scale < 1:
        size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
        rgb = rgb.resize(size, Image.Resampling.BILINEAR)
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1]), (1 / scale if scale < 1 else 1.0)


@dataclass
class PageText:
    """The text lines found on a page, each turned the right way round, read when asked for.
    ``boxes`` are in the page's own pixels, top to bottom and left to right."""

    boxes: list[Box]
    turns: int  # quarter turns counter-clockwise that stand the page upright, by its lines
    slant: float  # the degrees (clockwise, y down) its text runs at: 90 × turns, give or take 45
    _crops: list[Any] = field(repr=False)
    _read: dict[int, Any] = field(default_factory=dict, repr=False)  # index → ppocr.Read

    def lines(self, indices: Iterable[int] | None = None) -> list[OcrLine]:
        """The lines at ``indices`` (all when None), in that order, read now if not yet; lines
        read as nothing or with too little confidence are left out. Raises ``OcrUnavailable``."""
        wanted = list(range(len(self.boxes)) if indices is None else indices)
        new = [i for i in dict.fromkeys(wanted) if i not in self._read]
        if new:
            _session("rec")
            for i, result in zip(new, _ppocr().recognise([self._crops[i] for i in new]), strict=True):
                self._read[i] = result
        return [
            OcrLine(self._read[i].text, self._read[i].least, self.boxes[i])
            for i in wanted
            if self._read[i].text.strip()
        ]


def find_text(image: Image.Image) -> PageText:
    """The text lines on ``image``, found and turned the right way round, not yet read.
    Raises ``OcrUnavailable``."""
    load_models(("det", "cls"))
    ppocr = _ppocr()
    pixels, back = _bgr(image, MAX_SIDE)
    found = ppocr.detect(pixels, DET_SIDE)
    crops, text = ppocr.upright([ppocr.crop(pixels, box) for box in found], found)
    boxes = [tuple((float(x) * back, float(y) * back) for x, y in box) for box in found]
    turns, slant = _turns_and_slant(text)
    return PageText(boxes, turns, slant, crops)


def _turns_and_slant(text: Any) -> tuple[int, float]:
    """For text running in direction ``text`` (a vector on the page, y down; None: nothing tells),
    the quarter turns counter-clockwise that stand the page up (1 when it runs downwards: the page
    was turned clockwise; 2 leftwards, 3 upwards) and the exact angle, clockwise from left to right."""
    if text is None:
        return 0, 0.0
    slant = math.degrees(math.atan2(float(text[1]), float(text[0]))) % 360
    return round(slant / 90) % 4, slant


def read_lines(image: Image.Image) -> list[OcrLine]:
    """The text lines on ``image`` in reading order (top to bottom, left to right); [] when there
    is no text. Raises ``OcrUnavailable``."""
    return find_text(image).lines()


def _side(box: Any) -> tuple[float, float]:
    """A box's extent along x and along y."""
    xs, ys = [float(p[0]) for p in box], [float(p[1]) for p in box]
    return max(xs) - min(xs), max(ys) - min(ys)


def quarter_turns(image: Image.Image) -> int:
    """How many quarter turns counter-clockwise (``image.rotate(90 * n, expand=True)``) make the
    page's text stand upright: 0–3; 0 when there is too little text to tell. Raises
    ``OcrUnavailable``."""
    load_models(("det", "cls"))
    ppocr = _ppocr()
    pixels, _ = _bgr(image, TURN_SIDE)
    boxes = ppocr.detect(pixels, TURN_DET_SIDE)
    longest = boxes[sorted(range(len(boxes)), key=lambda i: -max(_side(boxes[i])))[:ORIENTATION_LINES]]
    return _turns_and_slant(ppocr.text_direction([ppocr.crop(pixels, box) for box in longest], longest))[0]
