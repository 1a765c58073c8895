"""A page photographed with a phone, as users do it: the sheet on a desk (wood or dark), seen a
little from the side (its four corners not a rectangle), turned a few degrees, with clutter
beside it (a pen, a coffee cup's ring, the edge of another paper), light falling unevenly and the
soft shadow of the phone and hand across part of it, slightly out of focus or shaken, JPEG noise.
Now and then the photo lies sideways or upside down, with or without an EXIF orientation to say
so. Its four edges normally stay in view, with more or less desk around them.

Composed at ``DRAW_SCALE`` with Pillow's cheap operations (one perspective transform of the
page, blurs on small images) and upscaled; deterministic for the ``rng`` passed in.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

from zhutui.demo.data import AttSpec
from zhutui.demo.documents import Page
from zhutui.demo.scans import CAMERAS, DRAW_SCALE, PHOTO_SIZES, Renderer, draw_page

Point = tuple[float, float]

TRANSPOSE = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}  # stored = upright.transpose(...) for EXIF n
_UNDO = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_270, 8: Image.Transpose.ROTATE_90}
A4 = 297 / 210
MARGIN = 0.02  # the least desk between the sheet and the picture's edge (share of its size)
# Desks: (colour, wood grain or not)
_DESKS = (
    ((128, 92, 60), True),
    ((150, 112, 74), True),
    ((96, 64, 42), True),
    ((70, 52, 40), True),
    ((62, 64, 68), False),
    ((40, 42, 46), False),
    ((54, 74, 64), False),
)
_PENS = ((25, 45, 120), (20, 20, 24), (30, 80, 60), (200, 200, 205))  # no red: red is for seals


def paper(rng: random.Random) -> tuple[int, int, int]:
    base = rng.randint(226, 242)
    return (base + 4, base + 1, base - rng.randint(6, 14))


def blotches(
    rng: random.Random, size: tuple[int, int], base: tuple[int, int, int], spread: int, tint: int | None = None
) -> Image.Image:
    """``base`` varying by up to ``spread`` in soft blotches; with ``tint`` the channels vary
    together (lighter and darker, hardly any colour) but for ``tint`` each."""
    small = Image.new("RGB", (6, 8))
    cells = []
    for _ in range(48):
        d = rng.randint(-spread, spread)
        cells.append(
            tuple(
                max(
                    0,
                    min(255, c + (d + rng.randint(-tint, tint) if tint is not None else rng.randint(-spread, spread))),
                )
                for c in base
            )
        )
    small.putdata(cells)
    return small.resize(size, Image.Resampling.BICUBIC)


# --------------------------------------------------------------------------- geometry


def _solve(rows: list[list[float]], rhs: list[float]) -> list[float]:
    """``rows`` · x = ``rhs`` by Gaussian elimination with partial pivoting."""
    n = len(rows)
    m = [[*row, b] for row, b in zip(rows, rhs, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda i: abs(m[i][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for i in range(col + 1, n):
            f = m[i][col] / m[col][col]
            for j in range(col, n + 1):
                m[i][j] -= f * m[col][j]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (m[i][n] - sum(m[i][j] * x[j] for j in range(i + 1, n))) / m[i][i]
    return x


def perspective_coeffs(dst: Sequence[Point], src: Sequence[Point]) -> tuple[float, ...]:
    """``Image.transform``'s PERSPECTIVE coefficients by which output point ``dst[i]`` shows
    input point ``src[i]`` (four points each)."""
    rows: list[list[float]] = []
    rhs: list[float] = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.append(v)
    return tuple(_solve(rows, rhs))


def sheet_quad(rng: random.Random, cw: int, ch: int) -> list[Point]:
    """Where the sheet's corners (top left, top right, bottom right, bottom left) are in a
    ``cw`` × ``ch`` picture: foreshortened (the camera not straight above), turned a few
    degrees, placed with more or less desk around it."""
    far = rng.choices(("top", "bottom", "left", "right"), (6, 2, 2, 2))[0]
    k = rng.uniform(0.03, 0.13) if far in ("top", "bottom") else rng.uniform(0.02, 0.08)
    hw, hh = 0.5, 0.5 * A4
    if far in ("top", "bottom"):
        hh *= 1 - k * 0.5  # the sheet seen at a slant looks shorter, too
    else:
        hw *= 1 - k * 0.5
    tl, tr, br, bl = [-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]
    near_far = {"top": (tl, tr, 0), "bottom": (bl, br, 0), "left": (tl, bl, 1), "right": (tr, br, 1)}
    a, b, axis = near_far[far]
    a[axis] *= 1 - k
    b[axis] *= 1 - k
    angle = math.radians(rng.uniform(-5, 5))
    cos, sin = math.cos(angle), math.sin(angle)
    pts = [
        (x * cos - y * sin + rng.uniform(-0.006, 0.006), x * sin + y * cos + rng.uniform(-0.006, 0.006))
        for x, y in (tl, tr, br, bl)
    ]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    bw, bh = max(xs) - min(xs), max(ys) - min(ys)
    fill = rng.uniform(0.7, 0.96)  # the sheet's height as a share of the picture's: how much desk shows
    scale = min(fill * ch / bh, cw * (1 - 2 * MARGIN) / bw, ch * (1 - 2 * MARGIN) / bh)
    x0 = rng.uniform(cw * MARGIN, cw * (1 - MARGIN) - bw * scale) - min(xs) * scale
    y0 = rng.uniform(ch * MARGIN, ch * (1 - MARGIN) - bh * scale) - min(ys) * scale
    return [(x0 + x * scale, y0 + y * scale) for x, y in pts]


def _bbox(points: Sequence[Point], pad: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (
        max(0, int(min(xs) - pad)),
        max(0, int(min(ys) - pad)),
        min(size[0], int(max(xs) + pad) + 1),
        min(size[1], int(max(ys) + pad) + 1),
    )


def _soft_shape(
    canvas: Image.Image, points: Sequence[Point], colour: tuple[int, int, int], blur: float, opacity: float
) -> None:
    """A polygon of ``colour`` laid on ``canvas`` at ``opacity``, its edge softened by ``blur``
    px; only the polygon's box is touched."""
    box = _bbox(points, blur * 3 + 2, canvas.size)
    if box[2] <= box[0] or box[3] <= box[1]:
        return
    mask = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
    ImageDraw.Draw(mask).polygon([(x - box[0], y - box[1]) for x, y in points], fill=round(255 * opacity))
    if blur > 0:
        mask = mask.filter(ImageFilter.GaussianBlur(blur))
    region = canvas.crop(box)
    region.paste(colour, (0, 0, *region.size), mask)
    canvas.paste(region, box[:2])


def _shift(colour: tuple[int, int, int], by: int) -> tuple[int, int, int]:
    r, g, b = (max(0, min(255, c + by)) for c in colour)
    return r, g, b


def _rect(cx: float, cy: float, length: float, width: float, angle: float) -> list[Point]:
    """The corners of a ``length`` × ``width`` bar centred on (cx, cy), along ``angle``."""
    dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
    nx, ny = -math.sin(angle) * width / 2, math.cos(angle) * width / 2
    return [
        (cx - dx + nx, cy - dy + ny),
        (cx + dx + nx, cy + dy + ny),
        (cx + dx - nx, cy + dy - ny),
        (cx - dx - nx, cy - dy - ny),
    ]


# --------------------------------------------------------------------------- the desk


def desk(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A desk top: wood with its grain (and now and then a seam between planks), or a plain
    dark one with faint blotches."""
    colour, wood = rng.choice(_DESKS)
    cw, ch = size
    canvas = blotches(rng, size, colour, 12, tint=2)
    if not wood:
        return canvas
    along_x = rng.random() < 0.6
    lines = rng.randint(160, 320)
    grain = Image.frombytes("L", (5, lines), rng.randbytes(5 * lines))
    grain = grain.resize((cw, ch) if along_x else (ch, cw), Image.Resampling.BILINEAR)
    if not along_x:
        grain = grain.transpose(Image.Transpose.ROTATE_90)
    depth = rng.randint(40, 70)
    grain = grain.point(lambda v: 255 - depth + v * depth // 255)
    canvas = ImageChops.multiply(canvas, Image.merge("RGB", (grain, grain, grain)))
    if rng.random() < 0.5:  # the seam between two planks
        draw = ImageDraw.Draw(canvas)
        dark = tuple(c // 2 for c in colour)
        at = rng.uniform(0.1, 0.9)
        if along_x:
            draw.line((0, at * ch, cw, at * ch + rng.uniform(-3, 3)), fill=dark, width=2)
        else:
            draw.line((at * cw, 0, at * cw + rng.uniform(-3, 3), ch), fill=dark, width=2)
    return canvas


def _margins(quad: Sequence[Point], size: tuple[int, int]) -> dict[str, float]:
    """The desk visible on each side of the sheet's box (px)."""
    x0, y0, x1, y1 = _bbox(quad, 0, size)
    return {"left": x0, "top": y0, "right": size[0] - x1, "bottom": size[1] - y1}


def other_paper(canvas: Image.Image, rng: random.Random, quad: Sequence[Point]) -> None:
    """The edge of another sheet coming into the picture where the most desk shows."""
    cw, ch = canvas.size
    margins = _margins(quad, canvas.size)
    side = max(margins, key=lambda s: margins[s])
    room = margins[side]
    if room < 0.05 * min(cw, ch):
        return
    depth = room * rng.uniform(0.3, 0.75)  # how far it reaches into the picture
    tilt = rng.uniform(-0.08, 0.08)
    big = 3 * max(cw, ch)
    along = rng.uniform(0.2, 0.8)
    if side in ("left", "right"):
        edge = depth if side == "left" else cw - depth
        out = -big if side == "left" else cw + big
        y_mid = along * ch
        points = [
            (edge - tilt * big, y_mid - big),
            (edge + tilt * big, y_mid + big),
            (out, y_mid + big),
            (out, y_mid - big),
        ]
    else:
        edge = depth if side == "top" else ch - depth
        out = -big if side == "top" else ch + big
        x_mid = along * cw
        points = [
            (x_mid - big, edge - tilt * big),
            (x_mid + big, edge + tilt * big),
            (x_mid + big, out),
            (x_mid - big, out),
        ]
    shade = _shift(paper(rng), -rng.randint(0, 25))
    _soft_shape(canvas, [(x + 4, y + 5) for x, y in points], (20, 18, 16), 6, 0.35)
    _soft_shape(canvas, points, shade, 0.7, 1.0)


def cup_ring(canvas: Image.Image, rng: random.Random, quad: Sequence[Point]) -> None:
    """The ring a coffee cup left on the desk, partly broken, beside (or half under) the sheet."""
    cw, ch = canvas.size
    radius = rng.uniform(0.06, 0.09) * cw
    cx, cy = rng.choice(quad)
    cx += rng.choice((-1, 1)) * rng.uniform(0.2, 1.0) * radius
    cy += rng.choice((-1, 1)) * rng.uniform(0.2, 1.0) * radius
    box = (int(cx - radius - 4), int(cy - radius - 4), int(cx + radius + 5), int(cy + radius + 5))
    mask = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
    draw = ImageDraw.Draw(mask)
    start = rng.uniform(0, 360)
    width = max(2, int(radius * rng.uniform(0.05, 0.1)))
    draw.arc(
        (4, 4, mask.width - 5, mask.height - 5),
        start,
        start + rng.uniform(220, 340),
        fill=rng.randint(90, 150),
        width=width,
    )
    mask = mask.filter(ImageFilter.GaussianBlur(1.2))
    full = Image.new("L", canvas.size, 0)
    full.paste(mask, box[:2])
    canvas.paste((70, 40, 22), None, full)


def pen(canvas: Image.Image, rng: random.Random, quad: Sequence[Point]) -> None:
    """A pen lying beside the sheet (or on its blank bottom part when no desk shows), with its
    shadow."""
    cw, ch = canvas.size
    length = rng.uniform(0.3, 0.42) * cw
    width = length * rng.uniform(0.06, 0.08)
    margins = _margins(quad, canvas.size)
    side = max(margins, key=lambda s: margins[s])
    room = margins[side]
    x0, y0, x1, y1 = _bbox(quad, 0, canvas.size)
    if room > width * 2.5:
        off = rng.uniform(width, room - width)
        cx, cy = {
            "left": (off, rng.uniform(y0, y1)),
            "right": (cw - off, rng.uniform(y0, y1)),
            "top": (rng.uniform(x0, x1), off),
            "bottom": (rng.uniform(x0, x1), ch - off),
        }[side]
        angle = (math.pi / 2 if side in ("left", "right") else 0.0) + rng.uniform(-0.35, 0.35)
    else:  # on the sheet's bottom margin, below the text
        bl, br = quad[3], quad[2]
        cx = (bl[0] + br[0]) / 2 + rng.uniform(-0.1, 0.1) * cw
        cy = (bl[1] + br[1]) / 2 - rng.uniform(0.03, 0.05) * ch
        angle = rng.uniform(-0.3, 0.3)
    body = rng.choice(_PENS)
    _soft_shape(
        canvas, _rect(cx + width * 0.5, cy + width * 0.7, length, width, angle), (15, 13, 12), width * 0.4, 0.55
    )
    _soft_shape(canvas, _rect(cx, cy, length, width, angle), body, 0.6, 1.0)
    # the shine along the barrel, the tip and the clip
    shine = _shift(body, 90)
    dx, dy = math.cos(angle), math.sin(angle)
    _soft_shape(
        canvas, _rect(cx - dy * width * 0.2, cy + dx * width * 0.2, length * 0.9, width * 0.18, angle), shine, 0.8, 0.6
    )
    tip = (cx + dx * length * 0.55, cy + dy * length * 0.55)
    _soft_shape(canvas, _rect(*tip, length * 0.1, width * 0.45, angle), (170, 170, 175), 0.6, 1.0)
    clip = (cx - dx * length * 0.3 - dy * width * 0.35, cy - dy * length * 0.3 + dx * width * 0.35)
    _soft_shape(canvas, _rect(*clip, length * 0.25, width * 0.2, angle), (210, 210, 215), 0.6, 1.0)


# --------------------------------------------------------------------------- light, blur


def light(rng: random.Random, size: tuple[int, int], quad: Sequence[Point]) -> Image.Image:
    """The light falling on the picture, to multiply it with: brighter on one side, darker in
    the corners (the lens), blotchy, a warm or cool cast, and often the soft shadow of the phone
    and the hand holding it across part of the sheet. Made at 1/8 scale."""
    cw, ch = size
    sw, sh = max(8, cw // 8), max(8, ch // 8)
    angle = rng.uniform(0, 2 * math.pi)
    ux, uy = math.cos(angle), math.sin(angle)
    slope = rng.uniform(0.08, 0.3)  # the darker side is this much darker
    vignette = rng.uniform(0.05, 0.18)
    gw, gh = 24, 32
    values = []
    for j in range(gh):
        for i in range(gw):
            x, y = i / (gw - 1) - 0.5, j / (gh - 1) - 0.5
            v = 1 - slope * (0.5 + x * ux + y * uy) - vignette * (x * x + y * y) * 2
            values.append(max(0, min(255, round(255 * v))))
    gradient = Image.new("L", (gw, gh))
    gradient.putdata(values)
    level = ImageChops.multiply(
        gradient.resize((sw, sh), Image.Resampling.BILINEAR),
        blotches(rng, (sw, sh), (242,) * 3, 12, tint=0).convert("L"),
    )
    if rng.random() < 0.65:
        level = ImageChops.multiply(level, _hand_shadow(rng, (sw, sh), [(x / 8, y / 8) for x, y in quad]))
    tint = rng.choice(((255, 250, 238), (255, 246, 230), (246, 250, 255), (255, 255, 255)))
    rgb = Image.merge("RGB", [level.point(lambda v, t=t: v * t // 255) for t in tint])
    return rgb.resize(size, Image.Resampling.BILINEAR)


def _hand_shadow(rng: random.Random, size: tuple[int, int], quad: Sequence[Point]) -> Image.Image:
    """The blurred shadow of the phone and the forearm holding it, coming in from the side the
    photographer stands on and reaching over part of the sheet."""
    sw, sh = size
    shade = Image.new("L", size, 255)
    draw = ImageDraw.Draw(shade)
    dark = round(255 * (1 - rng.uniform(0.2, 0.45)))
    side = rng.choices(("bottom", "right", "left"), (5, 2, 2))[0]
    x0, y0 = min(p[0] for p in quad), min(p[1] for p in quad)
    x1, y1 = max(p[0] for p in quad), max(p[1] for p in quad)
    reach = rng.uniform(0.15, 0.45)  # how far over the sheet it reaches
    arm = rng.uniform(0.2, 0.3) * sw  # the forearm's width
    phone_w, phone_h = rng.uniform(0.28, 0.36) * sw, rng.uniform(0.14, 0.2) * sh
    if side == "bottom":
        tip = (rng.uniform(x0, x1), y1 - reach * (y1 - y0))
        root = (tip[0] + rng.uniform(-0.3, 0.3) * sw, sh * 1.3)  # the elbow, out of the picture
    else:
        tip = (x1 - reach * (x1 - x0) if side == "right" else x0 + reach * (x1 - x0), rng.uniform(y0, y1))
        root = (sw * 1.3 if side == "right" else -sw * 0.3, tip[1] + rng.uniform(0.1, 0.4) * sh)
    angle = math.atan2(root[1] - tip[1], root[0] - tip[0])
    length = math.dist(tip, root)
    mid = ((tip[0] + root[0]) / 2, (tip[1] + root[1]) / 2)
    draw.polygon(_rect(*mid, length, arm, angle), fill=dark)
    draw.ellipse(
        (tip[0] - arm * 0.7, tip[1] - arm * 0.6, tip[0] + arm * 0.7, tip[1] + arm * 0.6), fill=dark
    )  # the hand
    phone = _rect(*tip, phone_h, phone_w, angle + rng.uniform(-0.3, 0.3))
    draw.polygon(phone, fill=dark)
    return shade.filter(ImageFilter.GaussianBlur(rng.uniform(0.04, 0.08) * sw))


def blur(image: Image.Image, rng: random.Random) -> Image.Image:
    """Slightly out of focus (the picture made smaller: its upscaling to the photo's size
    smooths it, and costs no more), or shaken along one direction (copies shifted a pixel or
    two and averaged), or (now and then) sharp."""
    roll = rng.random()
    if roll < 0.55:
        f = rng.uniform(0.7, 0.9)  # a phone focuses on a page: soft, never smeared
        return image.resize((round(image.width * f), round(image.height * f)), Image.Resampling.BILINEAR)
    if roll < 0.85:
        angle = rng.uniform(0, math.pi)
        dx, dy = round(math.cos(angle) * 2), round(math.sin(angle) * 2)
        half = Image.blend(image, ImageChops.offset(image, dx, dy), 0.5)
        return Image.blend(
            half, ImageChops.offset(image, -dx // 2 if dx > 0 else -dx, -dy // 2 if dy > 0 else -dy), 1 / 3
        )
    return image


# --------------------------------------------------------------------------- the photo


def photo(
    page_def: Page,
    r: Renderer,
    rng: random.Random,
    orientation: int,
    year: int,
    final: tuple[int, int] | None = None,
    tagged: bool = True,
) -> tuple[Image.Image, Image.Exif]:
    """An A4 page photographed on a desk: the stored pixels and their EXIF. The pixels lie
    turned as EXIF ``orientation`` says; ``tagged`` False leaves the orientation out of the EXIF
    (a phone that didn't record it)."""
    w, h = final or rng.choice(PHOTO_SIZES)
    cw, ch = int(w * DRAW_SCALE), int(h * DRAW_SCALE)
    quad = sheet_quad(rng, cw, ch)
    pw = int(max(math.dist(quad[0], quad[1]), math.dist(quad[3], quad[2])))
    ph = int(pw * A4)
    page = draw_page(page_def, pw, ph, paper(rng), r, rng)
    canvas = desk(rng, (cw, ch))
    if rng.random() < 0.3:
        other_paper(canvas, rng, quad)
    if rng.random() < 0.3:
        cup_ring(canvas, rng, quad)
    # The sheet, seen at a slant: only its box is transformed.
    box = _bbox(quad, 2, (cw, ch))
    size = (box[2] - box[0], box[3] - box[1])
    coeffs = perspective_coeffs([(x - box[0], y - box[1]) for x, y in quad], [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    sheet = page.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    mask = Image.new("L", page.size, 255).transform(
        size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR
    )
    # Its shadow on the desk, thrown away from the light.
    shadow = Image.new("L", (cw, ch), 0)
    shadow.paste(mask, (box[0] + cw // 110, box[1] + ch // 90))
    shadow = shadow.filter(ImageFilter.BoxBlur(cw // 90)).point(lambda v: v * 3 // 5)
    canvas.paste((20, 18, 16), None, shadow)
    canvas.paste(sheet, box[:2], mask)
    if rng.random() < 0.4:
        pen(canvas, rng, quad)
    canvas = ImageChops.multiply(canvas, light(rng, (cw, ch), quad))
    canvas = blur(canvas, rng)
    image = canvas.resize((w, h), Image.Resampling.BILINEAR)
    image = ImageChops.add(image, r.grain((w, h), 7), 1, -128)
    exif = Image.Exif()
    make, model = rng.choice(CAMERAS)
    exif[0x010F], exif[0x0110] = make, model
    exif[0x0132] = (
        f"{year}:10:{rng.randint(18, 28):02d} "
        f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    )
    if orientation in TRANSPOSE:
        image = image.transpose(TRANSPOSE[orientation])
    if tagged:
        exif[0x0112] = orientation
    return image, exif


def upright(image: Image.Image, spec: AttSpec) -> Image.Image:
    """A demo photo (as read from its file) turned upright: its EXIF orientation applied, or,
    where the EXIF says nothing, the turn it was stored with undone."""
    image = ImageOps.exif_transpose(image)
    if not spec.tagged and spec.orientation in _UNDO:
        image = image.transpose(_UNDO[spec.orientation])
    return image
