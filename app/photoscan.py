"""A photographed document made into a scan: the sheet found, its perspective corrected, upright,
straight, its light flattened to white paper and black text, colour kept only where there is some.

``to_scan(image, size_for, turn=...)`` takes a page as decoded (EXIF orientation applied) and:

1. finds the sheet on a copy of at most ``DETECT_SIDE`` pixels: the paper (bright, found by its
   own level) against the desk around it (dark, reaching the picture's edge); its outline's
   convex hull reduced to four corners is the sheet when it fills that quadrilateral and its
   opposite sides are alike (a shadow across the sheet cuts a corner off the bright outline:
   the paper in shade, grey where a wooden desk is brown, is then taken in too);
2. from that small copy warped to a rectangle (snapped to A4's proportions when within
   ``A4_SNAP``), tells which way up it is (``zhutui.ocr.quarter_turns``, only when ``turn``: the
   EXIF orientation said nothing) and how far its lines of text are tilted (within ±10°);
3. warps the picture once, at the output size ``size_for`` gives: perspective, quarter turns and
   tilt in one matrix, a thin band at the sheet's edge left out;
4. divides the page by its own paper level (estimated at 1/8 scale: a local maximum, blurred) so
   uneven light and shadow turn white and the text dark; greyscale unless there is clear colour
   (a red seal).

A page without a desk around it (a flatbed scan, a page filling the picture) is whitened as it is
(``Found.FLAT``, nothing to tell the user). Desk but no edge (the sheet runs out of the picture,
something lies on it) falls back to the whitening of ``images.clean_page`` (``Found.NO_EDGE``: the
user is told to take the photo again). A picture that is not mostly paper gives None.
Qt-free: OpenCV (``cv2``) and Pillow.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

DETECT_SIDE = 1000  # the sheet is looked for on a copy this size at most
TILT_SIDE = 800  # the tilt and which way up, on the warped small copy
A4 = 297 / 210
A4_SNAP = 0.06  # a sheet within 6 % of A4's proportions becomes exactly A4
MAX_TILT = 10.0
_MIN_SHEET = 0.2  # of the picture: a smaller bright quadrilateral is not the sheet
_SHEET_FILL = 0.9  # the paper fills its quadrilateral (a folded corner, a clip: still a sheet)
_MIN_SIDE_RATIO = 0.8  # opposite sides of a photographed sheet: foreshortened by a fifth at most
_SHADE_LEVEL = 0.4  # paper in shade: at least this share of the paper's brightness…
_SHADE_SATURATION = 40  # …and no more coloured than this (HSV saturation, 0–255)
_MIN_PAPER_SHARE = 0.5  # as images._MIN_PAPER_SHARE: less paper is a photo of something else
_DESK_SHARE = 0.2  # of the picture's border not paper: a desk around the sheet
_EDGE_INSET = 0.006  # of the sheet's size, left out along its edge (the edge's line and shadow)
_BLACK, _WHITE = 80, 225  # after dividing by the paper: darker is black, lighter is white (thin strokes bold)
_LEVELS = np.array(
    [0 if v <= _BLACK else 255 if v >= _WHITE else round((v - _BLACK) * 255 / (_WHITE - _BLACK)) for v in range(256)],
    dtype=np.uint8,
)
_COLOUR_SHARE = 0.001  # as images.has_colour: this share of clearly coloured pixels keeps colour


class Found(enum.Enum):
    SHEET = "sheet"  # the sheet's edge was found: perspective corrected, cropped to the page
    FLAT = "flat"  # no desk around the page (a flatbed scan, a close-up): whitened as it is
    NO_EDGE = "no_edge"  # a desk, but no sheet's edge found: only whitened (the user is told)


@dataclass(frozen=True)
class Scanned:
    image: Image.Image  # RGB with colour, L otherwise
    found: Found
    turns: int  # quarter turns counter-clockwise made by its text (0 when not looked at)
    tilt: float  # degrees the text was turned straight by


SizeFor = Callable[[float, float], tuple[int, int]]  # an upright page's size in pixels → output pixels
Whitening = Callable[[Image.Image], Image.Image | None]


def to_scan(
    im: Image.Image,
    size_for: SizeFor,
    *,
    turn: bool = False,
    whiten_only: Whitening | None = None,
    flatten: bool = True,
) -> Scanned | None:
    """``im`` (RGB or L, upright by its EXIF) as a clean scan at the size ``size_for`` gives for
    its page; None when it is not a photo or scan of a document. ``whiten_only`` is the fallback
    for a desk without a sheet's edge (``images.clean_page``; without it such a page gives None).
    Without ``flatten`` the sheet comes out as photographed (perspective, turns and tilt
    corrected, light left as it is): what the certificate reader reads."""
    if min(im.size) < 64:
        return None
    factor = max(1, math.ceil(max(im.size) / DETECT_SIDE))
    small = np.asarray(im.reduce(factor) if factor > 1 else im)
    grey = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    paper_level = _paper_level(grey)
    if paper_level is None:
        return None
    threshold = _threshold(grey, paper_level)
    blurred = cv2.GaussianBlur(grey, (5, 5), 0)
    mask = (blurred >= threshold).astype(np.uint8)
    ring = np.concatenate([mask[2, :], mask[-3, :], mask[:, 2], mask[:, -3]])
    desk = 1 - ring.mean() >= _DESK_SHARE
    quad = _sheet(mask) if desk else None
    if desk and (quad is None or not _plausible(quad)):
        quad = _in_shade(small, blurred, mask, paper_level)
    if quad is None and mask.mean() < _MIN_PAPER_SHARE:
        return None
    if quad is None and desk:
        return _fallback(im, size_for, turn, whiten_only) if whiten_only else None
    if quad is None:  # the whole picture is the page
        h, w = grey.shape
        quad = np.array([(0, 0), (w, 0), (w, h), (0, h)], dtype=np.float64)
        width, height = float(w), float(h)
    else:
        width, height = _snap(*_sides(quad))
    # The small copy warped and turned (about TILT_SIDE px): which way up, and the tilt.
    view = TILT_SIDE / max(width, height)
    preview = cv2.warpPerspective(
        small,
        _homography(quad, width, height, view, 0, 0.0),
        (round(width * view), round(height * view)),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    turns = _turns(preview) if turn else 0
    preview = np.ascontiguousarray(np.rot90(preview, turns))
    tilt = _tilt(preview if preview.ndim == 2 else cv2.cvtColor(preview, cv2.COLOR_RGB2GRAY))
    # The whole picture, warped once at the output size.
    up_w, up_h = (height, width) if turns % 2 else (width, height)
    out_w, out_h = size_for(up_w * factor, up_h * factor)
    source = np.asarray(im)
    scale = out_w / (up_w * factor)
    matrix = _homography(quad * factor, width * factor, height * factor, scale, turns, tilt)
    if scale < 0.7:  # much larger than needed: reduced first (a warp samples, it doesn't average)
        pre = max(scale * 1.25, 1 / 8)
        source = cv2.resize(source, None, fx=pre, fy=pre, interpolation=cv2.INTER_AREA)
        matrix = matrix @ np.diag([1 / pre, 1 / pre, 1.0])
    page = cv2.warpPerspective(source, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    found = Found.FLAT if width == grey.shape[1] and height == grey.shape[0] else Found.SHEET
    if not flatten:  # the sheet alone, as photographed (for OCR, which reads grey better than levels)
        return Scanned(Image.fromarray(page), found, turns, tilt)
    return Scanned(_keep_colour(whiten(page, edge=found is Found.SHEET)), found, turns, tilt)


def _paper_level(grey: np.ndarray) -> float | None:
    """The paper's brightness: the level the brightest tenth of the (text-free) picture reaches;
    None when nothing is bright enough to be paper."""
    background = cv2.dilate(grey, np.ones((7, 7), np.uint8))
    level = float(np.percentile(background, 90))
    return None if level < 96 else level


def _threshold(grey: np.ndarray, paper_level: float) -> float:
    """Paper from desk: Otsu's level between the two, no brighter than 0.85 of the paper (light
    falling off across the sheet) and no darker than half of it."""
    otsu, _ = cv2.threshold(cv2.GaussianBlur(grey, (5, 5), 0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return min(max(float(otsu), paper_level * 0.5), paper_level * 0.85)


def _sheet(mask: np.ndarray) -> np.ndarray | None:
    """The sheet's four corners (clockwise from the upper left, in the mask's pixels), or None."""
    h, w = mask.shape
    k = max(3, (min(h, w) // 40) | 1)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))  # text holes filled
    closed = cv2.morphologyEx(closed, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))  # bright bits on the desk
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline)
    if area < _MIN_SHEET * h * w:
        return None
    hull = cv2.convexHull(outline)
    perimeter = cv2.arcLength(hull, True)
    corners = None
    for share in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, share * perimeter, True)
        if len(approx) == 4:
            corners = approx.reshape(4, 2).astype(np.float64)
            break
    if corners is None or area < _SHEET_FILL * cv2.contourArea(corners.astype(np.float32)):
        return None
    # A corner on the picture's edge: the sheet runs out of the picture, its edge is not known.
    edge = 2
    if any(x <= edge or y <= edge or x >= w - 1 - edge or y >= h - 1 - edge for x, y in corners):
        return None
    corners = _ordered(corners)
    for i in range(4):  # every angle between 50° and 130°: a sheet in perspective, not a wedge
        a, b, c = corners[i - 1], corners[i], corners[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if abs(cos) > math.cos(math.radians(50)):
            return None
    centre = corners.mean(axis=0)
    return corners + (centre - corners) * _EDGE_INSET * 2


def _plausible(quad: np.ndarray) -> bool:
    """Whether a quadrilateral can be a sheet photographed from above or at a slant: opposite
    sides within ``_MIN_SIDE_RATIO`` of each other. A shadow across the sheet cuts the paper's
    outline, and its hull then has four corners that are no sheet's (one side much shorter than
    its opposite): cropping to it would cut the page's text off."""
    sides = [float(np.linalg.norm(quad[i] - quad[(i + 1) % 4])) for i in range(4)]
    return all(min(a, b) >= _MIN_SIDE_RATIO * max(a, b) for a, b in ((sides[0], sides[2]), (sides[1], sides[3])))


def _in_shade(small: np.ndarray, blurred: np.ndarray, mask: np.ndarray, paper_level: float) -> np.ndarray | None:
    """The sheet when a shadow (the phone, a hand) lies across it: paper in shade is darker than
    the threshold but still grey (unsaturated) and brighter than ``_SHADE_LEVEL`` of the paper,
    where a desk is coloured (wood) or darker. Looked at only when the plain outline gives no
    plausible sheet: a grey desk as bright as paper in shade would join the sheet."""
    if small.ndim == 2:
        return None
    saturation = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)[:, :, 1]
    shaded = (blurred >= paper_level * _SHADE_LEVEL) & (cv2.GaussianBlur(saturation, (5, 5), 0) <= _SHADE_SATURATION)
    quad = _sheet(mask | shaded.astype(np.uint8))
    return quad if quad is not None and _plausible(quad) else None


def _ordered(corners: np.ndarray) -> np.ndarray:
    """Upper left, upper right, lower right, lower left."""
    centre = corners.mean(axis=0)
    angles = np.arctan2(corners[:, 1] - centre[1], corners[:, 0] - centre[0])
    ring = corners[np.argsort(angles)]  # clockwise on screen (y down), from the left
    start = int(np.argmin(ring.sum(axis=1)))
    return np.roll(ring, -start, axis=0)


def _sides(quad: np.ndarray) -> tuple[float, float]:
    ul, ur, lr, ll = quad
    width = (np.linalg.norm(ur - ul) + np.linalg.norm(lr - ll)) / 2
    height = (np.linalg.norm(ll - ul) + np.linalg.norm(lr - ur)) / 2
    return float(width), float(height)


def _snap(width: float, height: float) -> tuple[float, float]:
    """A4's proportions when the sheet is within ``A4_SNAP`` of them (its area kept)."""
    ratio = max(width, height) / min(width, height)
    if abs(ratio / A4 - 1) > A4_SNAP:
        return width, height
    area = width * height
    short = math.sqrt(area / A4)
    return (short, short * A4) if height >= width else (short * A4, short)


def _homography(quad: np.ndarray, width: float, height: float, scale: float, turns: int, tilt: float) -> np.ndarray:
    """From the picture to the output: the sheet's quadrilateral to a ``width`` × ``height``
    rectangle, turned ``turns`` quarters counter-clockwise, straightened by ``tilt`` degrees
    about its centre, scaled by ``scale``."""
    target = np.array([(0, 0), (width, 0), (width, height), (0, height)], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target).astype(np.float64)
    w, h = width, height
    for _ in range(turns % 4):  # (x, y) → (y, w − x), as Image.rotate(90, expand=True)
        matrix = np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], dtype=np.float64) @ matrix
        w, h = h, w
    if tilt:
        rotation = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), tilt, 1.0), [0, 0, 1]])
        matrix = rotation @ matrix
    return np.diag([scale, scale, 1.0]) @ matrix


def _turns(page: np.ndarray) -> int:
    """Quarter turns counter-clockwise that make the page's text upright (0 when the OCR engine
    can't load: the page is kept as it is)."""
    from zhutui import ocr

    try:
        return ocr.quarter_turns(Image.fromarray(page))
    except ocr.OcrUnavailable:
        return 0


def _tilt(grey: np.ndarray) -> float:
    """The angle (degrees, counter-clockwise positive) that makes the page's lines of text level:
    the one whose rows of ink alternate most sharply (the sum of the squared row counts),
    searched within ±``MAX_TILT``; 0 when there is too little ink to tell."""
    background = cv2.GaussianBlur(cv2.dilate(grey, np.ones((9, 9), np.uint8)), (0, 0), 4)
    ink = grey.astype(np.int16) < background.astype(np.int16) * 0.6
    h, w = ink.shape
    ink[: h // 20, :] = ink[-h // 20 :, :] = False  # the sheet's edges are not lines of text
    ink[:, : w // 20] = ink[:, -w // 20 :] = False
    ys, xs = np.nonzero(ink)
    if len(ys) < 500:
        return 0.0
    if len(ys) > 40_000:
        pick = np.random.default_rng(0).choice(len(ys), 40_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs - w / 2
    ys = ys - h / 2

    def sharpness(angles: np.ndarray) -> np.ndarray:
        rad = np.radians(angles)[:, None]
        rows = np.round(ys[None, :] * np.cos(rad) + xs[None, :] * np.sin(rad)).astype(np.int64)
        rows -= rows.min(axis=1, keepdims=True)
        size = int(rows.max()) + 1
        counts = np.zeros((len(angles), size), np.int64)
        np.add.at(counts, (np.arange(len(angles))[:, None], rows), 1)
        return (counts.astype(np.float64) ** 2).sum(axis=1)

    coarse = np.arange(-MAX_TILT, MAX_TILT + 0.01, 0.5)
    scores = sharpness(coarse)
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    angle = float(fine[int(np.argmax(sharpness(fine)))])
    if scores.max() < 1.1 * scores[len(coarse) // 2] and abs(angle) > 0:  # no clear lines: as it is
        return 0.0
    return 0.0 if abs(angle) < 0.3 else -angle


def whiten(page: np.ndarray, *, edge: bool = False) -> np.ndarray:
    """``page`` divided by its own paper level (a local maximum at 1/8 scale, blurred), so the
    paper is white and the strokes dark; with ``edge``, a band of 1 % along the border is white
    too (what is left of the desk and the sheet's edge: documents have wider margins)."""
    h, w = page.shape[:2]
    small = cv2.resize(page, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    background = cv2.GaussianBlur(cv2.dilate(small, np.ones((5, 5), np.uint8)), (0, 0), 6)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    flat = cv2.LUT(cv2.divide(page, np.maximum(background, 1), scale=255), _LEVELS)
    if edge:
        band = max(1, round(min(w, h) * 0.01))
        flat[:band], flat[-band:], flat[:, :band], flat[:, -band:] = 255, 255, 255, 255
    return flat


def _keep_colour(page: np.ndarray) -> Image.Image:
    """RGB when clearly coloured marks are on the page (a red seal), greyscale otherwise."""
    if page.ndim == 2:
        return Image.fromarray(page, "L")
    if has_colour(page):
        return Image.fromarray(page, "RGB")
    return Image.fromarray(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), "L")


def has_colour(page: np.ndarray) -> bool:
    h, w = page.shape[:2]
    small = cv2.resize(page, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    coloured = (hsv[:, :, 1] > 90) & (hsv[:, :, 2] > 60)
    return int(coloured.sum()) > small.shape[0] * small.shape[1] * _COLOUR_SHARE


def _fallback(im: Image.Image, size_for: SizeFor, turn: bool, clean_page: Whitening) -> Scanned | None:
    """Desk but no edge: the whitening of ``images.clean_page`` (the desk made white, cropped to
    the paper's box where it forms one), turned upright; None when that finds no document."""
    turns = 0
    if turn:
        preview = im.copy()
        preview.thumbnail((TILT_SIDE, TILT_SIDE))
        turns = _turns(np.asarray(preview.convert("RGB")))
        if turns:
            im = im.rotate(90 * turns, expand=True)
    out_w, out_h = size_for(float(im.width), float(im.height))
    resized = im if (out_w, out_h) == im.size else im.resize((out_w, out_h), Image.Resampling.LANCZOS)
    cleaned = clean_page(resized)
    return None if cleaned is None else Scanned(cleaned, Found.NO_EDGE, turns, 0.0)
