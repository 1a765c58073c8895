"""Helpers for the GUI tests: a workspace filled from application files, a window on it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

from tests.conftest import TODAY, write_json  # noqa: E402


def type_text(widget, text: str) -> None:
    """Type ``text`` as a Chinese input method does: each character committed by the IME
    (QTest.keyClicks only knows ASCII keys)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    for char in text:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QCoreApplication.sendEvent(widget, event)


def import_apps(ws, folder: Path, *datas: dict) -> list[int]:
    """Write each application file into ``folder`` (next to its scans) and import it."""
    ids = []
    for i, data in enumerate(datas):
        ids.append(ws.import_file(write_json(folder, f"app{i}.json", data)))
    return ids


def make_window(qtbot, folder: Path, today=None):
    """The main window on the workspace in ``folder`` as of ``today`` (default the tests' day);
    its first batch status computed."""
    from zhutui.gui.main import application, build

    application()
    window, session = build(today or TODAY, folder / "workspace")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(session.status_changed, timeout=20_000):
        session.refresh_status()
    return window, session


TODAY = TODAY
