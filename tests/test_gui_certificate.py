"""The editor and the certificate's scan (issue 20): an empty form fills from the attached
certificate, each value marked 来自扫描件，请核对; a typed grant date other than the certificate's
shows P022 at its field; the 附件 page's before/after of a photo and its 使用原图 switch. The
reading is real: the background process and the OCR engine."""

from __future__ import annotations

import os
import shutil

import pytest

pytest.importorskip("PySide6")

from tests.test_gui_attach_kinds import open_panel  # noqa: E402
from zhutui.appfile import load  # noqa: E402
from zhutui.demo import generate  # noqa: E402

READ_TIMEOUT_MS = 120_000  # a fresh process loads the engine and its models, then reads


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A demo certificate photo and the values its application holds."""
    made = generate(tmp_path_factory.mktemp("cert") / "batch", patents=1, projects=0, with_errors=False, seed=31)
    app = load(made.applications[0])
    entry = next(a for a in app.data["attachments"] if a["kind"] == "patent_certificate")
    return app.attachment_file(entry), app.data["patent"]


@pytest.fixture
def reading(monkeypatch):
    monkeypatch.setenv("ZHUTUI_READ_SCANS", "1")


def _with_certificate(patent, workdir, certificate):
    photo, _ = certificate
    shutil.copy(photo, workdir / "scans" / "cert.jpg")
    return patent


def test_an_empty_form_fills_from_the_certificate_marked_for_review(
    qtbot, window_of, patent, workdir, certificate, reading, tmp_path
):
    _, expected = certificate
    for key in ("title", "number", "grant_date", "patentee", "inventors"):
        patent["patent"].pop(key, None)
    window, session, (app_id,) = window_of(_with_certificate(patent, workdir, certificate))
    window.resize(1280, 900)
    window.show()
    with qtbot.waitSignal(session.certificate_filled, timeout=READ_TIMEOUT_MS) as filled:
        open_panel(window, app_id)
        session.read_certificate(app_id, fill=True)  # as attaching it does
    assert filled.args[0] == app_id
    assert filled.args[1] == [
        "patent.title",
        "patent.number",
        "patent.grant_date",
        "patent.patentee",
        "patent.inventors",
    ]
    editor = window.form_pages["patent"].editor
    qtbot.waitUntil(lambda: "已从专利证书的扫描件识别填入5项" in editor.attachments.reading.text())
    data = session.ws.record(app_id).data["patent"]
    for key in ("title", "number", "grant_date", "patentee", "inventors"):
        assert data[key] == expected[key], key
    editor.go_step(0)
    row = editor.row("patent.title")
    assert row.input.value() == expected["title"]
    assert "来自扫描件，请核对" in row.message.text() and "确认无误" in row.message.text()
    qtbot.wait(200)  # the page lays out the longer messages
    editor.grab().save(str(tmp_path / "filled-from-certificate.png"))
    if os.environ.get("ZHUTUI_SHOTS"):
        editor.grab().save(os.path.join(os.environ["ZHUTUI_SHOTS"], "filled-from-certificate.png"))
    # Confirmed: looked at. The reading is kept: the same file is not read again.
    editor._confirm(next(f for f in editor.findings if f.code == "P023" and f.path == "patent.title"), True)
    assert not [f for f in editor.findings if f.code == "P023" and f.path == "patent.title" and not f.confirmed]
    session.read_certificate(app_id, fill=False)
    assert not session._reading


def test_a_typed_grant_date_other_than_the_certificates_shows_p022_at_the_field(
    qtbot, window_of, patent, workdir, certificate, reading, tmp_path
):
    _, expected = certificate
    patent["patent"].update({k: expected[k] for k in ("title", "number", "patentee", "inventors")})
    patent["patent"]["grant_date"] = "2021-12-31" if expected["grant_date"] != "2021-12-31" else "2021-12-30"
    patent["inventor"]["name"] = expected["inventors"][0]
    window, session, (app_id,) = window_of(_with_certificate(patent, workdir, certificate))
    window.resize(1280, 900)
    window.show()
    with qtbot.waitSignal(session.certificate_read, timeout=READ_TIMEOUT_MS):
        open_panel(window, app_id)
    editor = window.form_pages["patent"].editor
    editor.go_step(0)
    row = editor.row("patent.grant_date")
    p022 = [f for f in editor.findings if f.code == "P022"]
    assert [f.path for f in p022] == ["patent.grant_date"]
    assert patent["patent"]["grant_date"] in p022[0].message and expected["grant_date"] in p022[0].message
    row.reveal()
    assert "专利证书扫描件上识别为" in row.message.text()
    assert session.ws.record(app_id).data["patent"]["grant_date"] == patent["patent"]["grant_date"]  # not overwritten
    qtbot.wait(200)
    editor.grab().save(str(tmp_path / "p022-at-grant-date.png"))
    if os.environ.get("ZHUTUI_SHOTS"):
        editor.grab().save(os.path.join(os.environ["ZHUTUI_SHOTS"], "p022-at-grant-date.png"))


def test_photos_added_together_take_their_kinds_from_what_they_show(
    qtbot, window_of, patent, workdir, reading, tmp_path, certificate
):
    """Two phone photos named by the camera: the certificate reads as the certificate, the
    proof by its title; the certificate is then read and compared as if it had been named."""
    photo, expected = certificate
    proof_photo = next(p for p in photo.parent.iterdir() if p.name.startswith("企业应用证明"))
    camera = [tmp_path / "IMG_20221012_0931.jpg", tmp_path / f"IMG_20221012_0932{proof_photo.suffix}"]
    shutil.copy(photo, camera[0])
    shutil.copy(proof_photo, camera[1])
    patent["attachments"] = []
    window, session, (app_id,) = window_of(patent)
    panel = open_panel(window, app_id)
    panel.add_paths(camera)
    qtbot.waitUntil(lambda: len(session.ws.attachments(app_id)) == 2, timeout=READ_TIMEOUT_MS)
    assert [(a.original_name, a.kind) for a in session.ws.attachments(app_id)] == [
        (camera[0].name, "patent_certificate"),
        (camera[1].name, "application_proof"),
    ]


def test_before_and_after_and_the_switch_back_to_the_photo(
    qtbot, window_of, patent, workdir, certificate, monkeypatch, tmp_path
):
    monkeypatch.setenv("ZHUTUI_READ_SCANS", "1")
    monkeypatch.setattr("zhutui.gui.session.reading_on", lambda: False)  # no certificate reading here
    photo, _ = certificate
    shutil.copy(photo, workdir / "scans" / "cert.jpg")
    window, session, (app_id,) = window_of(patent)
    window.resize(1280, 1000)
    window.show()
    panel = open_panel(window, app_id)
    view = panel.scan_view
    panel.select(0)
    assert view.isVisible() and not view.switch.isChecked()
    qtbot.waitUntil(lambda: view.after.pixmap() is not None and not view.after.pixmap().isNull(), timeout=120_000)
    after = view.after.pixmap().toImage()
    assert after.height() > after.width()  # an upright page
    corner = after.pixelColor(3, 3)
    assert corner.lightness() > 230  # the desk is gone: white paper to the edge
    qtbot.waitUntil(lambda: view.before.pixmap() is not None and not view.before.pixmap().isNull())
    qtbot.wait(100)
    panel.grab().save(str(tmp_path / "before-after.png"))
    if os.environ.get("ZHUTUI_SHOTS"):
        panel.grab().save(os.path.join(os.environ["ZHUTUI_SHOTS"], "before-after.png"))
    view.switch.setChecked(True)
    (cert,) = [a for a in session.ws.attachments(app_id) if a.kind == "patent_certificate"]
    assert cert.as_taken
    exported = session.ws.export(app_id, tmp_path / "out" / "p.json")
    assert load(exported).data["attachments"][0].get("as_taken") is True
    view.switch.setChecked(False)
    assert not session.ws.attachments(app_id)[0].as_taken
    panel.select(1)  # the proof is a PDF: used as it is, no comparison
    assert not view.isVisible()
