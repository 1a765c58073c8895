"""Fast checks of one attachment file (spec §5, A001–A004): only headers and file tails are
read; images are opened lazily with Pillow (never decoded), PDFs parsed by pypdf."""

from __future__ import annotations

import functools
import importlib.util
import mmap
import os
import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from zhutui import scanpdf

A4_MM = (210, 297)
MIN_DPI = 150
_A4_SHORT_IN, _A4_LONG_IN = (mm / 25.4 for mm in A4_MM)

HEIF_AVAILABLE = importlib.util.find_spec("pillow_heif") is not None
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".pdf"} | ({".heic", ".heif"} if HEIF_AVAILABLE else set())
)

_TYPES = "JPEG、PNG、TIFF、BMP、PDF" + ("、HEIC" if HEIF_AVAILABLE else "")
_EXPORT = "请导出或扫描为 PDF 或 JPEG 后重新选择"
_MISSING = "文件不存在（可能已被移动、改名或删除），请重新选择扫描件"
_EMPTY = f"文件是空的（0 字节），可能没有保存完整。附件只支持 {_TYPES}，{_EXPORT}"
_BOMB = (
    "图片像素数过大（超过约 1.8 亿像素），可能已损坏或扫描分辨率过高。"
    "请用 300 dpi 重新扫描，或导出为 PDF 或 JPEG 后重新选择"
)
_LOCKED = "PDF 文件设置了打开密码，无法读取。请在 PDF 软件中取消密码（另存为无密码的副本）后重新选择"
MAX_PAGES = 200  # pages of one PDF or frames of one TIFF: a real attachment has far fewer
MAX_PDF_IMAGE_PIXELS = 120_000_000  # one image inside a PDF (A4 at 600 dpi is 35 million)
# Pixels of a PNG, TIFF or BMP: these decode whole (a JPEG decodes straight at the printed
# size), so one bitmap costs three bytes a pixel; above this, the user is asked to shrink it.
MAX_DECODED_PIXELS = 50_000_000
_TAIL = 1024  # end markers (EOI, IEND, %%EOF) must lie within the last KB
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_HINTS = (
    (0, b"PK\x03\x04", "（看起来是 Word/Excel 文档或压缩包）"),
    (0, b"GIF8", "（GIF 图片）"),
    (0, b"\xd0\xcf\x11\xe0", "（看起来是旧版 Word/Excel 文档）"),
    (0, b"Rar!", "（RAR 压缩包）"),
    (8, b"WEBP", "（WebP 图片）"),
    (4, b"ftypavi", "（AVIF 图片）"),
)  # (offset, magic, hint) for unsupported content
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")  # next marker after entropy data


@dataclass(frozen=True)
class ScanInfo:
    path: Path
    problem: str | None  # None | "A001" | "A002" | "A003"
    detail: str  # Chinese: what is wrong and what to do; "" when fine
    kind: str | None = None  # "image" | "pdf"
    format: str | None = None  # "JPEG", "PNG", "TIFF", "BMP", "PDF", "HEIF"
    pages: int = 0  # 0 when unknown
    width_px: int | None = None  # first page/frame, upright (EXIF orientation applied)
    height_px: int | None = None
    # Printed on A4: an image's, or a PDF's coarsest scanned page's (None: no page is a scan).
    dpi_at_a4: float | None = None
    low_page: int | None = None  # a PDF: the page (1-based) whose resolution dpi_at_a4 is

    @property
    def low_resolution(self) -> bool:
        return self.dpi_at_a4 is not None and self.dpi_at_a4 < MIN_DPI

    @property
    def resolution_detail(self) -> str:
        """Chinese text for warning A004, "" when the resolution is fine."""
        if not self.low_resolution:
            return ""
        assert self.dpi_at_a4 is not None  # low_resolution
        return (
            f"图片分辨率偏低（按 A4 打印约 {int(self.dpi_at_a4)} dpi，"
            f"建议不低于 {MIN_DPI} dpi），打印后可能看不清；"
            "请用 200–300 dpi 重新扫描，或拍照时让证书占满画面"
        )


class _Bad(Exception):
    """Content is corrupt or unsupported; the message is the user-facing detail."""


def dpi_at_a4(width_px: int, height_px: int) -> float:
    """Effective resolution when printed scaled to fit A4, long side along the long side."""
    short_px, long_px = sorted((width_px, height_px))
    return min(short_px / _A4_SHORT_IN, long_px / _A4_LONG_IN)


def page_dpi_at_a4(page: scanpdf.ScannedPage) -> float:
    """A scanned PDF page's resolution when the page is printed scaled to fit A4 (as images
    are judged): the same as on the page for an A4 page, coarser for a smaller one."""
    short_pt, long_pt = sorted((page.width, page.height))
    scale = min(_A4_SHORT_IN * 72 / short_pt, _A4_LONG_IN * 72 / long_pt)
    return page.dpi / scale


def _corrupt(fmt: str) -> str:
    return f"{fmt} 文件不完整或已损坏（可能未下载或复制完整），请重新扫描，或重新导出为 PDF 或 JPEG 后再选择"


def _sniff(head: bytes) -> tuple[str | None, str]:
    """Return (format, "") for supported content, else (None, hint about what it looks like)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG", ""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG", ""
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "TIFF", ""
    if head.startswith(b"BM") and len(head) >= 26:
        return "BMP", ""
    if b"%PDF-" in head:
        return "PDF", ""
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return ("HEIF", "") if HEIF_AVAILABLE else (None, "HEIC")
    for offset, magic, hint in _HINTS:
        if head[offset : offset + len(magic)] == magic:
            return None, hint
    return None, ""


def _tail(fh: BinaryIO, size: int, start: int = 0) -> bytes:
    pos = max(start, size - _TAIL)
    fh.seek(pos)
    return fh.read(size - pos)


def _jpeg_scan_start(fh: BinaryIO, size: int) -> int:
    """Offset of the first scan's entropy-coded data (0 when the header is broken)."""
    pos = 2
    while pos + 4 <= size:
        fh.seek(pos)
        seg = fh.read(4)
        if seg[0] != 0xFF:
            return 0
        if seg[1] == 0xFF:  # fill byte
            pos += 1
            continue
        pos += 2 + int.from_bytes(seg[2:4], "big")
        if seg[1] == 0xDA:  # SOS
            return pos
    return 0


def _jpeg_complete(fh: BinaryIO, size: int) -> bool:
    scan_start = _jpeg_scan_start(fh, size)
    if not scan_start:
        return False
    if b"\xff\xd9" in _tail(fh, size, scan_start):
        return True
    # Slow path, only for files without EOI near the end: walk the scans to the main image's
    # EOI. Legitimate with data appended after the image (motion photos, Samsung trailers).
    with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        pos = scan_start
        while True:
            m = _JPEG_MARKER.search(buf, pos)  # skip entropy-coded data
            if m is None:
                return False
            pos = m.start()
            while pos + 4 <= size and buf[pos] == 0xFF:  # segments between scans
                marker = buf[pos + 1]
                if marker == 0xD9:
                    return True
                if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
                    pos += 1 if marker == 0xFF else 2
                    continue
                seg_len = int.from_bytes(buf[pos + 2 : pos + 4], "big")
                if seg_len < 2:
                    return False
                pos += 2 + seg_len
                if marker == 0xDA:
                    break
            else:
                return buf[pos : pos + 2] == b"\xff\xd9"


def _png_complete(fh: BinaryIO, size: int, data_start: int) -> bool:
    if b"IEND\xaeB`\x82" in _tail(fh, size, data_start):
        return True
    pos = 8  # slow path: walk the chunks (data appended after IEND is tolerated)
    while pos + 12 <= size:
        fh.seek(pos)
        header = fh.read(8)
        if header[4:8] == b"IEND":
            return True
        pos += 12 + int.from_bytes(header[:4], "big")
    return False


def _bmp_required_size(head: bytes) -> int:
    """Bytes the BMP header says the file needs: pixel offset + pixel data, else bfSize."""
    if len(head) < 38:
        return 0
    _, bf_size, _, _, off, dib, width, height, _, bpp, compression, size_image = struct.unpack_from(
        "<2sIHHIIiiHHII", head
    )
    if dib < 40:  # OS/2 header: trust bfSize
        return bf_size
    if compression in (0, 3, 6):  # BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS: uncompressed
        return off + (abs(width) * bpp + 31) // 32 * 4 * abs(height)
    return off + size_image if size_image else bf_size


def _tiff_frames(im: Image.Image, size: int) -> int:
    frames = getattr(im, "n_frames", 1)
    if frames > MAX_PAGES:
        raise _Bad(f"TIFF 文件页数过多（{frames} 页，最多 {MAX_PAGES} 页）。请只保留需要的页面后重新选择")
    for i in range(frames):
        im.seek(i)
        if im.size[0] * im.size[1] > MAX_DECODED_PIXELS:
            raise _Bad(
                f"TIFF 第{i + 1}页像素过多（{im.size[0]} × {im.size[1]}），会占用过多内存。"
                "请另存为 JPEG 或 PDF，或缩小后重新选择"
            )
        tags = im.tag_v2  # type: ignore[attr-defined]
        offsets = tags.get(273) or tags.get(324)  # StripOffsets / TileOffsets
        counts = tags.get(279) or tags.get(325)  # StripByteCounts / TileByteCounts
        if offsets and counts and max(o + c for o, c in zip(offsets, counts, strict=False)) > size:
            raise _Bad(_corrupt("TIFF"))
    return frames


@functools.cache
def _register_heif() -> None:
    import pillow_heif  # optional dependency, only imported when installed and needed

    pillow_heif.register_heif_opener()


def _inspect_image(path: Path, fh: BinaryIO, fmt: str, head: bytes, size: int) -> ScanInfo:
    if fmt == "HEIF":
        _register_heif()
    if fmt == "BMP" and size < _bmp_required_size(head):
        raise _Bad(_corrupt("BMP"))
    fh.seek(0)
    with warnings.catch_warnings(action="ignore"):  # DecompressionBombWarning, TIFF noise
        im = Image.open(fh, formats=[fmt])
        width, height = im.size
        # HEIF decoders already apply the container's rotation and report upright sizes.
        # Base-class getexif reads parsed headers only (PngImageFile.getexif would decode).
        orientation = 1 if fmt == "HEIF" else Image.Image.getexif(im).get(0x0112, 1)
        data_start = im.tile[0].offset if fmt == "PNG" and im.tile else 0
        pages = _tiff_frames(im, size) if fmt == "TIFF" else 1
    if fmt == "JPEG" and not _jpeg_complete(fh, size):
        raise _Bad(_corrupt("JPEG"))
    if fmt == "PNG" and not _png_complete(fh, size, data_start):
        raise _Bad(_corrupt("PNG"))
    if fmt != "JPEG" and width * height > MAX_DECODED_PIXELS:
        raise _Bad(
            f"图片像素过多（{width} × {height}）：{fmt} 图片打印前要整张解码，会占用过多内存。"
            "请另存为 JPEG，或缩小到 5000 万像素以内后重新选择"
        )
    if orientation in (5, 6, 7, 8):  # rotated by 90° or 270°
        width, height = height, width
    return ScanInfo(path, None, "", "image", fmt, pages, width, height, dpi_at_a4(width, height))


def _inspect_pdf(path: Path, fh: BinaryIO, size: int) -> ScanInfo:
    if b"%%EOF" not in _tail(fh, size):
        raise _Bad(_corrupt("PDF"))
    fh.seek(0)
    try:
        facts = scanpdf.read_pdf(fh, MAX_PAGES, MAX_PDF_IMAGE_PIXELS)
    except scanpdf.Locked:
        return ScanInfo(path, "A003", _LOCKED, "pdf", "PDF")
    except scanpdf.Damaged as exc:
        raise _Bad(exc.message or _corrupt("PDF")) from None
    if facts.pages == 0:
        raise _Bad("PDF 文件中没有任何页面，请重新扫描或重新导出为 PDF 后再选择")
    if not facts.scans:
        return ScanInfo(path, None, "", "pdf", "PDF", facts.pages)
    dpi, page = min((page_dpi_at_a4(p), p.number) for p in facts.scans)
    return ScanInfo(path, None, "", "pdf", "PDF", facts.pages, dpi_at_a4=dpi, low_page=page)


def inspect_file(path: Path | str) -> ScanInfo:
    """Check one attachment: existence, type by content, completeness, encryption, size."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            return _inspect_content(path, fh, fh.read(_TAIL), size)
    except FileNotFoundError:
        return ScanInfo(path, "A001", _MISSING)
    except IsADirectoryError:
        return ScanInfo(path, "A001", "所选的是文件夹而不是文件，请选择具体的扫描件文件")
    except OSError:
        return ScanInfo(
            path,
            "A001",
            "无法读取文件（没有访问权限或被其他程序占用），请关闭占用它的程序，或将文件复制到本机后重新选择",
        )


def _inspect_content(path: Path, fh: BinaryIO, head: bytes, size: int) -> ScanInfo:
    if size == 0:
        return ScanInfo(path, "A002", _EMPTY)
    fmt, hint = _sniff(head)
    if fmt is None:
        if hint == "HEIC":
            return ScanInfo(
                path,
                "A002",
                "这是手机拍摄的 HEIC/HEIF 照片，本机无法读取。请在手机上"
                "导出为 JPEG（或把相机格式设为“兼容性最佳”）后重新选择；"
                f"支持的格式：{_TYPES}",
            )
        return ScanInfo(path, "A002", f"不支持的文件格式{hint}。附件只支持 {_TYPES}，{_EXPORT}")
    kind = "pdf" if fmt == "PDF" else "image"
    try:
        if kind == "pdf":
            return _inspect_pdf(path, fh, size)
        return _inspect_image(path, fh, fmt, head, size)
    except _Bad as exc:
        return ScanInfo(path, "A002", str(exc), kind, fmt)
    except Image.DecompressionBombError:
        return ScanInfo(path, "A002", _BOMB, kind, fmt)
    except Exception:  # any parser failure on this content means the file is corrupt
        return ScanInfo(path, "A002", _corrupt(fmt), kind, fmt)
