"""The user's workspace: every application, its attachments and the settings, saved as typed.

Qt-free, so the desktop app, the command line and the tests share it. Each edit is committed
at once (see ``db``): there is no 保存 button and nothing typed is lost when the app is killed.
Applications are kept in the SPEC §4 format (``data``) with their attachments as rows pointing
into the content-addressed store (``blobs``); ``application()`` gives the ``appfile.Application``
the checks and outputs work on, ``export`` / ``import_file`` exchange application files.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zhutui import appfile, confirmations, diskspace, naming
from zhutui.appfile import set_path
from zhutui.errors import InputError
from zhutui.formdef import form_names
from zhutui.paths import user_data_dir
from zhutui.workspace import db, protection, recovery, vault
from zhutui.workspace import settings as known_settings
from zhutui.workspace.appfiles import ApplicationFiles, Record
from zhutui.workspace.attachstore import MISSING_FOLDER, AttachmentRecord  # noqa: F401
from zhutui.workspace.canonical import Normalised
from zhutui.workspace.protection import column
from zhutui.workspace.readings import Readings
from zhutui.workspace.settings import UNION_KEYS

WORKSPACE_ENV = "ZHUTUI_WORKSPACE"


def default_folder() -> Path:
    override = os.environ.get(WORKSPACE_ENV)
    return Path(override).expanduser() if override else user_data_dir() / "workspace"


class Workspace(ApplicationFiles, Normalised, Readings):
    """One open workspace folder (``workspace.db`` and ``blobs/``).

    Its personal data is sealed by ``self.vault`` (``vault.py``): a workspace without a choice
    yet is given the secret store's key when there is a store (``temporary``: a key that dies
    with the process); ``passphrase`` opens one protected by a passphrase (``NeedPassphrase``
    when it is needed and missing)."""

    def __init__(self, folder: Path | None = None, *, passphrase: str | None = None, temporary: bool = False):
        # Absolute: the attachments are named by their place in it (a relative folder would be
        # read relative to the application file's made-up folder).
        self.folder = (Path(folder) if folder is not None else default_folder()).absolute()
        if not (self.folder / db.DB_NAME).exists():  # never a new empty one where a restore was killed
            recovery.recover(self.folder)
        self.con = db.connect(self.folder)
        self.blob_root = self.folder / "blobs"
        self._identity = db.file_identity(self.folder)
        try:
            self.sealer = protection.Sealer(self.con, self.folder / db.DB_NAME, passphrase)
            if self.vault.mode is None and (mode := vault.choose_default(temporary)):
                self.protect(mode)
            vault.note_opened(self.folder, self.sealer.vault)
            self._normalise_stale()
        except BaseException:
            self.con.close()
            raise

    @property
    def vault(self) -> vault.Vault:
        """How the personal data is protected now (another connection may have changed it)."""
        self.sealer.refresh()
        return self.sealer.vault

    def protect(self, mode: str | None, passphrase: str | None = None) -> bool:
        """Protect the personal data by ``mode`` (``vault.KEYRING``, ``PASSPHRASE``, ``PLAIN``):
        all is sealed anew in one transaction, then no old text is left in the file. False when
        the secret store turned out not to work (nothing changed). An earlier key stays in the
        secret store: the backups made with it stay readable."""
        try:
            with self.transaction():
                count = self.sealer.reseal(lambda: vault.make(self.con, mode, passphrase=passphrase))
        except vault.NoSecretStore:
            return False
        if count or any(self.folder.glob(f"{db.DB_NAME}.v*.bak")):
            protection.compact(self.con, self.folder)
        vault.note_opened(self.folder, self.sealer.vault)
        return True

    def adopt_vault(self, other: Workspace) -> None:
        """Use ``other``'s key: this new workspace is to replace it (a restore)."""
        with self.transaction():
            count = self.sealer.reseal(lambda: vault.adopt(self.con, vault.config(other.con), other.vault))
        if count:
            protection.compact(self.con, self.folder)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        if not self.con.in_transaction:  # a transaction checked this when it began
            self._check_not_replaced()
        try:
            return self.con.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if diskspace.is_full(exc, self.folder):
                raise InputError(
                    self.folder / db.DB_NAME, None, diskspace.full_message(self.folder) + "。刚才的修改未保存"
                ) from None
            raise InputError(
                self.folder / db.DB_NAME, None, f"无法保存到工作区（{exc}）。请检查磁盘空间，刚才的修改未保存"
            ) from None

    # ------------------------------------------------------------------ applications

    def create(self, form: str, plan_year: int, data: dict[str, Any] | None = None) -> int:
        """A new application; the union's details from the settings fill the empty fields."""
        if form not in form_names():
            raise ValueError(f"unknown form {form!r}")
        body = copy.deepcopy(data or {})
        body.pop("attachments", None)
        body["form"], body["plan_year"] = form, plan_year
        union = self.setting("union", {})
        for key in UNION_KEYS:
            if union.get(key) and appfile.get_path(body, key) is None:
                set_path(body, key, union[key])
        return self.insert(form, plan_year, body)

    def insert(
        self,
        form: str,
        plan_year: int,
        data: dict[str, Any],
        *,
        uid: str | None = None,
        created_at: str | None = None,
        updated_at: str | None = None,
    ) -> int:
        """Store ``data`` as it is (an imported or restored application), normalised once for the
        checks; a ``uid`` already in the workspace (even of a deleted application) is replaced by
        a new one."""
        with self.transaction():
            if uid and self.con.execute("SELECT 1 FROM applications WHERE uid = ?", (uid,)).fetchone():
                uid = None
            stamp = db.now()
            canonical, canonical_stamp = self._normalised(form, data)
            cur = self._write(
                "INSERT INTO applications (uid, form, plan_year, data, canonical, canonical_stamp,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    uid or uuid.uuid4().hex,
                    form,
                    plan_year,
                    self._dump(data),
                    canonical,
                    canonical_stamp,
                    created_at or stamp,
                    updated_at or stamp,
                ),
            )
        assert cur.lastrowid is not None  # set by the INSERT
        return int(cur.lastrowid)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Every write inside lands together or not at all, and what is read inside is what the
        writes change: ``BEGIN IMMEDIATE`` takes the database's write lock first, so another
        connection (another process, a worker) waits instead of writing in between. A
        transaction inside another is part of it."""
        if self.con.in_transaction:
            yield
            return
        self._write("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self._write("COMMIT")

    def _check_not_replaced(self) -> None:
        """Refuse to write when the workspace folder now holds another database (a restore by
        another process replaced it) or none: this connection would write into the old one,
        and the edit would be lost."""
        if db.file_identity(self.folder) != self._identity:
            raise db.WorkspaceReplaced(self.folder / db.DB_NAME)

    def records(self, form: str | None = None) -> list[Record]:
        sql = "SELECT * FROM applications WHERE deleted_at IS NULL"
        params: tuple = ()
        if form:
            sql += " AND form = ?"
            params = (form,)
        return [self._record(row) for row in self._rows(sql + " ORDER BY id", params)]

    def record(self, app_id: int) -> Record:
        return self._record(self._row(app_id))

    def _row(self, app_id: int) -> dict[str, Any]:
        rows = self._rows("SELECT * FROM applications WHERE id = ?", (app_id,))
        if not rows:
            raise KeyError(app_id)
        return rows[0]

    def set_field(self, app_id: int, key: str, value: Any) -> None:
        """Save one field as it was typed (``value`` JSON-compatible; empty removes it), and its
        normalised value for the checks (that field alone is normalised again). The read and
        the write are one transaction: another writer's edit to another field stays."""
        with self.transaction():
            row = self._row(app_id)
            data = self._typed(row)
            set_path(data, key, value)
            if data.get(confirmations.KEY):  # a confirmation is about the value it was given for
                data[confirmations.KEY] = confirmations.without_changed(data[confirmations.KEY], key)
                if not data[confirmations.KEY]:
                    del data[confirmations.KEY]
            self._save_data(app_id, data, self._field_normalised(row, data, key))

    def confirm(self, app_id: int, warnings: list[tuple[str, str]], confirmed: bool = True) -> None:
        """Confirm (确认无误) the warnings given as (code, path) for the values they are about now,
        or take the confirmations back (``confirmed=False``)."""
        with self.transaction():
            app, _ = self.application_lenient(app_id)  # the values as checked (normalised)
            data = self.record(app_id).data
            keys = set(warnings)
            entries = [e for e in data.get(confirmations.KEY) or [] if (e.get("code"), e.get("path")) not in keys]
            if confirmed:
                entries += [confirmations.entry_for(app.data, code, path) for code, path in warnings]
            if entries:
                data[confirmations.KEY] = entries
            else:
                data.pop(confirmations.KEY, None)
            self._save_data(app_id, data)

    def set_data(self, app_id: int, data: dict[str, Any]) -> None:
        body = {k: v for k, v in data.items() if k != "attachments"}
        with self.transaction():
            record = self.record(app_id)
            body["form"], body["plan_year"] = record.form, record.plan_year
            self._save_data(app_id, body)

    def _save_data(
        self, app_id: int, data: dict[str, Any], normalised: tuple[str | None, str | None] | None = None
    ) -> None:
        """Write the typed ``data`` and what the checks read of it (``normalised``: made from
        ``data`` as a whole when not given)."""
        canonical, canonical_stamp = normalised or self._normalised(data["form"], data)
        self._write(
            "UPDATE applications SET data = ?, canonical = ?, canonical_stamp = ?, plan_year = ?, updated_at = ?"
            " WHERE id = ?",
            (self._dump(data), canonical, canonical_stamp, data["plan_year"], db.now(), app_id),
        )

    def duplicate(self, app_id: int) -> int:
        with self.transaction():
            record = self.record(app_id)
            new_id = self.create(record.form, record.plan_year, record.data)
            for att in self.attachments(app_id):
                self._insert_attachment(new_id, att.kind, att.title, att.sha256, att.original_name, att.as_taken)
        return new_id

    def delete(self, app_id: int) -> None:
        """Delete (reversibly: ``undelete`` brings it back with its attachments)."""
        self._write("UPDATE applications SET deleted_at = ? WHERE id = ?", (db.now(), app_id))

    def undelete(self, app_id: int) -> None:
        self._write("UPDATE applications SET deleted_at = NULL WHERE id = ?", (app_id,))

    # ------------------------------------------------------------------ files

    def file_data(self, app_id: int) -> dict[str, Any]:
        """The application as typed, in the SPEC §4 format, attachments naming their stored files."""
        data = self.record(app_id).data
        entries = self._attachment_entries(app_id)
        if entries:
            data["attachments"] = entries
        return data

    def _attachment_entries(self, app_id: int) -> list[dict[str, Any]]:
        entries = []
        for att in self.attachments(app_id):
            path = self.attachment_file(att) or self.missing_file(att)
            entry: dict[str, Any] = {"kind": att.kind, "file": str(path)}
            if att.title:
                entry["title"] = att.title
            if att.as_taken:  # false is not written
                entry["as_taken"] = True
            entries.append(entry)
        return entries

    # ------------------------------------------------------------------ settings

    def setting(self, key: str, default: Any = None) -> Any:
        """The setting ``key``, or ``default`` when there is none or it is not what the key
        holds (``settings.VALIDATORS``; ``invalid_settings`` names such keys)."""
        row = self.con.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return default
        try:
            value = json.loads(self.sealer.unseal(row[0], column("settings", "value")) or "")
        except ValueError:
            return default
        return value if known_settings.valid(key, value) else default

    def invalid_settings(self) -> list[str]:
        """The keys whose stored values are read as absent (see ``setting``)."""
        bad = []
        for key, raw in self.con.execute("SELECT key, value FROM settings ORDER BY key").fetchall():
            try:
                ok = known_settings.valid(key, json.loads(self.sealer.unseal(raw, column("settings", "value")) or ""))
            except ValueError:
                ok = False
            if not ok:
                bad.append(key)
        return bad

    def own_union(self) -> str:
        """The user's own union (设置 → 本单位工会信息): who a hand-over bundle or a backup is from."""
        saved = self.setting("union") or {}
        return str(saved.get(naming.UNION, ""))

    def setting_keys(self) -> list[str]:
        return [row[0] for row in self.con.execute("SELECT key FROM settings ORDER BY key")]

    def set_setting(self, key: str, value: Any) -> None:
        self._write(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, self.sealer.seal(json.dumps(value, ensure_ascii=False), column("settings", "value"))),
        )

    # ------------------------------------------------------------------ helpers

    def _rows(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _dump(self, data: dict[str, Any]) -> str:
        text = json.dumps(data, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # half a character pasted: kept as typed (escaped), shown as a problem
            text = json.dumps(data)
        return self.sealer.seal(text, column("applications", "data")) or ""

    def _typed(self, row: dict[str, Any]) -> dict[str, Any]:
        return json.loads(self.sealer.unseal(row["data"], column("applications", "data")) or "")

    def _record(self, row: dict[str, Any]) -> Record:
        return Record(
            row["id"], row["uid"], row["form"], row["plan_year"], self._typed(row), row["created_at"], row["updated_at"]
        )
