"""The preview to proofread in (zoom, fit, pages), and opening an attachment under its own name."""

from __future__ import annotations

import pytest

from tests.gui_support import import_apps, make_window

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtPdfWidgets import QPdfView  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from zhutui.gui.preview import PreviewPane  # noqa: E402
from zhutui.gui.viewer import ImageView, ViewerDialog, copies_dir, copy_name, viewing_copy  # noqa: E402


def five_pages(path):
    c = canvas.Canvas(str(path))
    for n in range(1, 6):
        c.drawString(72, 760, f"page {n}")
        c.showPage()
    c.save()
    return path


@pytest.fixture
def pane(qtbot, tmp_path):
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(800, 700)
    pane.show()
    qtbot.waitExposed(pane)
    assert pane.show_file(five_pages(tmp_path / "five.pdf"))
    return pane


def test_zoom_buttons_keys_and_wheel(qtbot, pane):
    view = pane.view
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth and pane.fit_width.isChecked()  # the default
    fitted = view.effective_zoom()
    assert 0.85 < fitted < 1.1  # an A4 page about 800 pixels wide: real size
    assert pane.zoom_label.text() == f"{round(fitted * 100)}%"

    pane.zoom_in.click()
    assert view.zoomMode() == QPdfView.ZoomMode.Custom and not pane.fit_width.isChecked()
    assert view.zoomFactor() == pytest.approx(fitted * 1.25)
    pane.zoom_out.click()
    pane.zoom_out.click()
    assert view.zoomFactor() == pytest.approx(fitted / 1.25)

    zoom = view.zoomFactor()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoomFactor() == pytest.approx(zoom * 1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoomFactor() == pytest.approx(zoom)

    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        centre,
        view.mapToGlobal(centre),
        QPoint(),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoomFactor() == pytest.approx(zoom * 1.25)

    pane.fit_page.click()
    assert view.zoomMode() == QPdfView.ZoomMode.FitInView and pane.fit_page.isChecked()
    assert view.effective_zoom() < fitted  # a whole page in a window less tall than wide an A4
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_pages_are_counted_and_reached(qtbot, pane):
    view = pane.view
    assert pane.page_text() == "第 1 / 5 页"
    assert not pane.previous.isEnabled() and pane.next.isEnabled()
    pane.next.click()
    qtbot.waitUntil(lambda: view.current_page() == 1)
    assert pane.page_text() == "第 2 / 5 页"
    top = view.verticalScrollBar().value()
    assert top > 0  # the page was scrolled to
    pane.page.setValue(5)  # typed into the page field
    qtbot.waitUntil(lambda: view.current_page() == 4)
    assert pane.page_text() == "第 5 / 5 页" and not pane.next.isEnabled()
    pane.previous.click()
    qtbot.waitUntil(lambda: pane.page_text() == "第 4 / 5 页")
    for change in (pane.zoom_in, pane.fit_page, pane.zoom_out, pane.fit_width):  # the place is kept
        change.click()
        assert pane.page_text() == "第 4 / 5 页"
    view.verticalScrollBar().setValue(0)  # scrolling moves the count too
    qtbot.waitUntil(lambda: pane.page_text() == "第 1 / 5 页")
    pane.show_file(None)
    assert pane.page_text() == "第 0 / 0 页" and not pane.zoom_in.isEnabled()


def test_the_output_page_shows_the_pane(qtbot, tmp_path):
    window, _ = make_window(qtbot, tmp_path)
    output = window.output
    assert output.preview_pane.view is output.preview
    assert output.preview_pane.isAncestorOf(output.preview)
    window.close()


# ---------------------------------------------------------------------- opening an attachment


@pytest.fixture
def panel_of(qtbot, workdir, patent):
    from zhutui.workspace.store import Workspace

    with Workspace(workdir / "workspace") as ws:
        (app_id,) = import_apps(ws, workdir, patent)
    window, session = make_window(qtbot, workdir)
    page = window.form_pages["patent"]
    window.show_page(page)
    page.open_application(app_id)
    panel = page.editor.attachments
    yield panel, session, app_id
    window.close()


def test_an_attachment_opens_as_a_copy_under_its_own_name(qtbot, panel_of):
    panel, session, app_id = panel_of
    opened = []
    panel.open_externally = lambda path: opened.append(path) or True
    for row, name in enumerate(("cert.jpg", "proof.pdf")):
        panel.list.setCurrentRow(row)
        assert panel.open_file() is None  # the system's viewer took it
        assert opened[-1].name == name
        assert copies_dir() in opened[-1].parents
        stored = session.ws.attachment_file(session.ws.attachments(app_id)[row])
        assert opened[-1].read_bytes() == stored.read_bytes() and stored.name != name
    panel.list.setCurrentRow(0)
    panel.open_file()
    assert opened[-1] == opened[0]  # the same copy again


def test_without_a_viewer_the_app_shows_the_file_itself(qtbot, panel_of, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    panel, _, _ = panel_of
    boxes = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *args, **kw: boxes.append(args))
    panel.open_externally = lambda path: False
    panel.list.setCurrentRow(1)  # proof.pdf
    viewer = panel.open_file()
    assert isinstance(viewer, ViewerDialog) and viewer.isVisible()
    assert viewer.windowTitle() == "proof.pdf"
    assert "没有能打开" in viewer.note.text() and viewer.note.isVisible()
    assert isinstance(viewer.pane, PreviewPane) and viewer.pane.view.page_count() == 1
    viewer.close()
    panel.list.setCurrentRow(0)  # cert.jpg
    viewer = panel.open_file()
    assert isinstance(viewer.pane, ImageView) and not viewer.pane.label.pixmap().isNull()
    assert viewer.pane.label.pixmap().height() <= viewer.pane.viewport().height()  # scaled to fit
    viewer.close()
    assert boxes == []


@pytest.mark.parametrize(
    ("original", "suffix", "expected"),
    [
        ("专利证书.JPG", ".jpg", ("专利证书", ".JPG")),
        ("CON.pdf", ".pdf", ("CON_", ".pdf")),
        ("证明:第1页?.pdf", ".pdf", ("证明_第1页", ".pdf")),
        ("C:\\Users\\张三\\扫描.tif", ".png", ("扫描", ".png")),  # the stored file was turned: a PNG now
        ("...", ".pdf", ("附件", ".pdf")),
    ],
)
def test_copy_names_are_safe_on_windows(original, suffix, expected):
    assert copy_name(original, suffix) == expected


def test_a_long_name_is_shortened_and_a_changed_copy_is_replaced(tmp_path):
    source = tmp_path / ("ab" * 32 + ".jpg")
    Image.new("RGB", (40, 40), "white").save(source)
    root = tmp_path / ("深" * 70) / ("深" * 70)  # a path near Windows' MAX_PATH already
    copy = viewing_copy(source, "很" * 300 + ".jpg", root)
    assert copy.suffix == ".jpg" and copy.name.startswith("很") and len(copy.name) < 90
    copy.write_bytes(b"changed by a viewer")
    again = viewing_copy(source, "很" * 300 + ".jpg", root)
    assert again == copy and again.read_bytes() == source.read_bytes()
