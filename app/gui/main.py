"""Start the desktop app: ``zhutui`` without a command (or ``zhutui gui``)."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sqlite3
import sys
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from zhutui.errors import InputError
from zhutui.gui import instance, translations
from zhutui.gui.backups import start_daily_backup
from zhutui.gui.errors import ExceptionHandler
from zhutui.gui.firstrun import offer_sample
from zhutui.gui.protection import offer_choice, open_workspace
from zhutui.gui.session import Session
from zhutui.gui.window import MainWindow
from zhutui.gui.worker import shutdown
from zhutui.paths import APP_NAME, APP_TITLE, DATA_DIR_ENV, resources_dir
from zhutui.workspace import db, recovery
from zhutui.workspace.lock import WINDOW, WorkspaceBusy, WorkspaceLock
from zhutui.workspace.settings import dropped_message
from zhutui.workspace.store import default_folder
from zhutui.workspace.tempspace import clean_stale_temp_workspaces

QUIT_WHEN_SHOWN = "ZHUTUI_QUIT_WHEN_SHOWN"
SCREENSHOT = "ZHUTUI_SCREENSHOT"
SCREENSHOT_DELAY_MS = 2500
UI_FONTS = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
]


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
    qapp = cast("QApplication | None", QApplication.instance()) or QApplication(sys.argv[:1])
    if not qapp.findChild(MainThreadCollector):
        MainThreadCollector(qapp)
    qapp.setApplicationName(APP_NAME)
    qapp.setApplicationDisplayName(APP_TITLE)
    qapp.setOrganizationName(APP_NAME)
    translations.install(qapp)
    icon = resources_dir() / "icons" / "zhutui.png"
    if icon.exists():
        qapp.setWindowIcon(QIcon(str(icon)))
    font = QFont()
    font.setFamilies(UI_FONTS)
    font.setPointSize(10)
    qapp.setFont(font)
    style = resources_dir() / "styles" / "app.qss"
    if style.exists():
        qapp.setStyleSheet(style.read_text(encoding="utf-8"))
    return qapp


_windows: list[MainWindow] = []  # the open main window (a restore replaces it)


def build(today: dt.date | None = None, workspace: Path | None = None) -> tuple[MainWindow, Session] | None:
    """The window on ``workspace``; None when the user quit at the passphrase."""
    ws = open_workspace(workspace)
    if ws is None:
        return None
    session = Session(ws, today)
    window = MainWindow(session)
    window.workspace_replaced.connect(lambda message, w=window: reopen(w, message))
    _windows[:] = [window]
    return window, session


def reopen(old: MainWindow, message: str) -> MainWindow | None:
    """After a restore (or a failed one): a new window on the workspace folder, where the old one
    was, on the 设置 page with the message; the old window closes."""
    try:
        built = build(old.session.today, old.session.ws.folder)
    except InputError as exc:
        QMessageBox.critical(old, APP_TITLE, f"{message}\n\n无法打开工作区：{exc}")
        old.close()
        return None
    if built is None:
        old.close()
        return None
    window, session = built
    window.setGeometry(old.geometry())
    window.show()
    old.close()
    window.show_page(window.settings)
    window.settings.backups.status.setText(message)
    QTimer.singleShot(0, session.refresh_status)
    return window


def run(
    data_dir: Path | None = None, today: dt.date | None = None, *, offer: bool = True, paths: list[str] | None = None
) -> int:
    if data_dir is not None:
        os.environ[DATA_DIR_ENV] = str(data_dir)
    paths = list(paths or [])
    qapp = application()
    folder = default_folder()
    name = instance.server_name(folder)
    if instance.forward(name, paths):
        return 0  # the window already open on this workspace has the files and comes forward
    lock = WorkspaceLock(folder, WINDOW)
    try:
        lock.acquire()
    except WorkspaceBusy as exc:
        if instance.forward_with_retry(name, paths):  # a window starting at this very moment
            return 0
        QMessageBox.critical(None, APP_TITLE, f"{exc}\n\n请等它完成或关闭后再打开。")
        return 2
    except InputError as exc:
        QMessageBox.critical(None, APP_TITLE, f"无法打开工作区：\n{exc}")
        return 2
    note = _recover(lock.folder)
    try:
        return _run_window(qapp, lock, name, today, offer and not paths, paths, note)
    finally:
        lock.release()


def _recover(folder: Path) -> str:
    """What killed work left behind, finished or removed before the window opens (the lock is
    held, no worker runs yet); the message to show, if any."""
    try:
        note = recovery.recover(folder).message()
        recovery.purge_deleted(folder, db.now())  # the undo of a deletion ended with the last window
        recovery.tidy_blobs(folder)
        clean_stale_temp_workspaces()
    except (OSError, sqlite3.Error):  # a leftover that can't be removed now is tried again next time
        return ""
    return note


def _run_window(
    qapp: QApplication,
    lock: WorkspaceLock,
    name: str,
    today: dt.date | None,
    offer: bool,
    paths: list[str],
    note: str = "",
) -> int:
    handler = ExceptionHandler()
    handler.install()
    try:
        built = build(today, lock.folder)
    except InputError as exc:
        QMessageBox.critical(None, APP_TITLE, f"无法打开工作区：\n{exc}")
        return 2
    if built is None:
        return 0  # quit at the passphrase
    window, session = built
    bad = session.ws.invalid_settings()  # read as absent: say so, the app starts all the same
    unprotected = session.ws.vault.warning or ""
    notes = " ".join(n for n in (note, dropped_message(bad) if bad else "", unprotected) if n)
    if notes:
        QTimer.singleShot(0, lambda: window.statusBar().showMessage(notes, 30_000))
    server = instance.InstanceServer(name, qapp)
    server.paths_received.connect(_handed_over)
    server.listen()
    window.restore_geometry()
    window.show()
    QTimer.singleShot(0, session.refresh_status)

    def report_backup(text: str) -> None:
        if _windows:
            _windows[0].statusBar().showMessage(text, 10_000)

    QTimer.singleShot(2000, lambda: session.closed or start_daily_backup(session, report_backup))
    if session.ws.vault.mode is None:
        QTimer.singleShot(200, lambda: session.closed or offer_choice(window, session.ws))
    if offer:
        QTimer.singleShot(300, lambda: offer_sample(session, window))
    if paths:
        QTimer.singleShot(0, lambda: _handed_over(paths))
    QTimer.singleShot(1500, MainThreadCollector.settle)  # after the editors are built (window.py)
    _diagnostic_exit(qapp)
    status = qapp.exec()
    server.close()
    shutdown()  # cancelled work leaves nothing half-written; every edit is already saved
    return status


def _handed_over(paths: list[str]) -> None:
    """A later launch (or this one's command line) handed over files: open them in the window."""
    if not _windows:
        return
    window = _windows[0]
    window.bring_to_front()
    if paths:
        window.open_paths(paths)


def _diagnostic_exit(qapp: QApplication) -> None:
    """For benchmarks and the frozen bundle's smoke test: ``ZHUTUI_QUIT_WHEN_SHOWN`` prints
    ``shown`` once the window is up and quits; ``ZHUTUI_SCREENSHOT=FILE.png`` first lets the
    home page fill in, saves what the screen shows and prints ``screenshot``."""
    shot = os.environ.get(SCREENSHOT)
    if shot:

        def grab() -> None:
            screen = qapp.primaryScreen()
            saved = bool(screen) and screen.grabWindow(0).save(shot)
            print("screenshot" if saved else "screenshot failed", flush=True)
            qapp.quit()

        QTimer.singleShot(SCREENSHOT_DELAY_MS, grab)
    elif os.environ.get(QUIT_WHEN_SHOWN):
        QTimer.singleShot(0, lambda: (print("shown", flush=True), qapp.quit()))
