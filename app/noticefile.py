"""A notice's text from its file: ``.txt`` in UTF-8 or GB18030 (what Chinese Windows' Notepad
writes), ``.docx`` (paragraphs and tables), a ``.pdf`` with text. A file that can't be read is
refused with an InputError naming it and saying what to do (an old ``.doc``, an encrypted PDF,
a scan without text, something too big to be a notice)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from zhutui.errors import InputError

_MAX_BYTES = 20 * 1024 * 1024  # a notice is a few pages; anything bigger is not one


def notice_text(path: Path) -> str:
    """The text of a notice file (``.txt``, ``.docx``, ``.pdf`` with text); InputError naming
    the file when it can't be read."""
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise InputError(path, None, "文件太大，不像是一份通知（通知一般只有几页）。请选择通知的文字版")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, None, "文件不存在，请重新选择") from None
    except IsADirectoryError:
        raise InputError(path, None, "这是一个文件夹，请选择通知文件") from None
    except OSError as exc:
        raise InputError(path, None, f"无法读取文件（{exc.strerror or exc}）") from None
    suffix = path.suffix.lower()
    if suffix == ".docx" or data[:2] == b"PK":
        return _docx_text(path, data)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return _pdf_text(path, data)
    if suffix in (".doc", ".wps"):
        raise InputError(path, None, "旧版 Word（.doc）文件无法读取，请在 Word 或 WPS 中另存为 .docx 或 .txt 后再选择")
    return plain_text(path, data)


def plain_text(path: Path | None, data: bytes) -> str:
    """Text in UTF-8 or GB18030 (what Chinese Windows' Notepad writes); ``path`` None: pasted."""
    if b"\x00" in data[:4096]:
        raise InputError(path, None, "不是文字文件，无法读取。请选择通知的 .txt、.docx 或 .pdf 文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(path, None, "文字编码无法识别（既不是 UTF-8 也不是 GBK），请另存为 UTF-8 文本后再选择")


def _docx_text(path: Path, data: bytes) -> str:
    import zipfile

    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(path, None, f"Word 文件已损坏或不是 .docx，无法读取（{exc}）") from None
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a broken package
        raise InputError(path, None, f"Word 文件无法读取（{type(exc).__name__}）") from None
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("　".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from zhutui.scanpdf import quiet_pypdf

    try:
        with quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise InputError(path, None, "PDF 有密码保护，无法读取。请用没有密码的文件，或把通知的文字复制粘贴进来")
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(path, None, f"PDF 已损坏，无法读取（{exc}）") from None
    if len(re.sub(r"\s", "", text)) < 20:
        raise InputError(path, None, "PDF 里没有文字（可能是扫描的图片）。请用通知的文字版，或把通知的文字复制粘贴进来")
    return text
