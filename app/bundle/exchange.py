"""Export applications to a ``.zhutui`` bundle and import bundles into a workspace.

Layout of a bundle (documented for IT staff in the README):

    manifest.json                       format, versions, created at/by, purpose, applications,
                                        and the SHA-256 and size of every other member
    applications/0001.json              an application file (SPEC §4), exactly as it was typed
    applications/0001/01_patent_certificate.jpg   its attachments; "file" in the JSON is relative
                                        to the JSON's folder (0001/01_patent_certificate.jpg)
    settings.json                       backups only: the workspace settings (never a secret)

Import first opens and verifies every bundle (``archive.open_bundle``) and reads every
application, so a bad bundle is refused before anything is written. ``plan_import`` compares what
comes in with what the workspace has: the same application (the same patent number, the same
studio and project name, or the same uid) is a conflict, which ``apply_import`` resolves by the
policy chosen for it: ``keep`` the one already there, ``replace`` it (the old one is deleted
reversibly), or keep ``both``. Applications of several bundles never conflict with each other:
the checks report duplicates across enterprises. All of an import lands in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhutui import identity as same
from zhutui.bundle import POLICIES
from zhutui.bundle.archive import Bundle, BundleError, BundleWriter, open_bundle
from zhutui.bundle.incoming import (
    Incoming,
    json_member,
    read_applications,
)
from zhutui.errors import Cancelled
from zhutui.formdef import load_form
from zhutui.workspace import blobs, vault
from zhutui.workspace import settings as known_settings
from zhutui.workspace.store import Workspace

APPS_DIR = "applications"
SETTINGS_MEMBER = "settings.json"
HANDOVER, BACKUP = "handover", "backup"
# Settings that belong to one machine or one person, never carried by a bundle.
PRIVATE_SETTINGS = ("mailbox",)

Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, text: str) -> None:
    pass


# --------------------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportResult:
    path: Path
    applications: int
    attachments: int
    size: int


def export_bundle(
    ws: Workspace,
    app_ids: Sequence[int],
    target: Path,
    *,
    created_by: str,
    purpose: str = HANDOVER,
    settings: dict[str, Any] | None = None,
    progress: Progress = _no_progress,
    cancelled: Callable[[], bool] = lambda: False,
    now: dt.datetime | None = None,
    password: bytes | None = None,
    key_id: str | None = None,
) -> ExportResult:
    """Write the applications ``app_ids`` (with their attachments) to the bundle ``target``
    (encrypted with ``password`` when one is given; ``key_id``: the workspace key it derives
    from, for a backup)."""
    writer = BundleWriter(target, password, key_id)
    entries, n_files = [], 0
    try:
        for i, app_id in enumerate(app_ids, 1):
            if cancelled():
                raise Cancelled
            record = ws.record(app_id)
            progress(i - 1, len(app_ids), f"正在导出第 {i}/{len(app_ids)} 份申报")
            stem = f"{i:04d}"
            data = dict(record.data)
            data.pop("attachments", None)
            attachments, names = [], []
            for n, att in enumerate(ws.attachments(app_id), 1):
                source = ws.attachment_file(att)
                entry: dict[str, Any] = {"kind": att.kind}
                if source is not None and source.is_file():
                    rel = f"{stem}/{n:02d}_{att.kind}{att.suffix}"
                    writer.add_file(f"{APPS_DIR}/{rel}", source)
                    entry["file"] = rel
                    n_files += 1
                else:
                    entry["file"] = att.original_name  # no content: imported as missing
                if att.title:
                    entry["title"] = att.title
                if att.as_taken:  # false is not written
                    entry["as_taken"] = True
                attachments.append(entry)
                names.append(att.original_name)
            if attachments:
                data["attachments"] = attachments
            writer.add_bytes(
                f"{APPS_DIR}/{stem}.json", (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            )
            entries.append(
                {
                    "file": f"{APPS_DIR}/{stem}.json",
                    "uid": record.uid,
                    "created_at": record.created_at,
                    "updated_at": record.updated_at,
                    "original_names": names,
                }
            )
        if settings is not None:
            public = {k: v for k, v in settings.items() if k not in PRIVATE_SETTINGS}
            writer.add_bytes(SETTINGS_MEMBER, json.dumps(public, ensure_ascii=False, indent=1).encode("utf-8"))
        stamp = (now or dt.datetime.now().astimezone()).isoformat(timespec="seconds")
        path = writer.finish(
            {
                "created_at": stamp,
                "created_by": created_by,
                "purpose": purpose,
                "applications": entries,
                "settings": SETTINGS_MEMBER if settings is not None else None,
            }
        )
    except BaseException:
        writer.abort()
        raise
    progress(len(app_ids), len(app_ids), "导出完成")
    return ExportResult(path, len(entries), n_files, path.stat().st_size)


# --------------------------------------------------------------------------- reading


# --------------------------------------------------------------------------- planning


def identity(form: str, data: dict[str, Any]) -> tuple[tuple, str] | None:
    """What makes two applications the same one (the form's ``identity``), and how to say so."""
    definition = load_form(form)
    key = same.key(definition, data)
    return (key, same.reason(definition, data)) if key is not None else None


@dataclass
class ImportPlan:
    bundles: list[Bundle]
    items: list[Incoming]
    settings: dict[str, Any] | None = None  # from a backup

    @property
    def conflicts(self) -> list[Incoming]:
        return [i for i in self.items if i.conflict is not None]

    def close(self) -> None:
        for b in self.bundles:
            b.close()

    def __enter__(self) -> ImportPlan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def plan_import(
    ws: Workspace, paths: Sequence[Path], *, progress: Progress = _no_progress, passwords: Sequence[bytes] = ()
) -> ImportPlan:
    """Open and verify every bundle and find what conflicts with the workspace; writes nothing.
    A bundle with a password is opened with one of ``passwords`` or, being a backup of this
    or another workspace of this user, with its key (``archive.PasswordNeeded`` otherwise)."""
    bundles: list[Bundle] = []
    items: list[Incoming] = []
    settings = None
    try:
        for n, path in enumerate(paths, 1):
            progress(n - 1, len(paths), f"正在核验 {Path(path).name}")
            bundle = open_bundle(path, passwords=passwords, by_key=vault.backup_password_of)
            bundles.append(bundle)
            items += read_applications(bundle)
            if len(paths) == 1 and bundle.manifest.get("settings") == SETTINGS_MEMBER:
                settings = _read_settings(bundle)
    except BaseException:
        for b in bundles:
            b.close()
        raise
    existing: dict[tuple, tuple[int, str]] = {}
    by_uid: dict[str, int] = {}
    for record in ws.records():
        by_uid[record.uid] = record.id
        key = identity(record.form, record.data)
        if key:
            existing.setdefault(key[0], (record.id, key[1]))
    for item in items:
        key = identity(item.form, item.data)
        if key and key[0] in existing:
            item.conflict, item.reason = existing[key[0]][0], key[1]
        elif item.uid in by_uid:
            item.conflict, item.reason = by_uid[item.uid], "是同一份申报（曾经导出或导入过）"
    return ImportPlan(bundles, items, settings)


def _read_settings(bundle: Bundle) -> dict[str, Any]:
    if SETTINGS_MEMBER not in bundle.members:
        raise BundleError(bundle.path, SETTINGS_MEMBER, "清单列出的设置文件不存在")
    settings = json_member(bundle, SETTINGS_MEMBER, "设置文件")
    return {k: v for k, v in settings.items() if k not in PRIVATE_SETTINGS}  # checked when applied


# --------------------------------------------------------------------------- applying


@dataclass
class ImportResult:
    added: list[int] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)  # the old ones, deleted (reversibly)
    skipped: list[Incoming] = field(default_factory=list)
    settings: bool = False
    dropped_settings: list[str] = field(default_factory=list)  # not what their keys hold: left out

    def summary(self) -> str:
        parts = [f"导入 {len(self.added)} 份申报"]
        if self.replaced:
            parts.append(f"其中 {len(self.replaced)} 份替换了原有的同一申报（原申报已删除，可撤销）")
        if self.skipped:
            parts.append(f"{len(self.skipped)} 份与已有申报相同，保留原有的、未导入")
        return "，".join(parts) + "。"


def apply_import(
    ws: Workspace,
    plan: ImportPlan,
    policy: str | dict[int, str] = "keep",
    *,
    with_settings: bool = False,
    progress: Progress = _no_progress,
    cancelled: Callable[[], bool] = lambda: False,
) -> ImportResult:
    """Import ``plan``'s applications. ``policy`` is one of POLICIES for every conflict, or a
    choice per conflicting item (by its index in ``plan.items``)."""
    result = ImportResult()
    chosen = []
    for i, item in enumerate(plan.items):
        choice = policy.get(i, "keep") if isinstance(policy, dict) else policy
        if choice not in POLICIES:
            raise ValueError(f"unknown policy {choice!r}")
        if item.conflict is not None and choice == "keep":
            result.skipped.append(item)
        else:
            chosen.append((item, choice))
    bundles = {b.path: b for b in plan.bundles}
    stored: dict[tuple[Path, str], blobs.Stored] = {}
    total = sum(len(item.attachments) for item, _ in chosen)
    done = 0
    for item, _ in chosen:  # content first: files in the store are harmless until rows point to them
        for att in item.attachments:
            if cancelled():
                raise Cancelled
            if att.member and (item.bundle, att.member) not in stored:
                suffix = blobs.clean_suffix(att.member)
                try:
                    stored[(item.bundle, att.member)] = blobs.store_chunks(
                        ws.blob_root, bundles[item.bundle].iter_member(att.member), suffix
                    )
                except OSError as exc:
                    raise BundleError(
                        ws.folder, None, f"无法写入工作区（{exc.strerror or exc}），请检查磁盘空间。没有导入任何申报"
                    ) from None
            done += 1
            progress(done, max(total, 1), f"正在复制附件 {done}/{total}")
    with ws.transaction():
        for item, choice in chosen:
            if item.conflict is not None and choice == "replace":
                ws.delete(item.conflict)
                result.replaced.append(item.conflict)
            app_id = ws.insert(
                item.form,
                item.plan_year,
                item.data,
                uid=item.uid,
                created_at=item.created_at,
                updated_at=item.updated_at,
            )
            for att in item.attachments:
                if att.member:
                    ws.attach_stored(
                        app_id,
                        stored[(item.bundle, att.member)],
                        att.name,
                        att.kind,
                        att.title,
                        as_taken=att.as_taken,
                    )
                else:
                    ws.attach_missing(app_id, att.name, att.kind, att.title, as_taken=att.as_taken)
            if item.updated_at:
                ws.set_updated_at(app_id, item.updated_at)
            result.added.append(app_id)
        if with_settings and plan.settings:
            kept, result.dropped_settings = known_settings.clean(plan.settings)
            for key, value in kept.items():
                ws.set_setting(key, value)
            result.settings = True
    return result
