"""Attachment checks: required kinds (P011, P012, J010, J011 from the form definition) and
the files themselves (A001–A004): missing, corrupt or unsupported, encrypted, low resolution.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from zhutui.checks.context import Context
from zhutui.formdef import AttachmentKind
from zhutui.scans import ScanInfo, inspect_file

OUTSIDE = (
    "附件的位置在申报文件所在的文件夹之外（绝对路径，或含“..”），为安全起见不读取。"
    "请把扫描件放到申报文件所在的文件夹（或其子文件夹）里，或在本软件中重新添加这个附件"
)


@functools.lru_cache(maxsize=4096)
def _inspect_cached(path: str, size: int, mtime_ns: int) -> ScanInfo:
    return inspect_file(path)


def inspect(path: Path) -> ScanInfo:
    """``inspect_file``, remembered while the file's size and modification time stay the same
    (live checks in the editor re-run often; a changed or replaced file is inspected again)."""
    try:
        st = os.stat(path)
    except OSError:
        return inspect_file(path)  # missing or unreadable: reported fresh every time
    return _inspect_cached(str(path), st.st_size, st.st_mtime_ns)


def check_attachments(ctx: Context) -> None:
    form = ctx.app.form
    entries = ctx.app.data.get("attachments", [])
    present = {e.get("kind") for e in entries}
    kind: AttachmentKind | None
    for kind in form.attachments:
        if kind.required and kind.kind not in present:
            ctx.emit(kind.missing_code or "F001", "attachments", label=kind.label, verb="添加")
    kinds = {k.kind: k for k in form.attachments}
    for i, entry in enumerate(entries):
        where = f"attachments[{i}]"
        kind = kinds.get(entry.get("kind", ""))
        if kind is None:
            ctx.emit(
                "F001" if "kind" not in entry else "F004",
                f"{where}.kind",
                label="附件类型",
                value=entry.get("kind", ""),
                choices="、".join(f"{k.kind}（{k.label}）" for k in form.attachments),
            )
        if "file" not in entry:
            ctx.emit("F001", f"{where}.file", label="附件文件")
            continue
        label = kind.label if kind else entry.get("kind", "")
        path = ctx.app.attachment_file(entry)
        if path is None:
            ctx.emit("A001", f"{where}.file", kind=label, file=entry["file"], detail=OUTSIDE)
            continue
        info = inspect(path)
        if info.problem:
            ctx.emit(info.problem, f"{where}.file", kind=label, file=entry["file"], detail=info.detail)
        elif info.low_resolution:
            page = f"的第{info.low_page}页" if info.low_page and info.pages > 1 else ""
            ctx.emit("A004", f"{where}.file", kind=label, file=entry["file"], page=page, dpi=round(info.dpi_at_a4 or 0))
