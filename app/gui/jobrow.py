"""One background job at a time behind a page's start button, its 取消, a progress bar and a
status line: what the 输出 page's print run, printing and mail package share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from zhutui.gui.worker import Job


def with_details(message: str, details: str) -> str:
    """A failure's message, and the details for technical support when there are any."""
    return message + ("\n\n请把以下信息发给技术支持：\n" + details[-1500:] if details else "")


class JobRow:
    def __init__(
        self,
        start_button: QPushButton,
        status: QLabel,
        on_change: Callable[[], None] = lambda: None,
        *,
        also: tuple[QPushButton, ...] = (),
    ):
        """``on_change`` is called whenever a job starts or ends (buttons that depend on it);
        ``also``: further buttons that start a job here, disabled while one runs."""
        self.start_button = start_button
        self.also = also
        self.status = status
        self.on_change = on_change
        self.job: Job | None = None
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()

    def start(
        self,
        fn: Callable[[Any, Any], Any],
        text: str,
        *,
        finished: Callable[[Any], None],
        failed: Callable[[str, str], None],
        cancelled: Callable[[], None],
    ) -> Job:
        """Run ``fn(progress, cancelled)`` in the background; each outcome first ends the job
        (buttons back, progress hidden), then goes to its handler."""
        job = self.job = Job(fn)
        job.signals.progress.connect(self.show_progress)

        def on_finished(result: Any) -> None:
            self._end()
            finished(result)

        def on_failed(message: str, details: str) -> None:
            self._end()
            failed(message, details)

        def on_cancelled() -> None:
            self._end()
            cancelled()

        job.signals.finished.connect(on_finished)
        job.signals.failed.connect(on_failed)
        job.signals.cancelled.connect(on_cancelled)
        self._running(True)
        self.status.setText(text)
        job.start()
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText("正在取消…")
            self.cancel_button.setEnabled(False)

    def show_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total}")
        self.status.setText(text)

    def _running(self, running: bool) -> None:
        for button in (self.start_button, *self.also):
            button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        if running:
            self.progress.setRange(0, 0)
        self.on_change()

    def _end(self) -> None:
        self.job = None
        self._running(False)
