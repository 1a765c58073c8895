"""Temporary workspaces (``zhutui check X.zhutui`` imports the bundle into one to check it),
removed when their process ends, and, when it was killed, by the next start.

Each lives in the system's temporary folder as ``zhutui-bundle-*`` and is held by its process
with the workspace lock (``lock.py``): a folder whose lock anyone can take belongs to a process
that is gone (a killed check once left 5.9 GB behind).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from zhutui.workspace.lock import WorkspaceBusy, WorkspaceLock, lock_path

PREFIX = "zhutui-bundle-"


def temp_workspace_folder() -> Path:
    """A new temporary workspace folder, held by this process and removed when it exits."""
    clean_stale_temp_workspaces()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    lock = WorkspaceLock(folder, "zhutui（临时工作区）").acquire()

    def remove() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        lock.release()
        lock_path(folder).unlink(missing_ok=True)

    atexit.register(remove)
    return folder


def clean_stale_temp_workspaces(root: Path | None = None) -> list[Path]:
    """Remove temporary workspaces whose process is gone; returns them."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    for folder in root.glob(f"{PREFIX}*"):
        if not folder.is_dir():
            continue
        lock = WorkspaceLock(folder, "清理临时工作区")
        try:
            lock.acquire()
        except (WorkspaceBusy, OSError):
            continue  # its process is still running (or the lock can't be made: leave it)
        except Exception:  # noqa: BLE001 - InputError for an unwritable folder: leave it too
            continue
        if lock.reentered:  # this very process's own: in use
            lock.release()
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            lock.release()
            lock_path(folder).unlink(missing_ok=True)
    return removed
