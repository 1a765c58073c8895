"""The workspace database: SQLite in WAL mode, a versioned schema, a backup before migrating.

Every edit is its own committed transaction with ``synchronous=FULL``: when ``commit`` returns,
the edit is on disk, and a killed process or a power cut loses nothing that was committed.
``PRAGMA user_version`` holds the schema version; opening an older database first copies it
(SQLite's online backup) to ``workspace.db.v<old>-<time>.bak`` and then migrates it in one
transaction. A database from a newer version of the app is refused, not touched.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from zhutui import diskspace
from zhutui.errors import InputError
from zhutui.private import private_dir

DB_NAME = "workspace.db"

_V1 = """
CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    form TEXT NOT NULL,
    plan_year INTEGER NOT NULL,
    data TEXT NOT NULL,              -- the application file (SPEC §4) without "attachments"; sealed (vault.py)
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT                  -- set when deleted; cleared by undo
);
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    suffix TEXT NOT NULL,            -- ".jpg", ".pdf": the stored file is blobs/<sha[:2]>/<sha><suffix>
    added_at TEXT NOT NULL
);
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT,
    sha256 TEXT REFERENCES blobs(sha256),  -- NULL: the file was missing when it was added
    original_name TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX attachments_by_application ON attachments(application_id, position);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL              -- JSON
);
"""


# Migration n turns schema version n-1 into version n; append, never edit.
def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    """Run the statements of ``sql`` one by one inside the caller's transaction
    (``executescript`` would commit first)."""

    def run(con: sqlite3.Connection) -> None:
        statement = ""
        for line in sql.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                con.execute(statement)
                statement = ""

    return run


# Version 2: where the key of the sealed columns is (vault.py): mode, key_id, salt, check.
_V2 = """
CREATE TABLE vault (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# Version 3: each application also as the checks read it, normalised once when it is written
# (store.py): the canonical data and the values that can't be used as typed, sealed; and what
# it was normalised by (the app's version and the form definition's digest), so that a newer
# app or a changed form normalises it again.
_V3 = """
ALTER TABLE applications ADD COLUMN canonical TEXT;
ALTER TABLE applications ADD COLUMN canonical_stamp TEXT;
"""

# Version 4: what a scan was read as (readings.py): each stored file's OCR reading by its hash
# (a patent certificate's fields; sealed), and the values filled in from a reading into an
# application, as filled (sealed), until they are confirmed or changed.
_V4 = """
CREATE TABLE readings (
    sha256 TEXT PRIMARY KEY,
    data TEXT NOT NULL,              -- JSON: {"certificate": bool, "fields": {key: {value, confidence}}, "engine": …}
    read_at TEXT NOT NULL
);
CREATE TABLE scan_fills (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    value TEXT NOT NULL,             -- JSON: the value as filled in
    UNIQUE (application_id, path)
);
"""

# Version 5: an attachment kept as the user took it (an application file's "as_taken": true):
# its pages are only turned upright and resized in the print PDF and the mail package, not
# cleaned into a scan. 0 for every attachment that was there before.
_V5 = """
ALTER TABLE attachments ADD COLUMN as_taken INTEGER NOT NULL DEFAULT 0;
"""

MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _script(_V1),
    _script(_V2),
    _script(_V3),
    _script(_V4),
    _script(_V5),
]
SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def connect(folder: Path) -> sqlite3.Connection:
    """Open (creating or migrating) the workspace database in ``folder``."""
    try:
        private_dir(folder)
    except OSError as exc:
        raise InputError(folder, None, diskspace.describe(exc, folder, "创建工作区文件夹")) from None
    path = folder / DB_NAME
    try:
        con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        if os.name == "posix":
            os.chmod(path, 0o600)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA busy_timeout=5000")
        con.execute("PRAGMA secure_delete=ON")  # a deleted or rewritten value leaves no copy in the file
        version = con.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if diskspace.is_full(exc, folder):  # the journal can't be made: the data itself is fine
            raise InputError(path, None, diskspace.full_message(folder) + "。工作区本身没有损坏") from None
        raise InputError(path, None, f"工作区数据库无法打开（{exc}）。请从备份恢复，或联系技术支持") from None
    if version > SCHEMA_VERSION:
        con.close()
        raise InputError(path, None, "这个工作区是由更新版本的本软件创建的，请升级软件后再打开")
    if version < SCHEMA_VERSION:
        if version > 0:
            backup(con, folder / f"{DB_NAME}.v{version}-{dt.datetime.now():%Y%m%d-%H%M%S}.bak")
        migrate(con, version)
    return con


class WorkspaceReplaced(InputError):
    """The workspace folder was replaced (or moved away) after this connection opened it."""

    def __init__(self, path: Path):
        super().__init__(
            path,
            None,
            "这个工作区已被替换或移走（可能是另一个窗口或命令恢复了备份）。"
            "刚才的修改没有保存，此窗口也不能再保存修改：请关闭本软件后重新打开",
        )


def file_identity(folder: Path) -> tuple[int, int] | None:
    """Which file the workspace's database is now (device and file number; None: there is
    none): a connection compares it with the one it opened to notice that a restore replaced
    the folder under it. NTFS, ext4 and APFS give every file its own number."""
    try:
        st = os.stat(folder / DB_NAME)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def backup(con: sqlite3.Connection, target: Path) -> None:
    dest = sqlite3.connect(target)
    try:
        con.backup(dest)
    finally:
        dest.close()


def migrate(con: sqlite3.Connection, version: int) -> None:
    con.execute("BEGIN IMMEDIATE")
    try:
        for n in range(version, SCHEMA_VERSION):
            MIGRATIONS[n](con)
        con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
