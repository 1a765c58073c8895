"""Drawing the demo's pages (text, frames, signatures, round red seals) for the attachments
users scan: A4 pages photographed with a phone (``photos.py`` puts them on the desk), flatbed
scans packed into PDFs with reportlab, and the spoiled variants planted as faults.

Chinese text is drawn with a CJK font when one is found; otherwise lines of text are drawn as
grey bars, so the demo works on a machine without CJK fonts. Deterministic for a given seed.
"""

from __future__ import annotations

import math
import random
import threading

from PIL import Image, ImageChops, ImageDraw, ImageFont

from zhutui.demo.documents import DEMO_MARK, Page
from zhutui.fonts import FontFile, pillow_font

PHOTO_SIZES = ((3000, 4000), (2736, 3648), (2448, 3264))  # portrait phone photos
SCAN_DPI = 200
LOWRES_SIZE = (600, 850)
SEAL_RED = (200, 30, 30)
INK = (35, 35, 38)
JPEG_QUALITY = 85
DRAW_SCALE = 0.45  # photos are composed at this scale and upscaled
CAMERAS = (
    ("HUAWEI", "ELS-AN00"),
    ("Xiaomi", "M2102K1C"),
    ("OPPO", "PEGM00"),
    ("vivo", "V2055A"),
    ("Apple", "iPhone 12"),
)


def find_font() -> FontFile | None:
    """The Chinese font the print PDFs use (``app.fonts``), or None: lines become grey bars."""
    return pillow_font()


class Renderer:
    """Fonts (per thread: FreeType faces are not thread-safe) and cached grain."""

    def __init__(self, font: FontFile | None, seed: int):
        self.font_file = font
        self.seed = seed
        self._local = threading.local()
        self._lock = threading.Lock()
        self._grain: dict[tuple[tuple[int, int], int], Image.Image] = {}

    def font(self, size: int) -> ImageFont.FreeTypeFont | None:
        if self.font_file is None:
            return None
        cache = self._local.__dict__.setdefault("fonts", {})
        if size not in cache:
            cache[size] = ImageFont.truetype(str(self.font_file.path), max(6, size), index=self.font_file.index)
        return cache[size]

    def grain(self, size: tuple[int, int], amplitude: int) -> Image.Image:
        """Grey sensor noise of ±``amplitude`` around 128, tiled from a seeded block."""
        key = (size, amplitude)
        with self._lock:
            if key not in self._grain:
                rng = random.Random(f"{self.seed}-{amplitude}")
                tile = Image.frombytes("L", (512, 512), rng.randbytes(512 * 512))
                tile = tile.point(lambda v: 128 - amplitude + v * (2 * amplitude + 1) // 256)
                full = Image.new("L", size)
                for x in range(0, size[0], 512):
                    for y in range(0, size[1], 512):
                        full.paste(tile, (x, y))
                self._grain[key] = Image.merge("RGB", (full, full, full))
            return self._grain[key]


# --------------------------------------------------------------------------- one page


_NO_LINE_START = "。，、；：？！）》」』”’"  # punctuation kept at the end of the line before


def _wrap(font: ImageFont.FreeTypeFont | None, size: int, text: str, width: int) -> list[str]:
    lines, line, used = [], "", 0.0
    for ch in text:
        w = font.getlength(ch) if font else (size if ord(ch) > 0x2E80 else size * 0.55)
        if used + w > width and line and ch not in _NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    return [*lines, line] if line else lines


def _text(
    draw: ImageDraw.ImageDraw,
    r: Renderer,
    xy: tuple[float, float],
    text: str,
    size: int,
    anchor: str = "la",
    fill: int | tuple[int, int, int] = INK,
) -> None:
    """Text at ``xy`` (Pillow anchors "la", "ma", "ra", "mm"); a grey bar without a font."""
    font = r.font(size)
    if font is not None:
        draw.text(xy, text, font=font, fill=fill, anchor=anchor)
        return
    length = sum(size if ord(c) > 0x2E80 else size * 0.55 for c in text)
    x, y = xy
    if anchor[0] == "m":
        x -= length / 2
    elif anchor[0] == "r":
        x -= length
    if anchor[1] == "m":
        y -= size / 2
    bar = tuple(min(255, c + 90) for c in fill) if isinstance(fill, tuple) else fill
    draw.rounded_rectangle((x, y + size * 0.3, x + length, y + size * 0.7), radius=size * 0.1, fill=bar)


def draw_page(page: Page, w: int, h: int, paper: tuple[int, int, int], r: Renderer, rng: random.Random) -> Image.Image:
    im = Image.new("RGB", (w, h), paper)
    draw = ImageDraw.Draw(im)
    margin = int(w * 0.11)
    if page.border:
        for inset, width in ((0.045, 0.006), (0.06, 0.002)):
            d = int(w * inset)
            draw.rectangle((d, d, w - d, h - d), outline=(120, 95, 60), width=max(1, int(w * width)))
    body = int(w * 0.027)
    y = h * (0.1 if page.border else 0.08)
    if page.header:
        _text(draw, r, (margin, y - body * 1.6), page.header, int(body * 0.8))
        y += body * 0.8
    if page.title:
        tsize = int(w * (0.05 if page.border else 0.038))
        for line in _wrap(r.font(tsize), tsize, page.title, w - 2 * margin):
            _text(draw, r, (w / 2, y), line, tsize, "ma")
            y += tsize * 1.5
    if page.subtitle:
        _text(draw, r, (w / 2, y), page.subtitle, int(body * 0.85), "ma")
        y += body * 2.2
    y += body
    seal_at: tuple[float, float] | None = None
    for style, text in page.lines:
        size = int(body * 0.7) if style == "small" else body
        if style == "gap":
            y += body * 2
        elif style == "sign":
            _signature(draw, (w - margin - body * 4.2, y + body * 0.2), body * 4, rng)  # clear of 演示样例
            y += body * 1.8
        elif style == "pair":  # two label: value fields on one line, the second from the middle
            left, right = text.split("\t")
            _text(draw, r, (margin, y), left, size)
            _text(draw, r, (w / 2 + body, y), right, size)
            y += size * 1.9 + body * 0.9
        elif style == "right":
            _text(draw, r, (w - margin - body * 2, y), text, size, "ra")
            if seal_at is None:
                seal_at = (w - margin - w * 0.16, y + body)
            y += body * 1.9
        else:
            indent = body * 2 if style == "p" else 0
            lines = _wrap(r.font(size), size, text, w - 2 * margin - indent)
            for i, line in enumerate(lines):
                _text(draw, r, (margin + (indent if i == 0 else 0), y), line, size)
                y += size * (1.9 if style == "kv" else 1.75)
            y += body * (0.9 if style == "kv" else 0.5)
    if page.seal:
        cx, cy = seal_at or (w - margin - w * 0.16, min(y + body * 3, h * 0.85))
        _stamp(im, r, page.seal, (int(cx), int(cy)), int(w * 0.095), rng)
    return im


def _signature(draw: ImageDraw.ImageDraw, xy: tuple[float, float], width: float, rng: random.Random) -> None:
    """A handwritten signature: two or three quick strokes of loops of uneven height, slanted,
    and a flourish under them, in blue-black ink."""
    x, y = xy
    ink = (25, 30, 60)
    stroke = max(1, int(width / 40))
    parts = rng.randint(2, 3)
    start = 0.0
    for part in range(parts):
        span = width * rng.uniform(0.25, 0.4)
        loops = rng.randint(2, 4)
        heights = [width * rng.uniform(0.05, 0.16) for _ in range(loops)]
        steps = 12 * loops
        points = []
        for i in range(steps + 1):
            t = i / steps
            a = t * loops * 2 * math.pi
            hgt = heights[min(loops - 1, int(t * loops))]
            px = start + t * span + math.cos(a) * span / loops * 0.45
            py = -math.sin(a) * hgt - t * width * 0.04 * (part + 1)
            points.append((x + px - py * 0.35, y + py))  # slanted to the right
        draw.line(points, fill=ink, width=stroke, joint="curve")
        start += span + width * rng.uniform(0.03, 0.08)
    sweep = [
        (x + width * (0.05 + 0.95 * t), y + width * (0.12 - 0.08 * t + 0.03 * math.sin(t * math.pi * 2)))
        for t in (i / 16 for i in range(17))
    ]
    draw.line(sweep, fill=ink, width=stroke, joint="curve")


def _star(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    points = []
    for k in range(10):
        rr = radius if k % 2 == 0 else radius * 0.382
        a = -math.pi / 2 + k * math.pi / 5
        points.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return points


def _stamp(im: Image.Image, r: Renderer, ring: str, centre: tuple[int, int], radius: int, rng: random.Random) -> None:
    """A round red seal: ring, star, ring text (or dashes without a font), 演示样例 below."""
    size = radius * 2 + 4
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    c = size / 2
    ink = rng.randint(200, 235)
    draw.ellipse((2, 2, size - 3, size - 3), outline=ink, width=max(2, radius // 14))
    draw.polygon(_star(c, c, radius * 0.26), fill=ink)
    font_size = max(8, int(radius * 0.26))
    font = r.font(font_size)
    n = len(ring)
    span = min(300.0, 25.0 * n)
    for i, ch in enumerate(ring):
        angle = -90 - span / 2 + span * (i + 0.5) / n  # degrees, clockwise from +x
        px = c + radius * 0.74 * math.cos(math.radians(angle))
        py = c + radius * 0.74 * math.sin(math.radians(angle))
        glyph = Image.new("L", (font_size * 2, font_size * 2), 0)
        gd = ImageDraw.Draw(glyph)
        if font is not None:
            gd.text((font_size, font_size), ch, font=font, fill=ink, anchor="mm")
        else:
            q = font_size // 2
            gd.rectangle((font_size - q, font_size - q * 1.4, font_size + q, font_size + q * 1.4), fill=ink)
        glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
        mask.paste(
            ImageChops.lighter(
                mask.crop((int(px) - font_size, int(py) - font_size, int(px) + font_size, int(py) + font_size)), glyph
            ),
            (int(px) - font_size, int(py) - font_size),
        )
    small = max(8, int(radius * 0.17))
    label = Image.new("L", (size, size), 0)
    _text(ImageDraw.Draw(label), r, (c, c + radius * 0.45), DEMO_MARK, small, "mm", fill=ink)
    mask = ImageChops.lighter(mask, label)
    # Stamps are never quite straight nor evenly inked.
    mask = mask.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    speckle = Image.frombytes("L", (size, size), rng.randbytes(size * size)).point(lambda v: 255 if v > 40 else 150)
    mask = ImageChops.multiply(mask, speckle)
    # Ink multiplies with the paper: text under the seal stays visible.
    box = (centre[0] - size // 2, centre[1] - size // 2, centre[0] - size // 2 + size, centre[1] - size // 2 + size)
    region = im.crop(box)
    region.paste(ImageChops.multiply(region, Image.new("RGB", (size, size), SEAL_RED)), (0, 0), mask)
    im.paste(region, box[:2])
