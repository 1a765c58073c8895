"""The attachments of the workspace's applications (a part of ``store.Workspace``).

Each attachment is a row pointing into the content-addressed store (``blobs``); its original
name and title are sealed like every text that can name a person (``vault``). ``as_taken``: its
pages go into the outputs as the user took them, not cleaned into a scan (an application file's
``"as_taken": true``).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zhutui.workspace import blobs, db
from zhutui.workspace.protection import column

if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Any

    from zhutui.workspace.protection import Sealer

MISSING_FOLDER = ".缺少的附件"  # never created (see missing_file)


@dataclass(frozen=True)
class AttachmentRecord:
    id: int
    application_id: int
    position: int
    kind: str
    title: str | None
    sha256: str | None
    suffix: str
    original_name: str
    as_taken: bool = False


class Attachments:
    """The attachment methods of ``Workspace`` (which gives ``con``, ``folder``, ``blob_root``,
    ``sealer``, ``transaction`` and ``_write``)."""

    con: sqlite3.Connection
    folder: Path
    blob_root: Path
    sealer: Sealer

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...
        def _write(self, sql: str, params: tuple = ()) -> sqlite3.Cursor: ...
        def _rows(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]: ...

    def attachments(self, app_id: int) -> list[AttachmentRecord]:
        rows = self._rows(
            "SELECT a.*, COALESCE(b.suffix, '') AS suffix FROM attachments a"
            " LEFT JOIN blobs b ON a.sha256 = b.sha256"
            " WHERE a.application_id = ? ORDER BY a.position, a.id",
            (app_id,),
        )
        unseal = self.sealer.unseal
        return [
            AttachmentRecord(
                r["id"],
                r["application_id"],
                r["position"],
                r["kind"],
                unseal(r["title"], column("attachments", "title")),
                r["sha256"],
                r["suffix"],
                unseal(r["original_name"], column("attachments", "original_name")) or "",
                bool(r["as_taken"]),
            )
            for r in rows
        ]

    def add_attachment(
        self, app_id: int, source: Path, kind: str, title: str | None = None, *, as_taken: bool = False
    ) -> int:
        """Copy ``source`` into the workspace and attach it; a missing file raises ``InputError``."""
        return self.attach_stored(app_id, self.store_file(source), Path(source).name, kind, title, as_taken=as_taken)

    def store_file(self, source: Path) -> blobs.Stored:
        """Copy a file into the content store (no database access: may run in a worker thread)."""
        return blobs.store_file(self.blob_root, Path(source))

    def attach_stored(
        self,
        app_id: int,
        stored: blobs.Stored,
        name: str,
        kind: str,
        title: str | None = None,
        *,
        as_taken: bool = False,
    ) -> int:
        """Attach content already copied by ``store_file``."""
        sha, size, suffix = stored
        with self.transaction():
            self._write(
                "INSERT OR IGNORE INTO blobs (sha256, size, suffix, added_at) VALUES (?, ?, ?, ?)",
                (sha, size, suffix, db.now()),
            )
            return self._insert_attachment(app_id, kind, title, sha, name, as_taken)

    def attach_missing(
        self, app_id: int, name: str, kind: str, title: str | None = None, *, as_taken: bool = False
    ) -> int:
        """An attachment entry whose file was not available (the checks report it)."""
        return self._insert_attachment(app_id, kind, title, None, name, as_taken)

    def set_updated_at(self, app_id: int, stamp: str) -> None:
        """Keep an imported application's own time of last change."""
        self._write("UPDATE applications SET updated_at = ? WHERE id = ?", (stamp, app_id))

    def _insert_attachment(
        self, app_id: int, kind: str, title: str | None, sha: str | None, name: str, as_taken: bool = False
    ) -> int:
        with self.transaction():
            position = self.con.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM attachments WHERE application_id = ?", (app_id,)
            ).fetchone()[0]
            cur = self._write(
                "INSERT INTO attachments (application_id, position, kind, title, sha256,"
                " original_name, as_taken, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    app_id,
                    position,
                    kind,
                    self.sealer.seal(title, column("attachments", "title")),
                    sha,
                    self.sealer.seal(name, column("attachments", "original_name")),
                    int(as_taken),
                    db.now(),
                ),
            )
            self._touch(app_id)
        assert cur.lastrowid is not None  # set by the INSERT
        return int(cur.lastrowid)

    def attachment_file(self, att: AttachmentRecord) -> Path | None:
        return blobs.blob_path(self.blob_root, att.sha256, att.suffix) if att.sha256 else None

    def missing_file(self, att: AttachmentRecord) -> Path:
        """Where an attachment whose file never arrived points: a name in a folder that is never
        made, so the checks say the file is missing; never its original name, which came from
        outside (an absolute path or ``..`` from a sender must not reach this computer's files)."""
        name = re.split(r"[\\/]", att.original_name)[-1].strip(" .") or "附件"
        return self.folder / MISSING_FOLDER / f"{att.id}_{name}"

    def remove_attachment(self, att_id: int) -> None:
        with self.transaction():
            app_id = self._attachment_owner(att_id)
            self._write("DELETE FROM attachments WHERE id = ?", (att_id,))
            self._touch(app_id)

    def update_attachment(self, att_id: int, *, kind: str | None = None, title: str | None = None) -> None:
        with self.transaction():
            app_id = self._attachment_owner(att_id)
            if kind is not None:
                self._write("UPDATE attachments SET kind = ? WHERE id = ?", (kind, att_id))
            if title is not None:
                self._write(
                    "UPDATE attachments SET title = ? WHERE id = ?",
                    (self.sealer.seal(title or None, column("attachments", "title")), att_id),
                )
            self._touch(app_id)

    def set_as_taken(self, att_id: int, as_taken: bool) -> None:
        """Use the attachment's pages as the user took them (True) or cleaned into a scan."""
        with self.transaction():
            app_id = self._attachment_owner(att_id)
            self._write("UPDATE attachments SET as_taken = ? WHERE id = ?", (int(as_taken), att_id))
            self._touch(app_id)

    def move_attachment(self, att_id: int, new_index: int) -> None:
        """Put the attachment at ``new_index`` in its application's order."""
        with self.transaction():
            app_id = self._attachment_owner(att_id)
            order = [a.id for a in self.attachments(app_id) if a.id != att_id]
            order.insert(max(0, min(new_index, len(order))), att_id)
            for position, aid in enumerate(order):
                self.con.execute("UPDATE attachments SET position = ? WHERE id = ?", (position, aid))
            self.con.execute("UPDATE applications SET updated_at = ? WHERE id = ?", (db.now(), app_id))

    def replace_attachment_content(self, att_id: int, data: bytes, suffix: str) -> None:
        """Point the attachment at new content (e.g. the scan turned a quarter)."""
        sha, size, suffix = blobs.store_bytes(self.blob_root, data, suffix)
        with self.transaction():
            app_id = self._attachment_owner(att_id)
            self._write(
                "INSERT OR IGNORE INTO blobs (sha256, size, suffix, added_at) VALUES (?, ?, ?, ?)",
                (sha, size, suffix, db.now()),
            )
            self._write("UPDATE attachments SET sha256 = ? WHERE id = ?", (sha, att_id))
            self._touch(app_id)

    def _attachment_owner(self, att_id: int) -> int:
        row = self.con.execute("SELECT application_id FROM attachments WHERE id = ?", (att_id,)).fetchone()
        if row is None:
            raise KeyError(att_id)
        return int(row[0])

    def _touch(self, app_id: int) -> None:
        self._write("UPDATE applications SET updated_at = ? WHERE id = ?", (db.now(), app_id))
