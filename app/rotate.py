"""Turning a scan a quarter: the attachments' 向左转 / 向右转, without Qt.

Images are turned upright first (their EXIF orientation applied) and saved in their own format
(JPEG at quality 95; PNG, TIFF and BMP losslessly). PDFs are
turned page by page with ``/Rotate``, which loses nothing. The result is new content for the
workspace's content-addressed store; the user's original file is never changed.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from zhutui.errors import InputError

_SAVE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".tif": "TIFF", ".tiff": "TIFF", ".bmp": "BMP"}


def rotate_file(path: Path, clockwise_quarters: int) -> tuple[bytes, str]:
    """The content of ``path`` turned by 90° × ``clockwise_quarters``, and its suffix."""
    suffix = path.suffix.lower()
    turns = clockwise_quarters % 4
    try:
        if suffix == ".pdf":
            return _rotate_pdf(path, turns), suffix
        if suffix in _SAVE_FORMATS:
            return _rotate_image(path, turns, _SAVE_FORMATS[suffix]), suffix
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise InputError(path, None, f"无法旋转：文件无法读取或已损坏（{exc}）") from None
    raise InputError(path, None, "这种文件不能在本软件中旋转，请用看图软件旋转后重新添加")


def _rotate_image(path: Path, turns: int, fmt: str) -> bytes:
    with Image.open(path) as img:
        upright = ImageOps.exif_transpose(img)
        # Image.rotate turns counter-clockwise; transpose keeps every pixel (no resampling)
        method = {0: None, 1: Image.Transpose.ROTATE_270, 2: Image.Transpose.ROTATE_180, 3: Image.Transpose.ROTATE_90}[
            turns
        ]
        turned = upright.transpose(method) if method is not None else upright
        out = io.BytesIO()
        options: dict = {}
        if fmt == "JPEG":
            options = {"quality": 95}
            if img.info.get("icc_profile"):
                options["icc_profile"] = img.info["icc_profile"]
        dpi = img.info.get("dpi")
        if dpi:
            options["dpi"] = dpi if turns % 2 == 0 else (dpi[1], dpi[0])
        if turned.mode not in ("RGB", "L", "CMYK") and fmt == "JPEG":
            turned = turned.convert("RGB")
        turned.save(out, fmt, **options)
        return out.getvalue()


def _rotate_pdf(path: Path, turns: int) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise InputError(path, None, "PDF 文件设置了打开密码，无法旋转。请导出一份不加密的PDF再添加")
        writer = PdfWriter(clone_from=reader)
        for page in writer.pages:
            if turns:
                page.rotate(90 * turns)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except PdfReadError as exc:
        raise ValueError(str(exc)) from None
