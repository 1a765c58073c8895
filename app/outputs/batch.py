"""The 输出 page's runs: the applications read, printed (PDFs), summarised (tables) or packaged for mail.

``render_workspace`` and ``package_workspace`` take only plain, picklable arguments so the app
can run them in a child process (``zhutui.background``); each opens the workspace itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from zhutui.appfile import Application
from zhutui.errors import Cancelled, InputError
from zhutui.outputs import values
from zhutui.workspace.store import Workspace

# The superior union's contact and phone for a consolidated batch (several enterprise unions).
CONSOLIDATOR_SETTING = "consolidator"


def batch_sender(folder: Path, apps: list[Application]) -> values.Sender:
    """Who submits ``apps``: from the forms; a consolidated batch with the workspace's contact."""
    with Workspace(folder) as ws:
        saved = ws.setting(CONSOLIDATOR_SETTING)
    saved = saved if isinstance(saved, dict) else {}
    return values.sender(apps, str(saved.get("contact", "")), str(saved.get("phone", "")))


def load_applications(folder: Path, ids: list[int]) -> list[Application]:
    """The applications ``ids`` of the workspace in ``folder``; one that can't be used as typed
    stops the run with a message naming each such value."""
    apps, unusable = [], []
    with Workspace(folder) as ws:
        for app_id in ids:
            try:
                apps.append(ws.application(app_id))
            except InputError as exc:
                unusable.append(exc.message if exc.key is None else f"{exc.key}：{exc.message}")
    if unusable:
        raise InputError(
            None, None, "以下内容无法使用，请先在编辑页改正（检查页可以找到它们）：\n" + "\n".join(unusable[:10])
        )
    return apps


def render_workspace(
    folder: Path,
    ids: list[int],
    out_dir: Path,
    today: dt.date,
    draft: bool,
    *,
    progress: Callable[[int, int, str], None],
    cancelled: Callable[[], bool],
):
    """Print PDFs and summary tables of the applications ``ids``; returns (RenderResult, tables)."""
    from zhutui.outputs.render import render_batch
    from zhutui.outputs.summary import write_summaries

    progress(0, len(ids), "正在读取申报")
    apps = load_applications(folder, ids)
    sender = batch_sender(folder, apps)
    result = render_batch(apps, out_dir, today, draft=draft, sender=sender, progress=progress, cancelled=cancelled)
    if cancelled():
        raise Cancelled
    progress(1, 1, "正在生成汇总表")
    return result, write_summaries(apps, out_dir, today, draft=result.draft, sender=sender)


def package_workspace(
    folder: Path,
    ids: list[int],
    out_dir: Path,
    today: dt.date,
    draft: bool,
    budget_mb: float,
    *,
    progress: Callable[[int, int, str], None],
    cancelled: Callable[[], bool],
):
    """The mail package of the applications ``ids`` (``zhutui package``); returns a PackageResult
    (``folder`` None when the batch has errors and no draft was asked for)."""
    from zhutui.mailpack.package import build_package

    progress(0, len(ids), "正在读取申报")
    apps = load_applications(folder, ids)
    return build_package(
        apps,
        out_dir,
        today,
        draft=draft,
        budget_mb=budget_mb,
        sender=batch_sender(folder, apps),
        progress=progress,
        cancelled=cancelled,
    )
