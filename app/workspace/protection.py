"""Changing how a workspace's personal data is protected (see ``vault``), and purging.

``reseal`` unseals every sealed column with the old vault and seals it with the new one in one
transaction: a kill half-way leaves the old state whole. ``compact`` then rewrites the file
(``VACUUM``) and truncates the journal so no page of the old text remains in either, and removes
the schema-migration copies (``workspace.db.v*.bak``), which hold the data as it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from zhutui.errors import InputError
from zhutui.workspace import db, vault
from zhutui.workspace.vault import Vault

# (table, primary key, sealed columns): every text in the workspace that can name a person.
SEALED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("applications", "id", ("data", "canonical")),
    ("attachments", "id", ("original_name", "title")),
    ("settings", "key", ("value",)),
    ("readings", "sha256", ("data",)),
    ("scan_fills", "id", ("value",)),
)


def column(table: str, name: str) -> str:
    """The associated data a sealed value is bound to."""
    return f"{table}.{name}"


class Sealer:
    """Seals and unseals one connection's values with the workspace's vault, taking up a key
    another connection gave the workspace since (a change of protection in the window)."""

    def __init__(self, con: sqlite3.Connection, where: Path, passphrase: str | None = None):
        self.con, self.where = con, where
        self.vault = vault.open_vault(con, where, passphrase=passphrase)

    def seal(self, text: str | None, col: str) -> str | None:
        if text is None:
            return None
        self.refresh()
        return self.vault.seal(text, col)

    def unseal(self, stored: str | None, col: str) -> str | None:
        if stored is None:
            return None
        try:
            return self.vault.unseal(stored, col, self.where)
        except InputError:
            if not self.refresh():
                raise
            return self.vault.unseal(stored, col, self.where)

    def refresh(self) -> bool:
        """True when the workspace has another key now (and this sealer took it up)."""
        row = self.con.execute("SELECT value FROM vault WHERE name = 'key_id'").fetchone()
        if (row[0] if row else None) == self.vault.key_id:
            return False
        self.vault = vault.open_vault(self.con, self.where)
        return True

    def reseal(self, make_new: Callable[[], Vault]) -> int:
        """Seal everything anew with the vault ``make_new`` writes (in the caller's transaction);
        how many rows held data."""
        self.vault, count = reseal(self.con, self.vault, make_new, self.where)
        return count


def reseal(con: sqlite3.Connection, old: Vault, make_new: Callable[[], Vault], where: Path) -> tuple[Vault, int]:
    """Seal everything with the vault ``make_new`` writes (inside the caller's transaction);
    returns it and how many rows were sealed anew."""
    plain: list[tuple[str, str, object, list[str | None]]] = []
    for table, key, columns in SEALED:
        for row in con.execute(f"SELECT {key}, {', '.join(columns)} FROM {table}"):  # noqa: S608 - fixed names
            values = [
                None if v is None else old.unseal(v, column(table, c), where)
                for c, v in zip(columns, row[1:], strict=True)
            ]
            plain.append((table, key, row[0], values))
    new = make_new()
    by_table = {table: columns for table, _, columns in SEALED}
    for table, key, pk, values in plain:
        columns = by_table[table]
        sealed = [None if v is None else new.seal(v, column(table, c)) for c, v in zip(columns, values, strict=True)]
        con.execute(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE {key} = ?",  # noqa: S608
            (*sealed, pk),
        )
    return new, len(plain)


def compact(con: sqlite3.Connection, folder: Path) -> None:
    """Leave no old text in the database file, its journal or a migration copy."""
    con.execute("VACUUM")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for copy in folder.glob(f"{db.DB_NAME}.v*.bak"):
        with contextlib.suppress(OSError):
            copy.unlink()


def purge_deleted(con: sqlite3.Connection, before: str) -> int:
    """Remove for good the applications deleted before ``before`` (an ISO time): the undo of a
    deletion lasts as long as the window that deleted them. Their attachments go with them
    (the stored files when no other attachment uses them: ``recovery.tidy_blobs``)."""
    cur = con.execute("DELETE FROM applications WHERE deleted_at IS NOT NULL AND deleted_at < ?", (before,))
    return cur.rowcount
