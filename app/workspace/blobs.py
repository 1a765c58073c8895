"""Attachment files copied into the workspace, named by their content (SHA-256).

Moving, renaming or deleting the user's original scan breaks nothing once it is added; the same
scan added twice is stored once. A copy is written to a temporary name, flushed and renamed into
place, so a crash never leaves a half file under a content name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from zhutui import diskspace
from zhutui.errors import InputError

CHUNK = 1 << 20
MAX_SUFFIX = 10


def blob_path(root: Path, sha256: str, suffix: str) -> Path:
    return root / sha256[:2] / f"{sha256}{suffix}"


def clean_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if 1 < len(suffix) <= MAX_SUFFIX and suffix[1:].isalnum() else ""


Stored = tuple[str, int, str]  # sha256, size, suffix


def file_chunks(source: Path) -> Iterator[bytes]:
    """The bytes of ``source``, a megabyte at a time."""
    with source.open("rb") as src:
        while chunk := src.read(CHUNK):
            yield chunk


def store_file(root: Path, source: Path) -> Stored:
    """Copy ``source`` into the store; returns (sha256, size, suffix)."""
    try:
        return store_chunks(root, file_chunks(source), clean_suffix(source.name))
    except FileNotFoundError:
        raise InputError(source, None, "文件不存在，可能已被移动或删除") from None
    except IsADirectoryError:
        raise InputError(source, None, "这是文件夹，请选择其中的文件") from None
    except OSError as exc:
        if diskspace.is_full(exc, root):
            raise InputError(source, None, f"无法复制到工作区：{diskspace.full_message(root)}") from None
        raise InputError(source, None, f"无法复制到工作区（{exc.strerror or exc}），请检查文件和磁盘空间") from None


def store_chunks(root: Path, chunks: Iterable[bytes], suffix: str) -> Stored:
    """Store the bytes ``chunks`` yields (a file read, a bundle member) under their hash.
    Errors of the source propagate; a failed write raises ``OSError``."""
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=root, prefix=".incoming-")
    except OSError as exc:
        raise InputError(root, None, diskspace.describe(exc, root, "写入工作区")) from None
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = blob_path(root, sha, suffix)
        if target.exists() and target.stat().st_size == size:
            os.unlink(tmp)
        else:
            target.parent.mkdir(exist_ok=True, mode=0o700)
            os.replace(tmp, target)
        return sha, size, suffix
    except BaseException:
        _discard(tmp)
        raise


def store_bytes(root: Path, data: bytes, suffix: str) -> tuple[str, int, str]:
    """Store ``data`` (e.g. a rotated scan) under its hash; ``InputError`` when it can't be
    written (nothing half-written is left)."""
    try:
        return store_chunks(root, [data], suffix)
    except OSError as exc:
        raise InputError(root, None, diskspace.describe(exc, root, "保存到工作区")) from None


def _discard(tmp: str) -> None:
    Path(tmp).unlink(missing_ok=True)


def copy_out(source: Path, target: Path) -> None:
    """Copy a stored file out of the workspace (an export): written whole under a temporary
    name and renamed, so a full disk leaves no half scan; ``InputError`` names the folder."""
    folder = target.parent
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if tmp:
            _discard(tmp)
        raise InputError(target, None, diskspace.describe(exc, folder, "导出附件")) from None
