"""The forms as Word files (issue 18, point 7): ``zhutui render … --docx`` and 输出 → 生成Word版.

Read back three ways: python-docx (the grid, the stamp cells, fixed widths, rows that never
split), LibreOffice headless converting each file to PDF (it opens, and pdftotext finds every
field value on its pages), and the draft's watermark and footer.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from tests.conftest import TODAY, VALID_PATENT, VALID_PROJECT, make_scans, write_json
from tests.test_typesetting import _at_max_length
from zhutui import appfile
from zhutui.demo import generate
from zhutui.outputs import values
from zhutui.outputs.formdocx import form_docx
from zhutui.outputs.render import render_batch, word_batch


def _convert(files: list[Path], out: Path) -> list[Path]:
    """The files converted to PDF by LibreOffice headless (its own profile folder)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: bash installer/setup.sh test installs libreoffice-writer-nogui"
    profile = out / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(out), *map(str, files)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdfs = [out / (f.stem + ".pdf") for f in files]
    assert all(p.exists() for p in pdfs), [p.name for p in pdfs if not p.exists()]
    return pdfs


def _text(pdf: Path, *, body: bool = False) -> str:
    """pdftotext's text of ``pdf``; ``body``: without the running header and footer (A4 in
    points, the bands 31 mm from the top and the bottom), which would land inside a text
    that flows over a page."""
    crop = ["-x", "0", "-y", "88", "-W", "596", "-H", "666"] if body else []
    return subprocess.run(["pdftotext", *crop, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _without_labels(text: str, app: appfile.Application) -> str:
    """``text`` squeezed, without the form's labels: pdftotext reads a label centred beside a long
    text into the middle of it, so labels are taken out of both what is sought and where."""
    labels = [f.label for f in app.form.fields] + [label for label, _ in values.boost_rows(app)]
    labels += [f"{s}意见" for s in app.form.stamps] + [s.title for s in app.form.sections]
    text = _squeezed(text)
    for label in sorted({_squeezed(label) for label in labels}, key=len, reverse=True):
        text = text.replace(label, "")
    return text


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def _printed_values(app: appfile.Application) -> list[str]:
    """Every field value as the forms print it (tables cell by cell, long texts by paragraph)."""
    shown: list[str] = []
    for f in app.form.fields:
        value = app.get(f.key)
        if appfile.is_empty(value):
            continue
        if f.type == "table":
            body, totals = values.table_texts(f, value)
            shown += [t for row in body for t in row[1:] if t] + [t for t in (totals or [])[1:] if t]
        elif f.type == "longtext":
            shown += [p for p in values.paragraphs(value, f.required) if p]
        elif f.type == "choice" and isinstance(value, int):  # a boost tier: printed as its amount
            shown.append(values.money_with_capitals(value))
        else:
            shown.append(values.display(f, value, capitals=f.type == "money"))
    for label, amount in values.boost_rows(app):
        shown += [label, amount]
    return shown


def _all_text(doc) -> str:
    """Every text of a Word document, nested tables included, headers and footers too."""
    parts = [t.text or "" for t in doc.element.body.iter(qn("w:t"))]
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts += [t.text or "" for t in part._element.iter(qn("w:t"))]
    return "".join(parts)


@pytest.fixture(scope="module")
def demo_words(tmp_path_factory):
    """The demo batch rendered with --docx through the CLI, and its Word files converted by LibreOffice."""
    from zhutui import cli

    base = tmp_path_factory.mktemp("word")
    made = generate(base / "demo", patents=3, projects=2, with_errors=False, seed=11)
    out = base / "out"
    status = cli.main(["render", str(base / "demo"), "--out", str(out), "--docx", "--today", "2022-10-20"])
    assert status == 0
    apps = sorted((appfile.load(p) for p in made.applications), key=lambda a: a.form.attachment_no)
    documents = sorted(out.glob("*.docx"))
    return apps, out, documents, _convert(documents, base / "converted")


def test_render_docx_writes_a_word_file_next_to_each_pdf(demo_words):
    apps, out, documents, _ = demo_words
    assert len(documents) == len(apps) == 5
    assert {d.stem for d in documents} == {p.stem for p in out.glob("附件*.pdf")}


def test_every_field_value_is_in_the_word_file_and_in_libreoffices_pdf(demo_words):
    apps, out, documents, pdfs = demo_words
    for doc_path, pdf in zip(documents, pdfs, strict=True):
        app = next(a for a in apps if doc_path.stem.endswith(a.data.get("inventor", a.data.get("studio"))["name"]))
        in_word = _squeezed(_all_text(Document(doc_path)))
        in_pdf = _without_labels(_text(pdf, body=True), app)
        expected = _printed_values(app) + [app.form.printed_title(2022)]
        assert len(expected) > 20
        assert app.check_code in in_word and app.check_code in _text(pdf)
        for value in expected:
            assert _squeezed(value) in in_word, (doc_path.name, value)
            assert _without_labels(value, app) in in_pdf, (pdf.name, value)
        for stamp in app.form.stamps:
            assert stamp in _squeezed(_text(pdf))
        assert in_pdf.count("（盖章）") >= len(app.form.stamps)  # the cover names two more


def test_patent_form_is_one_grid_of_two_pages_with_stamp_cells(demo_words):
    apps, out, documents, pdfs = demo_words
    patents = [(d, p) for d, p in zip(documents, pdfs, strict=True) if d.name.startswith("附件1")]
    assert len(patents) == 3
    for doc_path, pdf in patents:
        doc = Document(doc_path)
        (grid,) = doc.tables  # one ruled grid
        assert grid._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        widths = [c.width for c in grid.columns]
        assert abs(sum(widths) - Mm(166)) < Mm(1)
        labels = [row.cells[0].text for row in grid.rows]
        for text in (
            "专利名称",
            "应用情况及效益",
            "专利简介",
            "申请助推金额",
            "单位工会意见",
            "区、局、集团（公司）工会意见",
        ):
            assert any(text == label.replace("\n", "") for label in labels), text
        for row in grid.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # rows never split across pages
        stamp_rows = [row for row in grid.rows if row.cells[0].text.replace("\n", "").endswith("工会意见")]
        assert len(stamp_rows) == 2
        for row in stamp_rows:
            assert row.height >= Mm(45)
            assert "（盖章）" in row.cells[1].text and "年　月　日" in row.cells[1].text
        assert _pages(pdf) == 2, pdf.name  # as the PDF: two pages


def test_project_form_has_its_cover_and_numbered_pages_after_it(demo_words):
    apps, out, documents, pdfs = demo_words
    (doc_path, pdf), *_ = [(d, p) for d, p in zip(documents, pdfs, strict=True) if d.name.startswith("附件3")]
    doc = Document(doc_path)
    assert len(doc.sections) == 2  # the cover, then the form numbered from 1
    start = doc.sections[1]._sectPr.find(qn("w:pgNumType"))
    assert start is not None and start.get(qn("w:start")) == "1"
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert "推荐单位" in pages[0] and "填报日期" in pages[0] and "第 " not in pages[0]
    assert "第 1 页" in pages[1] and "一、职工创新工作室" in pages[1]
    assert any("审核盖章" in p for p in pages)


def test_a_draft_says_so_on_every_page(tmp_path):
    make_scans(tmp_path)
    data = dict(VALID_PATENT, patent={**VALID_PATENT["patent"], "number": "ZL201820053768.3"})  # utility model
    apps = [appfile.load(write_json(tmp_path, "p.json", data))]
    result = word_batch(apps, tmp_path / "out", TODAY)
    assert result.draft and result.errors
    (path,) = result.documents
    assert path.name.endswith("_草稿.docx")
    doc = Document(path)
    headers = "".join(
        part._element.xml for s in doc.sections for part in (s.header, s.first_page_header) if part is not None
    )
    assert 'string="草稿"' in headers  # the watermark
    assert "草稿，仅供核对，不能报送" in _all_text(doc)
    (pdf,) = _convert([path], tmp_path / "converted")
    assert "草稿，仅供核对，不能报送" in _text(pdf)


def test_every_field_at_its_maximum_length_still_converts_whole(tmp_path):
    make_scans(tmp_path)
    apps = [
        appfile.load(write_json(tmp_path, "patent.json", _at_max_length(VALID_PATENT))),
        appfile.load(write_json(tmp_path, "project.json", _at_max_length(VALID_PROJECT))),
    ]
    result = render_batch(apps, tmp_path / "out", TODAY, draft=True, docx=True)
    assert len(result.documents) == 2
    pdfs = _convert(result.documents, tmp_path / "converted")
    for app in apps:
        pdf = next(p for p in pdfs if p.name.startswith(f"附件{app.form.attachment_no}"))
        text = _without_labels(_text(pdf, body=True), app)
        for value in _printed_values(app):
            assert _without_labels(value, app) in text, (pdf.name, value[:20])


def test_characters_xml_cannot_hold_do_not_break_the_file(tmp_path):
    """A control character that reached a draft is shown as �; the file still opens."""
    make_scans(tmp_path)
    app = appfile.load(write_json(tmp_path, "p.json", VALID_PATENT))
    app.data["patent"]["title"] = "一种\x01检测装置"
    data = form_docx(app, dt.date(2022, 10, 10), draft=True)
    (tmp_path / "x.docx").write_bytes(data)
    assert "一种\ufffd检测装置" in _all_text(Document(tmp_path / "x.docx"))


def test_word_files_land_whole_or_not_at_all(tmp_path):
    """An output folder that can't be made is named, and nothing is written."""
    make_scans(tmp_path)
    apps = [appfile.load(write_json(tmp_path, "p.json", VALID_PATENT))]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    from zhutui.errors import InputError

    with pytest.raises(InputError) as caught:
        word_batch(apps, blocker / "out", TODAY)
    assert "输出文件夹" in caught.value.message


def test_the_output_page_makes_the_word_copy(qtbot, window_of, tmp_path):
    window, session, ids = window_of(VALID_PATENT)
    session.ws.set_setting("output_dir", str(tmp_path / "out"))
    output = window.output
    window.show_page(output)
    output.word_button.click()
    assert not output.render_button.isEnabled() and not output.word_button.isEnabled()
    with qtbot.waitSignal(output.finished, timeout=60_000) as blocker:
        pass
    result = blocker.args[0]
    names = [output.files.item(i).text() for i in range(output.files.count())]
    assert [Path(n).suffix for n in names] == [".docx"] and names == [p.name for p in result.documents]
    assert "Word 文档" in output.status.text()
    assert output.word_button.isEnabled() and output.render_button.isEnabled()
    assert output.open_button.isEnabled() and not output.print_button.isEnabled()
    output.render()  # the print run replaces the list; a Word run after it adds to it
    with qtbot.waitSignal(output.finished, timeout=60_000):
        pass
    output.word_button.click()
    with qtbot.waitSignal(output.finished, timeout=60_000):
        pass
    names = [output.files.item(i).text() for i in range(output.files.count())]
    assert "打印全部.pdf" in names and sum(n.endswith(".docx") for n in names) == 1
    assert output.selected_path().suffix == ".docx"
    output.grab().save(str(tmp_path / "output.png"))
