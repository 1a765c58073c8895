"""Leftovers of work that was killed, found and finished on the next start.

* A restore swaps two folders: the current workspace is renamed aside
  (``.workspace.before-restore-<time>``), then the rebuilt one (``.workspace.restoring-<time>``,
  marked complete once its import committed) is renamed in. Killed between the two, the user
  had no workspace; ``recover`` completes the swap when the rebuilt one is complete, else puts
  the old one back, and removes what is left over either way.
* ``.incoming-*`` / ``.made-*`` files of a copy into the blob store that never finished, and
  stored files no attachment refers to any more, are removed (only when older than an hour:
  an import stores the content a moment before the rows that refer to it).

Only a holder of the workspace lock calls these (the window at start, ``zhutui restore``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from zhutui.workspace.db import DB_NAME
from zhutui.workspace.protection import purge_deleted as purge

COMPLETE = ".restore-complete"  # written into a rebuilt workspace once it holds everything
STALE_S = 3600


def staging_folder(workspace: Path, stamp: str) -> Path:
    return workspace.with_name(f".{workspace.name}.restoring-{stamp}")


def aside_folder(workspace: Path, stamp: str) -> Path:
    return workspace.with_name(f".{workspace.name}.before-restore-{stamp}")


@dataclass
class Recovered:
    restored: bool = False  # a half-finished restore was completed
    rolled_back: bool = False  # … or undone (the workspace is the one from before it)
    removed: list[Path] = field(default_factory=list)

    def message(self) -> str:
        if self.restored:
            return "上次恢复备份时程序意外中止：已完成那次恢复。"
        if self.rolled_back:
            return "上次恢复备份时程序意外中止：已回到恢复之前的工作区，没有丢失内容。"
        return ""


def recover(workspace: Path) -> Recovered:
    """Finish or undo a restore that was killed half-way, and remove its leftovers."""
    workspace = Path(workspace)
    result = Recovered()
    parent = workspace.parent
    if not parent.is_dir():
        return result
    stagings = sorted(parent.glob(f".{workspace.name}.restoring-*"))
    asides = sorted(parent.glob(f".{workspace.name}.before-restore-*"))
    if not (workspace / DB_NAME).exists():
        complete = [s for s in stagings if (s / COMPLETE).exists() and (s / DB_NAME).exists()]
        if complete:  # killed between the two renames, the new workspace whole: finish
            if workspace.exists():
                shutil.rmtree(workspace, ignore_errors=True)
            os.replace(complete[-1], workspace)
            stagings.remove(complete[-1])
            result.restored = True
        elif asides:  # the new one not whole: the old one goes back
            if workspace.exists():
                shutil.rmtree(workspace, ignore_errors=True)
            os.replace(asides[-1], workspace)
            asides.remove(asides[-1])
            result.rolled_back = True
    (workspace / COMPLETE).unlink(missing_ok=True)
    for leftover in [*stagings, *asides]:
        if (workspace / DB_NAME).exists():  # never remove the only copy
            shutil.rmtree(leftover, ignore_errors=True)
            result.removed.append(leftover)
    return result


def purge_deleted(workspace: Path, before: str) -> int:
    """Remove for good the applications deleted before ``before`` (ISO time; the window's start:
    undoing a deletion lasts as long as the window that made it). Returns how many."""
    if not (workspace / DB_NAME).exists():
        return 0
    con = sqlite3.connect(workspace / DB_NAME)
    try:
        con.execute("PRAGMA foreign_keys=ON")  # their attachments go with them
        con.execute("PRAGMA secure_delete=ON")  # and leave no copy in the file
        with con:
            return purge(con, before)
    finally:
        con.close()


def tidy_blobs(workspace: Path, *, now: float | None = None) -> list[Path]:
    """Remove unfinished copies and stored files nothing refers to; returns what was removed."""
    root = workspace / "blobs"
    if not root.is_dir() or not (workspace / DB_NAME).exists():
        return []
    now = time.time() if now is None else now
    con = sqlite3.connect(workspace / DB_NAME)
    try:
        referenced = {row[0] for row in con.execute("SELECT DISTINCT sha256 FROM attachments WHERE sha256 IS NOT NULL")}
        removed = []
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            try:
                old = now - path.stat().st_mtime > STALE_S
            except OSError:
                continue
            unfinished = path.name.startswith((".incoming-", ".made-"))
            orphan = not unfinished and path.name.split(".", 1)[0] not in referenced
            if old and (unfinished or orphan):
                path.unlink(missing_ok=True)
                removed.append(path)
        with con:
            con.execute(
                "DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM attachments WHERE sha256 IS NOT NULL)"
            )
        return removed
    finally:
        con.close()
