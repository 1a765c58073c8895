"""First start with an empty workspace: offer a sample batch (``zhutui demo``) to look around in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from zhutui.gui.session import Session
from zhutui.gui.worker import Job, guarded
from zhutui.paths import user_data_dir

OFFERED = "sample_offered"
SAMPLE_PATENTS, SAMPLE_PROJECTS = 3, 1


def sample_folder() -> Path:
    return user_data_dir() / "示例" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def make_sample(folder: Path) -> list[Path]:
    """Write a small demo batch with a few planted mistakes; returns its application files."""
    from zhutui.demo import generate

    result = generate(folder, patents=SAMPLE_PATENTS, projects=SAMPLE_PROJECTS, with_errors=True, seed=2022)
    return result.applications


def offer_sample(session: Session, parent: QWidget, ask=QMessageBox.question) -> Job | None:
    """Ask once, on an empty workspace, whether to open the sample; returns the job writing it."""
    if session.ws.records() or session.ws.setting(OFFERED):
        return None
    session.ws.set_setting(OFFERED, True)
    answer = ask(
        parent,
        "欢迎使用职工创新助推申报助手",
        "工作区还是空的。要先打开一批示例申报（3项发明专利、1个创新项目，含几处故意填错的地方）看看怎么用吗？\n\n"
        "示例可以随时删除；不打开示例，也可以直接新建申报。",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    folder = sample_folder()
    job = Job(lambda progress, cancelled: make_sample(folder))
    job.signals.finished.connect(guarded(parent, lambda files: _import(session, parent, files)))
    job.signals.failed.connect(guarded(parent, lambda message, details: _failed(parent, message)))
    return job.start()


def _failed(parent: QWidget, message: str) -> None:
    QMessageBox.warning(parent, "未能打开示例", message)


def _import(session: Session, parent: QWidget, files: list[Path]) -> None:
    job = session.import_job(files)
    job.signals.finished.connect(guarded(parent, lambda result: _imported(session, parent, *result)))
    job.signals.failed.connect(guarded(parent, lambda message, details: _failed(parent, message)))
    job.start()


def _imported(session: Session, parent: QWidget, ids: list[int], errors: list[str]) -> None:
    if session.closed:
        return
    if ids:
        session.mark_samples(ids)
        year = session.ws.record(ids[0]).plan_year
        if year != session.plan_year:
            session.set_plan_year(year)
        else:
            session.imported(ids)
    if errors:
        QMessageBox.warning(parent, "示例未能全部打开", "\n".join(errors))
