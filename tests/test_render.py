"""The print PDFs (``zhutui render``): real PDFs read back with poppler, qpdf and pypdf."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps
from pypdf import PdfReader

from tests.conftest import TODAY, write_json
from zhutui import appfile, naming
from zhutui.demo import generate
from zhutui.formdef import load_form
from zhutui.outputs import values
from zhutui.outputs.formpdf import STAMP_H, StampBoxes
from zhutui.outputs.images import MAX_DPI
from zhutui.outputs.render import Cancelled, render_batch
from zhutui.outputs.summary import write_summaries

A4 = (595.28, 841.89)
pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext") or not shutil.which("qpdf"),
    reason="poppler-utils and qpdf are installed by installer/setup.sh test",
)


def page_texts(pdf: Path, *, raw: bool = False) -> list[str]:
    """Each page's text; ``raw`` keeps the content stream's order (boxes side by side stay apart)."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), str(pdf), "-"]
    out = subprocess.run(args, capture_output=True, check=True).stdout
    return out.decode("utf-8").split("\f")[:-1]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_text(pdf: Path, app: appfile.Application) -> str:
    """The text of the form's pages without the running header and the footer, in the order it
    was drawn (a grid's label and its value's lines side by side stay apart)."""
    header = (
        f"附件{app.form.attachment_no}　{app.form.printed_title(app.plan.year)}　{naming.subject(app.form, app.data)}"
    )
    text = ""
    for page in page_texts(pdf, raw=True):
        page = squeeze(page)
        page = page.replace(squeeze(header), "").replace(f"校验码{app.check_code}", "")
        page = re.sub(r"第\d+页共\d+页", "", page)
        for title in [s.title for s in app.form.sections] + ["助推资金", "审核盖章"]:
            page = page.replace(squeeze(f"{title}（续）"), "")  # the running header, drawn last
        text += page
    return text


def expected_values(app: appfile.Application) -> list[str]:
    """Every field value of the application, as the form prints it."""
    out = []
    for f in app.form.fields:
        value = app.get(f.key)
        if value is None:
            continue
        if f.type == "table":
            out += [values.display(c, row.get(c.key)) for row in value for c in f.columns if row.get(c.key) is not None]
        elif f.type == "person_list":
            out += value
        elif f.type == "choice" and isinstance(value, int):
            out.append(values.money(value))
        else:
            out.append(values.display(f, value))
    return [squeeze(v) for v in out if v]


@pytest.fixture(scope="module")
def demo_batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    result = generate(folder / "batch", patents=3, projects=2, with_errors=False, seed=7)
    apps = [appfile.load(a) for a in result.applications]
    out = folder / "out"
    rendered = render_batch(apps, out, TODAY)
    tables = write_summaries(apps, out, TODAY)
    return apps, rendered, tables


def test_demo_batch_is_final_and_complete(demo_batch):
    apps, result, _ = demo_batch
    assert not result.draft and not result.errors
    names = sorted(p.name for p in result.files)
    assert "材料清单.pdf" in names and "打印全部.pdf" in names
    assert any(n.startswith("附件1_职工创新发明专利助推申报表_") for n in names)
    assert any(n.startswith("附件3_创新项目助推申报书_") for n in names)
    assert len(result.forms) == len(apps)


def test_every_pdf_is_valid_a4_with_embedded_fonts(demo_batch):
    _, result, _ = demo_batch
    for pdf in result.files:
        subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows, pdf
        for row in rows:
            emb, sub = row.split()[-5:-3]
            assert (emb, sub) == ("yes", "yes"), f"{pdf.name}: {row}"
        assert "Helvetica" not in fonts
        for page in PdfReader(pdf).pages:
            assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (
                round(A4[0], 1),
                round(A4[1], 1),
            )


def test_form_text_has_every_value_and_the_check_code_on_every_page(demo_batch):
    _, result, tables = demo_batch
    summary_codes = set()
    from openpyxl import load_workbook

    for table in tables:
        ws = load_workbook(table).active
        header = [c.value for c in ws[3]]
        col = header.index("校验码")
        summary_codes |= {row[col].value for row in ws.iter_rows(min_row=4) if row[col].value}
    for form in result.forms:
        app = form.app
        pages = page_texts(form.path)
        assert len(pages) == form.pages
        cover = 1 if app.form.cover else 0  # a cover page has no number: pages count after it
        for n, page in enumerate(pages, 1):
            assert f"校验码 {app.check_code}" in page
            if n > cover:
                assert f"第 {n - cover} 页 共 {len(pages) - cover} 页" in page
            else:
                assert "页 共" not in page
        text = body_text(form.path, app)
        for value in expected_values(app):
            assert value in text, f"{form.path.name}: {value!r} not printed"
        assert app.check_code in summary_codes


def test_money_dates_split_and_stamps(demo_batch):
    _, result, _ = demo_batch
    patent = next(f for f in result.forms if f.app.form.form == "patent")
    text = squeeze("".join(page_texts(patent.path)))
    assert "3,000元（人民币叁仟元整）" in text
    assert "1,500元（人民币壹仟伍佰元整）" in text  # 1:1 between the city and the superior union
    grant = patent.app.get("patent.grant_date")
    assert values.date_text(grant) in text and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", values.date_text(grant))
    for stamp in patent.app.form.stamps:
        assert squeeze(stamp) in text
    assert text.count("（盖章）") == len(patent.app.form.stamps)
    # 年　月　日 (pdftotext turns the ideographic spaces into plain ones)
    assert squeeze("".join(page_texts(patent.path, raw=True))).count("年月日") == len(patent.app.form.stamps)
    project = next(f for f in result.forms if f.app.form.form == "project")
    ptext = squeeze("".join(page_texts(project.path)))
    for stamp in ("申报单位", "单位工会", "区、局、集团（公司）工会"):
        assert stamp in ptext
    assert "合计" in ptext  # the budget's totals row


def test_stamp_boxes_are_at_least_45mm():
    from reportlab.lib.units import mm

    from zhutui.fonts import pdf_fonts

    for name in ("patent", "project"):
        boxes = StampBoxes(load_form(name).stamps, pdf_fonts())
        assert min(boxes.box_w, STAMP_H) >= 45 * mm


def test_long_sections_repeat_their_heading(demo_batch):
    _, result, _ = demo_batch
    project = next(f for f in result.forms if f.app.form.form == "project")
    assert any("（续）" in page for page in page_texts(project.path))


def test_attachment_pages_are_titled_and_downsampled(demo_batch):
    _, result, _ = demo_batch
    for form in result.forms:
        reader = PdfReader(form.path)
        pages = page_texts(form.path)
        appended = pages[form.form_pages :]
        assert len(appended) == form.attachment_pages > 0
        for text in appended:
            assert re.search(r"附：.+（第\d+页）", text)
        for page in reader.pages[form.form_pages :]:
            for image in page.images:
                with Image.open(io.BytesIO(image.data)) as im:
                    # Drawn at most the scan box's size (≈166 mm wide): never above 200 dpi.
                    assert im.width <= 166 / 25.4 * MAX_DPI + 2


def test_combined_pdf_is_checklist_then_every_form(demo_batch):
    _, result, _ = demo_batch
    combined = len(PdfReader(result.combined).pages)
    checklist = len(PdfReader(result.checklist).pages)
    assert combined == checklist + sum(f.pages for f in result.forms)
    text = squeeze("".join(page_texts(result.checklist)))
    assert "北京市西城区虎坊路13号北京职工服务中心南配楼2104室" in text
    assert "北京市职工技术协会" in text and "高珊" in text and "83570885" in text
    assert "2022年11月1日" in text
    for form in result.forms:
        assert form.app.check_code in text


# --------------------------------------------------------------------------- attachments


def _render_one(tmp_path: Path, data: dict, **kw) -> tuple:
    path = write_json(tmp_path, "app.json", data)
    app = appfile.load(path)
    result = render_batch([app], tmp_path / "out", TODAY, **kw)
    return app, result, result.forms[0]


def test_exif_rotated_photo_is_printed_upright_and_red_stays_red(tmp_path, patent):
    scans = tmp_path / "scans"
    scans.mkdir()
    # A portrait page stored as a landscape photo with EXIF orientation 6 (turn 90° clockwise).
    photo = Image.new("RGB", (4000, 3000), "white")
    # A red seal in the middle: a ring, as a seal's ink is (the page is cleaned white for print).
    ImageDraw.Draw(photo).ellipse((1800, 1300, 2200, 1700), outline=(200, 20, 20), width=30)
    exif = Image.Exif()
    exif[0x0112] = 6
    photo.save(scans / "cert.jpg", quality=90, exif=exif)
    Image.new("RGB", (1240, 1754), "white").save(scans / "proof.png")
    patent["attachments"][1]["file"] = "scans/proof.png"
    _, result, form = _render_one(tmp_path, patent)
    page = PdfReader(form.path).pages[form.form_pages]
    (image,) = page.images
    with Image.open(io.BytesIO(image.data)) as im:
        assert im.height > im.width  # upright: portrait
        assert im.mode == "RGB"
        rgb = np.asarray(im).astype(int)
        red = int(((rgb[:, :, 0] > 150) & (rgb[:, :, 1] < 90) & (rgb[:, :, 2] < 90)).sum())
        assert red > 500  # the seal's ring stays red
        assert im.width <= 166 / 25.4 * MAX_DPI + 2
    assert image.data[:2] == b"\xff\xd8"  # re-encoded as JPEG


def test_multipage_tiff_and_pdf_attachments_append_every_page(tmp_path, patent):
    from reportlab.pdfgen import canvas

    from zhutui.fonts import pdf_fonts

    scans = tmp_path / "scans"
    scans.mkdir()
    frames = [Image.new("L", (1240, 1754), 255 - 40 * i) for i in range(3)]
    frames[0].save(scans / "cert.tif", save_all=True, append_images=frames[1:])
    font = pdf_fonts().song
    c = canvas.Canvas(str(scans / "proof.pdf"), initialFontName=font)
    for n in (1, 2):
        c.setFont(font, 20)
        c.drawString(72, 700, f"应用证明原文第{n}页")
        c.showPage()
    c.setPageRotation(90)
    c.save()
    patent["attachments"] = [
        {"kind": "patent_certificate", "file": "scans/cert.tif"},
        {"kind": "application_proof", "file": "scans/proof.pdf"},
    ]
    _, _, form = _render_one(tmp_path, patent)
    assert form.attachment_pages == 5
    texts = page_texts(form.path)[form.form_pages :]
    assert [re.search(r"附：(.+?)（第(\d)页）", t).groups() for t in texts] == [
        ("专利证书复印件", "1"),
        ("专利证书复印件", "2"),
        ("专利证书复印件", "3"),
        ("企业应用证明", "1"),
        ("企业应用证明", "2"),
    ]
    assert "应用证明原文第1页" in texts[3] and "应用证明原文第2页" in texts[4]
    subprocess.run(["qpdf", "--check", str(form.path)], check=True, capture_output=True)


def test_unreadable_attachment_gives_a_draft_with_a_note(tmp_path, patent):
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "cert.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    Image.new("RGB", (1240, 1754), "white").save(scans / "proof.png")
    patent["attachments"][1]["file"] = "scans/proof.png"
    _, result, form = _render_one(tmp_path, patent)
    assert result.draft and result.errors
    assert form.path.name.endswith("_草稿.pdf")
    texts = page_texts(form.path)
    assert all("草稿" in t for t in texts)
    assert "此附件无法打印" in squeeze("".join(texts))


# --------------------------------------------------------------------------- CLI and pipeline


def test_cli_render_final_draft_and_bad_input(tmp_path, run, workdir, patent, project):
    write_json(workdir, "p.json", patent)
    write_json(workdir, "j.json", project)
    status, out, err = run(
        "render", workdir / "p.json", workdir / "j.json", "--out", tmp_path / "o", "--today", TODAY.isoformat()
    )
    assert status == 0, err
    written = sorted(p.name for p in (tmp_path / "o").iterdir())
    assert written == sorted(
        [
            "附件1_职工创新发明专利助推申报表_王建国.pdf",
            "附件3_创新项目助推申报书_王建国创新工作室.pdf",
            "材料清单.pdf",
            "打印全部.pdf",
        ]
    )
    patent["inventor"]["id_number"] = "110105194912310021"  # wrong check digit: an error
    write_json(workdir, "p.json", patent)
    status, out, err = run("render", workdir / "p.json", "--out", tmp_path / "d", "--today", TODAY.isoformat())
    assert status == 1
    assert "草稿" in err and "inventor.id_number" in err
    assert (tmp_path / "d" / "附件1_职工创新发明专利助推申报表_王建国_草稿.pdf").exists()
    assert (tmp_path / "d" / "打印全部_草稿.pdf").exists()
    status, out, err = run(
        "render", workdir / "j.json", "--out", tmp_path / "x", "--today", TODAY.isoformat(), "--draft"
    )
    assert status == 0 and (tmp_path / "x" / "材料清单_草稿.pdf").exists()
    (workdir / "bad.json").write_text("{", encoding="utf-8")
    status, _, err = run("render", workdir / "bad.json", "--out", tmp_path / "y")
    assert status == 2 and "bad.json" in err
    assert not (tmp_path / "y").exists()


def test_cli_render_into_unwritable_folder_names_it(tmp_path, run, workdir, patent):
    write_json(workdir, "p.json", patent)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, _, err = run("render", workdir / "p.json", "--out", blocker / "out", "--today", TODAY.isoformat())
    assert status == 2 and str(blocker) in err


def test_no_font_found_says_what_to_install(tmp_path, run, workdir, patent, monkeypatch):
    write_json(workdir, "p.json", patent)
    monkeypatch.setenv("ZHUTUI_FONT_DIRS", str(tmp_path / "empty"))
    status, _, err = run("render", workdir / "p.json", "--out", tmp_path / "o", "--today", TODAY.isoformat())
    assert status == 2
    assert "fonts-arphic-uming" in err and "simsun" in err


def test_same_names_get_numbered_files(tmp_path, workdir, patent):
    first = appfile.load(write_json(workdir, "a.json", patent))
    patent["patent"]["number"] = "ZL201620406833.2"
    second = appfile.load(write_json(workdir, "b.json", patent))
    stems = naming.unique_stems([naming.form_file_stem(a.form, a.data) for a in (first, second)])
    assert stems == ["附件1_职工创新发明专利助推申报表_王建国", "附件1_职工创新发明专利助推申报表_王建国_2"]
    assert naming.safe_name('a/b:c*?"<>|d. ') == "a_b_c_d"


def test_progress_and_cancel_leave_no_files(tmp_path, workdir, patent, project):
    apps = [appfile.load(write_json(workdir, "p.json", patent)), appfile.load(write_json(workdir, "j.json", project))]
    seen = []
    render_batch(apps, tmp_path / "ok", TODAY, progress=lambda done, total, what: seen.append((done, total)))
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    calls = []

    def cancel_after_first() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(Cancelled):
        render_batch(apps, tmp_path / "cancelled", TODAY, cancelled=cancel_after_first)
    assert not any((tmp_path / "cancelled").glob("*.pdf"))


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (100000, "人民币壹拾万元整"),
        (3000, "人民币叁仟元整"),
        (1500, "人民币壹仟伍佰元整"),
        (30000, "人民币叁万元整"),
        (1005, "人民币壹仟零伍元整"),
        (100010, "人民币壹拾万零壹拾元整"),
        (10010000, "人民币壹仟零壹万元整"),
        (120000000, "人民币壹亿贰仟万元整"),
        (0, "人民币零元整"),
        ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
        ("33333.33", "人民币叁万叁仟叁佰叁拾叁元叁角叁分"),
        ("50000.50", "人民币伍万元零伍角"),
        ("0.05", "人民币伍分"),
        ("1000.07", "人民币壹仟元零柒分"),
    ],
)
def test_rmb_capitals(amount, text):
    from decimal import Decimal

    assert values.rmb_upper(Decimal(amount)) == text


def test_split_follows_the_plan_ratio():
    from decimal import Decimal

    assert values.split_amount(3000, (1, 1)) == (1500, 1500)
    assert values.split_amount(30000, (1, 2)) == (10000, 20000)
    city, superior = values.split_amount(100000, (1, 2))
    assert (city, superior) == (Decimal("33333.33"), Decimal("66666.67")) and city + superior == 100000


def test_missing_glyphs_are_reported(tmp_path, run, workdir, patent):
    from zhutui.fonts import pdf_fonts

    fonts = pdf_fonts()
    assert fonts.missing("王建国😀") == {"😀"}
    assert "&lt;" in fonts.markup("<b>", fonts.song)
    patent["patent"]["abstract"] = "效果很好😀"
    write_json(workdir, "p.json", patent)
    status, _, err = run("render", workdir / "p.json", "--out", tmp_path / "o", "--today", TODAY.isoformat())
    assert status == 0 and "😀" in err and "空白" in err


def test_stamped_scan_of_the_form_is_not_printed(tmp_path, workdir, patent):
    patent["attachments"].append({"kind": "stamped_form", "file": "scans/cert.jpg"})
    app = appfile.load(write_json(workdir, "p.json", patent))
    result = render_batch([app], tmp_path / "out", TODAY)
    assert result.forms[0].attachment_pages == 2  # certificate and proof; not the stamped form


def test_a_layout_that_cannot_fit_names_the_file(workdir, patent, monkeypatch):
    # reportlab's LayoutError becomes an InputError (it once named a missing Application.file).
    from reportlab.platypus.doctemplate import LayoutError

    from zhutui.errors import InputError
    from zhutui.outputs.pdfdoc import Document
    from zhutui.outputs.render import render_form

    def too_tall(self, flowables):
        raise LayoutError("a cell taller than a page")

    monkeypatch.setattr(Document, "build_pages", too_tall)
    path = write_json(workdir, "p.json", patent)
    with pytest.raises(InputError) as caught:
        render_form(appfile.load(path), TODAY, draft=False)
    assert caught.value.file == str(path) and "一页纸排不下" in caught.value.message


def test_a_photo_lying_on_its_side_without_exif_is_printed_upright(tmp_path):
    """A phone photo of a page turned a quarter, with no EXIF orientation to say so: printed
    upright (turned by its text), nothing to tell the user; its sheet's edge is found."""
    from zhutui.outputs.appendix import source_pages

    made = generate(tmp_path / "demo", patents=1, projects=0, with_errors=False, seed=3)
    (app,) = [appfile.load(p) for p in made.applications]
    turned = app.attachment_file(app.data["attachments"][0])
    with Image.open(turned) as im:
        upright = ImageOps.exif_transpose(im)
        upright.rotate(90, expand=True).save(turned, quality=90)  # no EXIF: stored sideways
    page = source_pages(app)[0].image
    assert page is not None and page.height_px > page.width_px and not page.no_edge
    with Image.open(io.BytesIO(page.data)) as im:
        grey = im.convert("L")
    top, bottom = (
        grey.crop((0, 0, grey.width, grey.height // 4)),
        grey.crop((0, grey.height * 3 // 4, grey.width, grey.height)),
    )
    ink = [sum(n for v, n in enumerate(part.histogram()) if v < 100) for part in (top, bottom)]
    assert ink[0] > 0 and ink[1] > 0  # text at both ends (a certificate or proof fills the page)
    result = render_batch([app], tmp_path / "out", TODAY)
    assert not [n for n in result.notes if "侧着" in n or "未找到纸张边缘" in n]


def test_a_photographed_sheet_is_cropped_to_its_edge_and_fills_the_page(tmp_path):
    """A sheet on a dark desk: printed cropped to the sheet, as large as the page allows, also
    with something bright on the desk beside it; a sheet running out of the picture has no edge to
    crop to: the desk is only whitened, and the page says so (``no_edge``)."""
    from zhutui.outputs.appendix import BOX_H, BOX_W
    from zhutui.outputs.images import PRINT, prepare_image

    def photo(clutter: bool, top: int = 200) -> Path:
        im = Image.new("RGB", (2000, 2600), (70, 55, 45))  # the desk
        im.paste((235, 232, 225), (200, top, 1600, 2180))  # the sheet, 1400 × 1980 (A4's shape)
        draw = ImageDraw.Draw(im)
        for y in range(400, 2000, 70):
            draw.rectangle((350, y, 1450, y + 14), fill=(40, 40, 40))  # its lines of text
        if clutter:
            draw.rectangle((1700, 100, 1990, 900), fill=(240, 240, 240))  # a white box on the desk
        path = tmp_path / f"photo{clutter}{top}.jpg"
        im.save(path, quality=90)
        return path

    for clutter in (False, True):
        (page,) = prepare_image(photo(clutter), BOX_W, BOX_H, encoding=PRINT)
        assert abs(page.width_px / page.height_px - 210 / 297) < 0.01  # the sheet alone, A4
        assert abs(page.draw_height - BOX_H) < 1 or abs(page.draw_width - BOX_W) < 1  # filling the box
        assert not page.no_edge
    (kept,) = prepare_image(photo(False, top=0), BOX_W, BOX_H, encoding=PRINT)
    assert kept.no_edge
    with Image.open(io.BytesIO(kept.data)) as im:
        assert im.convert("L").crop((0, 0, 60, 60)).getextrema()[0] > 230  # the desk whitened


def _desk_photo(path: Path) -> None:
    """A sheet photographed on a dark desk: the desk shows in the corners."""
    photo = Image.new("RGB", (1500, 2000), (60, 50, 45))
    draw = ImageDraw.Draw(photo)
    draw.polygon([(260, 180), (1260, 230), (1220, 1820), (230, 1760)], fill=(215, 210, 200))
    for y in range(400, 1600, 60):
        draw.line([(350, y), (1100, y + 10)], fill=(40, 40, 40), width=6)
    photo.save(path, quality=85)


def _appended_image(pdf: Path, first_page: int) -> Image.Image:
    """The largest image on the pages from ``first_page`` on (the appended scan)."""
    images = [im.image for page in PdfReader(pdf).pages[first_page:] for im in page.images]
    return max(images, key=lambda im: im.width * im.height).convert("L")


def test_an_attachment_as_taken_in_the_workspace_prints_as_photographed(workdir, patent, tmp_path):
    from zhutui.pipeline import render_workspace
    from zhutui.workspace.store import Workspace

    _desk_photo(workdir / "scans" / "cert.jpg")
    with Workspace(tmp_path / "ws") as ws:
        app_id = ws.import_file(write_json(workdir, "p.json", patent))
        cert = ws.attachments(app_id)[0]
    corners = {}
    for taken in (False, True):
        with Workspace(tmp_path / "ws") as ws:
            ws.set_as_taken(cert.id, taken)
        result, _ = render_workspace(
            tmp_path / "ws",
            [app_id],
            tmp_path / f"out-{taken}",
            TODAY,
            draft=True,
            progress=lambda *_: None,
            cancelled=lambda: False,
        )
        (form,) = result.forms
        image = _appended_image(form.path, form.form_pages)
        corners[taken] = sum(image.getpixel(xy) for xy in ((5, 5), (image.width - 6, image.height - 6))) / 2
        if taken:  # the whole photo, desk and all, not cut to the sheet
            assert abs(image.width / image.height - 1500 / 2000) < 0.02
    assert corners[True] < 100 < corners[False]  # the desk stays dark; cleaned, it is gone or whitened
