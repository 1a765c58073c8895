"""``zhutui ocr``: a patent certificate read offline from its photo, scan or PDF (issue 20).

The engine is the real one (rapidocr on onnxruntime) reading the demo's certificate photos; what
it must read is what the demo's application file says.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from zhutui.appfile import load
from zhutui.certfile import in_reading_order
from zhutui.demo import generate
from zhutui.ocr import OcrLine

COMPARED = ("patent.title", "patent.number", "patent.inventors", "patent.patentee", "patent.grant_date")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("ocr") / "batch"
    return generate(out, patents=2, projects=0, with_errors=False, seed=20).applications


def _certificate(app_file: Path) -> tuple[Path, dict]:
    app = load(app_file)
    entry = next(a for a in app.data["attachments"] if a["kind"] == "patent_certificate")
    path = app.attachment_file(entry)
    assert path is not None
    return path, {key: app.get(key) for key in COMPARED}


def _json(run, path: Path) -> tuple[int, dict]:
    code, out, _err = run("ocr", str(path), "--format", "json")
    return code, json.loads(out)


def test_the_demo_certificates_read_as_their_applications_say(run, demo):
    for app_file in demo:
        photo, expected = _certificate(app_file)
        code, out = _json(run, photo)
        assert code == 0, out
        fields = out["fields"]
        assert {key: fields[key]["value"] for key in COMPARED} == expected
        assert all(0 <= f["confidence"] <= 1 for f in fields.values())
        assert fields["patent.filing_date"]["value"] < expected["patent.grant_date"]


def test_a_certificate_photographed_sideways_or_upside_down_reads_the_same(run, demo, tmp_path):
    photo, expected = _certificate(demo[0])
    upright = ImageOps.exif_transpose(Image.open(photo)).convert("RGB")
    for degrees in (90, 180):
        turned = tmp_path / f"turned{degrees}.jpg"
        upright.rotate(degrees, expand=True).save(turned, quality=85)  # no EXIF: only the text tells
        code, out = _json(run, turned)
        assert code == 0
        assert {key: out["fields"][key]["value"] for key in COMPARED} == expected, degrees


def test_a_certificate_inside_a_pdf_scan(run, demo, tmp_path):
    photo, expected = _certificate(demo[1])
    pdf = tmp_path / "证书扫描.pdf"
    ImageOps.exif_transpose(Image.open(photo)).convert("RGB").save(pdf, resolution=200)
    code, out = _json(run, pdf)
    assert code == 0
    assert {key: out["fields"][key]["value"] for key in COMPARED} == expected


def test_text_output_names_each_field_in_chinese(run, demo):
    photo, expected = _certificate(demo[0])
    code, out, _err = run("ocr", str(photo))
    assert code == 0
    assert f"专利号：{expected['patent.number']}" in out
    assert f"发明人：{'；'.join(expected['patent.inventors'])}" in out


def test_a_page_that_is_no_certificate_exits_1(run, demo):
    app = load(demo[0])
    proof = next(a for a in app.data["attachments"] if a["kind"] == "application_proof")
    path = app.attachment_file(proof)
    assert path is not None  # a photo or a PDF scan: either is read
    code, out, _err = run("ocr", str(path))
    assert code == 1
    assert "没有识别出专利证书" in out
    code, data = _json(run, path)
    assert code == 1 and data == {"fields": {}}


def test_unusable_files_exit_2_naming_the_file(run, tmp_path, demo):
    text = tmp_path / "证书.jpg"
    text.write_text("not an image", encoding="utf-8")
    empty = tmp_path / "空.png"
    empty.write_bytes(b"")
    photo, _ = _certificate(demo[0])
    cut = tmp_path / "截断.jpg"
    cut.write_bytes(photo.read_bytes()[:5000])
    for path in (tmp_path / "没有这个文件.jpg", text, empty, cut, tmp_path):
        code, out, err = run("ocr", str(path))
        assert code == 2, path
        assert str(path) in err and "Traceback" not in err + out


def _line(text: str, x: float, y: float, w: float, h: float) -> OcrLine:
    return OcrLine(text, 0.99, ((x, y), (x + w, y), (x + w, y + h), (x, y + h)))


def test_reading_order_by_the_way_the_page_lies():
    page = [
        _line("发明名称：一种装置", 100, 100, 600, 40),
        _line("发明人：", 100, 200, 150, 40),
        _line("张三；李四", 300, 205, 200, 40),  # read as its own box, a little lower
        _line("专利号：ZL201910944636.4", 100, 300, 600, 40),
        _line("授权公告日：2021年1月25日", 100, 400, 600, 40),
    ]
    lines, turns = in_reading_order(page)
    assert turns == 0 and [line.text for line in lines][1:3] == ["发明人：", "张三；李四"]

    def turned(line: OcrLine, quarter: int) -> OcrLine:  # the page turned clockwise, 1000 px wide
        box = line.box
        for _ in range(quarter):
            box = tuple((1000 - y, x) for x, y in box)
        return OcrLine(line.text, line.score, box)

    for quarter, need in ((1, 1), (2, 2), (3, 3)):
        lines, turns = in_reading_order([turned(line, quarter) for line in reversed(page)])
        assert turns == need, quarter
        assert [line.text for line in lines] == [line.text for line in page]
