"""关于: the version, where the data and the logs are, the fonts the PDFs embed, the secret
store, and the open-source software the app is made of with its licences (``zhutui.about``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zhutui import __version__, about
from zhutui.paths import APP_TITLE, log_dir, user_data_dir


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in Explorer (or the desktop's file manager), creating it if needed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"关于{APP_TITLE}")
        self.resize(780, 640)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{APP_TITLE}</b>　版本 {__version__}")
        layout.addWidget(heading)
        facts = QFormLayout()
        for label, value in about.facts()[1:]:  # the version is the heading
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addRow(label + "：", text)
        layout.addLayout(facts)
        layout.addWidget(QLabel("使用的开源软件："))
        self.components = QTableWidget(len(about.COMPONENTS), 4)
        self.components.setHorizontalHeaderLabels(("软件", "版本", "许可证", "网址"))
        self.components.verticalHeader().hide()
        self.components.verticalHeader().setDefaultSectionSize(24)
        self.components.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, c in enumerate(about.COMPONENTS):
            for col, value in enumerate((f"{c.name}（{c.role}）", c.version, c.licence, c.website)):
                self.components.setItem(row, col, QTableWidgetItem(value))
        header = self.components.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.components, 1)
        fonts = QLabel(
            "PDF中嵌入的是本机已安装的中文字体（Windows 自带的宋体、黑体、仿宋），本程序不附带字体文件。"
            "Qt 按 LGPL 3.0 许可证使用，点“关于 Qt”查看其版本和许可证。"
        )
        fonts.setWordWrap(True)
        layout.addWidget(fonts)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("复制以上信息", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(lambda: QApplication.clipboard().setText(about.report()))
        data = buttons.addButton("打开数据文件夹", QDialogButtonBox.ButtonRole.ActionRole)
        data.clicked.connect(lambda: open_folder(user_data_dir()))
        logs = buttons.addButton("打开日志文件夹", QDialogButtonBox.ButtonRole.ActionRole)
        logs.clicked.connect(lambda: open_folder(log_dir()))
        qt = buttons.addButton("关于 Qt", QDialogButtonBox.ButtonRole.ActionRole)
        qt.clicked.connect(lambda: QMessageBox.aboutQt(self, "关于 Qt"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class AboutBox(QGroupBox):
    """The 设置 page's last box: the version and the way to the 关于 dialog."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("关于", parent)
        row = QHBoxLayout(self)
        row.addWidget(QLabel(f"{APP_TITLE} 版本 {__version__}　数据文件夹：{user_data_dir()}"), 1)
        self.button = QPushButton("关于本程序…")
        self.button.clicked.connect(self.show_about)
        row.addWidget(self.button)
        self.dialog: AboutDialog | None = None

    def show_about(self) -> AboutDialog:
        self.dialog = AboutDialog(self.window())
        self.dialog.open()
        return self.dialog
