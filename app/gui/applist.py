"""The 发明专利助推 / 创新项目助推 page: the plan year's applications of one form, and its editor.

The list sorts by any column and filters as you type; new, duplicate and delete (undone with
撤销删除 or Ctrl+Z), import and export of application files (SPEC §4). Opening an application
shows the guided editor in place of the list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from zhutui import naming
from zhutui.formdef import all_forms
from zhutui.gui.editor import ApplicationEditor
from zhutui.gui.models import ID_ROLE, ApplicationsModel, filter_proxy
from zhutui.gui.session import Session
from zhutui.gui.widgets import hint, page_title, rows_view
from zhutui.gui.worker import Job, guarded
from zhutui.planfacts import help_text


class ApplicationsPage(QStackedWidget):
    imported = Signal(list)  # ids of the applications an import added
    exported = Signal(list)  # the application files an export wrote

    def __init__(self, session: Session, form: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.form = all_forms()[form]
        self.model = ApplicationsModel(session, form, self)
        self.proxy = filter_proxy(self.model, self)
        # Rows stay where they are while the user edits (sorted by 修改时间, the one she edits
        # would jump to the top at every keystroke); sorted again when she is back at the list.
        self.proxy.setDynamicSortFilter(False)
        self._deleted: list[list[int]] = []

        title = page_title(f"{self.form.short_title}（附件{self.form.attachment_no} {self.form.title}）")
        intro = hint(help_text(self.form.intro))

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("筛选：姓名、名称等")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(160)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        toolbar = QHBoxLayout()
        self.new_button = QPushButton("新建")
        self.open_button = QPushButton("打开")
        self.duplicate_button = QPushButton("复制一份")
        self.delete_button = QPushButton("删除")
        self.undo_button = QPushButton("撤销删除")
        self.import_button = QPushButton("导入申报文件…")
        self.export_button = QPushButton("导出申报文件…")
        for button, slot in (
            (self.new_button, self.new),
            (self.open_button, self.open_selected),
            (self.duplicate_button, self.duplicate),
            (self.delete_button, self.delete),
            (self.undo_button, self.undo_delete),
            (self.import_button, self.import_files),
            (self.export_button, self.export),
        ):
            button.clicked.connect(slot)
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.filter)
        self.undo_button.setEnabled(False)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)
        rows_view(self.table)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()  # sized once per change: ResizeToContents asks every cell
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # on every change
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self.open_application(self._id_at(index)))
        self.table.activated.connect(lambda index: self.open_application(self._id_at(index)))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.status = hint()
        self.status.hide()
        self.empty = hint(f"还没有{self.form.short_title}申报。点“新建”开始填写，或“导入申报文件…”。")
        self.model.modelReset.connect(self._update_buttons)
        self.model.modelReset.connect(self._fit_columns)
        session.status_changed.connect(self._fit_columns)

        list_page = QWidget()
        layout = QVBoxLayout(list_page)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(toolbar)
        layout.addWidget(self.status)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self.addWidget(list_page)

        self._editor: ApplicationEditor | None = None  # built on first use (it has a widget per field)
        QShortcut(QKeySequence.StandardKey.Undo, list_page, self.undo_delete)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete)
        self._update_buttons()
        self._fit_columns()

    @property
    def editor(self) -> ApplicationEditor:
        if self._editor is None:
            self._editor = ApplicationEditor(self.session, self.form.form)
            self._editor.back_requested.connect(self.show_list)
            self.addWidget(self._editor)
        return self._editor

    # ------------------------------------------------------------------ selection

    def _id_at(self, index: QModelIndex) -> int:
        return int(self.proxy.data(index.siblingAtColumn(0), ID_ROLE))

    def selected_ids(self) -> list[int]:
        return [self._id_at(i) for i in self.table.selectionModel().selectedRows()]

    def select(self, app_id: int) -> None:
        row = self.model.row_of(app_id)
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.selectRow(index.row())

    def _fit_columns(self, *_: object) -> None:
        for column in range(self.model.columnCount()):
            if column != 1:
                self.table.resizeColumnToContents(column)

    def _update_buttons(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        for button in (self.open_button, self.duplicate_button, self.delete_button, self.export_button):
            button.setEnabled(chosen)
        self.empty.setVisible(self.model.rowCount() == 0)

    # ------------------------------------------------------------------ actions

    def show_list(self) -> None:
        current = self._editor.app_id if self._editor is not None else None
        self.resort()
        self.setCurrentIndex(0)
        if current is not None:
            self.select(current)
        self.table.setFocus()

    def resort(self) -> None:
        self.proxy.sort(self.proxy.sortColumn(), self.proxy.sortOrder())

    def open_application(self, app_id: int, path: str | None = None) -> None:
        self.editor.open(app_id)
        self.setCurrentWidget(self.editor)
        if path:
            self.editor.focus_path(path)
        else:
            self.editor.focus_first()

    def open_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_application(ids[0])

    def new(self) -> None:
        self.open_application(self.session.create(self.form.form))

    def duplicate(self) -> None:
        for app_id in self.selected_ids():
            self.select(self.session.duplicate(app_id))

    def delete(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        names = [naming.subject(self.form, self.session.ws.record(i).data) for i in ids]
        answer = QMessageBox.question(
            self, "删除申报", f"删除 {len(ids)} 份申报：{'、'.join(names)}？\n删除后可以点“撤销删除”恢复。"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.session.delete(ids)
        self._deleted.append(ids)
        self.undo_button.setEnabled(True)

    def undo_delete(self) -> None:
        if not self._deleted:
            return
        ids = self._deleted.pop()
        self.session.undelete(ids)
        self.undo_button.setEnabled(bool(self._deleted))
        for app_id in ids:
            self.select(app_id)

    def import_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "导入申报文件", str(Path.home()), "申报文件 (*.json)")
        if names:
            self.import_paths([Path(n) for n in names])

    def import_paths(self, paths: list[Path], roots: dict[Path, Path | None] | None = None) -> None:
        """Import in the background (the scans are copied into the workspace); report when done."""
        job = self.session.import_job(paths, roots)
        job.signals.finished.connect(self._imported)
        job.signals.failed.connect(guarded(self, lambda message, details: self._import_failed(message)))
        self._start(job, self.import_button, f"正在导入 {len(paths)} 个文件…", "正在导入")

    def _import_failed(self, message: str) -> None:
        self.import_button.setEnabled(True)
        self.status.hide()
        QMessageBox.warning(self, "导入未完成", message)

    def _imported(self, result: tuple[list[int], list[str]]) -> None:
        if self.session.closed:  # the window closed while the import finished: nothing to show
            return
        ids, errors = result
        self.session.imported(ids)
        self.import_button.setEnabled(True)
        self.status.hide()
        other = [i for i in ids if self.session.ws.record(i).form != self.form.form]
        text = f"已导入 {len(ids)} 份申报。"
        if other:
            text += f"其中 {len(other)} 份是另一类申报，已放到相应页面。"
        if errors:
            text += "\n\n以下文件未能导入：\n" + "\n".join(errors)
        self.imported.emit(ids)
        (QMessageBox.warning if errors else QMessageBox.information)(self, "导入申报文件", text)

    def export(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        folder = QFileDialog.getExistingDirectory(self, "导出到文件夹", str(Path.home()))
        if not folder:
            return
        self.export_to(ids, Path(folder))

    def export_to(self, ids: list[int], folder: Path) -> None:
        """Export in the background (the scans are copied out); report when done."""
        job = self.session.export_job(ids, folder)
        job.signals.finished.connect(guarded(self, lambda written: self._exported(folder, written)))
        job.signals.failed.connect(guarded(self, lambda message, details: self._export_failed(message)))
        self._start(job, self.export_button, f"正在导出 {len(ids)} 份申报…", "正在导出")

    def _start(self, job: Job, button: QPushButton, busy: str, verb: str) -> None:
        """Start an import or export job: its button off, its progress under the toolbar."""
        shown = guarded(self, lambda done, total, name: self.status.setText(f"{verb} {done}/{total}：{name}"))
        job.signals.progress.connect(shown)
        button.setEnabled(False)
        self.status.setText(busy)
        self.status.show()
        job.start()

    def _export_failed(self, message: str) -> None:
        self._update_buttons()
        self.status.hide()
        QMessageBox.warning(self, "导出未完成", message + "\n\n请换一个文件夹（例如桌面）再导出一次。")

    def _exported(self, folder: Path, written: list[Path]) -> None:
        self._update_buttons()
        self.status.hide()
        self.exported.emit(written)
        QMessageBox.information(
            self,
            "导出申报文件",
            f"已导出到 {folder}：\n"
            + "\n".join(p.name for p in written)
            + "\n\n每个 .json 文件旁边的同名文件夹里是它的附件，请一起转交。",
        )
