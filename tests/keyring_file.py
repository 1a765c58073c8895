"""A secret store for the test suite: a JSON file at ``$ZHUTUI_TEST_KEYRING``.

Our users' Windows always has the Credential Manager, so the suite runs as they do, with a
store (conftest selects this backend through ``PYTHON_KEYRING_BACKEND``, keyring's own switch,
which subprocesses inherit). Tests of a machine without one select keyring's fail backend; the
real Secret Service is exercised by the tests that start gnome-keyring.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

ENV = "ZHUTUI_TEST_KEYRING"
MODULE = "zhutui_test_keyring"  # its name when copied beside the store for subprocesses


class FileKeyring(KeyringBackend):
    priority = 1  # only ever chosen by name

    def _path(self) -> Path:
        return Path(os.environ[ENV])

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self._path().read_text("utf-8"))
        except FileNotFoundError:
            return {}

    def _save(self, entries: dict[str, str]) -> None:
        tmp = self._path().with_suffix(".tmp")
        tmp.write_text(json.dumps(entries, ensure_ascii=False), "utf-8")
        os.replace(tmp, self._path())

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries[f"{service}\0{username}"] = password
        self._save(entries)

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        if entries.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError(username)
        self._save(entries)
