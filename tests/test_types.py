"""mypy finds no type error in the package (its settings: ``[tool.mypy]`` in pyproject.toml).

The package's folder is ``app/`` but its name ``zhutui``, a mapping mypy can't make by itself:
it checks ``-p zhutui`` found on MYPYPATH, in a folder holding a link named ``zhutui`` to
``app/``. That folder and mypy's cache stay in the system's temporary folder (one per
checkout), so a rerun only checks what changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _search_path() -> Path:
    """A folder with ``zhutui`` linking to this checkout's ``app/`` (made or fixed if need be)."""
    folder = Path(tempfile.gettempdir()) / f"zhutui-mypy-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]}"
    folder.mkdir(exist_ok=True)
    link = folder / "zhutui"
    target = ROOT / "app"
    if not (link.is_symlink() and Path(os.readlink(link)) == target):
        if link.is_symlink() or link.exists():
            link.unlink()
        try:
            link.symlink_to(target, target_is_directory=True)
        except OSError as exc:  # Windows without the right to make symbolic links
            pytest.skip(f"cannot link {link} to {target}: {exc}")
    return folder


def test_mypy_finds_no_errors():
    folder = _search_path()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(folder / "cache"),
            "-p",
            "zhutui",
        ],
        cwd=folder,
        env={**os.environ, "MYPYPATH": str(folder)},
        capture_output=True,
        text=True,
    )
    print(result.stdout, result.stderr, sep="\n")
    assert result.returncode == 0, result.stdout + result.stderr
