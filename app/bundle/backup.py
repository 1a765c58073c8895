"""Backups (a bundle of the whole workspace and its settings, never a secret) and restore.

One backup is made automatically on each day the app is used, in ``<data folder>/backups``;
the last ``KEEP`` are kept. ``restore`` rebuilds the workspace from any backup or bundle in a
staging folder next to it; only when that has fully succeeded is the current workspace backed
up, moved aside, replaced by the new one and then removed. A failure at any step leaves the
current workspace as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zhutui.bundle.archive import SUFFIX
from zhutui.bundle.exchange import (
    BACKUP,
    ExportResult,
    Progress,
    _no_progress,
    apply_import,
    export_bundle,
    plan_import,
)
from zhutui.errors import InputError
from zhutui.paths import user_data_dir
from zhutui.private import private_dir
from zhutui.workspace import recovery, vault
from zhutui.workspace import settings as known_settings
from zhutui.workspace.db import DB_NAME
from zhutui.workspace.store import Workspace

KEEP = 7
PREFIX = "备份_"
_NAME = re.compile(rf"^{PREFIX}(\d{{8}})-(\d{{6}})(?:_\d+)?{re.escape(SUFFIX)}$")


def backups_folder() -> Path:
    return user_data_dir() / "backups"


def list_backups(folder: Path | None = None) -> list[Path]:
    """The backups in ``folder``, newest first."""
    folder = folder or backups_folder()
    try:
        found = [p for p in folder.iterdir() if _NAME.match(p.name) and p.is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def backup_day(path: Path) -> dt.date | None:
    match = _NAME.match(path.name)
    return dt.datetime.strptime(match.group(1), "%Y%m%d").date() if match else None


def make_backup(
    ws: Workspace,
    folder: Path | None = None,
    *,
    now: dt.datetime | None = None,
    progress: Progress = _no_progress,
    cancelled: Callable[[], bool] = lambda: False,
) -> ExportResult:
    """A backup of every application (with attachments) and the settings of ``ws``."""
    now = now or dt.datetime.now().astimezone()
    if folder is None:
        folder = backups_folder()
        with contextlib.suppress(OSError):  # can't be made: the writer says why
            private_dir(folder)
    target = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"
    n = 2
    while target.exists():
        target, n = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S}_{n}{SUFFIX}", n + 1
    settings = {key: ws.setting(key) for key in ws.setting_keys()}
    created_by = ws.own_union()
    result = export_bundle(
        ws,
        [r.id for r in ws.records()],
        target,
        created_by=created_by,
        purpose=BACKUP,
        settings=settings,
        progress=progress,
        cancelled=cancelled,
        now=now,
        password=ws.vault.bundle_password(),
        key_id=ws.vault.key_id,
    )
    prune(folder)
    return result


def daily_backup(ws: Workspace, folder: Path | None = None, *, now: dt.datetime | None = None) -> ExportResult | None:
    """Make today's backup unless there is one already (or the workspace is empty)."""
    now = now or dt.datetime.now().astimezone()
    folder = folder or backups_folder()
    if any(backup_day(p) == now.date() for p in list_backups(folder)):
        return None
    if not ws.records():
        return None
    return make_backup(ws, folder, now=now)


def prune(folder: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups; returns what was deleted."""
    removed = []
    for old in list_backups(folder)[keep:]:
        try:
            old.unlink()
            removed.append(old)
        except OSError:
            pass  # still there next time
    return removed


@dataclass(frozen=True)
class RestoreResult:
    applications: int
    attachments: int
    settings: bool
    safety_backup: Path | None  # the workspace as it was before the restore
    dropped_settings: tuple[str, ...] = ()  # settings that were not what their keys hold

    def dropped_note(self) -> str:
        return known_settings.dropped_message(list(self.dropped_settings)) if self.dropped_settings else ""


def restore(
    source: Path,
    workspace_folder: Path,
    *,
    backups: Path | None = None,
    progress: Progress = _no_progress,
    cancelled: Callable[[], bool] = lambda: False,
    passwords: Sequence[bytes] = (),
) -> RestoreResult:
    """Replace the workspace in ``workspace_folder`` by the contents of the bundle ``source``
    (opened with ``passwords`` or the current workspace's own key). The caller has closed its
    own connection to the workspace. The rebuilt workspace keeps the current one's protection
    (the same key), or gets the default protection when there was none."""
    workspace_folder = Path(workspace_folder)
    recovery.recover(workspace_folder)  # an earlier restore killed half-way: finished or undone first
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    staging = recovery.staging_folder(workspace_folder, stamp)
    aside = recovery.aside_folder(workspace_folder, stamp)
    current = Workspace(workspace_folder) if (workspace_folder / DB_NAME).exists() else None
    try:
        with (
            Workspace(staging, temporary=True) as new,
            plan_import(new, [Path(source)], progress=progress, passwords=passwords) as plan,
        ):
            result = apply_import(new, plan, "both", with_settings=True, progress=progress, cancelled=cancelled)
            attachments = sum(len(new.attachments(i)) for i in result.added)
            if current is not None:
                new.adopt_vault(current)
            else:
                new.protect(vault.choose_default())
        (staging / recovery.COMPLETE).touch()  # from here on, a killed restore is finished on the next start
        safety = None
        if current is not None:
            progress(0, 1, "正在备份当前工作区")
            if current.records():
                safety = make_backup(current, backups).path
            current.close()
        try:
            if workspace_folder.exists():
                os.replace(workspace_folder, aside)
            os.replace(staging, workspace_folder)
        except OSError as exc:
            if aside.exists() and not workspace_folder.exists():
                os.replace(aside, workspace_folder)
            raise InputError(
                workspace_folder,
                None,
                f"无法替换工作区（{exc.strerror or exc}），当前工作区未改动。请关闭其他正在使用它的程序后重试",
            ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if current is not None:
            current.close()
    (workspace_folder / recovery.COMPLETE).unlink(missing_ok=True)
    shutil.rmtree(aside, ignore_errors=True)
    return RestoreResult(len(result.added), attachments, result.settings, safety, tuple(result.dropped_settings))
