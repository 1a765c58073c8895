"""Long work off the GUI thread: a plain function in a ``QThreadPool`` worker, reporting by signals.

The function gets ``progress(done, total, text)`` and ``cancelled()`` (the callbacks the core's
builders take, see ``zhutui.outputs.render``); it never touches a widget. Its result, failure or
cancellation comes back as a signal handled on the GUI thread.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from zhutui.background import ChildFailed
from zhutui.errors import Cancelled, InputError

_running: set[Job] = set()  # keeps each job (and its signals) alive until it has reported


class JobSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str, str)  # message for the user, details (a traceback for an internal error)
    cancelled = Signal()


class Job(QRunnable):
    """``fn(progress, cancelled)`` run in the global thread pool."""

    def __init__(self, fn: Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]):
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = JobSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        """Started and its outcome not yet handled on the GUI thread."""
        return self in _running

    def start(self, pool: QThreadPool | None = None) -> Job:
        _running.add(self)
        for signal in (self.signals.finished, self.signals.failed, self.signals.cancelled):
            signal.connect(self._release)  # on the GUI thread, after the job's own handlers
        (pool or QThreadPool.globalInstance()).start(self)
        return self

    def _release(self, *_: object) -> None:
        _running.discard(self)

    def run(self) -> None:
        with contextlib.suppress(RuntimeError):  # the app quit while this ran: its signals are gone
            self._run()

    def _run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit, self._cancel.is_set)
        except Cancelled:
            self.signals.cancelled.emit()
        except InputError as exc:
            self.signals.failed.emit(str(exc), "")
        except OSError as exc:
            self.signals.failed.emit(f"无法读写文件：{exc}", traceback.format_exc())
        except ChildFailed as exc:  # its message is already the user's; the child's traceback
            self.signals.failed.emit(str(exc), exc.details or traceback.format_exc())
        except Exception as exc:  # noqa: BLE001 - reported to the user, never lost
            self.signals.failed.emit(f"内部错误：{exc}", traceback.format_exc())
        else:
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)


def guarded(owner: QObject, fn: Callable[..., Any]) -> Callable[..., None]:
    """``fn`` as a job's handler that does nothing once ``owner`` (the widget it updates) is gone:
    a job may report after its page was closed."""

    def call(*args: Any) -> None:
        if shiboken6.isValid(owner):
            fn(*args)

    return call


_small_jobs: QThreadPool | None = None
_scan_jobs: QThreadPool | None = None


def small_jobs() -> QThreadPool:
    """One thread for many small jobs (thumbnails): Qt keeps Python's GIL while it decodes an
    image or renders a PDF page, so two such threads at once would starve the window."""
    global _small_jobs
    if _small_jobs is None:
        _small_jobs = QThreadPool()
        _small_jobs.setMaxThreadCount(1)
    return _small_jobs


def scan_pool() -> QThreadPool:
    """One scan read (OCR) or cleaned for a preview at a time, each in its own background process
    (reading: about 750 MB): a batch of certificates dropped at once queues here instead of
    filling the office PC's memory."""
    global _scan_jobs
    if _scan_jobs is None:
        _scan_jobs = QThreadPool()
        _scan_jobs.setMaxThreadCount(1)
    return _scan_jobs


def shutdown(timeout_ms: int = 10_000) -> bool:
    """On quitting: ask every running job to stop and wait for the pools (True if all ended)."""
    for job in list(_running):
        job.cancel()
    pools = [QThreadPool.globalInstance(), *(pool for pool in (_small_jobs, _scan_jobs) if pool)]
    return all([pool.waitForDone(timeout_ms) for pool in pools])
