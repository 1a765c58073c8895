"""Attachment checks: required kinds (P011, P012, J010, J011 from the form definition) and
the files themselves (A001–A004): missing, corrupt or unsupported, encrypted, low resolution.
"""

from __future__ import annotations

from pathlib import Path

from app.checks.context import Context
from app.scans import inspect_file


def check_attachments(ctx: Context) -> None:
    form = ctx.app.form
    entries = ctx.app.data.get("attachments", [])
    present = {e.get("kind") for e in entries}
    for kind in form.attachments:
        if kind.required and kind.kind not in present:
            ctx.emit(kind.missing_code or "F001", "attachments", label=kind.label)
    kinds = {k.kind: k for k in form.attachments}
    for i, entry in enumerate(entries):
        where = f"attachments[{i}]"
        kind = kinds.get(entry.get("kind", ""))
        if kind is None:
            ctx.emit("F001" if "kind" not in entry else "F004", f"{where}.kind",
                     label="附件类型", value=entry.get("kind", ""),
                     choices="、".join(f"{k.kind}（{k.label}）" for k in form.attachments))
        if "file" not in entry:
            ctx.emit("F001", f"{where}.file", label="附件文件")
            continue
        label = kind.label if kind else entry.get("kind", "")
        info = inspect_file(ctx.app.base_dir / Path(entry["file"]))
        if info.problem:
            ctx.emit(info.problem, f"{where}.file", kind=label, file=entry["file"], detail=info.detail)
        elif info.low_resolution:
            ctx.emit("A004", f"{where}.file", kind=label, file=entry["file"],
                     dpi=round(info.dpi_at_a4 or 0))
