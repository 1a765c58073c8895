"""PP-OCR on onnxruntime: where the text lines are on a page, which way round each is, what it says.

The models are PaddleOCR's (Apache-2.0) as the ``rapidocr`` wheel ships them in ONNX form: the
PP-OCRv6 small text detector and recogniser (whose character table is in the model's metadata)
and the 0°/180° line classifier. They are run here directly on onnxruntime rather than through
rapidocr's own pipeline, for time: importing rapidocr parses two 85 KB YAML model tables with
OmegaConf (0.8–1.3 s of every process, a third of the time a certificate may take) and it keeps
one engine per thread. Here each model's session is loaded on first use (the turn of a page
needs no recogniser) and shared by every thread of the process: onnxruntime runs one session from
several threads at once.

The steps are PaddleOCR's, with its settings (as rapidocr's ``config.yaml`` gives them):

* detection (DB): the page at most ``limit_side`` pixels, both sides a multiple of 32, scaled to
  [-1, 1]; the probability map thresholded at 0.3 and dilated; each region's minimum-area rectangle,
  kept when its mean probability is at least 0.5, grown on every side by ``area × 1.6 / perimeter``
  (the "unclip" of DB, exact for a rectangle) and mapped back to the page;
* each line cut out along its box (perspective warp), turned a quarter when it stands upright;
* the classifier (48 × 192) says whether a line is upside down; unlike PaddleOCR, which turns
  each line it is sure of, a page's lines are turned together by the verdicts on its long lines
  (``upright``);
* recognition (48 pixels high, as wide as the widest line of its batch of 6, sorted by width),
  CTC decoded: repeats merged, blanks dropped, the confidence the mean of the characters' own.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NamedTuple

import cv2
import numpy as np

# The model files inside the rapidocr wheel (rapidocr/models/), and the package that carries them.
MODELS_PACKAGE = "rapidocr"
MODEL_FILES = {
    "det": "PP-OCRv6_det_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
}

# Detection (DB post-processing).
BINARY_THRESHOLD = 0.3
BOX_THRESHOLD = 0.5
UNCLIP_RATIO = 1.6
MIN_BOX_SIDE = 3
MAX_CANDIDATES = 1000
# Classification.
CLS_SHAPE = (48, 192)
CLS_THRESHOLD = 0.9
# Recognition.
REC_HEIGHT = 48
REC_MIN_WIDTH = 320
REC_BATCH = 6
TEXT_SCORE = 0.5  # a line read with less confidence is dropped

_sessions: dict[str, Any] = {}
_characters: list[str] = []
_lock = threading.Lock()


class ModelError(Exception):
    """A model can't be found or loaded (the message names the file and the cause)."""


def models_dir() -> Path:
    """Where the model files are: inside the installed rapidocr package, or in a frozen bundle
    under its data folder (``installer/zhutui.spec`` copies them there)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / MODELS_PACKAGE / "models"
    spec = find_spec(MODELS_PACKAGE)  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"{MODELS_PACKAGE} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def session(task: str) -> Any:
    """The onnxruntime session of ``task`` ("det", "cls", "rec"), loaded on first use and shared."""
    loaded = _sessions.get(task)
    if loaded is not None:
        return loaded
    with _lock:
        if task not in _sessions:
            loaded = _load(models_dir() / MODEL_FILES[task])
            if task == "rec":
                meta = loaded.get_modelmeta().custom_metadata_map
                if "character" not in meta:
                    raise ModelError(f"{MODEL_FILES[task]} has no character table")
                # Index 0 is CTC's blank; the model's last class is a space.
                _characters[:] = ["", *meta["character"].splitlines(), " "]
            _sessions[task] = loaded  # only once it is whole
        return _sessions[task]


def _run(task: str, batch: np.ndarray) -> np.ndarray:
    """``task``'s model on ``batch`` (its one input), its first output."""
    model = session(task)
    return model.run(None, {model.get_inputs()[0].name: batch})[0]


def _load(path: Path) -> Any:
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")  # before onnxruntime is first imported
    import onnxruntime as ort

    ort.disable_telemetry_events()
    if not path.is_file():
        raise ModelError(f"{path} is missing")
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # The memory arena on: each batch of lines would otherwise allocate afresh (recognition of a
    # certificate's lines 1.0 s instead of 1.4 s).
    options.enable_cpu_mem_arena = True
    try:
        return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own kinds for a damaged file
        raise ModelError(f"{path.name}: {exc}") from exc


def _scaled(image: np.ndarray) -> np.ndarray:
    """8-bit BGR pixels as the networks take them: float32 in [-1, 1], channels first."""
    return (image.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)


def detect(image: np.ndarray, limit_side: int) -> np.ndarray:
    """The text boxes on ``image`` (BGR, uint8), found at most ``limit_side`` pixels on its longer
    side: float32 array (n, 4, 2), corners clockwise from the upper left, in ``image``'s pixels,
    top to bottom and left to right."""
    h, w = image.shape[:2]
    ratio = min(1.0, limit_side / max(h, w))
    dh, dw = max(32, round(h * ratio / 32) * 32), max(32, round(w * ratio / 32) * 32)
    resized = cv2.resize(image, (dw, dh))
    probability = _run("det", _scaled(resized)[np.newaxis])[0, 0]
    mask = cv2.dilate((probability > BINARY_THRESHOLD).astype(np.uint8), np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(mask * 255, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for contour in contours[:MAX_CANDIDATES]:
        (cx, cy), (bw, bh), angle = cv2.minAreaRect(contour)
        if min(bw, bh) < MIN_BOX_SIDE:
            continue
        if _mean_inside(probability, cv2.boxPoints(((cx, cy), (bw, bh), angle))) < BOX_THRESHOLD:
            continue
        # DB's unclip distance: the rectangle's area × ratio / perimeter.
        corners = _grown(cv2.boxPoints(((cx, cy), (bw, bh), angle)), bw * bh * UNCLIP_RATIO / (2 * (bw + bh)))
        if corners is None:
            continue
        corners[:, 0] = np.clip(np.round(corners[:, 0] * w / dw), 0, w - 1)
        corners[:, 1] = np.clip(np.round(corners[:, 1] * h / dh), 0, h - 1)
        box = _clockwise(corners)
        if np.linalg.norm(box[0] - box[1]) > MIN_BOX_SIDE and np.linalg.norm(box[0] - box[3]) > MIN_BOX_SIDE:
            boxes.append(box)
    return _reading_order(np.array(boxes, dtype=np.float32).reshape(-1, 4, 2))


def _grown(corners: np.ndarray, distance: float) -> np.ndarray | None:
    """A box grown by ``distance`` on every side: DB's unclip, as PaddleOCR does it (Clipper's
    rounded offset of the box on whole pixels, then the smallest rectangle around that), so that
    lines are cut exactly where the models were trained to see them. None when the grown box is
    still too thin to be a line."""
    import pyclipper

    offset = pyclipper.PyclipperOffset()
    offset.AddPath(corners, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    grown = np.array(offset.Execute(distance), dtype=np.float32).reshape(-1, 2)
    if len(grown) < 3:
        return None
    rect = cv2.minAreaRect(grown)
    return cv2.boxPoints(rect) if min(rect[1]) >= MIN_BOX_SIDE + 2 else None


def _mean_inside(probability: np.ndarray, corners: np.ndarray) -> float:
    """The mean probability inside a quadrilateral."""
    h, w = probability.shape
    x0, y0 = np.clip(np.floor(corners.min(axis=0)).astype(int), 0, [w - 1, h - 1])
    x1, y1 = np.clip(np.ceil(corners.max(axis=0)).astype(int), 0, [w - 1, h - 1])
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), np.uint8)
    cv2.fillPoly(mask, [(corners - [x0, y0]).astype(np.int32)], 1)
    return float(cv2.mean(probability[y0 : y1 + 1, x0 : x1 + 1], mask)[0])


def _clockwise(corners: np.ndarray) -> np.ndarray:
    """Upper left, upper right, lower right, lower left."""
    by_x = corners[np.argsort(corners[:, 0], kind="stable")]
    left, right = by_x[:2], by_x[2:]
    (tl, bl), (tr, br) = left[np.argsort(left[:, 1])], right[np.argsort(right[:, 1])]
    return np.array([tl, tr, br, bl], dtype=np.float32)


def _reading_order(boxes: np.ndarray, same_row: float = 10) -> np.ndarray:
    """Top to bottom by the upper-left corner; corners less than ``same_row`` pixels below the
    previous one's are on its row, read left to right."""
    if len(boxes) == 0:
        return boxes
    by_y = boxes[np.argsort(boxes[:, 0, 1], kind="stable")]
    rows = np.concatenate([[0], np.cumsum(np.diff(by_y[:, 0, 1]) >= same_row)])
    return by_y[np.lexsort((by_y[:, 0, 0], rows))]


def standing(box: np.ndarray) -> bool:
    """Whether a line's box stands upright (half as high again as wide): a line on a page lying on
    its side, cut out turned a quarter counter-clockwise."""
    return bool(np.linalg.norm(box[0] - box[3]) >= 1.5 * np.linalg.norm(box[0] - box[1]))


def crop(image: np.ndarray, box: np.ndarray) -> np.ndarray:
    """The line inside ``box``, straightened; turned a quarter counter-clockwise when it stands
    upright (a line on a page lying on its side)."""
    width = int(max(np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[2] - box[3])))
    height = int(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2])))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    line = cv2.warpPerspective(
        image,
        cv2.getPerspectiveTransform(box.astype(np.float32), target),
        (width, height),
        borderMode=cv2.BORDER_REPLICATE,
        flags=cv2.INTER_CUBIC,
    )
    return np.rot90(line) if height / width >= 1.5 else line


def _fitted(line: np.ndarray, height: int, width: int) -> np.ndarray:
    """``line`` scaled to ``height`` (no wider than ``width``), scaled to [-1, 1] and padded on the
    right to ``width``."""
    scaled_width = min(width, math.ceil(height * line.shape[1] / line.shape[0]))
    out = np.zeros((3, height, width), dtype=np.float32)
    out[:, :, :scaled_width] = _scaled(cv2.resize(line, (scaled_width, height)))
    return out


def upside_down(lines: list[np.ndarray]) -> list[tuple[bool, float]]:
    """For each line, whether the classifier reads it upside down, and how sure it is (0.5..1)."""
    if not lines:
        return []
    batch = np.stack([_fitted(line, *CLS_SHAPE) for line in lines])
    probabilities = _run("cls", batch)
    return [(bool(p.argmax() == 1), float(p.max())) for p in probabilities]


def along(box: np.ndarray) -> np.ndarray:
    """The direction on the page (a unit vector, y down) that a line's cut-out reads along, left
    to right: its box's upper edge, or its left edge downwards when it was cut out standing and
    turned a quarter (``crop``)."""
    edge = box[3] - box[0] if standing(box) else box[1] - box[0]
    length = float(np.linalg.norm(edge))
    return edge / length if length else np.array([1.0, 0.0], dtype=np.float32)


def upright(lines: list[np.ndarray], boxes: np.ndarray) -> tuple[list[np.ndarray], np.ndarray | None]:
    """A page's lines (cut out of ``boxes``) turned the right way round, and the direction its
    text runs in (a unit vector on the page, y down; None when no line is long enough to tell).

    A page's text runs one way. Each long line (at least twice as wide as high: a short word can
    read either way) votes for the direction its cut-out reads along, or the opposite when the
    classifier reads it upside down, weighted by how sure the classifier is; every line is then
    turned to read along the sum. PaddleOCR decides line by line (turned when the classifier says
    so with more than 0.9), and a box a pixel larger or smaller moves a verdict across that line:
    a certificate's title, upside down on the photo, was read "护系护一：". The lines of a page
    photographed at a slant near 45° are cut out some one way and some the other, which the
    direction takes in. Line by line only when no line is long enough to tell."""
    verdicts = upside_down(lines)
    text = _direction(lines, boxes, verdicts)
    if text is None:
        turn = [flipped and score > CLS_THRESHOLD for flipped, score in verdicts]
    else:
        turn = [float(along(box) @ text) < 0 for box in boxes]
    return [cv2.rotate(line, cv2.ROTATE_180) if t else line for line, t in zip(lines, turn, strict=True)], text


def text_direction(lines: list[np.ndarray], boxes: np.ndarray) -> np.ndarray | None:
    """The direction a page's text runs in (a unit vector on the page, y down), voted by its
    lines as ``upright`` does; None when no line is long enough to tell."""
    return _direction(lines, boxes, upside_down(lines))


def _direction(lines: list[np.ndarray], boxes: np.ndarray, verdicts: list[tuple[bool, float]]) -> np.ndarray | None:
    votes = [
        (2 * score - 1) * (-along(box) if flipped else along(box))
        for line, box, (flipped, score) in zip(lines, boxes, verdicts, strict=True)
        if line.shape[1] >= 2 * line.shape[0]
    ]
    total = np.sum(votes, axis=0) if votes else None
    return None if total is None or not np.any(total) else total / np.linalg.norm(total)


class Read(NamedTuple):
    """A line as read: its text, the mean of its characters' probabilities (PaddleOCR's
    confidence) and the least of them (how sure the engine is of its least sure character)."""

    text: str
    mean: float
    least: float


NOTHING = Read("", 0.0, 0.0)


def recognise(lines: list[np.ndarray]) -> list[Read]:
    """Each line's text and confidences; ``NOTHING`` for a line read with a mean confidence
    below ``TEXT_SCORE``."""
    if not lines:
        return []
    ratios = [line.shape[1] / line.shape[0] for line in lines]
    order = np.argsort(ratios, kind="stable")
    out: list[Read] = [NOTHING] * len(lines)
    for start in range(0, len(lines), REC_BATCH):
        members = order[start : start + REC_BATCH]
        width = int(REC_HEIGHT * max(REC_MIN_WIDTH / REC_HEIGHT, *(ratios[i] for i in members)))
        batch = np.stack([_fitted(lines[i], REC_HEIGHT, width) for i in members])
        probabilities = _run("rec", batch)
        for i, row in zip(members, probabilities, strict=True):
            out[i] = _decoded(row)
    return out


def _decoded(row: np.ndarray) -> Read:
    """CTC greedy decoding of one line: the likeliest class at each step, repeats merged, blanks
    dropped."""
    best = row.argmax(axis=1)
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != 0
    if not keep.any():
        return NOTHING
    probabilities = row.max(axis=1)[keep]
    mean = float(np.mean(probabilities))
    if mean < TEXT_SCORE:
        return NOTHING
    return Read("".join(_characters[i] for i in best[keep]), mean, float(np.min(probabilities)))
