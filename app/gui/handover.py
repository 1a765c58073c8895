"""交接: pass applications on as one ``.zhutui`` file, and take in others' (a superior union
takes in many enterprises' at once).

Export writes the chosen applications with their attachments; import first verifies every
bundle in a worker (nothing is written when one is refused), then shows what comes in and what
is the same as an application already here, each conflict with its own choice (保留原有的 /
用导入的替换 / 两份都保留), and imports in one transaction. A batch of several enterprise unions
is checked across all of them and its tables are consolidated under the superior union, whose
contact and phone are set here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zhutui import naming
from zhutui.bundle.archive import SUFFIX, PasswordNeeded
from zhutui.bundle.exchange import ImportPlan, ImportResult, apply_import, export_bundle, plan_import
from zhutui.bundle.incoming import describe
from zhutui.gui.jobrow import JobRow, with_details
from zhutui.gui.protection import PassphraseDialog
from zhutui.gui.session import Session
from zhutui.gui.widgets import hint, page_title
from zhutui.naming import safe_name
from zhutui.workspace.settings import CONSOLIDATOR
from zhutui.workspace.store import Workspace

ID_ROLE = Qt.ItemDataRole.UserRole + 40
CHOICES = (("keep", "保留原有的（不导入）"), ("replace", "用导入的替换原有的"), ("both", "两份都保留"))


class ImportDialog(QDialog):
    """What the bundles bring: each application, whose it is, and for each one that is already
    here, what to do with it."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入交接包")
        self.plan = plan
        sources = "、".join(sorted({b.path.name for b in plan.bundles}))
        unions = sorted({i.union or "未填单位工会" for i in plan.items})
        same = (
            f"其中 {len(plan.conflicts)} 份与已有申报相同，请逐一选择如何处理。"
            if plan.conflicts
            else "没有与已有申报相同的。"
        )
        head = QLabel(
            f"已核验 {len(plan.bundles)} 个交接包（{sources}）：{len(plan.items)} 份申报，"
            f"来自 {'、'.join(unions)}。{same}"
        )
        head.setWordWrap(True)
        self.table = QTableWidget(len(plan.items), 4)
        self.table.setHorizontalHeaderLabels(("申报", "单位工会", "与已有申报", "处理"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for col in (0, 1, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.choices: dict[int, QComboBox] = {}
        for row, item in enumerate(plan.items):
            self.table.setItem(row, 0, QTableWidgetItem(item.describe()))
            self.table.setItem(row, 1, QTableWidgetItem(item.union or "未填"))
            self.table.setItem(row, 2, QTableWidgetItem(item.reason or "新申报"))
            if item.conflict is None:
                self.table.setItem(row, 3, QTableWidgetItem("导入"))
            else:
                combo = QComboBox()
                for key, label in CHOICES:
                    combo.addItem(label, key)
                self.table.setCellWidget(row, 3, combo)
                self.choices[row] = combo
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint("替换时原有的申报移入已删除（可在列表中撤销）；两份都保留时，检查页会提示重复申报。"))
        layout.addWidget(buttons)
        self.table.resizeRowsToContents()
        self.resize(1200, 520)

    def policy(self) -> dict[int, str]:
        return {row: combo.currentData() for row, combo in self.choices.items()}


class HandoverPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        title = page_title("交接")
        intro = hint(
            "工作室负责人把填好的申报导出为交接包（.zhutui）交给单位工会；单位工会也可把整批交给"
            "区、局、集团（公司）工会。交接包含申报内容和全部附件，导入后无需重新录入。"
            "区、局、集团（公司）工会可一次导入多家单位的交接包：检查页会列出跨单位的重复申报，"
            "汇总表以本级工会名义汇总，并增加“单位工会”一列。"
        )

        export_box = QGroupBox("导出交接包")
        self.apps = QListWidget()
        self.apps.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.export_button = QPushButton("导出所选申报…")
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.export)
        self.export_status = QLabel()
        self.export_status.setWordWrap(True)
        self.export_run = JobRow(self.export_button, self.export_status)
        self.with_password = QCheckBox("设置密码")
        self.with_password.setToolTip(
            "交接包经 U 盘或网络转交时建议设置：接收方导入时需要输入同一密码"
            "（请电话或当面告诉对方，不要和交接包一起发送）"
        )
        row = QHBoxLayout()
        for w in (self.export_button, self.with_password, self.export_run.cancel_button):
            row.addWidget(w)
        row.addWidget(self.export_run.progress, 1)
        row.addStretch(1)
        box = QVBoxLayout(export_box)
        box.addWidget(self.apps, 1)
        box.addLayout(row)
        box.addWidget(self.export_status)

        import_box = QGroupBox("导入交接包")
        self.import_button = QPushButton("导入交接包…")
        self.import_button.clicked.connect(self.choose_bundles)
        self.import_status = QLabel()
        self.import_status.setWordWrap(True)
        self.import_run = JobRow(self.import_button, self.import_status)
        row = QHBoxLayout()
        for w in (self.import_button, self.import_run.cancel_button):
            row.addWidget(w)
        row.addWidget(self.import_run.progress, 1)
        row.addStretch(1)
        box = QVBoxLayout(import_box)
        box.addWidget(
            hint("可一次选择多个交接包。导入前逐个核验（文件清单、大小、SHA-256）：有任何问题，整批都不导入。")
        )
        box.addLayout(row)
        box.addWidget(self.import_status)

        consolidated = QGroupBox("汇总报送（区、局、集团（公司）工会使用）")
        saved = session.ws.setting(CONSOLIDATOR) or {}
        self.contact = QLineEdit(saved.get("contact", ""))
        self.phone = QLineEdit(saved.get("phone", ""))
        for edit in (self.contact, self.phone):
            edit.editingFinished.connect(self._save_consolidator)
        form = QFormLayout(consolidated)
        form.addRow(
            hint(
                "本批含多家单位工会的申报时，汇总表和材料清单的填报单位是申报中填写的"
                "区、局、集团（公司）工会，联系人和电话取自这里。"
            )
        )
        form.addRow("联系人", self.contact)
        form.addRow("联系电话", self.phone)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(export_box, 1)
        layout.addWidget(import_box)
        layout.addWidget(consolidated)
        session.records_changed.connect(self.show_applications)
        self.show_applications()

    # ------------------------------------------------------------------ export

    def show_applications(self) -> None:
        self.apps.clear()
        for record in self.session.records():
            item = QListWidgetItem(describe(record.form, record.data))
            item.setData(ID_ROLE, record.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.apps.addItem(item)
        self.export_button.setEnabled(self.apps.count() > 0 and self.export_run.job is None)

    def checked_ids(self) -> list[int]:
        return [
            self.apps.item(i).data(ID_ROLE)
            for i in range(self.apps.count())
            if self.apps.item(i).checkState() == Qt.CheckState.Checked
        ]

    def default_bundle_name(self) -> str:
        union = self.session.ws.own_union()
        return f"交接包_{safe_name(union, '申报')}_{dt.date.today():%Y%m%d}{SUFFIX}"

    def export(self) -> None:
        ids = self.checked_ids()
        if not ids:
            self.export_status.setText("请先勾选要导出的申报。")
            return
        start = str(Path.home() / self.default_bundle_name())
        path, _ = QFileDialog.getSaveFileName(self, "导出交接包", start, f"交接包 (*{SUFFIX})")
        if not path:
            return
        password = None
        if self.with_password.isChecked():
            dialog = PassphraseDialog(
                self, "设置交接包密码", "接收方导入时需要输入这个密码。请电话或当面告诉对方，不要和交接包一起发送。"
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            password = dialog.passphrase()
        self.export_to(Path(path), ids, password)

    def export_to(self, target: Path, ids: list[int], password: str | None = None) -> None:
        if target.suffix.lower() != SUFFIX:
            target = target.with_name(target.name + SUFFIX)
        folder = self.session.ws.folder
        union = self.session.ws.own_union()

        def work(progress, cancelled):
            with Workspace(folder) as ws:
                return export_bundle(
                    ws,
                    ids,
                    target,
                    created_by=union,
                    progress=progress,
                    cancelled=cancelled,
                    password=password.encode("utf-8") if password else None,
                )

        self.export_run.start(
            work,
            "正在导出…",
            finished=self._exported,
            failed=lambda m, d: self.export_status.setText("未能导出：" + with_details(m, d)),
            cancelled=lambda: self.export_status.setText("已取消，没有生成交接包。"),
        )

    def _exported(self, result) -> None:
        told = "已设密码：请另行告诉对方。" if self.with_password.isChecked() else ""
        self.export_status.setText(
            f"已导出 {result.applications} 份申报、{result.attachments} 个附件到 "
            f"{result.path}（{result.size / 1024 / 1024:.1f} MB）。"
            f"把这个文件交给对方即可。{told}"
        )

    # ------------------------------------------------------------------ import

    def choose_bundles(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择交接包", str(Path.home()), f"交接包 (*{SUFFIX})")
        if paths:
            self.inspect([Path(p) for p in paths])

    def inspect(self, paths: list[Path], passwords: tuple[bytes, ...] = ()) -> None:
        folder = self.session.ws.folder
        self._inspecting = (paths, passwords)

        def work(progress, cancelled):
            with Workspace(folder) as ws:
                try:
                    return plan_import(ws, paths, progress=progress, passwords=passwords)
                except PasswordNeeded as exc:
                    return exc  # asked for in the window, then tried again

        self.import_run.start(
            work,
            "正在核验交接包…",
            finished=self._review,
            failed=lambda m, d: self.import_status.setText("未导入：" + with_details(m, d)),
            cancelled=lambda: self.import_status.setText("已取消。"),
        )

    def _review(self, plan: ImportPlan | PasswordNeeded) -> None:
        if isinstance(plan, PasswordNeeded):
            password, ok = QInputDialog.getText(
                self, "输入交接包密码", f"{Path(plan.file).name}\n{plan.message}", QLineEdit.EchoMode.Password
            )
            if ok and password:
                paths, tried = self._inspecting
                self.inspect(paths, (*tried, password.encode("utf-8")))
            else:
                self.import_status.setText("没有输入密码，未导入。")
            return
        dialog = ImportDialog(plan, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            plan.close()
            self.import_status.setText("已取消，没有导入。")
            return
        self.apply(plan, dialog.policy())

    def apply(self, plan: ImportPlan, policy: dict[int, str]) -> None:
        folder = self.session.ws.folder

        def work(progress, cancelled):
            try:
                with Workspace(folder) as ws:
                    return apply_import(ws, plan, policy, progress=progress, cancelled=cancelled)
            finally:
                plan.close()

        self.import_run.start(
            work,
            "正在导入…",
            finished=self._imported,
            failed=lambda m, d: self.import_status.setText("未导入：" + with_details(m, d)),
            cancelled=lambda: self.import_status.setText("已取消，没有导入任何申报。"),
        )

    def _imported(self, result: ImportResult) -> None:
        self.session.imported(result.added + result.replaced)
        text = result.summary()
        names = {naming.union(r.data) for r in self.session.records()} - {""}
        if len(names) > 1:
            text += (
                f"本年度申报来自 {len(names)} 家单位工会：检查页已按整批检查（含跨单位的重复申报），"
                "输出的汇总表将以区、局、集团（公司）工会名义汇总。"
            )
        self.import_status.setText(text)

    def _save_consolidator(self) -> None:
        self.session.ws.set_setting(
            CONSOLIDATOR, {"contact": self.contact.text().strip(), "phone": self.phone.text().strip()}
        )
