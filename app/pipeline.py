"""The batch as the command line and the window both read it, and the runs they both start.

Above the outputs, the mail package, the bundles and the workspace (and below ``cli`` and
``gui``): what a PATH of ``zhutui check|render|summary|package`` means (application files and
their folders, workspace folders, hand-over bundles), and the 输出 page's runs of the PDFs,
tables and mail package over a workspace's applications. ``render_workspace`` and
``package_workspace`` take only plain, picklable arguments, so the window runs them in a child
process (``zhutui.background``); each opens the workspace itself.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from zhutui import appfile, batchpaths
from zhutui.appfile import Application
from zhutui.bundle.archive import SUFFIX
from zhutui.bundle.exchange import apply_import, plan_import
from zhutui.errors import Cancelled, InputError
from zhutui.outputs import values
from zhutui.plans import load_plans
from zhutui.workspace.db import DB_NAME
from zhutui.workspace.settings import CONSOLIDATOR
from zhutui.workspace.store import Workspace
from zhutui.workspace.tempspace import temp_workspace_folder

# The password of a PATH that is a bundle with one (``zhutui check 甲.zhutui``).
PASSWORD_ENV = "ZHUTUI_BUNDLE_PASSWORD"

Progress = Callable[[int, int, str], None]


def is_workspace(path: Path) -> bool:
    return path.is_dir() and (path / DB_NAME).is_file()


def is_bundle(path: Path) -> bool:
    return path.suffix.lower() == SUFFIX and path.is_file()


def env_password() -> list[bytes]:
    """The bundle password ``ZHUTUI_BUNDLE_PASSWORD`` gives (none: [])."""
    password = os.environ.get(PASSWORD_ENV, "")
    return [password.encode("utf-8")] if password else []


def load_paths(paths: Sequence[str | Path]) -> tuple[list[Application], list[InputError]]:
    """Every application the PATHs name, as one batch: application files (every ``*.json`` below
    a folder), workspace folders and bundles; and a problem for each that can't be read."""
    apps: list[Application] = []
    problems: list[InputError] = []
    plans = load_plans()
    files = []
    for raw in paths:
        path = Path(raw)
        if is_workspace(path) or is_bundle(path):
            found, unusable = (workspace_applications if is_workspace(path) else bundle_applications)(path)
            apps += found
            problems += unusable
        else:
            files.append(str(raw))
    for path, root in (batchpaths.collect_files(files) if files else {}).items():
        try:
            apps.append(appfile.load(path, plans, files_root=root))
        except InputError as exc:
            problems.append(exc)
    return apps, problems


def workspace_applications(folder: Path) -> tuple[list[Application], list[InputError]]:
    """Every application of a workspace, as the checks and outputs see them."""
    apps, problems = [], []
    with Workspace(folder) as ws:
        for record in ws.records():
            try:
                apps.append(ws.application(record.id))
            except InputError as exc:
                problems.append(exc)
    return apps, problems


def bundle_applications(path: Path) -> tuple[list[Application], list[InputError]]:
    """The applications of a bundle, imported into a temporary workspace that lives until exit;
    each is named after its member (``甲.zhutui/applications/0001.json``)."""
    folder = temp_workspace_folder()
    apps, problems = [], []
    with Workspace(folder, temporary=True) as ws:
        with plan_import(ws, [path], passwords=env_password()) as plan:
            members = [item.member for item in plan.items]
            added = apply_import(ws, plan, "both").added
        for app_id, member in zip(added, members, strict=True):
            try:
                app = ws.application(app_id)
                app.path = path / member
                apps.append(app)
            except InputError as exc:
                problems.append(InputError(path / member, exc.key, exc.message))
    return apps, problems


# --------------------------------------------------------------------------- the 输出 page's runs


def load_applications(folder: Path, ids: list[int]) -> tuple[list[Application], values.Sender, str | None]:
    """The applications ``ids`` of the workspace in ``folder``, who submits them (from the forms;
    a consolidated batch with the workspace's contact) and the sending mailbox's address, read
    in one opening of the workspace. One that can't be used as typed stops the run with a
    message naming each such value."""
    from zhutui.mailpack.send import Mailbox

    apps, unusable = [], []
    with Workspace(folder) as ws:
        for app_id in ids:
            try:
                apps.append(ws.application(app_id))
            except InputError as exc:
                unusable.append(exc.message if exc.key is None else f"{exc.key}：{exc.message}")
        saved = ws.setting(CONSOLIDATOR)
        mailbox = Mailbox.from_setting(ws.setting("mailbox"))
    if unusable:
        raise InputError(
            None, None, "以下内容无法使用，请先在编辑页改正（检查页可以找到它们）：\n" + "\n".join(unusable[:10])
        )
    saved = saved if isinstance(saved, dict) else {}
    sender = values.sender(apps, str(saved.get("contact", "")), str(saved.get("phone", "")))
    return apps, sender, mailbox.address if mailbox else None


def render_workspace(
    folder: Path,
    ids: list[int],
    out_dir: Path,
    today: dt.date,
    draft: bool,
    duplex: bool = False,
    *,
    progress: Progress,
    cancelled: Callable[[], bool],
):
    """Print PDFs and summary tables of the applications ``ids``; returns (RenderResult, tables).
    ``duplex``: 打印全部.pdf for printing on both sides."""
    from zhutui.outputs.render import render_batch
    from zhutui.outputs.summary import write_summaries

    progress(0, len(ids), "正在读取申报")
    apps, sender, _ = load_applications(folder, ids)
    result = render_batch(
        apps, out_dir, today, draft=draft, sender=sender, duplex=duplex, progress=progress, cancelled=cancelled
    )
    if cancelled():
        raise Cancelled
    progress(1, 1, "正在生成汇总表")
    return result, write_summaries(apps, out_dir, today, draft=result.draft, sender=sender)


def word_workspace(
    folder: Path,
    ids: list[int],
    out_dir: Path,
    today: dt.date,
    draft: bool,
    *,
    progress: Progress,
    cancelled: Callable[[], bool],
):
    """The forms of the applications ``ids`` as Word files; returns (RenderResult, [])."""
    from zhutui.outputs.render import word_batch

    progress(0, len(ids), "正在读取申报")
    apps, _, _ = load_applications(folder, ids)
    return word_batch(apps, out_dir, today, draft=draft, progress=progress, cancelled=cancelled), []


def package_workspace(
    folder: Path,
    ids: list[int],
    out_dir: Path,
    today: dt.date,
    draft: bool,
    budget_mb: float,
    *,
    progress: Progress,
    cancelled: Callable[[], bool],
):
    """The mail package of the applications ``ids`` (``zhutui package``); returns a PackageResult
    (``folder`` None when the batch has errors and no draft was asked for)."""
    from zhutui.mailpack.package import build_package

    progress(0, len(ids), "正在读取申报")
    apps, sender, from_address = load_applications(folder, ids)
    return build_package(
        apps,
        out_dir,
        today,
        draft=draft,
        budget_mb=budget_mb,
        sender=sender,
        from_address=from_address,
        progress=progress,
        cancelled=cancelled,
    )
