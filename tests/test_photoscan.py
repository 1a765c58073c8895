"""Photo to scan (``zhutui.photoscan``) on photos made here: a certificate with a red seal
drawn in a CJK font, laid on a dark textured desk in perspective, shadowed, blurred, turned."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from zhutui import appfile
from zhutui.demo.documents import Page
from zhutui.demo.scans import Renderer, draw_page, find_font
from zhutui.errors import InputError
from zhutui.outputs.images import AS_TAKEN, PRINT, prepare_image

TITLE = "发明专利证书"
BOX = 538.0, 770.0  # points, about the print PDF's scan box


def _page() -> Image.Image:
    font = find_font()
    if font is None:
        pytest.skip("no CJK font to draw the page with")
    page = Page(
        TITLE,
        lines=[
            ("kv", "发明名称：一种受电弓碳滑板磨耗测量装置"),
            ("kv", "发明人：沈占国；周新民"),
            ("kv", "专利号：ZL 2018 1 0925817.8"),
            ("kv", "专利权人：北京京铁机车车辆配件有限公司"),
            ("p", "国家知识产权局依照中华人民共和国专利法经过审查，决定授予专利权，颁发发明专利证书。"),
            ("right", "局长"),
        ],
        seal="国家知识产权局",
        border=True,
    )
    return draw_page(page, 1050, 1485, (236, 233, 222), Renderer(font, 1), random.Random(1))


def _coeffs(out_quad: list[tuple[float, float]], in_quad: list[tuple[float, float]]) -> list[float]:
    """PIL's PERSPECTIVE coefficients mapping output points to input points."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(out_quad, in_quad, strict=True):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        rhs += [u, v]
    return list(np.linalg.solve(np.array(rows, float), np.array(rhs, float)))


def photograph(page: Image.Image, *, turn: int = 0, corners: list[tuple[float, float]] | None = None) -> Image.Image:
    """``page`` on a dark textured desk (2400 × 3200), in perspective, a shadow across it,
    slightly blurred, then turned ``turn`` quarters (a photo whose EXIF says nothing)."""
    size = (2400, 3200)
    rng = random.Random(7)
    desk = Image.new("RGB", (12, 16))
    desk.putdata([(70 + rng.randint(-15, 15), 55 + rng.randint(-12, 12), 45) for _ in range(12 * 16)])
    desk = desk.resize(size, Image.Resampling.BICUBIC)
    corners = corners or [(420, 330), (2010, 420), (2130, 2880), (300, 2790)]
    w, h = page.size
    coeffs = _coeffs(corners, [(0, 0), (w, 0), (w, h), (0, h)])
    warped = page.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = Image.new("L", page.size, 255).transform(size, Image.Transform.PERSPECTIVE, coeffs)
    desk.paste(warped, (0, 0), mask)
    # A shadow across the lower left (a phone and a hand): the light falls to 60 %.
    ramp = Image.linear_gradient("L").resize(size).rotate(-35, fillcolor=255)
    shadow = ramp.point(lambda v: 150 + v * 105 // 255)
    photo = ImageChops.multiply(desk, Image.merge("RGB", (shadow, shadow, shadow)))
    photo = photo.filter(ImageFilter.GaussianBlur(1.6))
    return photo.rotate(90 * turn, expand=True) if turn else photo


def _saved(im: Image.Image, path: Path) -> Path:
    im.save(path, quality=88)  # no EXIF
    return path


def _image(prepared) -> Image.Image:  # noqa: ANN001 - a PreparedImage
    return Image.open(io.BytesIO(prepared.data))


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return _page()


def _title_at_top(im: Image.Image) -> bool:
    from zhutui.ocr import read_lines

    lines = read_lines(im)
    found = [line for line in lines if TITLE in line.text.replace(" ", "")]
    return bool(found) and max(y for _, y in found[0].box) < im.height / 4


@pytest.mark.parametrize("turn", [0, 1, 2])
def test_a_photographed_certificate_comes_out_a_clean_upright_a4_scan(tmp_path, page, turn):
    (out,) = prepare_image(_saved(photograph(page, turn=turn), tmp_path / "photo.jpg"), *BOX, encoding=PRINT)
    assert not out.no_edge
    assert abs(out.width_px / out.height_px - 210 / 297) < 0.01  # A4's proportions
    im = _image(out)
    assert im.mode == "RGB"  # the seal keeps the colour
    grey = np.asarray(im.convert("L"))
    band = max(2, grey.shape[0] // 100)
    for edge in (grey[:band], grey[-band:], grey[:, :band], grey[:, -band:]):
        assert edge.mean() > 245  # no desk left along the borders
    rgb = np.asarray(im).astype(int)
    red = (rgb[:, :, 0] > 150) & (rgb[:, :, 1] < 100) & (rgb[:, :, 2] < 100)
    assert red.sum() > 500  # the seal is still red
    assert (grey < 80).sum() > 2000  # the text is dark
    assert np.median(grey) > 245  # the paper white, shadow and all
    assert _title_at_top(im)  # upright and legible: OCR reads the title at the top


def test_a_flat_scan_passes_without_a_note(tmp_path, page):
    scan = page.resize((1654, 2339)).rotate(0.5, fillcolor=(236, 233, 222))  # a 200 dpi scan
    (out,) = prepare_image(_saved(scan, tmp_path / "scan.jpg"), *BOX, encoding=PRINT)
    assert not out.no_edge
    assert abs(out.width_px / out.height_px - 1654 / 2339) < 0.01
    assert np.median(np.asarray(_image(out).convert("L"))) > 245


def test_a_sheet_running_out_of_the_picture_falls_back_to_whitening_and_says_so(tmp_path, page):
    photo = photograph(page, corners=[(420, -200), (2010, -120), (2130, 2880), (300, 2790)])
    (out,) = prepare_image(_saved(photo, tmp_path / "cut.jpg"), *BOX, encoding=PRINT)
    assert out.no_edge
    assert np.median(np.asarray(_image(out).convert("L"))) > 240  # still whitened


def test_a_photo_of_something_else_stays_as_it_is(tmp_path):
    rng = random.Random(3)
    workshop = Image.new("RGB", (16, 12))
    workshop.putdata([(rng.randint(20, 150), rng.randint(20, 150), rng.randint(20, 150)) for _ in range(16 * 12)])
    workshop = workshop.resize((3200, 2400), Image.Resampling.BICUBIC)
    ImageDraw.Draw(workshop).rectangle((1300, 900, 1700, 1300), fill=(200, 170, 60))  # a plaque
    (out,) = prepare_image(_saved(workshop, tmp_path / "workshop.jpg"), *BOX, encoding=PRINT)
    assert not out.no_edge and out.width_px > out.height_px
    assert _image(out).mode == "RGB" and np.asarray(_image(out).convert("L")).std() > 20


def test_as_taken_keeps_the_photo_and_is_checked_on_loading(tmp_path, page):
    path = _saved(photograph(page), tmp_path / "photo.jpg")
    (kept,) = prepare_image(path, *BOX, encoding=AS_TAKEN)
    assert abs(kept.width_px / kept.height_px - 2400 / 3200) < 0.01  # not cropped to the sheet
    assert np.asarray(_image(kept).convert("L"))[:40, :40].mean() < 120  # the desk is still there
    entries = appfile.load_attachments(tmp_path / "a.json", [{"kind": "other", "file": "photo.jpg", "as_taken": True}])
    assert entries == [{"kind": "other", "file": "photo.jpg", "as_taken": True}]
    assert appfile.load_attachments(tmp_path / "a.json", [{"kind": "other", "file": "p.jpg", "as_taken": False}]) == [
        {"kind": "other", "file": "p.jpg"}
    ]
    with pytest.raises(InputError) as caught:
        appfile.load_attachments(tmp_path / "a.json", [{"kind": "other", "file": "p.jpg", "as_taken": "是"}])
    assert caught.value.key == "attachments[0].as_taken" and "true 或 false" in caught.value.message
    assert json.dumps(entries)  # stays plain JSON


def test_a_deep_shadow_across_the_sheet_on_a_wooden_desk_does_not_cut_the_page(tmp_path, page):
    """The paper in a phone's shadow is as dark as the wood around it: the sheet's bright outline
    then has a corner cut off, and cropping to it would cut the page's text off. Paper in shade is
    still grey where wood is brown: the sheet is found whole."""
    size = (2400, 3200)
    photo = Image.new("RGB", size, (150, 108, 66))  # a light wooden desk
    corners = [(420, 330), (2010, 420), (2130, 2880), (300, 2790)]
    w, h = page.size
    coeffs = _coeffs(corners, [(0, 0), (w, 0), (w, h), (0, h)])
    warped = page.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    photo.paste(warped, (0, 0), Image.new("L", page.size, 255).transform(size, Image.Transform.PERSPECTIVE, coeffs))
    shade = Image.new("L", size, 255)
    ImageDraw.Draw(shade).polygon([(900, 0), (2400, 0), (2400, 1500)], fill=130)  # the light down to half
    shade = shade.filter(ImageFilter.GaussianBlur(25))
    photo = ImageChops.multiply(photo, Image.merge("RGB", (shade, shade, shade)))
    (out,) = prepare_image(_saved(photo, tmp_path / "shade.jpg"), *BOX, encoding=PRINT)
    assert not out.no_edge
    assert abs(out.width_px / out.height_px - 210 / 297) < 0.01
    assert _title_at_top(_image(out))  # the top of the page is there, title and all
