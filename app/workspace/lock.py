"""One writer per workspace: the desktop app, or one writing command, never two at once.

The lock is an operating-system lock on a small file next to the workspace folder
(``.workspace.lock`` beside ``workspace/``): beside it rather than inside, so that a restore can
rename the folder (Windows refuses to rename a folder with an open file in it). The system
releases the lock when its process ends, however it ends, so a crash or a power cut never
leaves a workspace locked. While held, the file says who holds it (program, process, since
when), and a refused process names them.

Windows locks a byte range of the file (``msvcrt.locking``), far beyond its text, so others can
still read who holds it; elsewhere ``fcntl.flock`` locks the whole file (advisory, enough among
our own processes). The file is never deleted: a process deleting it could let two others lock
two different files of the same name.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

from zhutui.errors import InputError

WINDOW = "窗口"  # the desktop app holds its workspace as long as its window is open
_RANGE_OFFSET = 1 << 30  # Windows: the locked byte, beyond anything the file holds


def lock_path(folder: Path) -> Path:
    folder = Path(folder).absolute()
    return folder.with_name(f".{folder.name}.lock")


class WorkspaceBusy(InputError):
    """Another process holds the workspace; the message names it and says what to do."""

    def __init__(self, folder: Path, holder: dict[str, Any] | None, hint: str = ""):
        self.holder = holder or {}
        super().__init__(folder, None, describe_holder(self.holder) + (hint or ""))


def describe_holder(holder: dict[str, Any]) -> str:
    program = holder.get("program") or "另一个程序"
    who = "职工创新助推申报助手的窗口" if program == WINDOW else f"命令“{program}”"
    details = []
    if holder.get("pid"):
        details.append(f"进程 {holder['pid']}")
    if holder.get("host") and holder["host"] != socket.gethostname():
        details.append(f"计算机 {holder['host']}")
    since = holder.get("since")
    if isinstance(since, str) and len(since) >= 16:
        details.append(f"自 {since[:10]} {since[11:16]} 起")
    return f"工作区正在被{who}使用" + (f"（{'，'.join(details)}）" if details else "") + "。"


def read_holder(folder: Path) -> dict[str, Any] | None:
    """Who holds the workspace's lock, as its file says (None: nobody, or unreadable)."""
    try:
        text = lock_path(folder).read_text(encoding="utf-8").strip()
        holder = json.loads(text) if text else None
    except (OSError, ValueError):
        return None
    return holder if isinstance(holder, dict) else None


class WorkspaceLock:
    """``with WorkspaceLock(folder, "zhutui bundle import"):`` … or ``acquire()`` / ``release()``.

    ``acquire`` raises ``WorkspaceBusy`` (an ``InputError``: exit 2 in the CLI) when another
    process holds the lock. In one process, acquiring a lock the process already holds for the
    same folder is allowed (the desktop app opens extra connections in its workers)."""

    _held: dict[Path, WorkspaceLock] = {}  # by lock file, in this process

    def __init__(self, folder: Path, program: str, hint: str = "", platform: str = sys.platform):
        self.folder = Path(folder)
        self.path = lock_path(self.folder)
        self.program = program
        self.hint = hint
        self.platform = platform
        self.fd: int | None = None
        self.reentered = False

    @property
    def held(self) -> bool:
        return self.fd is not None or self.reentered

    def acquire(self) -> WorkspaceLock:
        if self.held:
            return self
        if self.path in WorkspaceLock._held:
            self.reentered = True
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise InputError(
                self.path, None, f"无法建立工作区的锁文件（{exc.strerror or exc}）。请检查数据文件夹是否可写"
            ) from None
        try:
            _lock(fd, self.platform)
        except OSError:
            os.close(fd)
            raise WorkspaceBusy(self.folder, read_holder(self.folder), self.hint) from None
        self.fd = fd
        WorkspaceLock._held[self.path] = self
        self._write(
            {
                "program": self.program,
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "since": dt.datetime.now().isoformat(timespec="seconds"),
            }
        )
        return self

    def release(self) -> None:
        if self.reentered:
            self.reentered = False
            return
        if self.fd is None:
            return
        try:
            self._write(None)
            _unlock(self.fd, self.platform)
        except OSError:
            pass  # closing the file releases the lock anyway
        finally:
            os.close(self.fd)
            self.fd = None
            WorkspaceLock._held.pop(self.path, None)

    def _write(self, holder: dict[str, Any] | None) -> None:
        assert self.fd is not None
        data = json.dumps(holder, ensure_ascii=False).encode("utf-8") if holder else b""
        try:
            os.lseek(self.fd, 0, os.SEEK_SET)
            os.ftruncate(self.fd, 0)
            os.write(self.fd, data)
        except OSError:
            pass  # who holds it is a courtesy; the lock itself is what counts

    def __enter__(self) -> WorkspaceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _lock(fd: int, platform: str) -> None:
    if platform == "win32":
        import msvcrt

        os.lseek(fd, _RANGE_OFFSET, os.SEEK_SET)
        # Ignored for mypy: msvcrt's stub declares these on Windows only (unused-ignore: mypy on Windows).
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined, unused-ignore]  # OSError when another process holds it
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int, platform: str) -> None:
    if platform == "win32":
        import msvcrt

        os.lseek(fd, _RANGE_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined, unused-ignore]  # see _lock
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)
