"""Format and lint as habits (issue 17, point 6): ``ruff format`` was applied once and is checked
from then on, with ``ruff check``, on everything Python in the repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ["app", "tests", "bench", "installer"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *FOLDERS], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_format_leaves_everything_as_it_is():
    result = _ruff("format", "--check")
    assert result.returncode == 0, (
        result.stdout + result.stderr + "\n运行 .venv/bin/ruff format app tests bench installer"
    )


def test_ruff_check_finds_nothing():
    result = _ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr
