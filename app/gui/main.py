"""Start the desktop app: ``zhutui`` without a command (or ``zhutui gui``)."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from zhutui.errors import InputError
from zhutui.gui.backups import start_daily_backup
from zhutui.gui.errors import ExceptionHandler
from zhutui.gui.firstrun import offer_sample
from zhutui.gui.session import Session
from zhutui.gui.window import MainWindow
from zhutui.gui.worker import shutdown
from zhutui.paths import APP_NAME, APP_TITLE, DATA_DIR_ENV, resources_dir
from zhutui.workspace.store import Workspace

QUIT_WHEN_SHOWN = "ZHUTUI_QUIT_WHEN_SHOWN"
UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei",
            "AR PL UMing CN"]


class MainThreadCollector(QObject):
    """Python's cyclic garbage collection, run on the GUI thread only, in small steps.

    Left automatic, a collection may start in whichever thread allocates, e.g. a worker
    rendering PDFs, and free Qt objects there, which Qt does not allow (a crash, not an error).
    So automatic collection is off and this timer collects on the GUI thread instead, by the
    same generational rule as Python's own, often enough that the young generation stays small
    while a worker allocates (a full collection of the whole heap took ~70 ms, a stall).
    ``settle`` moves what start-up built (modules, forms, the pages) out of the collector's way.
    """

    INTERVAL_MS = 250

    def __init__(self, parent: QObject):
        super().__init__(parent)
        gc.disable()
        sys.setswitchinterval(0.001)
        self.timer = QTimer(self, interval=self.INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        young, middle, old = gc.get_count()
        limit_young, limit_middle, limit_old = gc.get_threshold()
        if young <= limit_young:
            return
        generation = 0
        if middle >= limit_middle:
            generation = 2 if old >= limit_old else 1
        gc.collect(generation)

    @staticmethod
    def settle() -> None:
        """Once the window is up: collect, then leave the objects alive now out of later
        collections (they live as long as the app)."""
        gc.collect()
        gc.freeze()


def application() -> QApplication:
    """The QApplication, set up with the app's names, font and style sheet."""
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    if not qapp.findChild(MainThreadCollector):
        MainThreadCollector(qapp)
    qapp.setApplicationName(APP_NAME)
    qapp.setApplicationDisplayName(APP_TITLE)
    qapp.setOrganizationName(APP_NAME)
    font = QFont()
    font.setFamilies(UI_FONTS)
    font.setPointSize(10)
    qapp.setFont(font)
    style = resources_dir() / "styles" / "zhutui.qss"
    if style.exists():
        qapp.setStyleSheet(style.read_text(encoding="utf-8"))
    return qapp


_windows: list[MainWindow] = []  # the open main window (a restore replaces it)


def build(today: dt.date | None = None, workspace: Path | None = None) -> tuple[MainWindow, Session]:
    session = Session(Workspace(workspace), today)
    window = MainWindow(session)
    window.workspace_replaced.connect(lambda message, w=window: reopen(w, message))
    _windows[:] = [window]
    return window, session


def reopen(old: MainWindow, message: str) -> MainWindow | None:
    """After a restore (or a failed one): a new window on the workspace folder, where the old one
    was, on the 设置 page with the message; the old window closes."""
    try:
        window, session = build(old.session.today, old.session.ws.folder)
    except InputError as exc:
        QMessageBox.critical(old, APP_TITLE, f"{message}\n\n无法打开工作区：{exc}")
        old.close()
        return None
    window.setGeometry(old.geometry())
    window.show()
    old.close()
    window.show_page(window.settings)
    window.settings.backups.status.setText(message)
    QTimer.singleShot(0, session.refresh_status)
    return window


def run(data_dir: Path | None = None, today: dt.date | None = None, *, offer: bool = True) -> int:
    if data_dir is not None:
        os.environ[DATA_DIR_ENV] = str(data_dir)
    qapp = application()
    handler = ExceptionHandler()
    handler.install()
    try:
        window, session = build(today)
    except InputError as exc:
        QMessageBox.critical(None, APP_TITLE, f"无法打开工作区：\n{exc}")
        return 2
    window.restore_geometry()
    window.show()
    QTimer.singleShot(0, session.refresh_status)
    QTimer.singleShot(2000, lambda: session.closed or start_daily_backup(
        session, lambda text: _windows and _windows[0].statusBar().showMessage(text, 10_000)))
    if offer:
        QTimer.singleShot(300, lambda: offer_sample(session, window))
    QTimer.singleShot(1500, MainThreadCollector.settle)  # after the editors are built (window.py)
    if os.environ.get(QUIT_WHEN_SHOWN):  # bench/bench_gui.py: say when the window is up, then leave
        QTimer.singleShot(0, lambda: (print("shown", flush=True), qapp.quit()))
    status = qapp.exec()
    shutdown()  # cancelled work leaves nothing half-written; every edit is already saved
    return status
