"""Adding several files at once: each gets its own kind, and the unknown ones are asked for."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from zhutui.gui.kinddialog import KindDialog  # noqa: E402


def scan(path):
    Image.new("RGB", (620, 877), "white").save(path)
    return path


def pdf(path, text="proof"):
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 16)
    c.drawString(72, 760, text)
    c.save()
    return path


def open_panel(window, app_id):
    page = window.form_pages[window.session.ws.record(app_id).form]
    window.show_page(page)
    page.open_application(app_id)
    editor = page.editor
    editor.go_step(len(editor.pages))
    return editor.attachments


def kinds_added(session, app_id, before):
    return [(a.original_name, a.kind) for a in session.ws.attachments(app_id)[before:]]


def test_files_added_together_each_take_the_kind_their_name_says(qtbot, window_of, patent, tmp_path):
    patent["attachments"] = []
    window, session, (app_id,) = window_of(patent)
    panel = open_panel(window, app_id)
    assert panel.add_kind.currentData() == "patent_certificate"  # the first kind still missing
    files = [
        scan(tmp_path / "专利证书.jpg"),
        pdf(tmp_path / "企业应用证明.pdf"),
        pdf(tmp_path / "scan0001.pdf", "盖 章 申 报 表"),
    ]  # this one said by its first page
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    panel.list.dropEvent(
        QDropEvent(
            QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
    )
    qtbot.waitUntil(lambda: panel.pending == 0 and len(session.ws.attachments(app_id)) == 3, timeout=10_000)
    assert panel.findChild(KindDialog) is None  # nothing to ask
    assert kinds_added(session, app_id, 0) == [
        ("专利证书.jpg", "patent_certificate"),
        ("企业应用证明.pdf", "application_proof"),
        ("scan0001.pdf", "stamped_form"),
    ]
    labels = [panel.list.item(i).text().split("\n")[0] for i in range(panel.list.count())]
    assert labels == ["专利证书复印件", "企业应用证明", "盖章申报表扫描件"]


def test_an_unknown_file_is_asked_for_and_the_choice_is_stored(qtbot, window_of, patent, tmp_path):
    window, session, (app_id,) = window_of(patent)
    panel = open_panel(window, app_id)
    before = len(session.ws.attachments(app_id))
    panel.add_paths([scan(tmp_path / "专利证书.jpg"), scan(tmp_path / "IMG_2033.jpg"), scan(tmp_path / "其他.png")])
    qtbot.waitUntil(lambda: panel.findChild(KindDialog) is not None, timeout=10_000)
    dialog = panel.findChild(KindDialog)
    assert dialog.isVisible() and dialog.isModal()
    qtbot.waitUntil(lambda: panel.pending == 1, timeout=10_000)  # the open question keeps the add pending
    assert dialog.choices() == ["patent_certificate", None, "other"]  # the guesses pre-selected
    assert not dialog.ok_button.isEnabled() and "还有 1 个文件" in dialog.remaining.text()
    assert dialog.ok_button.text() == "确定"
    assert len(session.ws.attachments(app_id)) == before  # nothing attached while asking
    unknown = dialog.combos[1]
    unknown.setCurrentIndex(unknown.findData("application_proof"))
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: panel.pending == 0 and len(session.ws.attachments(app_id)) == before + 3, timeout=10_000)
    assert kinds_added(session, app_id, before) == [
        ("专利证书.jpg", "patent_certificate"),
        ("IMG_2033.jpg", "application_proof"),
        ("其他.png", "other"),
    ]


def test_a_folder_of_unnamed_scans_is_set_at_once_or_cancelled(qtbot, window_of, project, tmp_path):
    window, session, (app_id,) = window_of(project)
    panel = open_panel(window, app_id)
    before = len(session.ws.attachments(app_id))
    folder = tmp_path / "扫描"
    folder.mkdir()
    for name in ("001.jpg", "002.jpg", "立项批复.jpg"):
        scan(folder / name)

    panel.add_paths([folder])
    qtbot.waitUntil(lambda: panel.findChild(KindDialog) is not None, timeout=10_000)
    dialog = panel.findChild(KindDialog)
    assert dialog.choices() == [None, None, "approval_document"]
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: panel.pending == 0)
    assert len(session.ws.attachments(app_id)) == before and "已取消" in panel.busy.text()

    qtbot.waitUntil(lambda: panel.findChild(KindDialog) is None)  # the cancelled one is gone
    panel.add_paths([folder])
    qtbot.waitUntil(lambda: panel.findChild(KindDialog) is not None, timeout=10_000)
    dialog = panel.findChild(KindDialog)
    dialog.set_all.activated.emit(dialog.set_all.findData("fund_proof"))
    assert dialog.choices() == ["fund_proof", "fund_proof", "approval_document"]  # the guess is kept
    assert dialog.set_all.currentIndex() == 0 and not dialog.set_all.isEnabled()
    dialog.accept()
    qtbot.waitUntil(lambda: panel.pending == 0 and len(session.ws.attachments(app_id)) == before + 3, timeout=10_000)
    assert [k for _, k in kinds_added(session, app_id, before)] == ["fund_proof", "fund_proof", "approval_document"]


def test_one_file_follows_the_drop_down_only_when_it_was_chosen(qtbot, window_of, patent, tmp_path):
    patent["attachments"] = []
    window, session, (app_id,) = window_of(patent)
    panel = open_panel(window, app_id)
    # 添加为 shows its automatic choice (专利证书复印件): the name decides
    panel.add_paths([pdf(tmp_path / "企业应用证明.pdf")])
    qtbot.waitUntil(lambda: panel.pending == 0 and len(session.ws.attachments(app_id)) == 1, timeout=10_000)
    # a name that says nothing: 添加为 decides, and nothing is asked
    panel.add_paths([scan(tmp_path / "IMG_1.jpg")])
    qtbot.waitUntil(lambda: panel.pending == 0 and len(session.ws.attachments(app_id)) == 2, timeout=10_000)
    # chosen in 添加为 by the user: it wins over the name
    panel.add_kind.setCurrentIndex(panel.add_kind.findData("stamped_form"))
    panel.add_paths([scan(tmp_path / "专利证书（副本）.jpg")])
    qtbot.waitUntil(lambda: panel.pending == 0 and len(session.ws.attachments(app_id)) == 3, timeout=10_000)
    assert panel.findChild(KindDialog) is None
    assert kinds_added(session, app_id, 0) == [
        ("企业应用证明.pdf", "application_proof"),
        ("IMG_1.jpg", "patent_certificate"),
        ("专利证书（副本）.jpg", "stamped_form"),
    ]
