"""A full disk, said as a full disk: the folder named, what to do, nothing half-written left.

``describe(exc, folder, doing)`` turns a failed write into the user's message: 磁盘空间不足 with
the folder when the disk (or the user's quota) is full — recognised from the error number, from
SQLite's "database or disk is full", or from the folder's free space when an error hides the
cause — and otherwise the reason with the folder.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_FULL_WINERRORS = {39, 112}  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
LOW_SPACE = 1024 * 1024  # less free than this: the disk is full for us, whatever the error said


def is_full(exc: BaseException, folder: Path | None = None) -> bool:
    if isinstance(exc, OSError) and (exc.errno in _FULL_ERRNOS or getattr(exc, "winerror", None) in _FULL_WINERRORS):
        return True
    if isinstance(exc, sqlite3.Error) and "full" in str(exc).lower():  # SQLITE_FULL
        return True
    return folder is not None and free_space(folder) < LOW_SPACE


def free_space(folder: Path) -> int:
    """Free bytes on the disk holding ``folder`` (its nearest existing parent)."""
    path = Path(folder)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return LOW_SPACE  # unknown: not claimed to be full


def full_message(folder: Path) -> str:
    return (
        f"磁盘空间不足：“{folder}”所在的磁盘已满。请删除不需要的文件（如回收站、旧的输出文件夹）"
        "腾出空间，或换一个磁盘上的文件夹后重试"
    )


def describe(exc: BaseException, folder: Path, doing: str) -> str:
    """The message for ``exc`` raised while ``doing`` (e.g. 保存) in ``folder``."""
    if is_full(exc, folder):
        return full_message(folder)
    reason = getattr(exc, "strerror", None) or str(exc)
    return f"无法{doing}（{reason}）：请检查“{folder}”是否可写"
