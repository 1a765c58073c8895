"""One small dialog asking what kind of attachment each of several added files is.

Shown when files are added together and the name (or a PDF's first page) of at least one of
them doesn't say its kind. Every file has a drop-down: the guessed ones pre-selected, the others
on 请选择…, and 确定 stays off until every file has a kind. For a folder of unnamed scans, one
drop-down above sets all the files still without a kind at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from zhutui.formdef import FormDef
from zhutui.gui.widgets import hint

UNSET = "请选择…"
ALL_UNSET = "未选择的统一设为…"
NAME_WIDTH = 320  # pixels of a file name before it is elided (the tooltip has it whole)


class KindDialog(QDialog):
    """``choices()`` after 确定: the kind of each file, in the order given."""

    def __init__(self, form: FormDef, files: Sequence[tuple[Path, str | None]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("选择附件类型")
        unknown = sum(1 for _, kind in files if kind is None)
        intro = QLabel(
            f"一次添加了 {len(files)} 个文件，其中 {unknown} 个无法从文件名或内容看出是哪类材料。"
            f"请为显示“{UNSET}”的文件选择类型（其余的已按文件名选好，有误也可以改），然后点“确定”。"
        )
        intro.setWordWrap(True)

        self.combos: list[QComboBox] = []
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(0, 1)
        for row, (path, kind) in enumerate(files):
            name = QLabel(self.fontMetrics().elidedText(path.name, Qt.TextElideMode.ElideMiddle, NAME_WIDTH))
            name.setToolTip(str(path))
            combo = QComboBox()
            combo.addItem(UNSET, None)
            for att in form.attachments:
                combo.addItem(att.label, att.kind)
            combo.setCurrentIndex(max(0, combo.findData(kind)) if kind else 0)
            combo.currentIndexChanged.connect(self._update)
            combo.setAccessibleName(f"{path.name} 的类型")
            grid.addWidget(name, row, 0)
            grid.addWidget(combo, row, 1)
            self.combos.append(combo)
        scroll = QScrollArea()
        scroll.setWidget(grid_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        rows_shown = min(len(files), 10)
        scroll.setMinimumHeight(
            rows_shown * (self.combos[0].sizeHint().height() + grid.verticalSpacing() + 2) if self.combos else 0
        )

        self.set_all = QComboBox()
        self.set_all.addItem(ALL_UNSET, None)
        for att in form.attachments:
            self.set_all.addItem(att.label, att.kind)
        self.set_all.activated.connect(self._set_unset)
        all_row = QHBoxLayout()
        all_row.addStretch(1)
        all_row.addWidget(self.set_all)

        self.remaining = hint()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(all_row)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.remaining)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())
        self._update()
        first_unset = next((c for c in self.combos if c.currentData() is None), None)
        if first_unset is not None:
            first_unset.setFocus()

    def choices(self) -> list[str | None]:
        return [combo.currentData() for combo in self.combos]

    def _set_unset(self, index: int) -> None:
        kind = self.set_all.itemData(index)
        if kind is not None:
            for combo in self.combos:
                if combo.currentData() is None:
                    combo.setCurrentIndex(combo.findData(kind))
        self.set_all.setCurrentIndex(0)

    def _update(self) -> None:
        left = sum(1 for kind in self.choices() if kind is None)
        self.ok_button.setEnabled(left == 0)
        self.set_all.setEnabled(left > 0)
        self.remaining.setText(f"还有 {left} 个文件没有选择类型。" if left else "每个文件都已选择类型，点“确定”添加。")


def ask_kinds(
    parent: QWidget,
    form: FormDef,
    files: Sequence[tuple[Path, str | None]],
    answered: Callable[[list[str] | None], None],
) -> KindDialog:
    """Open a ``KindDialog`` over ``parent`` (window-modal, without blocking the event loop);
    ``answered`` gets the chosen kinds after 确定, None after 取消. Returns the open dialog."""
    dialog = KindDialog(form, files, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)

    def finished(result: int) -> None:
        dialog.deleteLater()
        # 确定 is enabled only once every file has a kind
        answered(cast(list[str], dialog.choices()) if result == QDialog.DialogCode.Accepted else None)

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
