"""The printed 附件1 as the official form a reviewer expects (issue 18, point 1): one ruled grid,
two pages for the demo's patents, every label whole, the opinion-and-stamp cells inside the grid
at its end, no app commentary, the running header fitted and one 附件N mark a page."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from zhutui import appfile
from zhutui.demo import generate
from zhutui.fonts import pdf_fonts
from zhutui.outputs.cjk import label_pieces
from zhutui.outputs.pdfdoc import shortened
from zhutui.outputs.render import render_batch

TODAY = dt.date(2022, 10, 10)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("printed")
    made = generate(root / "demo", patents=8, projects=2, with_errors=False, seed=9)
    apps = [appfile.load(p) for p in made.applications]
    return render_batch(apps, root / "out", TODAY)


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def test_the_demos_patent_forms_are_two_pages(rendered):
    patents = [f for f in rendered.forms if f.app.form.form == "patent"]
    assert patents and {f.form_pages for f in patents} == {2}


def test_the_grid_ends_with_the_opinion_and_stamp_cells(rendered):
    form = next(f for f in rendered.forms if f.app.form.form == "patent")
    last = _pages(form.path)[form.form_pages - 1]
    assert "单位工会意见" in last and "区、局、集团（公司）" in last and last.count("（盖章）") == 2
    assert last.count("年　月　日") + last.count("年 月 日") == 2
    text = "".join(_pages(form.path)[: form.form_pages])
    assert "实施方案" not in text and "占项目总经费" not in text  # no app commentary on the form


def test_one_attachment_mark_a_page(rendered):
    form = next(f for f in rendered.forms if f.app.form.form == "patent")
    for page in _pages(form.path)[: form.form_pages]:
        assert page.count("附件1") == 1


def test_labels_break_only_between_phrases():
    hei = pdf_fonts().hei
    assert label_pieces("区、局、集团（公司）工会名称", hei) == ["区、局、集团（公司）", "工会名称"]
    assert label_pieces("在企业生产中应用的起始日期", hei) == ["在企业生产中应用的", "起始日期"]
    assert label_pieces("单位统一社会信用代码", hei) == ["单位统一社会信用代码"]  # a word is never broken


def test_the_running_header_is_shortened_to_fit():
    song = pdf_fonts().song
    header = "附件3　北京市总工会2022年创新项目助推申报书　" + "北京某某某某某某某某某某某某某某某某某创新工作室" * 3
    fitted = shortened(header, song, 9, 300)
    assert fitted.endswith("…") and fitted.startswith("附件3")
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert stringWidth(fitted, song, 9) <= 300


def test_the_print_run_has_a_bookmark_a_form_and_says_who_sends_it(tmp_path):
    from pypdf import PdfReader

    made = generate(tmp_path / "demo", patents=3, projects=1, with_errors=False, seed=4)
    apps = [appfile.load(p) for p in made.applications]
    simplex = render_batch(apps, tmp_path / "a", TODAY)
    duplex = render_batch(apps, tmp_path / "b", TODAY, duplex=True)
    for result in (simplex, duplex):
        reader = PdfReader(result.combined)
        titles = [item.title for item in reader.outline]
        assert titles[0] == "材料清单" and len(titles) == 1 + len(result.forms)
        assert titles[1].startswith("附件1　")
        assert reader.metadata.title == "2022年职工创新助推申报材料（打印全部）"
        assert reader.metadata.author == result.forms[0].app.get("unit_union.name")
    # Both sides: each form starts on an odd page (a blank page before it where needed).
    reader = PdfReader(duplex.combined)
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert all(start % 2 == 0 for start in starts)  # 0-based: page 1, 3, 5 …
    assert len(reader.pages) >= len(PdfReader(simplex.combined).pages)


def test_the_checklist_tells_two_applications_of_one_person_apart(tmp_path):
    import copy

    from tests.conftest import VALID_PATENT, make_scans, write_json

    make_scans(tmp_path)
    second = copy.deepcopy(VALID_PATENT)
    second["patent"]["title"] = "一种刀具磨损在线检测方法"
    second["patent"]["number"] = "ZL201410026192.3"
    apps = [appfile.load(write_json(tmp_path, f"{i}.json", d)) for i, d in enumerate((VALID_PATENT, second))]
    result = render_batch(apps, tmp_path / "out", TODAY, draft=True)  # one person twice: P008
    text = "".join(_pages(result.checklist)[0].split())
    assert "王建国（一种数控车床刀具快速定位装置）" in text and "王建国（一种刀具磨损在线检测方法）" in text
    assert "未盖章的PDF" in "".join(_pages(result.checklist))  # as the mail package carries them now
    assert result.notes == []  # the unit union's contact and phone are on the forms


def test_a_sender_without_contact_is_told_before_printing(tmp_path):
    from zhutui.outputs.values import Sender

    made = generate(tmp_path / "demo", patents=1, projects=0, with_errors=False, seed=2)
    apps = [appfile.load(p) for p in made.applications]
    result = render_batch(apps, tmp_path / "out", TODAY, sender=Sender("北京市朝阳区总工会", "", "", ""))
    assert result.notes and "联系人或电话是空的" in result.notes[0]


def test_nothing_stands_alone_on_a_forms_last_page(rendered):
    """The stamp cells share their page with the 助推资金 (patent grid and project sections alike)."""
    for form in rendered.forms:
        last = _pages(form.path)[form.form_pages - 1]
        assert "申请助推金额" in last and "（盖章）" in last, (form.path.name, last[:200])


def _header_words(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Per page, the words in the running header's band (x from, x to, text), in points."""
    import re

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page)
        # The header's baseline is 24.5 mm from the top: its words lie between 15 and 28 mm.
        pages.append([(float(x0), float(x1), w) for x0, y0, x1, w in words if 42 < float(y0) < 80])
    return pages


def test_the_header_never_overlaps_at_the_longest_allowed_names(tmp_path):
    """A studio name of its 60 characters and an inventor's of 30: the header stays inside the
    margins and clear of （续） on every page."""
    import copy

    from tests.conftest import VALID_PATENT, VALID_PROJECT, make_scans, write_json

    make_scans(tmp_path)
    project = copy.deepcopy(VALID_PROJECT)
    project["studio"]["name"] = ("北京某某集团有限公司第一分公司检修车间" * 4)[:54] + "劳模创新工作室"[:6]
    patent = copy.deepcopy(VALID_PATENT)
    patent["inventor"]["name"] = "欧阳" + "一" * 28
    apps = [
        appfile.load(write_json(tmp_path, "project.json", project)),
        appfile.load(write_json(tmp_path, "patent.json", patent)),
    ]
    assert len(apps[0].get("studio.name")) == 60
    result = render_batch(apps, tmp_path / "out", TODAY, draft=True)
    right_margin = 595.28 - 22 / 25.4 * 72
    continued = 0
    for form in result.forms:
        for words in _header_words(form.path)[1:]:
            assert words, form.path.name
            assert max(x1 for _, x1, _ in words) <= right_margin + 0.5
            marks = [(x0, x1) for x0, x1, w in words if "（续）" in w]
            if marks:
                continued += 1
                left = [x1 for x0, x1, w in words if "（续）" not in w]
                assert max(left) < marks[0][0] - 10, words  # clear of the （续） mark
            assert any(w.endswith("…") for _, _, w in words) or form.app.form.form == "patent"
    assert continued  # the project's sections flow over pages: the case that used to overlap
