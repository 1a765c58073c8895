"""Before the final PDFs or the mail package: the warnings nobody has confirmed, asked once.

A warning may be right as it is (the user confirms it, 确认无误) or a typo that would be
printed and stamped. Building the final files lists the warnings still unconfirmed and asks
once whether to go on; 否 leaves everything as it is so they can be looked at in 检查.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from zhutui import naming
from zhutui.fieldpaths import describe
from zhutui.gui.session import Session

SHOWN = 12  # lines listed in the question; the rest are counted


def unconfirmed_warnings(session: Session, ids: Sequence[int]) -> list[str]:
    """One line per warning not yet confirmed of the applications ``ids`` (as last checked)."""
    snapshot = session.snapshot
    if snapshot is None:
        return []
    wanted = set(ids)
    lines = []
    for i, status in enumerate(snapshot.status.apps):
        if snapshot.ids[i] not in wanted:
            continue
        form = status.app.form
        subject = naming.subject(form, status.app.data)
        for f in status.findings:
            if f.severity == "warning" and not f.confirmed:
                where = describe(form, f.path)
                lines.append(f"{form.short_title}“{subject}”" + (f"　{where}" if where else "") + f"：{f.message}")
    return lines


def go_on_despite_warnings(
    parent: QWidget,
    session: Session,
    ids: Sequence[int],
    what: str,
    ask: Callable[..., QMessageBox.StandardButton] | None = None,
) -> bool:
    """Whether to build ``what`` (正式打印文件 / 电子邮件包): True when no warning is unconfirmed
    or the user says go on."""
    lines = unconfirmed_warnings(session, ids)
    if not lines:
        return True
    listed = "\n".join(f"· {line}" for line in lines[:SHOWN])
    if len(lines) > SHOWN:
        listed += f"\n……另有 {len(lines) - SHOWN} 个"
    answer = (ask or QMessageBox.question)(
        parent,
        "有警告尚未确认",
        f"以下 {len(lines)} 个警告还没有核对确认：\n\n{listed}\n\n"
        f"核对无误的，可在“检查”页选中后点“确认无误”。仍要现在生成{what}吗？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
