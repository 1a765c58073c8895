"""The main window: a list of pages on the left, the page on the right.

首页, 发明专利助推, 创新项目助推, 检查, 输出, 设置 — each page in its own module. Pages ask the
window to open an application at a field (``open_problem``) and the window finds the page.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QStackedWidget, QWidget

from zhutui.errors import InputError
from zhutui.formdef import all_forms
from zhutui.gui.applist import ApplicationsPage
from zhutui.gui.checkspage import ChecksPage
from zhutui.gui.handover import HandoverPage
from zhutui.gui.home import HomePage
from zhutui.gui.output import OutputPage
from zhutui.gui.session import Session
from zhutui.gui.settings import SettingsPage
from zhutui.paths import APP_TITLE

GEOMETRY_KEY = "window_geometry"  # workspace setting: the window's place and size when last closed


class MainWindow(QMainWindow):
    workspace_replaced = Signal(str)  # a restore ran: rebuild the window (``main.reopen``); the message

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(APP_TITLE)
        self.home = HomePage(session)
        self.form_pages = {name: ApplicationsPage(session, name) for name in all_forms()}
        self.checks = ChecksPage(session)
        self.output = OutputPage(session)
        self.handover = HandoverPage(session)
        self.settings = SettingsPage(session)
        pages = [
            ("首页", self.home),
            *((all_forms()[n].short_title, p) for n, p in self.form_pages.items()),
            ("检查", self.checks),
            ("输出", self.output),
            ("交接", self.handover),
            ("设置", self.settings),
        ]

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget()
        for n, (title, page) in enumerate(pages, 1):
            self.nav.addItem(title)
            self.stack.addWidget(page)
            QShortcut(QKeySequence(f"Ctrl+{n}"), self, lambda i=n - 1: self.nav.setCurrentRow(i))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.where = QLabel()
        self.statusBar().addPermanentWidget(self.where)
        self._show_where()
        session.settings_changed.connect(self._show_where)
        session.status_changed.connect(lambda snapshot: self._show_where())
        session.status_failed.connect(lambda message: self.statusBar().showMessage(f"检查未能完成：{message}", 15_000))
        self.settings.backups.restored.connect(self.workspace_replaced)
        self.home.problem_requested.connect(self.open_problem)
        self.home.new_requested.connect(self.new_application)
        self.home.notice_requested.connect(self.read_notice)
        self.checks.problem_requested.connect(self.open_problem)
        # The editors have a widget per field (~60 ms each to build): made while the user reads the
        # home page rather than on the first click.
        for n, page in enumerate(self.form_pages.values(), 1):
            QTimer.singleShot(300 * n, self, lambda p=page: self.session.closed or p.editor)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry().size() if screen else QSize(1366, 768)
        return QSize(min(1280, available.width()), min(820, available.height()))

    def restore_geometry(self) -> None:
        """Where and how large the window was when last closed; the default size the first time
        (or when that screen is gone: Qt then keeps the window on a screen that exists)."""
        saved = self.session.ws.setting(GEOMETRY_KEY)
        if not (isinstance(saved, str) and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))):
            self.resize(self.sizeHint())

    def _show_where(self) -> None:
        self.where.setText(f"{self.session.plan_year}年度　工作区：{self.session.ws.folder}")

    def show_page(self, page: QWidget) -> None:
        self.nav.setCurrentRow(self.stack.indexOf(page))

    def open_problem(self, app_id: int, path: str) -> None:
        """Open the application's editor at the field a finding points to."""
        try:
            form = self.session.ws.record(app_id).form
        except KeyError:
            return
        page = self.form_pages[form]
        self.show_page(page)
        page.open_application(app_id, path or None)

    def open_paths(self, paths: list[str]) -> None:
        """Files handed over on the command line or by a second launch: bundles go to the import
        preview, application files and their folders to the import; anything else is named."""
        from zhutui.batchpaths import collect_files
        from zhutui.pipeline import is_bundle

        bundles, refused = [], []
        others: dict[Path, Path | None] = {}
        for raw in paths:
            path = Path(raw)
            if is_bundle(path):
                bundles.append(path)
            elif path.is_dir() or (path.suffix.lower() == ".json" and path.is_file()):
                try:
                    others.update(collect_files([raw]))
                except InputError as exc:
                    refused.append(str(exc))
            else:
                refused.append(
                    f"{path}：不是交接包（.zhutui）、申报文件（.json）或其文件夹"
                    + ("" if path.exists() else "，也可能已被移动或删除")
                )
        if bundles:
            self.show_page(self.handover)
            self.handover.inspect(bundles)
        if others:
            page = next(iter(self.form_pages.values()))
            self.show_page(page)
            page.import_paths(list(others), others)
        if refused:
            QMessageBox.warning(self, "无法打开", "以下文件无法打开：\n" + "\n".join(refused))

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def read_notice(self) -> None:
        """首页 → 读取新一年的通知: 设置, with the notice dialog open."""
        self.show_page(self.settings)
        self.settings.read_notice()

    def new_application(self, form: str) -> None:
        page = self.form_pages[form]
        self.show_page(page)
        page.new()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        for job in (self.output.job, self.output.mail.job):
            if job is not None:
                job.cancel()
        if not self.session.closed:
            with contextlib.suppress(InputError):  # a full disk must not keep the window open
                self.session.ws.set_setting(GEOMETRY_KEY, bytes(self.saveGeometry().toBase64().data()).decode("ascii"))
        self.session.close()
        event.accept()
