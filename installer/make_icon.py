"""Draws the app's icon (resources/icons/zhutui.png and .ico) from shapes alone: no font, no
third-party artwork. Run again after changing it: .venv/bin/python installer/make_icon.py"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
RED, GOLD, WHITE, INK = (190, 30, 45), (246, 190, 40), (255, 255, 255), (150, 160, 175)
SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int = 1024) -> Image.Image:
    """A red tile with a white form (its lines, a stamp box) and a gold arrow pointing up."""
    s = size / 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=44 * s, fill=RED)
    # The form, its top-right corner folded.
    left, top, right, bottom, fold = 52 * s, 40 * s, 168 * s, 214 * s, 30 * s
    d.polygon([(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)], fill=WHITE)
    d.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=(225, 225, 232))
    for n in range(4):
        y = 78 * s + n * 26 * s
        d.rounded_rectangle((70 * s, y, (150 if n % 2 else 132) * s, y + 10 * s), radius=5 * s, fill=INK)
    d.rectangle((70 * s, 172 * s, 104 * s, 200 * s), outline=RED, width=max(1, round(5 * s)))
    # The arrow: the boost.
    cx, base, head = 186 * s, 222 * s, 112 * s
    d.rectangle((cx - 17 * s, head + 30 * s, cx + 17 * s, base), fill=GOLD)
    d.polygon([(cx - 46 * s, head + 40 * s), (cx, head - 16 * s), (cx + 46 * s, head + 40 * s)], fill=GOLD)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "zhutui.png")
    big.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "zhutui.ico", sizes=[(n, n) for n in SIZES])
    print(f"wrote {OUT / 'zhutui.png'} and {OUT / 'zhutui.ico'}")


if __name__ == "__main__":
    main()
