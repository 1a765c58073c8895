"""The open workspace as the window sees it: one object every page talks to.

``Session`` wraps the Qt-free ``Workspace`` (which saves every edit at once) and tells the pages
what changed by signals. The batch status (checks across all applications, the home page's
figures) is recomputed shortly after edits stop, in a worker thread, so typing never waits for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from zhutui import naming, plans
from zhutui.appfile import Application
from zhutui.background import run_in_process
from zhutui.certfile import reading_record
from zhutui.checks import Finding, batch_findings_of, check_application
from zhutui.errors import InputError
from zhutui.gui.worker import Job, scan_pool
from zhutui.ocr import reading_on
from zhutui.status import BatchStatus, batch_status
from zhutui.workspace.appfiles import Record
from zhutui.workspace.store import Workspace

STATUS_DELAY_MS = 400
NO_CERTIFICATE = "附件“专利证书复印件”上没有识别出专利证书，请确认所选文件是专利证书的扫描件或照片，且完整、清晰。"
SAMPLES = "sample_apps"  # setting: the ids of the sample applications


@dataclass(frozen=True)
class Snapshot:
    """The batch status of the plan year, with each application's workspace id."""

    status: BatchStatus  # each application's findings include the values it can't use as typed
    ids: tuple[int, ...]  # ids[i] is the workspace id of status.apps[i]
    unloadable: dict[int, Finding]  # applications that can't be loaded at all (not in status)
    names: dict[str, str] = field(default_factory=dict)  # file → how messages name it

    def others(self, app_id: int, samples: frozenset[int] = frozenset()) -> list[Application]:
        """The applications of ``app_id``'s batch (its own, or the samples) other than itself."""
        sample = app_id in samples
        return [
            s.app
            for i, s in enumerate(self.status.apps)
            if self.ids[i] != app_id and (self.ids[i] in samples) == sample
        ]

    def findings(self) -> list[tuple[int, Finding]]:
        found = list(self.unloadable.items())
        found += [(self.ids[i], f) for i, s in enumerate(self.status.apps) for f in s.findings]
        return found


def app_id_of(app: Application) -> int:
    """The workspace id of an application loaded from the workspace."""
    if app.app_id is None:
        raise ValueError(f"{app.name} is not an application of the workspace")
    return app.app_id


def problem_findings(app_file: str, problems: list[InputError]) -> tuple[Finding, ...]:
    """Values that can't be used as typed (e.g. 四十万 as an amount), as error findings."""
    return tuple(Finding(app_file, "", "error", p.key or "", p.message) for p in problems)


def attachment_names(ws: Workspace, app_id: int) -> dict[str, str]:
    """Stored attachment file → the name of the file the user added, as messages should show it."""
    names = {}
    for att in ws.attachments(app_id):
        path = ws.attachment_file(att) or ws.missing_file(att)
        names[str(path)] = f"“{att.original_name}”"
    return names


def friendly_files(findings: Sequence[Finding], names: dict[str, str]) -> list[Finding]:
    """Messages name an attachment by the file the user added, not by its copy in the workspace."""
    out = []
    for f in findings:
        message = f.message
        if "/" in message or "\\" in message:
            for stored, original in names.items():
                message = message.replace(stored, original)
        out.append(f if message == f.message else replace(f, message=message))
    return out


def load_snapshot(
    ws: Workspace, year: int, plan: plans.Plan, today: dt.date, samples: frozenset[int] = frozenset()
) -> Snapshot:
    """Load the plan year's applications (leniently: values typed so far that can't be used are
    reported, not fatal) and check them as one batch; the sample applications (``samples``) are
    a batch of their own (a sample inventor is nobody's duplicate)."""
    apps: list[Application] = []
    typed: dict[str, tuple[Finding, ...]] = {}  # by application name: values it can't use as typed
    unloadable: dict[int, Finding] = {}
    names: dict[str, str] = {}
    for record in ws.records():
        if record.plan_year != year:
            continue
        try:
            app, found = ws.application_lenient(record.id)
        except InputError as exc:
            unloadable[record.id] = Finding(str(exc.file), "", "error", exc.key or "", exc.message)
            continue
        apps.append(app)
        typed[app.name] = problem_findings(app.name, found)
        names.update(attachment_names(ws, record.id))
        names[app.name] = application_label(app)  # batch rules name the other applications
    own = [a for a in apps if app_id_of(a) not in samples]
    status = batch_status(plan, own, today)
    if len(own) < len(apps):
        sample_status = batch_status(plan, [a for a in apps if app_id_of(a) in samples], today)
        status = replace(status, apps=status.apps + sample_status.apps)
        apps = own + [a for a in apps if app_id_of(a) in samples]
    status = replace(
        status,
        apps=tuple(
            replace(a, findings=tuple(friendly_files(typed[a.app.name] + a.findings, names))) for a in status.apps
        ),
    )
    return Snapshot(status, tuple(app_id_of(a) for a in apps), unloadable, names)


def application_label(app: Application, limit: int = 24) -> str:
    """How a message names another application: its form, whose it is and what it is about
    (one inventor may have two patents): 发明专利助推“张三”（一种数控机床…）."""
    return naming.describe(app.form, app.data, limit)


class Session(QObject):
    records_changed = Signal()  # applications added, deleted, imported, or the plan year changed
    application_changed = Signal(int)  # one application's fields or attachments changed
    status_changed = Signal(object)  # a new Snapshot
    settings_changed = Signal()
    status_failed = Signal(str)  # the batch could not be checked (message for the user)
    # Reading an application's patent certificate: what it is doing ("" when done), and the fields
    # filled in from it (the editor shows them, each marked 来自扫描件，请核对).
    certificate_progress = Signal(int, str)
    certificate_filled = Signal(int, list)
    certificate_read = Signal(int)  # its reading is in: P022 can be checked

    def __init__(self, workspace: Workspace, today: dt.date | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.ws = workspace
        self.today = today or dt.date.today()
        self.snapshot: Snapshot | None = None
        self._job: Job | None = None
        self._reading: dict[str, set[int]] = {}  # by file hash being read: the applications to fill
        self._stale = False
        self.closed = False
        self.include_samples = False  # the 输出 page's 包括示例申报
        self._timer = QTimer(self, singleShot=True, interval=STATUS_DELAY_MS)
        self._timer.timeout.connect(self.refresh_status)
        self.records_changed.connect(self.schedule_status)
        self.application_changed.connect(self.schedule_status)
        self.settings_changed.connect(self.schedule_status)

    def close(self) -> None:
        """Stop background refreshes and close the workspace (every edit is already saved)."""
        self._timer.stop()
        self.closed = True
        self.ws.close()

    # ------------------------------------------------------------------ plan year

    @property
    def plan_year(self) -> int:
        year = self.ws.setting("plan_year")
        available = plans.load_plans()
        return year if year in available else plans.latest_plan().year

    def set_plan_year(self, year: int) -> None:
        self.ws.set_setting("plan_year", year)
        self.settings_changed.emit()
        self.records_changed.emit()

    @property
    def plan(self) -> plans.Plan:
        return plans.load_plans()[self.plan_year]

    # ------------------------------------------------------------------ the sample batch

    @property
    def samples(self) -> frozenset[int]:
        """The ids of the sample applications (示例): marked, kept out of outputs unless asked."""
        return frozenset(self.ws.setting(SAMPLES) or ())

    def mark_samples(self, app_ids: list[int]) -> None:
        self.ws.set_setting(SAMPLES, sorted(self.samples | set(app_ids)))

    def remove_samples(self) -> int:
        """Delete every sample application (reversibly, as any delete); how many there were."""
        ids = sorted(self.samples & {r.id for r in self.ws.records()})
        for app_id in ids:
            self.ws.delete(app_id)
        self.ws.set_setting(SAMPLES, [])
        self.records_changed.emit()
        return len(ids)

    def output_ids(self) -> list[int]:
        """The applications the outputs are made of: the plan year's, samples only if included."""
        samples = frozenset() if self.include_samples else self.samples
        return [r.id for r in self.records() if r.id not in samples]

    # ------------------------------------------------------------------ applications

    def records(self, form: str | None = None) -> list[Record]:
        year = self.plan_year
        return [r for r in self.ws.records(form) if r.plan_year == year]

    def create(self, form: str) -> int:
        app_id = self.ws.create(form, self.plan_year)
        self.records_changed.emit()
        return app_id

    def duplicate(self, app_id: int) -> int:
        new_id = self.ws.duplicate(app_id)
        self.records_changed.emit()
        return new_id

    def delete(self, app_ids: list[int]) -> None:
        for app_id in app_ids:
            self.ws.delete(app_id)
        self.records_changed.emit()

    def undelete(self, app_ids: list[int]) -> None:
        for app_id in app_ids:
            self.ws.undelete(app_id)
        self.records_changed.emit()

    def import_job(self, paths: list[Path], roots: dict[Path, Path | None] | None = None) -> Job:
        """Import application files (copying their scans) in a worker; the job's result is
        (new ids, a message per file that failed). Connect to it, ``start()`` it, and pass the new
        ids to ``imported``. ``roots``: the folder each file's attachments must lie in (a folder
        the user chose); by default the file's own."""
        roots = roots or {}
        folder = self.ws.folder

        def work(progress, cancelled) -> tuple[list[int], list[str]]:
            ids, errors = [], []
            with Workspace(folder) as ws:  # its own connection (SQLite serialises the writes)
                for i, path in enumerate(paths):
                    if cancelled():
                        break
                    progress(i + 1, len(paths), path.name)  # the one being copied now
                    try:
                        ids.append(ws.import_file(path, roots.get(path)))
                    except InputError as exc:
                        errors.append(str(exc))
            return ids, errors

        return Job(work)

    def export_job(self, ids: list[int], folder: Path) -> Job:
        """Export applications (with copies of their scans) into ``folder`` in a worker; the
        job's result is the list of files written."""
        source = self.ws.folder

        def work(progress, cancelled) -> list[Path]:
            written: list[Path] = []
            with Workspace(source) as ws:
                for i, app_id in enumerate(ids):
                    if cancelled():
                        break
                    written.append(ws.export_into(app_id, folder))
                    progress(i + 1, len(ids), written[-1].name)
            return written

        return Job(work)

    def imported(self, ids: list[int]) -> None:
        """Tell the pages about applications an import job added."""
        if ids and not self.closed:
            self.records_changed.emit()

    def set_field(self, app_id: int, key: str, value: Any) -> None:
        self.ws.set_field(app_id, key, value)
        self.application_changed.emit(app_id)

    def attachments_changed(self, app_id: int) -> None:
        self.application_changed.emit(app_id)
        self.read_certificate(app_id, fill=True)

    # ------------------------------------------------------------------ the certificate's scan

    def read_certificate(self, app_id: int, *, fill: bool) -> None:
        """Have the application's patent certificate read (in the background process, once per
        file: the reading is kept by the file's hash), then check it against what is typed
        (P022). The fields still empty are filled in from it when ``fill`` (a certificate just
        attached) or when the reading is new; nothing typed is overwritten."""
        if self.closed or not reading_on():
            return
        att = self.ws.certificate_attachment(app_id)
        path = self.ws.attachment_file(att) if att is not None else None
        if att is None or att.sha256 is None or path is None:
            return
        sha = att.sha256
        reading = self.ws.reading(sha)
        if reading is not None:
            if fill:
                self._fill(app_id, reading)
            return
        if sha in self._reading:
            self._reading[sha].add(app_id)
            return

        def work(progress, cancelled) -> dict:
            return run_in_process(reading_record, (str(path),), progress, cancelled)

        job = Job(work)
        self._reading[sha] = {app_id}
        job.signals.progress.connect(lambda _done, _total, text: self.certificate_progress.emit(app_id, text))
        job.signals.finished.connect(lambda record: self._certificate_read(sha, record))
        job.signals.failed.connect(lambda message, _details: self._certificate_failed(sha, message))
        job.signals.cancelled.connect(lambda: self._reading.pop(sha, None))
        self.certificate_progress.emit(app_id, "正在识别专利证书…")
        job.start(scan_pool())

    def _certificate_read(self, sha: str, record: dict) -> None:
        waiting = self._reading.pop(sha, set())
        if self.closed:
            return
        self.ws.set_reading(sha, record)
        for app_id in sorted(waiting):  # a new reading fills each application waiting for it
            self.certificate_progress.emit(app_id, "" if record.get("certificate") else NO_CERTIFICATE)
            self._fill(app_id, record)
            self.certificate_read.emit(app_id)
            self.schedule_status()

    def _certificate_failed(self, sha: str, message: str) -> None:
        for app_id in sorted(self._reading.pop(sha, set())):
            self.certificate_progress.emit(app_id, f"未能识别专利证书：{message}")

    def _fill(self, app_id: int, reading: dict) -> None:
        if not reading.get("certificate"):
            return
        try:
            filled = self.ws.fill_from(app_id, reading.get("values") or {})
        except InputError as exc:  # the workspace can't be written (a full disk): said, nothing lost
            self.certificate_progress.emit(app_id, f"未能填入识别结果：{exc}")
            return
        if filled:
            self.application_changed.emit(app_id)
            self.certificate_filled.emit(app_id, filled)

    def live_check(self, app_id: int, *, files: bool = True) -> tuple[Application | None, list[Finding]]:
        """One application as typed so far and its findings on its own, for the editor."""
        try:
            app, problems = self.ws.application_lenient(app_id)
        except InputError as exc:
            return None, [Finding(str(exc.file), "", "error", exc.key or "", exc.message)]
        found = [*problem_findings(app.name, problems), *check_application(app, self.today, files=files)]
        names = attachment_names(self.ws, app_id)
        snapshot = self.snapshot
        if snapshot is not None:  # the batch rules against the others as last checked
            found += batch_findings_of(app, snapshot.others(app_id, self.samples), self.today)
            names = {**snapshot.names, **names}
        return app, friendly_files(found, names)

    def confirm(self, app_id: int, warnings: list[tuple[str, str]], confirmed: bool = True) -> None:
        """确认无误 (or take back) the warnings given as (code, path) of one application."""
        self.ws.confirm(app_id, warnings, confirmed)
        self.application_changed.emit(app_id)

    # ------------------------------------------------------------------ batch status

    def schedule_status(self) -> None:
        self._timer.start()

    def refresh_status(self) -> None:
        """Recompute the batch status in a worker; ``status_changed`` reports it."""
        if self.closed:
            return
        if self._job is not None:
            self._stale = True
            return
        folder, year, plan, today, samples = self.ws.folder, self.plan_year, self.plan, self.today, self.samples

        def work(progress, cancelled) -> Snapshot:
            with Workspace(folder) as ws:  # its own connection: a SQLite connection stays in its thread
                return load_snapshot(ws, year, plan, today, samples)

        job = Job(work)
        job.signals.finished.connect(self._status_ready)
        job.signals.failed.connect(self._status_failed)
        self._job = job.start()

    def _status_ready(self, snapshot: Snapshot) -> None:
        if self.closed:
            return
        self.snapshot = snapshot
        self._status_done()
        self.status_changed.emit(snapshot)

    def _status_failed(self, message: str, details: str) -> None:
        self._status_done()
        self.status_failed.emit(message)

    def _status_done(self) -> None:
        self._job = None
        if self._stale:
            self._stale = False
            self.schedule_status()
