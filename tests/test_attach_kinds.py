"""Guessing an attachment's kind from its file name and its first page's text (no Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from zhutui.attachkinds import first_page_text, guess_kind, kind_from_text
from zhutui.formdef import load_form

PATENT = load_form("patent")
PROJECT = load_form("project")


def pdf_with_text(path: Path, *pages: str, password: str | None = None) -> Path:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=password)
    for text in pages:
        c.setFont("STSong-Light", 14)
        c.drawString(72, 760, text)
        c.showPage()
    c.save()
    return path


def photo(path: Path) -> Path:
    Image.new("RGB", (60, 80), "white").save(path)
    return path


@pytest.mark.parametrize(
    ("form", "name", "kind"),
    [
        (PATENT, "专利证书.jpg", "patent_certificate"),
        (PATENT, "发明专利证书（扫描）.png", "patent_certificate"),
        (PATENT, "证书.jpg", "patent_certificate"),
        (PATENT, "企业应用证明.pdf", "application_proof"),
        (PATENT, "企业应用证明（附证书号）.pdf", "application_proof"),  # the longer word wins
        (PATENT, "盖章申报表.pdf", "stamped_form"),
        (PATENT, "其他1.jpg", "other"),
        (PROJECT, "企业立项文件.pdf", "approval_document"),
        (PROJECT, "立项批复.jpg", "approval_document"),
        (PROJECT, "启动资金拨付凭证.jpg", "fund_proof"),
        (PROJECT, "银行回单.jpg", "fund_proof"),
        (PROJECT, "转账 凭证.PDF", "fund_proof"),
        (PROJECT, "工作室认定证书.jpg", "studio_certificate"),  # 工作室认定 is more specific than 证书
        (PROJECT, "ＦＵＬＬ－WIDTH 认定.jpg", "studio_certificate"),
    ],
)
def test_the_name_says_the_kind(tmp_path, form, name, kind):
    assert guess_kind(form, photo(tmp_path / name)) == kind


@pytest.mark.parametrize(
    ("form", "name"),
    [
        (PATENT, "IMG_2033.jpg"),  # says nothing
        (PATENT, "立项批复.jpg"),  # a project's kind: the patent form has no place for it
        (PROJECT, "专利证书.jpg"),  # and the other way round
        (PROJECT, "立项及拨付.jpg"),  # two kinds, equally specific: the user decides
        (PATENT, "工作室认定证书.jpg"),  # most specifically a studio's certificate, not the patent's
    ],
)
def test_no_guess_when_the_name_is_silent_or_torn(tmp_path, form, name):
    assert guess_kind(form, photo(tmp_path / name)) is None


def test_a_pdf_named_by_number_is_known_by_its_first_page(tmp_path):
    proof = pdf_with_text(tmp_path / "scan0001.pdf", "企 业 应 用 证 明", "第二页：专利证书")
    assert "应" in first_page_text(proof)
    assert guess_kind(PATENT, proof) == "application_proof"  # the second page is not read
    approval = pdf_with_text(tmp_path / "scan0002.pdf", "关于同意某某项目立项的批复")
    assert guess_kind(PROJECT, approval) == "approval_document"


def test_the_name_is_never_overruled_by_the_text(tmp_path):
    torn = pdf_with_text(tmp_path / "立项及拨付.pdf", "企业立项文件")
    assert guess_kind(PROJECT, torn) is None


def test_unreadable_pdfs_give_no_text_and_no_error(tmp_path):
    damaged = tmp_path / "scan1.pdf"
    damaged.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer <<>>\n%%EOF")
    garbage = tmp_path / "scan2.pdf"
    garbage.write_bytes(bytes(range(256)) * 40)
    empty = tmp_path / "scan3.pdf"
    empty.write_bytes(b"")
    locked = pdf_with_text(tmp_path / "scan4.pdf", "企业应用证明", password="secret")
    for path in (damaged, garbage, empty, locked, tmp_path / "gone.pdf"):
        assert first_page_text(path) == ""
        assert guess_kind(PATENT, path) is None


def test_only_words_of_the_forms_kinds_count():
    assert kind_from_text(PATENT, "专利证书") == "patent_certificate"
    assert kind_from_text(PATENT, "专 利 证 书\n") == "patent_certificate"
    assert kind_from_text(PROJECT, "专利证书") is None
    assert kind_from_text(PATENT, "") is None
