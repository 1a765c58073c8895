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
    # Whether a cleaned document page is turned upright by its text when its EXIF says nothing.
    turn: bool = False
    # Whether a photographed sheet is found, its perspective corrected and straightened
    # (``photoscan``); without, only whitened (``clean_page``, the fallback, and what the mail
    # package did before: the benchmark compares the two).
    scan: bool = True


# Printed pages get the same treatment as mailed ones (a phone photo's grey paper, perspective
# and dark desk waste toner and read badly), at print resolution and quality.
PRINT = Encoding(clean=True, min_dpi=150, turn=True)
# Cleaned pages are flat white with dark text: at quality 60 and 150–170 dpi (``MAIL_DPI``)
# they read at least as well as the photos and the 200 dpi scans they come from, in fewer bytes
# than Ghostscript's /ebook (measured by bench/bench_package.py and bench/bench_scan.py).
MAIL = Encoding(quality=60, clean=True, min_dpi=150, turn=True)
# Kept as taken (an attachment's "as_taken"): upright by its EXIF and resized, not cleaned.
AS_TAKEN = Encoding()
AS_TAKEN_MAIL = Encoding(quality=60, min_dpi=150)
MAIL_DPI = 170
# The 附件 page's preview of what printing and mailing make of a photo (``preview_scan``).
PREVIEW = Encoding(quality=85, clean=True, turn=True)
A4_BOX = (595.0, 842.0)  # points


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
    # A photographed page whose sheet's edge wasn't found against the desk around it: only
    # whitened (the user is told, and can take the photo again).
    no_edge: bool = False

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
    path: Path,
    box_w: float,
    box_h: float,
    *,
    max_dpi: int = MAX_DPI,
    encoding: Encoding = PRINT,
    turnable_box: bool = False,
) -> list[PreparedImage]:
    """Every page of the image at ``path`` fitted into a ``box_w`` × ``box_h`` points box; with
    ``turnable_box``, into the box turned a quarter for a page the other way round (the mail
    package's pages are landscape for landscape scans)."""
    try:
        with Image.open(path) as im:
            frames = [frame.copy() for frame in ImageSequence.Iterator(im)] if getattr(im, "n_frames", 1) > 1 else [im]
            return [_prepare(frame, box_w, box_h, max_dpi, encoding, turnable_box) for frame in frames]
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ImageProblem(_reason(exc)) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageProblem(f"图片已损坏或不完整，无法解码（{exc}）") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, Image.DecompressionBombError):
        return "图片像素过多（超过1.8亿像素），请缩小后再添加"
    return "无法识别的图片格式，请另存为 JPG、PNG 或 PDF"


def _prepare(
    im: Image.Image, box_w: float, box_h: float, max_dpi: int, encoding: Encoding, turnable_box: bool = False
) -> PreparedImage:
    exif = im.getexif()
    orientation = exif.get(0x0112, 1)
    # Turned by its text only when the EXIF says nothing: a camera that recorded "upright" (1) is
    # believed (and reading which way up costs about a second a page).
    says_nothing = 0x0112 not in exif
    width, height = im.size
    if orientation in _SWAPPING_ORIENTATIONS:
        width, height = height, width

    def box(w: float, h: float) -> tuple[float, float]:
        return (max(box_w, box_h), min(box_w, box_h)) if turnable_box and w > h else (box_w, box_h)

    def size_for(w: float, h: float) -> tuple[int, int]:
        """Pixels for a page of w × h pixels: at most max_dpi as drawn, no more than it has."""
        scale = fit(w, h, *box(w, h)) / POINTS_PER_INCH * max_dpi
        return max(1, min(round(w), int(w * scale))), max(1, min(round(h), int(h * scale)))

    scale = fit(width, height, *box(width, height))
    draw_w, draw_h = width * scale, height * scale
    target_w, target_h = size_for(width, height)
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
        if encoding.clean and encoding.scan:
            from zhutui.photoscan import Found, to_scan

            scanned = to_scan(im, size_for, turn=encoding.turn and says_nothing, whiten_only=clean_page)
            if scanned is not None:
                page = scanned.image
                scale = fit(page.width, page.height, *box(page.width, page.height))
                return PreparedImage(
                    encode_jpeg(page, encoding.quality),
                    page.width,
                    page.height,
                    page.width * scale,
                    page.height * scale,
                    no_edge=scanned.found is Found.NO_EDGE,
                )
        if not (least[0] <= im.width <= target_w and least[1] <= im.height <= target_h):
            im = im.resize((target_w, target_h), Image.Resampling.LANCZOS, reducing_gap=2.0)
        if encoding.clean and not encoding.scan:
            cleaned = clean_page(im)
            if cleaned is not None:
                if cleaned.size != im.size:  # cropped to the sheet: it fills the box
                    scale = fit(cleaned.width, cleaned.height, box_w, box_h)
                    draw_w, draw_h = cleaned.width * scale, cleaned.height * scale
                im = cleaned
        return PreparedImage(encode_jpeg(im, encoding.quality), im.width, im.height, draw_w, draw_h)


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


@dataclass(frozen=True)
class ScanPreview:
    """The first page of an image attachment as the print and the mail package will use it,
    small, for the 附件 page's before/after: JPEG bytes, whether it was cleaned at all (a photo of
    something else is left as it is) and whether the sheet's edge was missed (only whitened)."""

    data: bytes
    cleaned: bool
    no_edge: bool


PREVIEW_DPI = 60  # an A4 page about 500 × 700 pixels: enough to judge, quick to make


def preview_scan(path: str, *, progress: Any, cancelled: Any) -> ScanPreview:
    """``ScanPreview`` of the image at ``path`` (the window's background process runs it)."""
    progress(0, 1, "正在生成处理后的效果")
    page = prepare_image(Path(path), A4_BOX[0], A4_BOX[1], max_dpi=PREVIEW_DPI, encoding=PREVIEW)[0]
    plain = prepare_image(
        Path(path), A4_BOX[0], A4_BOX[1], max_dpi=PREVIEW_DPI, encoding=Encoding(quality=PREVIEW.quality)
    )[0]
    return ScanPreview(page.data, page.data != plain.data, page.no_edge)
