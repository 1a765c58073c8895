"""Errors for unusable input: every one names the file and the key (or line) it is about.

Messages are Simplified Chinese and tell the user what to do; the CLI prints them without a
traceback and exits with status 2.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """An input file (application, plan, bundle) that can't be used as it is."""

    def __init__(self, file: str | Path | None, key: str | None, message: str):
        self.file = str(file) if file is not None else None
        self.key = key
        self.message = message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = [part for part in (self.file, self.key) if part]
        return "：".join([*where, self.message])


class DefinitionError(InputError):
    """A broken form definition or plan file under ``forms/`` (a developer's or admin's error)."""


class Cancelled(Exception):
    """The user cancelled a long run (rendering, packaging); nothing half-written was left behind."""
