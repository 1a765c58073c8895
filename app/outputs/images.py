"""Scans made fit for print and mail: upright, at most 200 dpi at printed size, re-encoded as JPEG.

A phone photo of an A4 page is 3000 × 4000 pixels (about 360 dpi) and 3–5 MB; printed inside the
margins it needs at most 200 dpi. Pillow's JPEG ``draft`` mode decodes straight at 1/2, 1/4 or
1/8 scale, which makes the big photos cheap; the image is then turned upright by its EXIF
orientation, resampled to the target size and saved as a colour JPEG (red seals stay red;
greyscale scans stay greyscale). Multi-page TIFFs give one image per page.

For print and for the e-mail package a page is also *cleaned* (``PRINT``, ``MAIL``): a photographed document's uneven
paper is divided by its own estimated background so the paper turns white and the text stays
dark, the desk around the page turns white (and an image is cropped to the sheet where its edge
is found), and the page is kept in colour only where colour is
(a red seal), greyscale otherwise, at 150–170 dpi (``MAIL_DPI``). Flat white paper is what JPEG
compresses best: such a page takes fewer bytes than Ghostscript's /ebook gives the same scan,
and OCR reads it at least as well as the original (``bench/bench_package.py`` measures both).
A photo that is not mostly paper (a plaque, a workshop) is left as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps, ImageSequence, UnidentifiedImageError

MAX_DPI = 200
JPEG_QUALITY = 80
POINTS_PER_INCH = 72
_SWAPPING_ORIENTATIONS = (5, 6, 7, 8)  # EXIF orientations that turn the image by 90°
Image.MAX_IMAGE_PIXELS = 180_000_000  # twice Pillow's default: large flatbed scans are legitimate


@dataclass(frozen=True)
class Encoding:
    """How a page is re-encoded: JPEG quality, and whether a document photo is cleaned first."""

    quality: int = JPEG_QUALITY
    clean: bool = False
    # When set, a JPEG decoded at a reduced scale (Pillow's draft) that lands between min_dpi and
    # the maximum is used as it is, saving the resampling (the most expensive step).
    min_dpi: int | None = None
    # Whether a cleaned page is looked at for text running up and down (print: the user is told).
    sideways: bool = False


# Printed pages get the same white-paper treatment as mailed ones (a phone photo's grey paper
# and dark desk waste toner and read badly), at print resolution and quality.
PRINT = Encoding(clean=True, min_dpi=150, sideways=True)
# Cleaned pages are flat white with dark text: at quality 60 and 150–170 dpi (``MAIL_DPI``)
# tesseract reads them at least as well as the photos and the 200 dpi scans they come from, in
# fewer bytes than Ghostscript's /ebook (measured by bench/bench_package.py; 200 dpi at quality
# 65 read no better and took half as many bytes again).
MAIL = Encoding(quality=60, clean=True, min_dpi=150)
MAIL_DPI = 170


class ImageProblem(Exception):
    """An image that can't be used; the message is Chinese and says why."""


@dataclass(frozen=True)
class PreparedImage:
    """One page of a scan, re-encoded: JPEG bytes and the size to draw it at, in points."""

    data: bytes
    width_px: int
    height_px: int
    draw_width: float
    draw_height: float
    sideways: bool = False  # a cleaned document page whose lines of text run up and down

    @property
    def dpi(self) -> float:
        return self.width_px / (self.draw_width / POINTS_PER_INCH)


def fit(width: float, height: float, box_w: float, box_h: float) -> float:
    """The scale that fits ``width`` × ``height`` inside the box, keeping the aspect ratio."""
    return min(box_w / width, box_h / height)


class PixelBudget:
    """At most ``capacity`` decoded pixels at a time across the threads preparing scans (render
    prepares the next few applications' pages in parallel): a batch of huge scans decodes one
    after another instead of all at once. A bitmap larger than the capacity takes all of it."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.used = 0
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def take(self, pixels: int) -> Iterator[None]:
        pixels = max(1, min(pixels, self.capacity))
        with self._cond:
            self._cond.wait_for(lambda: self.used + pixels <= self.capacity)
            self.used += pixels
        try:
            yield
        finally:
            with self._cond:
                self.used -= pixels
                self._cond.notify_all()


DECODE_BUDGET = PixelBudget(60_000_000)  # about 180 MB of RGB at once


def prepare_image(
    path: Path, box_w: float, box_h: float, *, max_dpi: int = MAX_DPI, encoding: Encoding = PRINT
) -> list[PreparedImage]:
    """Every page of the image at ``path`` fitted into a ``box_w`` × ``box_h`` points box."""
    try:
        with Image.open(path) as im:
            if getattr(im, "n_frames", 1) > 1:
                return [_prepare(frame.copy(), box_w, box_h, max_dpi, encoding) for frame in ImageSequence.Iterator(im)]
            return [_prepare(im, box_w, box_h, max_dpi, encoding)]
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ImageProblem(_reason(exc)) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageProblem(f"图片已损坏或不完整，无法解码（{exc}）") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, Image.DecompressionBombError):
        return "图片像素过多（超过1.8亿像素），请缩小后再添加"
    return "无法识别的图片格式，请另存为 JPG、PNG 或 PDF"


def _prepare(im: Image.Image, box_w: float, box_h: float, max_dpi: int, encoding: Encoding) -> PreparedImage:
    orientation = im.getexif().get(0x0112, 1)
    width, height = im.size
    if orientation in _SWAPPING_ORIENTATIONS:
        width, height = height, width
    scale = fit(width, height, box_w, box_h)
    draw_w, draw_h = width * scale, height * scale
    target_w = max(1, min(width, int(draw_w / POINTS_PER_INCH * max_dpi)))
    target_h = max(1, min(height, int(draw_h / POINTS_PER_INCH * max_dpi)))
    least = target_w, target_h
    if encoding.min_dpi:
        least = (
            max(1, min(target_w, round(draw_w / POINTS_PER_INCH * encoding.min_dpi))),
            max(1, min(target_h, round(draw_h / POINTS_PER_INCH * encoding.min_dpi))),
        )
    if im.format == "JPEG":
        # Decode at the smallest 1/2ⁿ scale that is still at least the size needed.
        request = least[::-1] if orientation in _SWAPPING_ORIENTATIONS else least
        im.draft(im.mode if im.mode in ("RGB", "L") else None, request)
    with DECODE_BUDGET.take(im.width * im.height):  # the bitmap about to be decoded
        im = ImageOps.exif_transpose(im) if orientation != 1 else im
        im = _flatten(im)
        if not (least[0] <= im.width <= target_w and least[1] <= im.height <= target_h):
            im = im.resize((target_w, target_h), Image.Resampling.LANCZOS, reducing_gap=2.0)
        sideways = False
        if encoding.clean:
            cleaned = clean_page(im)
            if cleaned is not None:
                if cleaned.size != im.size:  # cropped to the sheet: it fills the box
                    scale = fit(cleaned.width, cleaned.height, box_w, box_h)
                    draw_w, draw_h = cleaned.width * scale, cleaned.height * scale
                im, sideways = cleaned, encoding.sideways and lines_run_sideways(cleaned)
        return PreparedImage(encode_jpeg(im, encoding.quality), im.width, im.height, draw_w, draw_h, sideways)


def encode_jpeg(im: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


# Cleaning works on a half-scale quotient (see ``clean_document``): _RECIPROCAL maps the local
# paper level b to 255²/(2b), so ImageChops.multiply gives a·255/(2b); _LEVELS doubles it back
# and maps the paper (above _WHITE) to pure white and the darkest strokes (below _BLACK) to black.
_BLACK, _WHITE = 40, 225
_RECIPROCAL = [min(255, round(255 * 255 / (2 * max(b, 1)))) for b in range(256)]
_LEVELS = [
    0 if 2 * v <= _BLACK else 255 if 2 * v >= _WHITE else round((2 * v - _BLACK) * 255 / (_WHITE - _BLACK))
    for v in range(256)
]
_MIN_PAPER_SHARE = 0.5  # less paper than this: a photo of something else, left as it is
_EDGE_BAND = 7  # at 1/8 scale: the band along the sheet's edge made white with the desk (~3 % of A4)
_COLOUR_SHARE = 0.001  # this share of clearly coloured pixels (a seal's ring) keeps the colour


def clean_document(im: Image.Image) -> Image.Image | None:
    """``im`` (RGB or L) with white paper and white surroundings, greyscale unless it has colour;
    None when it is not mostly a page of paper."""
    cleaned = _clean(im)
    return cleaned[0] if cleaned else None


def clean_page(im: Image.Image) -> Image.Image | None:
    """``clean_document``, then cropped to the sheet where its edge is found (a photo of a page
    on a desk): the sheet fills the printed page as a scan would."""
    cleaned = _clean(im)
    if cleaned is None:
        return None
    flat, box = cleaned
    return flat.crop(box) if box else flat


def _clean(im: Image.Image) -> tuple[Image.Image, tuple[int, int, int, int] | None] | None:
    """The cleaned page and the sheet's box in it (None when no edge was found)."""
    if min(im.size) < 64:
        return None
    # The paper's own brightness, estimated at 1/8 scale: the local maximum ignores the text
    # (darker than the paper around it), the blur smooths the light falling across the page.
    small = im.reduce(8)
    background = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(6))
    level = background if background.mode == "L" else background.convert("L")
    histogram = level.histogram()
    pixels = level.width * level.height
    paper_level, seen = 255, 0
    while paper_level > 0 and seen + histogram[paper_level] < pixels * 0.1:
        seen += histogram[paper_level]
        paper_level -= 1
    if paper_level < 96:
        return None  # no bright paper anywhere: a dark photo
    threshold = paper_level * 0.7
    paper = level.point(lambda v: 255 if v >= threshold else 0).filter(ImageFilter.MinFilter(3))
    if paper.histogram()[255] < pixels * _MIN_PAPER_SHARE:
        return None
    bands = len(im.getbands())
    # Nearest-neighbour enlargements (three times faster than bilinear): the background changes
    # slowly, so neighbouring blocks differ by a level or two, lost in the white-clipped paper.
    reciprocal = background.point(_RECIPROCAL * bands).resize(im.size, Image.Resampling.NEAREST)
    flat = ImageChops.multiply(im, reciprocal).point(_LEVELS * bands)
    desk = _desk(im, threshold)
    if paper.getextrema()[0] == 0 or desk is not None:  # some of the picture is not paper: made white
        # The sheet's border band goes with the desk: its edge and the shadow along it.
        sheet = paper.filter(ImageFilter.MinFilter(_EDGE_BAND))
        outside = ImageChops.invert(sheet).resize(im.size, Image.Resampling.NEAREST)
        if desk is not None:  # the desk that reaches the picture's edge (no dark wedges there)
            outside = ImageChops.lighter(outside, desk.resize(im.size, Image.Resampling.NEAREST))
        flat = ImageChops.lighter(flat, outside if bands == 1 else outside.convert(im.mode))
        box = _sheet_box(paper, im.size)
    else:
        box = None
    return (flat if bands == 1 or has_colour(flat) else flat.convert("L")), box


_SHEET_FILL = 0.85  # a sheet (tilted a few degrees) fills its box; clutter on the desk does not


def _sheet_box(paper: Image.Image, size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The box of the sheet in the full-size picture, from the paper mask at 1/8 scale; None
    when the paper doesn't form one sheet filling its box (something bright on the desk, a
    page that fills the picture already)."""
    found = paper.getbbox()
    if not found:
        return None
    x0, y0, x1, y1 = found
    area = (x1 - x0) * (y1 - y0)
    if area >= 0.95 * paper.width * paper.height or paper.crop(found).histogram()[255] < _SHEET_FILL * area:
        return None
    sx, sy = size[0] / paper.width, size[1] / paper.height
    return (
        max(0, int(x0 * sx)),
        max(0, int(y0 * sy)),
        min(size[0], int(x1 * sx + 0.999)),
        min(size[1], int(y1 * sy + 0.999)),
    )


# A page's lines of text make the darkness of its rows alternate (line, gap, line) far more than
# its columns'. Measured on the demo's photographed pages (bench-free: tests/test_render.py):
# rows ÷ columns 1.5–3.0 upright, its inverse turned a quarter; tilts up to 8° are tried.
_SIDEWAYS_RATIO = 1.3
_SIDEWAYS_MIN = 0.3  # less line structure than this (a photo, a sparse page): no opinion
_TILTS = (-8, -4, 0, 4, 8)


def lines_run_sideways(page: Image.Image) -> bool:
    """Whether a cleaned document page lies on its side (its text lines run up and down), as a
    photo taken sideways whose EXIF says nothing. Which way it is turned is not known here."""
    factor = max(1, max(page.size) // 400)
    small = page.reduce(factor) if factor > 1 else page
    grey = small if small.mode == "L" else small.convert("L")
    rows = cols = 0.0
    for tilt in _TILTS:
        r, c = _line_structure(grey.rotate(tilt, fillcolor=255) if tilt else grey)
        rows, cols = max(rows, r), max(cols, c)
    return cols > _SIDEWAYS_MIN and cols > _SIDEWAYS_RATIO * rows


def _line_structure(grey: Image.Image) -> tuple[float, float]:
    """How strongly the darkness of the rows, and of the columns, alternates (inner 80 %)."""
    w, h = grey.size
    inner = grey.crop((w // 10, h // 10, w - w // 10, h - h // 10))
    histogram = inner.histogram()
    count = max(1, sum(histogram))
    mean = sum(i * n for i, n in enumerate(histogram)) / count
    spread = (sum((i - mean) ** 2 * n for i, n in enumerate(histogram)) / count) ** 0.5
    ink = inner.point(lambda v: 255 if v < mean - spread else 0)
    rows = list(ink.resize((1, ink.height), Image.Resampling.BOX).tobytes())
    cols = list(ink.resize((ink.width, 1), Image.Resampling.BOX).tobytes())
    return _alternation(rows), _alternation(cols)


def _alternation(profile: list[int], window: int = 15) -> float:
    """The mean distance of a profile from its moving average, relative to its mean."""
    n = len(profile)
    if n < window:
        return 0.0
    sums = [0]
    for v in profile:
        sums.append(sums[-1] + v)
    half = window // 2
    total = 0.0
    for i, v in enumerate(profile):
        lo, hi = max(0, i - half), min(n, i + half + 1)
        total += abs(v - (sums[hi] - sums[lo]) / (hi - lo))
    mean = sums[-1] / n
    return total / n / mean if mean else 0.0


def _desk(im: Image.Image, threshold: float) -> Image.Image | None:
    """What of the picture is the desk (or the floor, the cover) around the sheet: the dark
    region that reaches the picture's edge, at 1/32 scale (text and a seal inside the sheet never
    do); None when there is none."""
    tiny = im.reduce(32) if min(im.size) >= 32 * 8 else im.reduce(8)
    grey = tiny if tiny.mode == "L" else tiny.convert("L")
    marks = grey.point(lambda v: 255 if v >= threshold else 0)
    w, h = marks.size
    pixels = marks.load()
    assert pixels is not None  # an image in memory
    border = [(x, y) for x in range(w) for y in (0, h - 1)] + [(x, y) for y in range(h) for x in (0, w - 1)]
    found = False
    for xy in border:
        if pixels[xy] == 0:
            ImageDraw.floodfill(marks, xy, 128)
            found = True
    if not found:
        return None
    desk = marks.point(lambda v: 255 if v == 128 else 0)
    return desk if desk.getextrema()[1] else None


def has_colour(im: Image.Image) -> bool:
    """Whether an RGB page has clearly coloured marks (a red seal, a coloured logo or form)."""
    hsv = im.reduce(4).convert("HSV")
    _, saturation, value = hsv.split()
    coloured = ImageChops.multiply(
        saturation.point(lambda s: 255 if s > 90 else 0), value.point(lambda v: 255 if v > 60 else 0)
    )
    return coloured.histogram()[255] > hsv.width * hsv.height * _COLOUR_SHARE


def _flatten(im: Image.Image) -> Image.Image:
    """RGB, or L for greyscale; transparency composited onto white paper."""
    if im.mode in ("RGB", "L"):
        return im
    if im.mode.startswith("I;16"):  # 16-bit greyscale scans
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode in ("1", "I", "F"):
        return im.convert("L")
    if im.mode == "P":
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA"):
        paper = Image.new("RGB", im.size, "white")
        paper.paste(im.convert("RGBA"), mask=im.convert("RGBA").getchannel("A"))
        return paper
    return im.convert("RGB")  # CMYK, YCbCr, LAB, …


def jpeg_reader(data: bytes) -> Any:
    """A reportlab ImageReader that embeds the JPEG ``data`` as it is. ``canvas.drawImage`` names
    an image by hashing ``getRGBData()``, which would decode every page (slow, and the memory
    kept in reference cycles): here the name is the hash of the JPEG bytes, and the embedding
    passes the JPEG through without decoding."""
    from reportlab.lib.utils import ImageReader

    class JpegReader(ImageReader):
        _dataA = None  # no alpha channel

        def getRGBData(self) -> bytes:  # noqa: N802 - reportlab's name
            return hashlib.sha256(data).hexdigest().encode()

    return JpegReader(io.BytesIO(data))
