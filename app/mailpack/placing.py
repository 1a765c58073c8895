"""Where a new mail package goes, and putting it there: an earlier package that was not sent
is replaced; a sent one (or the user's own folder of that name) is kept and the new one gets
the next free name (…_2)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

MANIFEST = ".package.json"  # what was packaged and sent (package.py, send.py)


def publish_target(target: Path) -> Path:
    """Where the new package goes: ``target`` when free or holding an earlier package that was
    not sent (it is replaced); else (a sent package, the user's own folder) the next free name
    (…_2)."""
    candidate, n = target, 1
    while candidate.exists() and not replaceable(candidate):
        n += 1
        candidate = target.with_name(f"{target.name}_{n}")
    return candidate


def publish(staging: Path, candidate: Path) -> Path:
    """Rename the finished ``staging`` folder to ``candidate`` (``publish_target``)."""
    if candidate.exists():
        old = candidate.with_name(f".{candidate.name}.old")
        if old.exists():
            shutil.rmtree(old)
        candidate.rename(old)
        staging.rename(candidate)
        shutil.rmtree(old, ignore_errors=True)
        return candidate
    staging.rename(candidate)
    return candidate


def replaceable(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and not manifest.get("sent")
