"""What the workspace's scans were read as (issue 20): OCR readings by file hash, and the values
filled in from them.

A stored file is read once: its reading is kept under its SHA-256 (the blob's name), so the same
certificate attached twice, or read again after the app restarts, costs nothing. The reading
(a certificate's fields with their confidence) is personal data and sealed like the applications.

Filling in: the fields of an application still empty are set from the reading (``fill_from``)
and each is remembered as filled with its value; ``application_lenient`` hands both to the
checks (``Application.certificate``, ``Application.from_scan``: P022 and P023). A filled value
the user changes is theirs: P023 holds only while the field still has the value filled in.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from zhutui.appfile import get_path, is_empty
from zhutui.certificate import shown_on_certificate
from zhutui.formdef import all_forms
from zhutui.workspace import db
from zhutui.workspace.protection import column

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from zhutui.workspace.attachstore import AttachmentRecord
    from zhutui.workspace.protection import Sealer


class Readings:
    """The reading methods of ``Workspace``."""

    con: sqlite3.Connection
    sealer: Sealer

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...
        def _write(self, sql: str, params: tuple = ()) -> sqlite3.Cursor: ...
        def attachments(self, app_id: int) -> list[AttachmentRecord]: ...
        def set_field(self, app_id: int, key: str, value: Any) -> None: ...
        def _row(self, app_id: int) -> dict[str, Any]: ...
        def _typed(self, row: dict[str, Any]) -> dict[str, Any]: ...

    def reading(self, sha256: str) -> dict[str, Any] | None:
        """The reading of the stored file ``sha256``, or None when it was not read yet."""
        row = self.con.execute("SELECT data FROM readings WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            return None
        return json.loads(self.sealer.unseal(row[0], column("readings", "data")) or "null")

    def set_reading(self, sha256: str, data: dict[str, Any]) -> None:
        sealed = self.sealer.seal(json.dumps(data, ensure_ascii=False), column("readings", "data"))
        self._write(
            "INSERT OR REPLACE INTO readings (sha256, data, read_at) VALUES (?, ?, ?)", (sha256, sealed, db.now())
        )

    def certificate_attachment(self, app_id: int) -> AttachmentRecord | None:
        """The application's first patent certificate attachment with a stored file."""
        return next((a for a in self.attachments(app_id) if a.kind == "patent_certificate" and a.sha256), None)

    def certificate_values(self, app_id: int) -> dict[str, Any] | None:
        """The values its certificate was read as (confident enough to compare), or None: no
        certificate, not read yet, or read and found no certificate."""
        att = self.certificate_attachment(app_id)
        reading = self.reading(att.sha256) if att is not None and att.sha256 else None
        if not reading or not reading.get("certificate"):
            return None
        return dict(reading.get("values") or {})

    def scan_fills(self, app_id: int) -> dict[str, Any]:
        """The values filled in from a scan, by field, as filled."""
        rows = self.con.execute("SELECT id, path, value FROM scan_fills WHERE application_id = ?", (app_id,))
        return {
            path: json.loads(self.sealer.unseal(value, column("scan_fills", "value")) or "null")
            for _, path, value in rows
        }

    def fill_from(self, app_id: int, values: dict[str, Any]) -> list[str]:
        """Set each field of ``values`` the form has and a certificate shows that is still empty,
        remembering it as filled from the scan; nothing typed is overwritten. The fields filled,
        in the form's order."""
        filled = []
        with self.transaction():
            row = self._row(app_id)
            typed = self._typed(row)
            for key in shown_on_certificate(f.key for f in all_forms()[row["form"]].fields):
                value = values.get(key)
                if is_empty(value) or not is_empty(get_path(typed, key)):
                    continue
                self.set_field(app_id, key, value)
                sealed = self.sealer.seal(json.dumps(value, ensure_ascii=False), column("scan_fills", "value"))
                self._write(
                    "INSERT OR REPLACE INTO scan_fills (application_id, path, value) VALUES (?, ?, ?)",
                    (app_id, key, sealed),
                )
                filled.append(key)
        return filled
