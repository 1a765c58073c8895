"""Scans made fit for print and mail: upright, at most 200 dpi at printed size, re-encoded as JPEG.

A phone photo of an A4 page is 3000 × 4000 pixels (about 360 dpi) and 3–5 MB; printed inside the
margins it needs at most 200 dpi. Pillow's JPEG ``draft`` mode decodes straight at 1/2, 1/4 or
1/8 scale, which makes the big photos cheap; the image is then turned upright by its EXIF
orientation, resampled to the target size and saved as a colour JPEG (red seals stay red;
greyscale scans stay greyscale). Multi-page TIFFs give one image per page.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

MAX_DPI = 200
JPEG_QUALITY = 80
POINTS_PER_INCH = 72
_SWAPPING_ORIENTATIONS = (5, 6, 7, 8)  # EXIF orientations that turn the image by 90°
Image.MAX_IMAGE_PIXELS = 180_000_000  # twice Pillow's default: large flatbed scans are legitimate


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

    @property
    def dpi(self) -> float:
        return self.width_px / (self.draw_width / POINTS_PER_INCH)


def fit(width: float, height: float, box_w: float, box_h: float) -> float:
    """The scale that fits ``width`` × ``height`` inside the box, keeping the aspect ratio."""
    return min(box_w / width, box_h / height)


def prepare_image(path: Path, box_w: float, box_h: float, *, max_dpi: int = MAX_DPI,
                  quality: int = JPEG_QUALITY) -> list[PreparedImage]:
    """Every page of the image at ``path`` fitted into a ``box_w`` × ``box_h`` points box."""
    try:
        with Image.open(path) as im:
            if getattr(im, "n_frames", 1) > 1:
                return [_prepare(frame.copy(), box_w, box_h, max_dpi, quality)
                        for frame in ImageSequence.Iterator(im)]
            return [_prepare(im, box_w, box_h, max_dpi, quality)]
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ImageProblem(_reason(exc)) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageProblem(f"图片已损坏或不完整，无法解码（{exc}）") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, Image.DecompressionBombError):
        return "图片像素过多（超过1.8亿像素），请缩小后再添加"
    return "无法识别的图片格式，请另存为 JPG、PNG 或 PDF"


def _prepare(im: Image.Image, box_w: float, box_h: float, max_dpi: int, quality: int) -> PreparedImage:
    orientation = im.getexif().get(0x0112, 1)
    width, height = im.size
    if orientation in _SWAPPING_ORIENTATIONS:
        width, height = height, width
    scale = fit(width, height, box_w, box_h)
    draw_w, draw_h = width * scale, height * scale
    target_w = max(1, min(width, round(draw_w / POINTS_PER_INCH * max_dpi)))
    target_h = max(1, min(height, round(draw_h / POINTS_PER_INCH * max_dpi)))
    if im.format == "JPEG":
        # Decode at the smallest 1/2ⁿ scale that is still at least the target size.
        request = (target_h, target_w) if orientation in _SWAPPING_ORIENTATIONS else (target_w, target_h)
        im.draft(im.mode if im.mode in ("RGB", "L") else None, request)
    im = ImageOps.exif_transpose(im) if orientation != 1 else im
    im = _flatten(im)
    if im.size != (target_w, target_h):
        im = im.resize((target_w, target_h), Image.Resampling.LANCZOS, reducing_gap=2.0)
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, optimize=True)
    return PreparedImage(out.getvalue(), target_w, target_h, draw_w, draw_h)


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
