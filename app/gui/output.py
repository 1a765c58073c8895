"""输出: the print PDFs and the summary tables of the plan year's batch, previewed and printed;
below them the mail package (``mailpanel``).

``render_workspace`` (the same pipeline as ``zhutui render`` / ``summary``) runs in a child
process (``zhutui.background``) watched by a worker thread, with progress and a 取消 button; the
window stays usable. The files are listed, the selected PDF is shown in the preview, and 打印…
sends it through the system dialog, the pages painted in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from zhutui.background import run_in_process
from zhutui.gui.jobrow import JobRow, with_details
from zhutui.gui.mailpanel import MailPanel
from zhutui.gui.preview import PreviewPane, ask_printer, print_pages
from zhutui.gui.session import Session
from zhutui.gui.unconfirmed import go_on_despite_warnings
from zhutui.gui.widgets import hint, page_title
from zhutui.gui.worker import Job
from zhutui.pipeline import render_workspace, word_workspace

if TYPE_CHECKING:
    from zhutui.outputs.render import RenderResult

PATH_ROLE = Qt.ItemDataRole.UserRole + 20


def default_output_dir(year: int) -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or Path.home()) / "职工创新助推申报" / f"{year}年"


class OutputPage(QWidget):
    finished = Signal(object)  # the RenderResult of a completed run
    printed = Signal(int)  # pages sent to the printer

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.result: RenderResult | None = None

        title = page_title("输出")
        intro = hint(
            "纸质版：生成打印文件（申报表及附件、材料清单、打印全部.pdf）和汇总表（如附件2、附件4），"
            "需要 Word 版申报表时点“生成Word版”；"
            "电子版：生成并发送电子邮件包。有错误时只能生成标明“草稿”的草稿，供核对。"
        )
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        change = QPushButton("更改文件夹…")
        change.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(change)

        self.draft = QCheckBox("生成草稿（每页带“草稿”水印）")
        self.duplex = QCheckBox("双面打印")
        self.duplex.setToolTip("打印全部.pdf 中每份申报都从纸的正面（单数页）开始，需要时空一页")
        self.samples = QCheckBox("包括示例申报")
        self.samples.setToolTip("示例申报默认不进入打印文件、汇总表和电子邮件包")
        self.samples.toggled.connect(lambda on: setattr(session, "include_samples", on))
        self.samples.hide()
        session.records_changed.connect(self._show_samples)
        self.render_button = QPushButton("生成打印文件和汇总表")
        self.render_button.setObjectName("primary")
        self.render_button.clicked.connect(self.render)
        self.word_button = QPushButton("生成Word版")
        self.word_button.setToolTip(
            "把每份申报表（书）另存为 Word 文档（.docx），可以用 Word 或 WPS 打开、修改或发给需要 Word 版的单位；"
            "不含附件扫描件。报送用的纸质版请打印PDF。"
        )
        self.word_button.clicked.connect(self.render_word)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.run = JobRow(self.render_button, self.status, lambda: self._update_buttons(), also=(self.word_button,))
        self.cancel_button, self.progress = self.run.cancel_button, self.run.progress
        run_row = QHBoxLayout()
        for widget in (
            self.render_button,
            self.word_button,
            self.cancel_button,
            self.draft,
            self.duplex,
            self.samples,
        ):
            run_row.addWidget(widget, 0)
        run_row.addWidget(self.progress, 1)
        run_row.addStretch(0)

        self.files = QListWidget()
        self.files.currentItemChanged.connect(self._preview_selected)
        self.preview_pane = PreviewPane()  # the preview under its page and zoom toolbar
        self.preview = self.preview_pane.view
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(self.print_selected)
        self.open_button = QPushButton("用其他程序打开")
        self.open_button.clicked.connect(self.open_selected)
        self.folder_button = QPushButton("打开文件夹")
        self.folder_button.clicked.connect(self.open_folder)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("生成的文件"))
        left_layout.addWidget(self.files, 1)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.open_button, self.folder_button):
            buttons.addWidget(button)
        left_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.preview_pane)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 800])

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        self.mail = MailPanel(session, self.output_dir)
        # The preview gets the height (a page must be readable at 1366×768); the mail panel below
        # can be dragged taller.
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(splitter)
        vertical.addWidget(self.mail)
        vertical.setStretchFactor(0, 1)
        vertical.setChildrenCollapsible(False)
        vertical.setSizes([520, 160])
        layout.addWidget(vertical, 1)
        session.settings_changed.connect(self._show_folder)
        self._show_folder()
        self._show_samples()
        self._update_buttons()

    def _show_samples(self) -> None:
        """包括示例申报 is offered only while there are samples."""
        present = bool(self.session.samples & {r.id for r in self.session.records()})
        self.samples.setVisible(present)
        if not present:
            self.samples.setChecked(False)

    # ------------------------------------------------------------------ folder

    def output_dir(self) -> Path:
        saved = self.session.ws.setting("output_dir")
        return Path(saved) if saved else default_output_dir(self.session.plan_year)

    def _show_folder(self) -> None:
        self.folder_label.setText(f"保存到：{self.output_dir()}")

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存打印文件的文件夹", str(self.output_dir()))
        if folder:
            self.session.ws.set_setting("output_dir", folder)
            self._show_folder()

    # ------------------------------------------------------------------ rendering

    # Shadows QWidget.render() (paint onto a device) with another signature: nothing calls that on this page.
    def render(self) -> None:  # type: ignore[override]
        """The print run: PDFs, 材料清单, 打印全部.pdf and the summary tables."""
        self._start(render_workspace, "正式打印文件", (self.duplex.isChecked(),))

    def render_word(self) -> None:
        """The forms as Word files (.docx), named as their PDFs."""
        self._start(word_workspace, "Word 版申报表", ())

    def _start(self, pipeline: Callable[..., Any], what: str, extra: tuple) -> None:
        if self.job is not None:
            return
        ids = self.session.output_ids()
        if not ids:
            only_samples = "（示例申报不计在内，需要时勾选“包括示例申报”）" if self.session.records() else ""
            QMessageBox.information(self, "没有申报", f"还没有申报{only_samples}。请先新建或导入申报。")
            return
        folder, out_dir, today = self.session.ws.folder, self.output_dir(), self.session.today
        draft = self.draft.isChecked()
        if not draft and not go_on_despite_warnings(self, self.session, ids, what):
            return

        def work(progress, cancelled):
            args = (folder, ids, out_dir, today, draft, *extra)
            return run_in_process(pipeline, args, progress, cancelled)

        self.run.start(work, "正在生成…", finished=self._done, failed=self._failed, cancelled=self._cancelled)

    @property
    def job(self) -> Job | None:
        return self.run.job

    def cancel(self) -> None:
        self.run.cancel()

    def _done(self, outcome: tuple[RenderResult, list[Path]]) -> None:
        result, tables = outcome
        made = [*result.files, *tables]
        if result.combined is None:  # the Word copy only: added to the files already listed
            for i in reversed(range(self.files.count())):
                if Path(self.files.item(i).data(PATH_ROLE)) in made:
                    self.files.takeItem(i)
        else:
            self.result = result
            self.files.clear()
        for path in made:
            item = QListWidgetItem(path.name)
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.files.addItem(item)
        errors = len(result.errors)
        if result.draft:
            why = f"检查发现 {errors} 个错误，" if errors else ""
            count = len(result.files) + len(tables)
            self.status.setText(
                f"{why}已生成草稿（带“草稿”水印，不能用于报送），共 {count} 个文件。"
                + ("请到“检查”页逐项改正后再生成。" if errors else "")
            )
        elif result.combined is None:  # the Word copy only
            self.status.setText(
                f"已生成 {len(result.documents)} 份 Word 文档（.docx）。选中后点“用其他程序打开”，"
                "可在 Word 或 WPS 中查看和修改；报送用的纸质版请打印PDF。"
            )
        else:
            self.status.setText(
                f"已生成 {len(result.files) + len(tables)} 个文件。"
                "请打印“打印全部.pdf”，在申报表的盖章栏处盖章后按材料清单寄送。"
            )
        for note in result.notes:
            self.status.setText(self.status.text() + f"\n注意：{note}")
        if result.missing_glyphs:
            chars = "".join(sorted(set("".join(result.missing_glyphs.values()))))
            self.status.setText(
                self.status.text() + f"\n注意：电脑上没有能显示“{chars}”的字体，这些字打印出来会是空白。"
            )
        shown = str(result.combined or made[0])  # 打印全部.pdf, or the first Word file
        self.files.setCurrentRow(
            next((i for i in range(self.files.count()) if self.files.item(i).data(PATH_ROLE) == shown), 0)
        )
        self._update_buttons()
        self.finished.emit(result)

    def _failed(self, message: str, details: str) -> None:
        self.status.setText("未能生成。")
        QMessageBox.warning(self, "未能生成", with_details(message, details))

    def _cancelled(self) -> None:
        self.status.setText("已取消，没有留下生成了一半的文件。")

    # ------------------------------------------------------------------ files

    def selected_path(self) -> Path | None:
        item = self.files.currentItem()
        return Path(item.data(PATH_ROLE)) if item is not None else None

    def _preview_selected(self, *_: object) -> None:
        path = self.selected_path()
        self.preview.show_file(path if path is not None and path.suffix.lower() == ".pdf" else None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        path = self.selected_path()
        self.print_button.setEnabled(self.job is None and path is not None and path.suffix.lower() == ".pdf")
        self.open_button.setEnabled(path is not None)

    def print_selected(self) -> None:
        path = self.selected_path()
        if path is None or self.job is not None:
            return
        chosen = ask_printer(path, self)
        if isinstance(chosen, str):
            QMessageBox.information(self, "打印", chosen)
        elif chosen is not None:
            self.print_to(path, *chosen)

    def print_to(self, path: Path, printer: QPrinter, pages: range) -> None:
        """Send ``pages`` of ``path`` to ``printer`` in the background, with progress and 取消."""
        self.run.start(
            lambda progress, cancelled: print_pages(path, printer, pages, progress, cancelled),
            f"正在送往打印机：{path.name}",
            finished=self._printed,
            failed=self._print_failed,
            cancelled=self._print_cancelled,
        )

    def _printed(self, count: int) -> None:
        self.status.setText(f"已送往打印机 {count} 页。打印完请在申报表的盖章栏处盖章。")
        self.printed.emit(count)

    def _print_failed(self, message: str, details: str) -> None:
        self.status.setText("未能打印。")
        QMessageBox.warning(self, "未能打印", message)

    def _print_cancelled(self) -> None:
        self.status.setText("已取消打印。打印机里已收到的页可能仍会打出。")

    def open_selected(self) -> None:
        path = self.selected_path()
        if path is not None and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            suffix = path.suffix.lower()
            where = (
                "PDF 可以在右侧预览、直接点“打印…”"
                if suffix == ".pdf"
                else "Word 文档（.docx）需要 Word、WPS 或 LibreOffice 才能打开；也可以拷到装有它们的电脑上打开"
                if suffix == ".docx"
                else "汇总表（.xlsx）需要 Excel 或 WPS 表格才能打开；也可以拷到装有它们的电脑上打开"
            )
            QMessageBox.information(self, "没有可以打开它的程序", f"这台电脑上没有能打开“{path.name}”的程序。{where}。")

    def open_folder(self) -> None:
        folder = self.output_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
