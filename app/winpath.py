"""File names and texts that work on our users' Windows, checked on any platform.

* ``MAX_PATH``: Explorer, Word, WPS and many zip tools still open no file whose full path is
  260 UTF-16 units or more (the terminating NUL included). Names made from long Chinese names
  (a union, a studio) are shortened to fit the folder they go in, never refused.
* Reserved names: ``CON``, ``PRN``, ``AUX``, ``NUL``, ``COM1``–``COM9``, ``LPT1``–``LPT9`` (also
  with any extension, and the superscript-digit forms) name devices, not files; names ending
  in a dot or a space lose it silently. A name made from user text never is one.
* Texts for Notepad: UTF-8 with a byte-order mark and CRLF line ends, which every Notepad since
  Windows XP shows correctly (without the BOM, older ones guess ANSI/GBK and show mojibake).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MAX_PATH = 260  # UTF-16 units, the terminating NUL included
MIN_STEM = 6  # a shortened name keeps at least this many characters of its stem

RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def units(text: str) -> int:
    """Length as Windows counts it (UTF-16 code units: a rare character outside the BMP is two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def is_reserved(name: str) -> bool:
    """Whether Windows takes ``name`` for a device (``CON``, ``nul.txt``, ``COM1.pdf`` …)."""
    stem = name.split(".", 1)[0].rstrip(" ")
    return stem.upper() in RESERVED


def safe_component(text: str, fallback: str, limit: int) -> str:
    """``text`` as one part of a file name: no separators or control characters, no trailing
    dots or spaces, not a reserved device name, at most ``limit`` characters."""
    cleaned = _UNSAFE.sub("_", " ".join(str(text).split())).strip(" ._")
    return unreserved(cleaned[:limit].rstrip(" ._") or fallback)


def unreserved(name: str) -> str:
    """``name``, with ``_`` after its stem when Windows would take it for a device
    (``CON`` → ``CON_``, ``nul.txt`` → ``nul_.txt``)."""
    if not is_reserved(name):
        return name
    stem, dot, rest = name.partition(".")
    return f"{stem.rstrip(' ')}_{dot}{rest}"


def path_units(path: Path | str) -> int:
    """The full path's length as Windows counts it, the terminating NUL included."""
    return units(os.path.abspath(path)) + 1


def fit_name(folder: Path | str, stem: str, suffix: str = "", reserve: int = 0) -> str:
    """``stem + suffix``, the stem shortened from its end until the file's full path in
    ``folder`` (plus ``reserve`` units for what will go inside it, when it is a folder) stays
    under ``MAX_PATH``. Never below ``MIN_STEM`` characters: in a folder whose own path is
    already too long, the name is as short as it gets and Windows decides."""
    room = MAX_PATH - path_units(Path(folder)) - 1 - reserve - units(suffix)  # the separator
    if units(stem) > room:
        while len(stem) > MIN_STEM and units(stem) > room:
            stem = stem[:-1]
        stem = stem.rstrip(" ._") or stem
    return unreserved(stem + suffix)


def notepad_bytes(text: str) -> bytes:
    """``text`` as a ``.txt`` file Notepad shows correctly: UTF-8 with BOM, CRLF line ends."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return lines.replace("\n", "\r\n").encode("utf-8-sig")
