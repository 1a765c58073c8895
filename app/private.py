"""Files and folders only their owner can read: everything the app keeps for itself.

The workspace, its stored scans, the backups, the logs (they record file names, which are often
people's names) and temporary workspaces are private to the user: folders 0700 and files 0600 on
Linux and macOS. On Windows the user's ``%LOCALAPPDATA%`` is already private to the user (its
ACL grants the user, SYSTEM and Administrators only), and POSIX modes mean nothing there; the
calls below change nothing on Windows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from zhutui import __version__
from zhutui.paths import log_dir, user_data_dir

DIR_MODE = 0o700
FILE_MODE = 0o600
ERROR_LOG = "zhutui-error.log"


def private_dir(path: Path) -> Path:
    """Make ``path`` (and every missing folder above it) private; the user data folder above it
    too. Raises ``OSError`` when it can't be made."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
    _restrict(path, DIR_MODE)
    root = user_data_dir()
    if root in path.parents or root == path:
        _restrict(root, DIR_MODE)
    return path


def private_file(path: Path) -> None:
    _restrict(Path(path), FILE_MODE)


def _restrict(path: Path, mode: int) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):  # not ours (a shared folder the user chose): leave it
        st = path.stat()
        if st.st_mode & 0o777 != mode and st.st_uid == os.getuid():
            os.chmod(path, mode)


def log_exception(
    where: str, exc_info: tuple[type[BaseException], BaseException | None, Any] | None = None
) -> tuple[str, Path | None]:
    """Log the exception being handled (or ``exc_info``) with the version and ``where`` it
    happened (the command line, the window): the one format of the error log. Returns the
    details written and the log file (None when it can't be written)."""
    kind, value, tb = exc_info or sys.exc_info()
    details = f"zhutui {__version__}  {where}\n" + "".join(traceback.format_exception(kind, value, tb))
    return details, append_error_log(details)


def append_error_log(text: str) -> Path | None:
    """Add ``text`` (a traceback with its time) to the error log; None when it can't be written."""
    try:
        folder = private_dir(log_dir())
        log = folder / ERROR_LOG
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n{text.rstrip()}\n")
        private_file(log)  # a log from an older version was 0644
        return log
    except OSError:
        return None
