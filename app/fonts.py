"""Chinese fonts for the print PDFs (and the demo's drawn scans), found on this machine.

The PDFs embed every font, subset, so what prints is what the user saw and copy-paste gives the
right Chinese. reportlab embeds TrueType outlines only (CFF fonts such as Noto CJK fail), so the
candidates are TrueType: Windows' SimSun / SimHei / FangSong first, then the free fonts the
set-up installs on Debian and Ubuntu (``fonts-arphic-uming``, ``fonts-wqy-zenhei``), then any
font shipped under ``resources/fonts``. ``ZHUTUI_FONT_DIRS`` (folders separated by the path
separator) replaces the search folders, for tests and unusual installs.

Three roles: ``song`` for text and tables, ``hei`` for titles and headings, ``fang`` for long
prose (FangSong as official documents use it, else the Song font). A character missing from a
role's font is drawn with another found font that has it (``markup``).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from zhutui.errors import InputError
from zhutui.paths import resources_dir

FONT_DIRS_ENV = "ZHUTUI_FONT_DIRS"
ROLES = ("song", "hei", "fang")
PROBE = "申报表工会"  # characters every usable font must have

# File name (lower case) and face index in a collection, in order of preference per role.
_SONG = (
    ("simsun.ttc", 0),
    ("uming.ttc", 0),
    ("wqy-zenhei.ttc", 0),
    ("wqy-microhei.ttc", 0),
    ("lxgwwenkai-regular.ttf", 0),
)
_CANDIDATES = {
    "song": _SONG,
    "hei": (("simhei.ttf", 0), ("wqy-zenhei.ttc", 0), ("wqy-microhei.ttc", 0), *_SONG),
    "fang": (("simfang.ttf", 0), *_SONG),
}
INSTALL_HINT = (
    "找不到可以嵌入PDF的中文字体。Windows 请确认 C:\\Windows\\Fonts 中有宋体（simsun.ttc）；"
    "Debian / Ubuntu 请运行 sudo apt install fonts-arphic-uming fonts-wqy-zenhei，"
    "或把 TrueType 中文字体（.ttf / .ttc）放入 resources/fonts 文件夹。"
)


class FontError(InputError):
    """No usable Chinese font: the message names what to install."""

    def __init__(self, message: str = INSTALL_HINT):
        super().__init__(None, None, message)


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int  # face index within a .ttc collection

    @property
    def label(self) -> str:
        return self.path.name + (f"#{self.index}" if self.index else "")


def search_dirs(
    platform: str = sys.platform, environ: Mapping[str, str] | None = None, home: Path | None = None
) -> list[Path]:
    """The font folders, in order: Windows' own (system-wide, then the user's own fonts) on
    Windows, the usual folders elsewhere, then ``resources/fonts``."""
    environ = os.environ if environ is None else environ
    override = environ.get(FONT_DIRS_ENV)
    if override is not None:
        return [Path(p) for p in override.split(os.pathsep) if p]
    home = home or Path.home()
    if platform == "win32":
        windir = Path(environ.get("WINDIR") or environ.get("SystemRoot") or "C:/Windows")
        local = Path(environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        dirs = [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    elif platform == "darwin":
        dirs = [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    else:
        dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts", home / ".fonts"]
    dirs.append(resources_dir() / "fonts")
    return dirs


@functools.cache
def _index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Font files by lower-case file name; the first folder that has a name wins."""
    found: dict[str, Path] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for root, _subdirs, files in os.walk(folder):
            for name in sorted(files):
                low = name.lower()
                if low.endswith((".ttf", ".ttc")):
                    found.setdefault(low, Path(root) / name)
    return found


def _usable(font: FontFile) -> bool:
    """A TrueType face reportlab can embed, with Chinese glyphs."""
    return _covers(font.path, font.index, PROBE)


@functools.cache
def _covers(path: Path, index: int, chars: str) -> bool:
    from reportlab.pdfbase.ttfonts import TTFontFile

    try:
        face = TTFontFile(str(path), subfontIndex=index)
    except Exception:  # noqa: BLE001 - CFF outlines, broken files: not usable, try the next
        return False
    return all(ord(ch) in face.charToGlyph for ch in chars)


def find_fonts() -> dict[str, FontFile]:
    """The font file for every role; raises ``FontError`` when no usable Chinese font exists."""
    return _find_fonts(tuple(search_dirs()))


@functools.cache
def _find_fonts(dirs: tuple[Path, ...]) -> dict[str, FontFile]:
    index = _index(dirs)
    chosen: dict[str, FontFile] = {}
    for role in ROLES:
        for name, face in _CANDIDATES[role]:
            if name in index and _usable(FontFile(index[name], face)):
                chosen[role] = FontFile(index[name], face)
                break
    if "song" not in chosen:
        # Any other TrueType Chinese font the user put in a searched folder.
        for path in sorted(set(index.values())):
            if _usable(FontFile(path, 0)):
                chosen["song"] = FontFile(path, 0)
                break
    if "song" not in chosen:
        raise FontError()
    for role in ROLES:
        chosen.setdefault(role, chosen["song"])
    return chosen


# --------------------------------------------------------------------------- reportlab


@dataclass(frozen=True)
class PdfFonts:
    """reportlab font names registered for the roles, and the fallback order for missing glyphs."""

    song: str
    hei: str
    fang: str
    fallbacks: tuple[str, ...]

    def has(self, font_name: str, ch: str) -> bool:
        return ord(ch) in _registered_glyphs(font_name)

    def markup(self, text: str, font_name: str) -> str:
        """``text`` escaped for a reportlab Paragraph, with each run of characters that
        ``font_name`` lacks set in a fallback font that has them."""
        out: list[str] = []
        run_font, run = font_name, ""
        for ch in text:
            font = font_name if ch in "\n\t " or self.has(font_name, ch) else self._fallback_for(ch, font_name)
            if font != run_font and run:
                out.append(self._wrap(run, run_font, font_name))
                run = ""
            run_font = font
            run += ch
        if run:
            out.append(self._wrap(run, run_font, font_name))
        return "".join(out)

    def _fallback_for(self, ch: str, primary: str) -> str:
        return next((f for f in self.fallbacks if f != primary and self.has(f, ch)), primary)

    @staticmethod
    def _wrap(run: str, font: str, primary: str) -> str:
        text = escape(run)
        return text if font == primary else f'<font name="{font}">{text}</font>'

    def missing(self, text: str) -> set[str]:
        """Characters of ``text`` that no found font can draw."""
        return {
            ch
            for ch in set(text)
            if ch.isprintable() and not ch.isspace() and not any(self.has(f, ch) for f in self.fallbacks)
        }


@functools.cache
def _registered_glyphs(font_name: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def pdf_fonts() -> PdfFonts:
    """Register the found fonts with reportlab (once) and return their names."""
    return _pdf_fonts(tuple(search_dirs()))


@functools.cache
def _pdf_fonts(dirs: tuple[Path, ...]) -> PdfFonts:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    files = _find_fonts(dirs)
    names: dict[FontFile, str] = {}
    font: FontFile | None
    for role in ROLES:
        font = files[role]
        if font not in names:
            name = f"Zh-{font.path.stem}-{font.index}"
            pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.index))
            names[font] = name
    order = [names[files[r]] for r in ROLES]
    # Every other usable candidate joins the fallbacks, for rare characters in names.
    index = _index(dirs)
    for role in ROLES:
        for file_name, face in _CANDIDATES[role]:
            font = FontFile(index[file_name], face) if file_name in index else None
            if font and font not in names and _usable(font):
                name = f"Zh-{font.path.stem}-{font.index}"
                pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.index))
                names[font] = name
                order.append(name)
    unique = tuple(dict.fromkeys(order))
    return PdfFonts(song=names[files["song"]], hei=names[files["hei"]], fang=names[files["fang"]], fallbacks=unique)


def pillow_font() -> FontFile | None:
    """The Song font for drawing Chinese with Pillow (demo scans), or None when there is none."""
    try:
        return find_fonts()["song"]
    except FontError:
        return None
