"""The application files a batch names: files as given, folders searched for ``*.json``.

The command line's PATH arguments and the files handed to the window take the same meaning.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from zhutui.errors import InputError


def collect_files(paths: Sequence[str]) -> dict[Path, Path | None]:
    """Application files named by ``paths``: files as given, folders searched for ``*.json``;
    each with the folder its attachments must lie in (``Application.files_root``): the folder
    named, for the files found in it (a batch may keep its scans in a sibling folder), or
    None, the file's own folder, for a file named itself."""
    files: dict[Path, Path | None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _json_files(path)
            if not found:
                raise InputError(path, None, "文件夹中没有申报文件（*.json）")
            for f in found:
                files.setdefault(f, path)
        elif path.exists():
            files.setdefault(path, None)
        else:
            raise InputError(path, None, "路径不存在，请检查文件名和文件夹")
    return files


def _json_files(folder: Path) -> list[Path]:
    """Every ``*.json`` below ``folder``, hidden files and folders skipped, in a stable order."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [os.path.join(root, f) for f in files if f.endswith(".json") and not f.startswith(".")]
    return [Path(f) for f in sorted(found)]
