"""Table models of the applications and of the findings, usable (and tested) without widgets.

``ApplicationsModel`` lists the plan year's applications of one form with where each stands;
``FindingsModel`` lists every finding of the batch. Both return a sortable key under
``SORT_ROLE`` and are shown through ``filter_proxy`` (sort by any column, filter by text).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from zhutui import naming
from zhutui.appfile import get_path, is_empty
from zhutui.checks import Finding
from zhutui.fieldpaths import describe
from zhutui.formdef import FormDef, all_forms
from zhutui.gui.session import Session, Snapshot
from zhutui.status import ApplicationStatus
from zhutui.workspace.appfiles import Record

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 3
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
SEVERITY_COLOURS = {"error": "#b3261e", "warning": "#8a5a00", "info": "#35597a"}
_Index = QModelIndex | QPersistentModelIndex


def filter_proxy(model: QAbstractTableModel, parent: Any = None) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setSortLocaleAware(True)
    return proxy


SAMPLE_MARK = "（示例）"


def warnings_text(warnings: int, confirmed: int) -> str:
    """The warnings still to look at, and those the user confirmed: 1（已确认 2）."""
    return f"{warnings}（已确认 {confirmed}）" if confirmed else str(warnings)


def severity_label(finding: Finding) -> str:
    return "警告（已确认）" if finding.confirmed else SEVERITY_LABELS[finding.severity]


def short_time(stamp: str) -> str:
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return when.astimezone().strftime("%m-%d %H:%M") if when.tzinfo else when.strftime("%m-%d %H:%M")


class _TableModel(QAbstractTableModel):
    """A flat table with fixed column headers (``headers``)."""

    headers: list[str] | tuple[str, ...] = ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def _row_count(self) -> int:
        raise NotImplementedError


class ApplicationsModel(_TableModel):
    """The plan year's applications of one form, refreshed from the session."""

    def __init__(self, session: Session, form: str, parent: Any = None):
        super().__init__(parent)
        self.session = session
        self.form: FormDef = all_forms()[form]
        subject = self.form.field(self.form.subject)
        subject_section = next(s for s in self.form.sections if subject in s.fields)
        self.headers = [
            subject_section.title,
            self.form.field(self.form.headline).label,
            "必填项",
            "错误",
            "警告",
            "必备附件",
            "状态",
            "修改时间",
        ]
        self._records: list[Record] = []
        self._times: dict[int, str] = {}
        self._status: dict[int, ApplicationStatus] = {}
        self._samples: frozenset[int] = frozenset()
        session.records_changed.connect(self.reload)
        session.application_changed.connect(self._reload_one)
        session.status_changed.connect(self._apply_status)
        self.reload()
        if session.snapshot is not None:
            self._apply_status(session.snapshot)

    # ------------------------------------------------------------------ Qt API

    def _row_count(self) -> int:
        return len(self._records)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        if role == ID_ROLE:
            return record.id
        value, key = self._cell(record, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return value
        if role == SORT_ROLE:
            return key
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (3, 6) and self._errors(record.id):
            return QBrush(QColor(SEVERITY_COLOURS["error"]))
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= index.column() <= 5:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    # ------------------------------------------------------------------ contents

    def record_id(self, row: int) -> int:
        return self._records[row].id

    def row_of(self, app_id: int) -> int | None:
        return next((i for i, r in enumerate(self._records) if r.id == app_id), None)

    def _errors(self, app_id: int) -> int:
        status = self._status.get(app_id)
        return status.errors if status else 0

    def _cell(self, record: Record, column: int) -> tuple[str, Any]:
        status = self._status.get(record.id)
        if column in (0, 1):
            key = self.form.subject if column == 0 else self.form.headline
            raw = get_path(record.data, key)
            shown = (
                naming.subject(self.form, record.data)
                if column == 0
                else naming.headline(self.form, record.data, say_missing=True)
            )
            mark = SAMPLE_MARK if column == 0 and record.id in self._samples else ""
            return shown + mark, "" if is_empty(raw) else str(raw)
        if column == 7:
            return self._times.get(record.id, ""), record.updated_at
        if status is None:
            return "…", -1
        if column == 2:
            return f"{status.required_filled}/{status.required_total}", status.required_filled / max(
                1, status.required_total
            )
        if column == 3:
            return str(self._errors(record.id)), self._errors(record.id)
        if column == 4:
            return warnings_text(status.warnings, status.confirmed), status.warnings
        if column == 5:
            present, total = (
                len(status.attachments_present),
                len(status.attachments_present) + len(status.attachments_missing),
            )
            return f"{present}/{total}", present - total
        ready = status.ready
        text = "可以打印" if ready else ("有错误" if self._errors(record.id) else "待完善")
        return text, (0 if ready else 1 if text == "待完善" else 2)

    def reload(self) -> None:
        self.beginResetModel()
        self._samples = self.session.samples
        self._records = self.session.records(self.form.form)
        self._times = {r.id: short_time(r.updated_at) for r in self._records}
        self.endResetModel()

    def _reload_one(self, app_id: int) -> None:
        row = self.row_of(app_id)
        if row is None:
            return
        self._records[row] = self.session.ws.record(app_id)
        self._times[app_id] = short_time(self._records[row].updated_at)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.headers) - 1))

    def _apply_status(self, snapshot: Snapshot) -> None:
        self._status = {app_id: snapshot.status.apps[i] for i, app_id in enumerate(snapshot.ids)}
        if self._records:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._records) - 1, len(self.headers) - 1))


class FindingsModel(_TableModel):
    """Every finding of the batch: severity, application, place, code, message."""

    headers = ("类别", "申报", "位置", "代码", "说明")

    def __init__(self, session: Session, parent: Any = None):
        super().__init__(parent)
        self.session = session
        self._rows: list[tuple[int, Finding, str, str]] = []  # app id, finding, application, place
        session.status_changed.connect(self.set_snapshot)
        if session.snapshot is not None:
            self.set_snapshot(session.snapshot)

    def _row_count(self) -> int:
        return len(self._rows)

    def finding(self, row: int) -> tuple[int, Finding]:
        app_id, finding, _, _ = self._rows[row]
        return app_id, finding

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        app_id, finding, name, place = self._rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return app_id
        if role == SEVERITY_ROLE:
            return finding.severity
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (severity_label(finding), name, place, finding.code or "—", finding.message)[column]
        if role == SORT_ROLE:
            return (
                SEVERITY_RANK[finding.severity] + 0.5 * finding.confirmed,
                name,
                place,
                finding.code,
                finding.message,
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(QColor("#5b6673" if finding.confirmed else SEVERITY_COLOURS[finding.severity]))
        return None

    def set_snapshot(self, snapshot: Snapshot) -> None:
        names = {r.id: r for r in self.session.records()}
        samples = self.session.samples
        forms = all_forms()
        rows = []
        for app_id, finding in snapshot.findings():
            record = names.get(app_id)
            if record is None:
                continue
            form = forms[record.form]
            name = f"{form.short_title}｜{naming.subject(form, record.data)}" + (
                SAMPLE_MARK if app_id in samples else ""
            )
            rows.append((app_id, finding, name, describe(form, finding.path)))
        rows.sort(key=lambda r: (SEVERITY_RANK[r[1].severity], r[1].confirmed))
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()
