"""The application files a batch names: files as given, folders searched for ``*.json``.

The command line's PATH arguments and the files handed to the window take the same meaning.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from zhutui.errors import InputError


def collect_files(paths: Sequence[str]) -> list[Path]:
    """Application files named by ``paths``: files as given, folders searched for ``*.json``."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _json_files(path)
            if not found:
                raise InputError(path, None, "文件夹中没有申报文件（*.json）")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputError(path, None, "路径不存在，请检查文件名和文件夹")
    unique: dict[Path, None] = {}
    for f in files:
        unique.setdefault(f, None)
    return list(unique)


def _json_files(folder: Path) -> list[Path]:
    """Every ``*.json`` below ``folder``, hidden files and folders skipped, in a stable order."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [os.path.join(root, f) for f in files if f.endswith(".json") and not f.startswith(".")]
    return [Path(f) for f in sorted(found)]
